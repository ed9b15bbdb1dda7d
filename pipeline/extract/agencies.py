"""Agencies: a naming grammar over the text, not a closed list.

An agency mention is a chain of units followed by an optional level and place::

    [Ban Phong trào] [cơ quan] [Ủy ban MTTQ Việt Nam] [tỉnh] [Lào Cai]
     unit (child)               unit (parent)          level  place

A unit is a fixed-name body ("Ủy ban MTTQ", "UBND"), a head noun with a sector ("Sở" + "TNMT",
"Hội" + "Người cao tuổi") or with a capitalised name ("Trung tâm" + "Quan trắc Môi trường"), or
a sub-unit that needs a parent ("Ban Thường trực", "Văn phòng"). Every proper suffix of a
chain is an agency of its own (the parent), so both get a mention. The canonical name expands
abbreviations and spells the place out: an unqualified provincial body belongs to the
article's province. All of it comes from ``lexicons/agencies.jsonl`` and ``sectors.jsonl``.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache

from .. import lexicon
from ..normalize import fold_for_match
from . import places
from .text import ABBREVIATION, CAP_WORD, Sentence, Span, alternation, bounded

_AGENCY_FIELDS = lexicon.AGENCY_FIELDS
_SECTOR_FIELDS = (lexicon.Field("name"), lexicon.Field("abbreviations", list))
_CONNECTORS = {"và", "các", "-", "–", ",", "&"}


def agency_id(canonical: str) -> str:
    return "a:" + hashlib.sha256(fold_for_match(canonical).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    canonical: str
    kind: str            # org, sector, titled, subunit
    scope: str
    abbreviated: bool    # written with an abbreviation ("Sở TNMT", "UBND")


@dataclass
class AgencyMatch:
    start: int
    end: int
    units: list[Unit]
    place: str = ""       # canonical place part ("tỉnh Lào Cai"), "" when none
    province: str | None = None
    mentions: list[Span] = field(default_factory=list)

    def canonical(self, first: int = 0) -> str:
        names = " ".join(u.canonical for u in self.units[first:])
        return f"{names} {self.place}".strip()


@dataclass
class Grammar:
    orgs: dict[str, dict]
    org_re: re.Pattern[str]
    heads: dict[str, dict]
    head_re: re.Pattern[str]
    sectors: dict[str, str]
    sector_re: re.Pattern[str]
    abbrev_re: re.Pattern[str]
    subunit_re: re.Pattern[str]
    start_re: re.Pattern[str]
    joining: dict[str, tuple[str, bool]]   # sub-units that join what follows: form -> (scope, keep in name)


@cache
def grammar() -> Grammar:
    records = lexicon.records("agencies", _AGENCY_FIELDS)
    orgs, heads, subunits = {}, {}, []
    for r in records:
        kind = r["type"]
        if kind == "org":
            for form in r["forms"]:
                orgs[fold_for_match(form)] = r
        elif kind == "head":
            heads[fold_for_match(r["head"])] = r
        elif kind == "subunit":
            subunits.append(r["form"])
        else:
            raise lexicon.LexiconError(f"agencies.jsonl: unknown type {kind!r}")
    sectors, abbreviations = {}, {}
    for r in lexicon.records("sectors", _SECTOR_FIELDS):
        sectors[fold_for_match(r["name"])] = r["name"]
        for a in r["abbreviations"]:
            abbreviations[a] = r["name"]
    sectors.update({fold_for_match(a): name for a, name in abbreviations.items()})
    org_forms = [f for r in records if r["type"] == "org" for f in r["forms"]]
    head_forms = [r["head"] for r in records if r["type"] == "head"]
    return Grammar(
        orgs=orgs, org_re=bounded(alternation(org_forms)),
        heads=heads, head_re=re.compile(rf"(?:{alternation(head_forms)})(?=\s)"),
        sectors=sectors,
        sector_re=bounded(alternation([r["name"] for r in lexicon.records("sectors", _SECTOR_FIELDS)],
                                      case_first=False)),
        abbrev_re=bounded("|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))),
        subunit_re=bounded(alternation(subunits)),
        start_re=re.compile(rf"(?<![\w&])(?:{CAP_WORD}|{ABBREVIATION.pattern})"),
        joining={r["form"]: (r.get("scope") or "national", r.get("keep", True))
                 for r in records if r["type"] == "subunit" and r.get("joins")},
    )


# ------------------------------------------------------------------ units

def _ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


@cache
def _document_kind() -> re.Pattern[str]:
    """"Kế hoạch", "Quyết định" …: a document, never the next word of a body's name."""
    kinds = [r["kind"] for r in lexicon.records("legal_kinds", (lexicon.Field("kind"), lexicon.Field("codes", list)))]
    return bounded(alternation(kinds, exact=True))


