"""The province an article is about: the one whose bodies organise the event or are its subject.

Official news names its organisers in the lead ("UBND tỉnh Kon Tum tổ chức …", "Sáng 8/7, Tỉnh
ủy, HĐND, UBND tỉnh Phú Thọ …"). So:

1. the bodies named in the lead (title and first paragraph) vote for the province their name
   carries, a district body for its district's province ("UBND quận Đống Đa" -> Hà Nội), a
   school or a paper for the place its name ends with ("Trường CĐ Nghề Đà Nẵng");
2. when the lead's bodies carry no place and one of them is national ("Bộ GD&ĐT", "Trung ương
   Đoàn", "Hội Nhà báo Việt Nam"), the article is a national one: no province, whatever venue
   it names ("… diễn ra tại Hà Nội");
   unless the lead says the national body visits or works with a province ("Đoàn công tác của
   Bộ … làm việc tại tỉnh X", "giám sát tại", "tiếp xúc cử tri"): then that province;
3. otherwise the places of the article vote, a name in the title counting double, but not a
   venue ("tại Đà Nẵng"), nor a place in brackets (where a person comes from), a district for
   its province;
4. several provinces with the same weight: none;
5. communes (or, before the July 2025 merger, districts) of one province only: that province, as
   it was called on the article's date (``admin2025.province_of_units``);
6. a page whose article names none: the province of the portal's masthead ("Cơ quan quản lý:
   Ủy ban nhân dân thị xã …"), read from its boilerplate.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from dataclasses import replace

from .. import admin2025
from ..rules import Rules, builder
from . import agencies, dates, digest, titles
from .context import Context
from .overlap import Claims
from .places import places_of
from .text import Sentence, Span, alternation


class ProvinceWords:
    def __init__(self, rules: Rules):
        words = {k: [r["word"] for r in rules.records("province_cues") if r["kind"] == k]
                 for k in ("venue", "masthead", "visit", "guests")}
        self.venue_re = re.compile(rf"(?:^|\s)(?:{alternation(words['venue'], case_first=False)})\s*$")
        self.visit_re = re.compile(rf"(?<!\w)(?:{alternation(words['visit'], case_first=False)})(?!\w)[^,.;:]*$")
        self.guests_re = re.compile(rf"^\W*(?:{alternation(words['guests'], case_first=False)})(?!\w)") \
            if words["guests"] else None
        self.masthead_re = re.compile(rf"(?:{alternation(words['masthead'], case_first=False)})\s*:")
        p = rules.compiled(places_of)
        # "Tổng lãnh sự Nhật Bản tại Đà Nẵng", "Đại sứ quán Lào tại Việt Nam": a foreign
        # mission's seat, not where the article is
        self.seat_re = re.compile(rf"(?<!\w)(?:{alternation(rules.words('countries'))})\s+tại\s*$")
        self.places = p
        self.district_province = p.district_province


@builder
def province_words(rules: Rules) -> ProvinceWords:
    return ProvinceWords(rules)


def _body_votes(ctx: Context, w: ProvinceWords) -> tuple[Counter[str], bool, bool, Counter[str]]:
    """Votes of the lead's bodies, whether a national body is among them, whether a local one
    that names no place is ("Sở Công Thương": of the province where it acts), and the votes of the
    bodies of the guests a sentence lists ("Tham dự có … Phó Chủ tịch UBND tỉnh X"): they count only
    when no organiser says where the article is."""
    g = ctx.rules.compiled(agencies.grammar_of)
    bare = replace(ctx, province=None)
    in_title = Claims(titles.title_spans(ctx))  # "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy": a post, no organiser
    organisers: Counter[str] = Counter()
    guests: Counter[str] = Counter()
    national = local = False
    for s in ctx.lead:
        listed = bool(w.guests_re and w.guests_re.match(s.text))
        votes = guests if listed else organisers
        pos = 0
        while m := g.start_re.search(s.text, pos):
            found = (agencies.match(bare, s, m.start())
                     if g.may_start(m.group()) and not in_title.covers(s.start + m.start()) else None)
            if found is None:
                pos = m.end()
                continue
            pos = found.end
            top = found.units[-1]
            province = found.province or _district_province(w, found.place) or (
                _named(w, found) if top.kind == "titled" and top.scope != "national" else None)
            if province:
                votes[province] += 1
            elif listed:
                continue
            elif (top.scope == "national" or _national_level(g, found.place)) and not _enterprise(g, top):
                national = True  # "Bộ Y tế", "Ban Tuyên giáo Trung ương"
            elif top.scope != "national":
                local = True
    return organisers, national, local, guests


def _national_level(g: agencies.Grammar, place: str) -> bool:
    """The body's place is the nation's level word ("Ban Tuyên giáo Trung ương")."""
    return (opening := g.places.level_of(place)) is not None and opening == (place, "national")


def _enterprise(g: agencies.Grammar, unit: agencies.Unit) -> bool:
    """A business (Công ty, Ngân hàng): national in scope, but not a state or mass body."""
    return any(h.get("enterprise") and unit.canonical.startswith(h["head"] + " ") for h in g.heads.values())


def _district_province(w: ProvinceWords, place: str) -> str | None:
    words = place.split()
    for k in (2, 1):
        if len(words) > k and " ".join(words[:k]) in w.places.gaz.levels:
            return w.district_province.get(" ".join(words[k:]))
    return w.district_province.get(place) if place else None


def _named(w: ProvinceWords, m: agencies.AgencyMatch) -> str | None:
    named = w.places.named_place(m.canonical())
    return named if named in w.places.gaz.provinces else w.district_province.get(named or "")


def _place_votes(ctx: Context, w: ProvinceWords, locations: list[Span], visits_only: bool = False,
                 venues: bool = False) -> Counter[str]:
    title_block = ctx.title_block
    sentences: dict[int, Sentence] = {s.idx: s for s in ctx.sentences}
    lead = {s.idx for s in ctx.lead}
    votes: Counter[str] = Counter()
    for span in locations:
        if span.attrs.get("former"):  # "tỉnh Bình Định cũ": not today's province of the article
            continue
        s = sentences.get(span.sent_idx)
        before = s.text[:span.start - s.start] if s else ""
        visited = span.sent_idx in lead and bool(w.visit_re.search(before))
        if visits_only and not visited:
            continue
        venue = w.venue_re.search(before) and not venues
        if not visited and (venue or before.count("(") > before.count(")")) or w.seat_re.search(before):
            continue  # a venue, where a person comes from, or a foreign mission's seat
        name = span.normalized or ""
        rank = span.attrs.get("rank")
        province = name if rank == "province" and name in w.places.gaz.provinces else (
            w.district_province.get(name) if rank == "district" else None)
        if province:
            votes[province] += 2 if span.block_idx == title_block else 1
    return votes


def _masthead(ctx: Context, w: ProvinceWords) -> str | None:
    """The province of the portal's masthead line ("Cơ quan quản lý: Ủy ban nhân dân thị xã X")."""
    p = w.places
    for b in ctx.doc.blocks:
        if b.kind != "boilerplate" or not (m := w.masthead_re.search(b.text)):
            continue
        for place in p.with_level_re.finditer(b.text, m.end()):
            name = p.gaz.canonical(place.group("name"))
            rank = p.level(place.group("level"))[1]
            province = name if rank == "province" and name in p.gaz.provinces else w.district_province.get(name)
            if province:
                return province
    return None


