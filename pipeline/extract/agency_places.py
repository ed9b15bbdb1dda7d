"""The level and place that end an agency mention ("… tỉnh Lào Cai", "Huyện ủy Mường Tè", "Báo Lai
Châu"), and how a body's canonical name writes its place (``agencies.py`` reads the units before it).
"""
from __future__ import annotations

import re
from typing import Any, Protocol

from .context import Context
from .overlap import Claims
from .places import Places, places_of
from .text import Span, squash
from ..patterns import ABBREVIATION


class Unit(Protocol):  # agencies.Unit, as read here
    kind: str
    canonical: str
    scope: str


class Grammar(Protocol):  # agencies.Grammar, as read here
    places: Places
    orgs: dict[str, Any]
    short_forms: Any


def ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


DEFINED = re.compile(rf"\s*\(\s*{ABBREVIATION.pattern}\s*\)")


def place_after(g: Grammar, text: str, pos: int, top: Unit, province: str | None) -> tuple[int, str, str | None]:
    """(end, canonical place, province) after the last unit; a body whose name says its level
    ("Tỉnh đoàn", "Huyện ủy") takes the bare place name ("Thành đoàn Cần Thơ"). A short form defined
    before the level is passed over ("Ủy ban nhân dân (UBND) huyện Đức Linh")."""
    if not ((d := DEFINED.match(text, pos)) and (read := level_and_place(g, text, d.end(), top, province))[0] > d.end()):
        read = level_and_place(g, text, pos, top, province)
    end, place, prov = read
    return end, place_for(g, top, place), prov


def embeds_level(g: Grammar, top: Unit) -> bool:
    return top.kind == "org" and bool((g.orgs.get(g.short_forms.key(top.canonical)) or {}).get("embeds_level"))


def place_for(g: Grammar, top: Unit, place: str) -> str:
    """The place as a body's canonical name writes it: a body whose name says its level takes the bare
    name ("Thành đoàn Cần Thơ", "Quận ủy Đống Đa")."""
    if embeds_level(g, top) and place:
        words = place.split()
        for k in (2, 1):
            if len(words) > k and " ".join(words[:k]) in g.places.gaz.levels:
                name = " ".join(words[k:])
                # a name that is a person's on its own keeps its level: "Thành ủy Thành phố Hồ Chí Minh"
                return f"{place[0].upper()}{place[1:]}" if name in g.places.needs_level else name
    return place


def level_and_place(g: Grammar, text: str, pos: int, top: Unit, province: str | None) -> tuple[int, str, str | None]:
    p = g.places
    at = ws(text, pos)
    if top.kind == "org" and top.scope == "national":
        if at > pos and (c := p.country_re.match(text, at)):  # "Chính phủ Nhật Bản": a foreign country's
            return c.end(), c.group("name"), None
        return pos, "", None  # "đại biểu Quốc hội TP Cần Thơ": the place is the deputy's, not the Quốc hội's
    gaz = p.gaz
    at = ws(text, pos)
    if at > pos and text.startswith("các ", at) and p.match_place(text, at + 4):
        at += 4  # "Ủy ban nhân dân các huyện Cầu Kè, Tiểu Cần …": the first of a list (bodies.py reads the rest)
    if at > pos and (m := p.match_place(text, at)):
        level, rank = p.level(m.group("level"))
        name = gaz.canonical(m.group("name"))
        if rank == "province" and name in gaz.provinces:
            level = p.province_level(name)  # "TP. Cần Thơ", "Thành phố Huế": one spelling
        if rank == "province" and name not in gaz.provinces:  # "TP Vinh": a city inside a province
            return m.end(), f"{level} {name}", p.district_province.get(name, province)
        return m.end(), f"{level} {name}", name if rank == "province" else province
    if at > pos and (m := p.match_bare(text, at)):  # "Sở Y tế Hà Nội", "Tỉnh ủy Lai Châu", "TP.HCM"
        name = gaz.canonical(m.group("name"))
        return m.end(), f"{p.province_level(name)} {name}", name
    if at > pos and top.kind == "org" and (c := p.country_re.match(text, at)):  # "Hội Phụ nữ Lào": a foreign body
        return c.end(), c.group("name"), None
    if at > pos and (top.scope == "district" or embeds_level(g, top)) and (m := p.match_bare(text, at, "district")):
        return m.end(), m.group("name"), p.district_province.get(m.group("name"), province)  # "Huyện ủy Mường Tè", "Thành ủy Bảo Lộc"
    if at > pos and (m := p.unlisted_commune(text, at)):  # "Đảng ủy xã Nghĩa Vị": a commune the gazetteer lacks
        return m.end(), f"{p.level(m.group('level'))[0]} {squash(m.group('name'))}", province
    if at > pos and (m := p.level_re.match(text, at)):
        level, rank = p.level(m.group())
        if rank == "province" and province:
            return m.end(), f"{p.province_level(province)} {province}", province
        return m.end(), level, province if rank == "national" else None
    if top.kind == "titled" and p.country_re.search(top.canonical.split(" ", 1)[-1]):
        return pos, "", None  # "Hội Phụ nữ Lào", "Đại sứ quán Hàn Quốc": a foreign body
    if top.kind == "titled" and (named := p.named_place(top.canonical)):
        return pos, "", named if named in gaz.provinces else province  # "Báo Lai Châu", "Trường Đại học Cần Thơ"
    if top.scope in ("province", "any") and province:
        return pos, f"{p.province_level(province)} {province}", province
    return pos, "", None


def ending_bodies(ctx: Context, agency_spans: list[Span], found: list[Span]) -> list[Span]:
    """The province that ends a body's name is named too ("Trường CĐ Nghề Đà Nẵng"): it was left as a
    name's part, which a person's name ("Nguyễn Thái Bình") also is, so a family name before it keeps it one."""
    p = ctx.rules.compiled(places_of)
    taken, named = Claims((s.start, s.end) for s in found if s.label == "LOCATION"), set()
    spans = []
    for a in agency_spans:
        m = next((m for m in p.bare_re.finditer(a.text) if m.end() == len(a.text)), None)
        if m is None or m.start() == 0 or taken.covers(a.start + m.start()) or a.start + m.start() in named \
                or p.after_family_name(a.text, m.start()):
            continue
        named.add(a.start + m.start())
        spans.append(Span("LOCATION", a.start + m.start(), a.end, m.group(), a.sent_idx, a.block_idx,
                          normalized=p.gaz.canonical(m.group()), attrs={"rank": "province"}, rule="places.ending_body"))
    return spans