_WORD = re.compile(rf"{CAP_WORD}|và(?=\s+{CAP_WORD})")
_SYLLABLE = re.compile(r" (\w+)")


def _titled_name(text: str, pos: int, ends: frozenset[int] = frozenset(), place_in_name: bool = True) -> int | None:
    """End of a run of capitalised words. Official names capitalise the first syllable of each
    word only ("Trung tâm Quan trắc Môi trường", "Bệnh viện Đa khoa"): a capitalised syllable
    takes the lower-case syllables of the same underthesea word (``ends``: where words end).
    "và" joins two capitalised words, and closes a list ("Văn hóa, Thể thao và Du lịch": a comma
    joins only when a "và" follows); the run stops where another body or a place begins."""
    g = grammar()
    end = None
    in_list = False  # after a comma, waiting for the "và" that makes it part of the name
    while ((m := _WORD.match(text, pos)) and not g.head_re.match(text, pos) and not g.org_re.match(text, pos)
           and not g.subunit_re.match(text, pos) and not _document_kind().match(text, pos)):
        if end is not None and not place_in_name and _person_name_at(text, pos):
            break  # "Giám đốc Sở Tài nguyên và Môi trường Nguyễn Hữu Thể": the name is the director's
        if end is not None and (place := places.match_bare(text, pos) or places.match_bare(text, pos, "district")):
            # A place ends the name of a school or a paper ("Trường Đại học Cần Thơ", "Báo Lai Châu");
            # after a department's field it says where the department is ("Sở Y tế Hà Nội").
            if place_in_name and not in_list:
                end = place.end()
            break
        stop = m.end()
        if m.group() == "và":
            in_list = False
        else:
            while ends and stop not in ends and (s := _SYLLABLE.match(text, stop)) and s.group(1).islower():
                stop = s.end()
            if not in_list:
                end = stop
        pos = _ws(text, stop)
        if end is not None and (c := _LIST_COMMA.match(text, pos)):
            in_list, pos = True, c.end()
    return _run_on_to_level(text, end) if end is not None else None


_LOWER_WORD = re.compile(r"\s+(\w+)")


def _run_on_to_level(text: str, end: int) -> int:
    """"Hội Đoàn kết Sư sãi" + "yêu nước" + "tỉnh": up to three lower-case words that lead to a
    level word belong to the name, unless one is a word that never sits in a name."""
    breaks = _name_breaks()
    at, words = end, 0
    while words < 3 and (m := _LOWER_WORD.match(text, at)) and m.group(1).islower() and m.group(1) not in breaks:
        if places.level_pattern().match(text, m.start(1)):
            break
        at, words = m.end(), words + 1
    if words and (lv := _ws(text, at)) > at and places.level_pattern().match(text, lv):
        return at
    return end


@cache
def _name_breaks() -> frozenset[str]:
    return frozenset(lexicon.word_list("name_breaks"))


_NAME_AFTER_SURNAME = re.compile(rf"\s+{CAP_WORD}")


def _person_name_at(text: str, pos: int) -> bool:
    """A family name followed by another capitalised word ("Nguyễn Hữu Thể")."""
    m = re.match(r"\w+", text[pos:])
    return bool(m) and m.group() in places._surnames() and bool(_NAME_AFTER_SURNAME.match(text, pos + m.end()))


_LIST_COMMA = re.compile(rf",\s*(?={CAP_WORD})")