def _date_hint(ctx: Context) -> date | None:
    """When the article was written, roughly: its printed or crawl date, else its first full date."""
    doc = ctx.doc
    first = next((d.value for d in dates.find_dates(ctx, ctx.sentences) if d.year_source == "explicit" and d.value),
                 None)
    return doc.published_date or doc.crawl_date or first


def _winner(votes: Counter[str]) -> str | None:
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def decide(ctx: Context, locations: list[Span]) -> tuple[str | None, str]:
    """(province, how it was decided: lead_bodies, national_bodies, places, masthead, none)."""
    w = ctx.rules.compiled(province_words)
    if digest.is_digest(ctx):
        return None, "digest"  # several items from several places
    bodies, national, local, guests = _body_votes(ctx, w)
    if bodies:
        return _winner(bodies), "lead_bodies"
    if national:  # a national body's own event, unless the lead says it visits a province
        visited = _place_votes(ctx, w, locations, visits_only=True)
        return (_winner(visited), "visited") if visited else (None, "national_bodies")
    if guests:
        return _winner(guests), "lead_bodies"
    votes = _place_votes(ctx, w, locations, venues=local)  # local bodies act where they meet
    if votes:
        return _winner(votes), "places"
    units = [(s.attrs["rank"], s.normalized) for s in locations if not s.attrs.get("former") and s.normalized]
    if province := admin2025.province_of_units(units, _date_hint(ctx)):  # communes (districts) of one province
        return province, "units"
    if province := _masthead(ctx, w):
        return province, "masthead"
    return None, "none"