def _unit(text: str, pos: int, ends: frozenset[int] = frozenset()) -> Unit | None:
    g = grammar()
    candidates: list[Unit] = []
    if m := g.org_re.match(text, pos):
        r = g.orgs[fold_for_match(m.group())]
        candidates.append(Unit(pos, m.end(), r["canonical"], "org", r["scope"],
                               bool(ABBREVIATION.fullmatch(m.group().split()[-1])) and m.group() != r["canonical"]))
    if h := g.head_re.match(text, pos):
        head = g.heads[fold_for_match(h.group())]
        name_at = _ws(text, h.end())
        if head["names"] in ("sector", "both"):
            if s := g.sector_re.match(text, name_at) or g.abbrev_re.match(text, name_at):
                canonical = g.sectors[fold_for_match(s.group())]
                candidates.append(Unit(pos, s.end(), f"{head['head']} {canonical}", "sector", head["scope"],
                                       bool(g.abbrev_re.fullmatch(s.group()))))
        if head["names"] in ("titlecase", "both") and (end := _titled_name(text, name_at, ends, head["names"] == "titlecase")):
            name = " ".join(text[name_at:end].split())
            candidates.append(Unit(pos, end, f"{head['head']} {name}", "titled", head["scope"], False))
    if m := g.subunit_re.match(text, pos):
        candidates.append(Unit(pos, m.end(), " ".join(m.group().split()), "subunit", "any", False))
    if any(u.kind == "org" for u in candidates):  # a fixed name ("Bộ Chính trị") is not read as head + name
        candidates = [u for u in candidates if u.kind != "titled"]
    candidates = [u if u.kind == "subunit" else _national(text, u) for u in candidates]
    return max(candidates, key=lambda u: (u.end, _PREFERENCE[u.kind]), default=None)


_PREFERENCE = {"org": 3, "sector": 2, "titled": 1, "subunit": 0}  # same extent: the lexicon's reading wins


_VIET_NAM = re.compile(r"\s+Việt\s+Nam(?!\w)")
_VN = fold_for_match("Việt Nam")


def _national(text: str, unit: Unit) -> Unit:
    """"Hội Cựu chiến binh Việt Nam", "Hội LHPN Việt Nam": a name that ends in "Việt Nam" is the
    national body, unless every level of the body carries it (a canonical name ending in "Việt
    Nam", like "Ủy ban MTTQ Việt Nam tỉnh …")."""
    canonical = fold_for_match(unit.canonical)
    if canonical.endswith(_VN):
        return replace(unit, scope="national") if unit.kind == "titled" else unit
    if m := _VIET_NAM.match(text, unit.end):
        return replace(unit, end=m.end(), canonical=f"{unit.canonical} Việt Nam", scope="national")
    if fold_for_match(text[unit.start:unit.end]).endswith(_VN):
        return replace(unit, canonical=f"{unit.canonical} Việt Nam", scope="national")
    return unit


_LINK = re.compile(r"\s+(?:cơ quan\s+)?")


def _chain(text: str, pos: int, ends: frozenset[int] = frozenset()) -> list[Unit]:
    units: list[Unit] = []
    while (unit := _unit(text, pos, ends)) is not None:
        units.append(unit)
        link = _LINK.match(text, unit.end)
        if not link:
            break
        pos = link.end()
    while units and units[-1].kind == "subunit":  # a sub-unit needs a parent after it
        units.pop()
    joining = grammar().joining
    for i in range(len(units) - 2, -1, -1):  # "Trung ương" + "Hội NCT Việt Nam": one body
        u, nxt = units[i], units[i + 1]
        if u.kind == "subunit" and u.canonical in joining:
            scope, keep = joining[u.canonical]
            name = f"{u.canonical} {nxt.canonical}" if keep else nxt.canonical
            units[i:i + 2] = [Unit(u.start, nxt.end, name, nxt.kind, nxt.scope if scope == "any" else scope,
                                   nxt.abbreviated)]
    return units


def _place(text: str, pos: int, top: Unit, province: str | None) -> tuple[int, str, str | None]:
    """(end, canonical place, province) after the last unit; a body whose name says its level
    ("Tỉnh đoàn", "Huyện ủy") takes the bare place name ("Thành đoàn Cần Thơ")."""
    end, place, prov = _level_and_place(text, pos, top, province)
    record = grammar().orgs.get(fold_for_match(top.canonical)) if top.kind == "org" else None
    if record and record.get("embeds_level") and place:
        levels = places.gazetteer().levels
        words = place.split()
        for k in (2, 1):
            if len(words) > k and " ".join(words[:k]) in levels:
                place = " ".join(words[k:])
                break
    return end, place, prov


def _level_and_place(text: str, pos: int, top: Unit, province: str | None) -> tuple[int, str, str | None]:
    gaz = places.gazetteer()
    at = _ws(text, pos)
    if at > pos and (m := places.match_place(text, at)):
        level, rank = gaz.levels[places._level_key(m.group("level"))]
        name = gaz.canonical(m.group("name"))
        if rank == "province" and name in gaz.provinces:
            level = places.province_level(name)  # "TP. Cần Thơ", "Thành phố Huế": one spelling
        return m.end(), f"{level} {name}", name if rank == "province" else province
    if at > pos and (m := places.match_bare(text, at)):  # "Sở Y tế Hà Nội", "Tỉnh ủy Lai Châu", "TP.HCM"
        name = gaz.canonical(m.group("name"))
        return m.end(), f"{places.province_level(name)} {name}", name
    if at > pos and top.scope == "district" and (m := places.match_bare(text, at, "district")):
        return m.end(), m.group("name"), province  # "Huyện ủy Mường Tè"
    if at > pos and (m := places.level_pattern().match(text, at)):
        level, rank = gaz.levels[places._level_key(m.group())]
        if rank == "province" and province:
            return m.end(), f"{places.province_level(province)} {province}", province
        return m.end(), level, province if rank == "national" else None
    if top.kind == "titled" and (named := _named_place(top.canonical)):
        return pos, "", named if named in gaz.provinces else province  # "Báo Lai Châu", "Trường Đại học Cần Thơ"
    if top.scope in ("province", "any") and province:
        return pos, f"{places.province_level(province)} {province}", province
    return pos, "", None


def _named_place(name: str) -> str | None:
    """The place a name ends with ("Trường Đại học Cần Thơ" -> "Cần Thơ"), if any."""
    words = name.split()
    gaz = places.gazetteer()
    return next((" ".join(words[-k:]) for k in (3, 2, 1)
                 if len(words) > k and gaz.is_place(" ".join(words[-k:]))), None)


def match_agency(text: str, pos: int, province: str | None,
                 ends: frozenset[int] = frozenset()) -> AgencyMatch | None:
    """The agency named at ``pos``; ``ends``: where underthesea's words end in ``text``."""
    units = _chain(text, pos, ends)
    if not units:
        return None
    end, place, prov = _place(text, units[-1].end, units[-1], province)
    return AgencyMatch(pos, end, units, place, prov)


# ------------------------------------------------------------------ mentions

def _initials(name: str) -> str:
    """"Ủy ban Mặt trận Tổ quốc Việt Nam" -> "UBMTTQVN" (tone and vowel marks dropped, Đ kept)."""
    words = [w for w in re.split(r"[\s,\-–]+", name) if w and w not in _CONNECTORS]
    return "".join(unicodedata.normalize("NFD", w[0])[0] for w in words).upper()


def _mention(s: Sentence, start: int, end: int, text: str, canonical: str, province: str | None,
             parent: str | None, abbreviated: bool) -> Span:
    attrs = {k: v for k, v in (("province", province), ("parent_id", parent),
                               ("abbreviation", text if abbreviated else None)) if v}
    return Span("AGENCY", s.start + start, s.start + end, text, s.idx, s.block_idx,
                entity_id=agency_id(canonical), normalized=canonical, attrs=attrs)


def mentions_of(s: Sentence, m: AgencyMatch) -> list[Span]:
    """The whole chain and each of its parents, innermost last."""
    out = []
    for k, unit in enumerate(m.units):
        parent = agency_id(m.canonical(k + 1)) if k + 1 < len(m.units) else None
        abbreviated = any(u.abbreviated for u in m.units[k:])
        out.append(_mention(s, unit.start, m.end, s.text[unit.start:m.end], m.canonical(k), m.province,
                            parent, abbreviated))
    return out


_DEFINITION = re.compile(rf"\s*\(\s*({ABBREVIATION.pattern})\s*\)")


def agencies(sentences: list[Sentence], province: str | None,
             blocked: list[tuple[int, int]] = ()) -> tuple[list[Span], list[AgencyMatch]]:
    """AGENCY spans of the article, with abbreviations defined in the text ("… (UBMTTQVN)").
    No agency starts inside a ``blocked`` span (a title such as "Thành ủy viên"). A parent named
    inside a sub-unit's name ("Ủy ban MTTQ" in "Ban Thường trực Ủy ban MTTQ") gets a mention of
    its own only when the article never names it on its own, so that it still has a row."""
    g = grammar()
    outer: list[Span] = []
    nested: list[Span] = []
    matches: list[AgencyMatch] = []
    aliases: dict[str, Span] = {}
    for s in sentences:
        pos = 0
        while m := g.start_re.search(s.text, pos):
            at = s.start + m.start()
            blocked_here = any(a <= at < b for a, b in blocked)
            found = None if blocked_here else match_agency(s.text, m.start(), province, s.word_ends)
            if found is None:
                pos = m.end()
                continue
            chain = mentions_of(s, found)
            found.mentions = chain
            outer.append(chain[0])
            nested.extend(chain[1:])
            matches.append(found)
            pos = found.end
            if d := _DEFINITION.match(s.text, found.end):
                target = chain[_defined(d.group(1), found)]
                alias = _mention(s, d.start(1), d.end(1), d.group(1), target.normalized or "",
                                 target.attrs.get("province"), target.attrs.get("parent_id"), True)
                outer.append(alias)
                aliases.setdefault(d.group(1), alias)
                pos = d.end()
    outer.extend(_alias_uses(sentences, aliases, outer + nested))
    named = {span.entity_id for span in outer}
    return outer + [span for span in nested if span.entity_id not in named], matches


def _defined(abbreviation: str, m: AgencyMatch) -> int:
    """Which agency of the chain the abbreviation spells ("UBMTTQVN" is the Ủy ban, not its Ban
    Thường trực; "TNMT" the Sở, its sector's initials); the whole chain when none fits."""
    letters = re.sub(r"[^\w]", "", abbreviation).upper()
    fits = [k for k in range(len(m.units))
            if _initials(" ".join(u.canonical for u in m.units[k:])).endswith(letters)]
    return fits[-1] if fits else 0


def _alias_uses(sentences: list[Sentence], aliases: dict[str, Span], taken: list[Span]) -> list[Span]:
    if not aliases:
        return []
    covered = [(t.start, t.end) for t in taken]
    pattern = bounded("|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)))
    out = []
    for s in sentences:
        for m in pattern.finditer(s.text):
            start, end = s.start + m.start(), s.start + m.end()
            if any(a <= start < b for a, b in covered):
                continue
            target = aliases[m.group()]
            out.append(Span("AGENCY", start, end, m.group(), s.idx, s.block_idx, entity_id=target.entity_id,
                            normalized=target.normalized, attrs=dict(target.attrs)))
    return out


def local_completions(canonicals: set[str], named_places: set[str] = frozenset()) -> dict[str, str]:
    """A body named without its district in one place and with it in another ("UBND huyện" …
    "UBND huyện Mường Tè", "Huyện ủy" … "Huyện ủy Mường Tè") is one body when the article names
    only one such district for it; "Hạt Kiểm lâm huyện" is in the one "huyện …" the article names
    (``named_places``: "huyện Mường Tè", "xã Pa Ủ"). {short canonical: full canonical}."""
    gaz = places.gazetteer()
    out = {}
    for short in canonicals:
        level = next((lv for lv in sorted(gaz.levels, key=len, reverse=True)
                      if short.endswith(" " + lv) and gaz.levels[lv][1] in ("district", "commune")), None)
        if level:
            local = {p for p in named_places if p.startswith(level + " ")}
            if len(local) == 1:
                out[short] = f"{short[:-len(level)]}{local.pop()}"
                continue
        fuller = set()
        for full in canonicals:
            if full.startswith(short + " "):
                rest = full[len(short) + 1:].split()
                if rest and rest[0] in gaz.levels and not short.endswith(rest[0]):
                    rest = rest[1:]
                name = " ".join(rest)
                if name and gaz.is_place(name):
                    fuller.add(full)
        if len(fuller) == 1:
            out[short] = fuller.pop()
    return out
