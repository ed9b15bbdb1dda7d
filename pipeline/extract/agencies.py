"""Agencies: a naming grammar over the text, not a closed list.

An agency mention is a chain of units followed by an optional level and place::

    [Ban Phong trào] [cơ quan] [Ủy ban MTTQ Việt Nam] [tỉnh] [Lào Cai]
     unit (child)               unit (parent)          level  place

A unit is a fixed-name body ("Ủy ban MTTQ", "UBND"), a head noun with a sector ("Sở" + "TNMT",
"Hội" + "Người cao tuổi") or with a capitalised name ("Trung tâm" + "Quan trắc Môi trường"), or
a sub-unit that needs a parent ("Ban Thường trực", "Văn phòng"). Every proper suffix of a
chain is an agency of its own (the parent), so both get a mention (``bodies.py``). The
canonical name expands abbreviations and spells the place out: an unqualified provincial body
belongs to the article's province. All of it comes from ``lexicons/agencies.jsonl`` and
``sectors.jsonl``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..normalize import fold_for_match
from ..rules import Entry, Rules, builder
from .agency_places import DEFINED, place_after, ws as _ws
from .context import Context
from .places import Places, places_of
from .shortforms import short_forms
from .text import ABBREVIATION, CAP_WORD, UPPER, Sentence, Span, alternation, bounded, squash


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    canonical: str
    kind: str            # org, sector, titled, subunit
    scope: str
    abbreviated: bool    # written with an abbreviation ("Sở TNMT", "UBND")
    rule: str = ""       # where the entry that named it is written


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


class Grammar:
    """The agency grammar compiled from the rules."""

    def __init__(self, rules: Rules):
        records = rules.records("agencies")
        sf = self.short_forms = rules.compiled(short_forms)
        org_forms = [v for r in records if r["type"] == "org" for f in r["forms"] for v in sf.variants(f)]
        self.orgs: dict[str, Entry] = {sf.key(f): r for r in records if r["type"] == "org" for f in r["forms"]}
        self.heads: dict[str, Entry] = {fold_for_match(h): r for r in records if r["type"] == "head"
                                        for h in [r["head"], *(r.get("forms") or ())]}
        subunits = [r for r in records if r["type"] == "subunit"]
        self.subunit_where = {r["form"]: r.where for r in subunits}
        self.sectors: dict[str, tuple[str, str]] = {}   # folded name or abbreviation -> (name, where)
        abbreviations: dict[str, tuple[str, str]] = {}
        for r in rules.records("sectors"):
            self.sectors[fold_for_match(r["name"])] = (r["name"], r.where)
            abbreviations.update((a, (r["name"], r.where)) for a in r["abbreviations"])
        self.sectors.update({fold_for_match(a): v for a, v in abbreviations.items()})
        self.sectors.update({_dashes(fold_for_match(a)): v for a, v in abbreviations.items()})
        self.org_re = bounded(alternation(org_forms))
        head_words = [h for r in records if r["type"] == "head" for h in [r["head"], *(r.get("forms") or ())]]
        self.head_re = re.compile(rf"(?:{alternation(head_words)})(?=\s)")
        names = [r["name"] for r in rules.records("sectors")]
        dashed = {n.replace(" và ", " - "): n for n in names if " và " in n}  # "Tài nguyên - Môi trường"
        dashed.update({n.replace(" - ", " "): n for n in names if " - " in n})  # "Hội đồng thi đua khen thưởng"
        self.sectors.update({fold_for_match(d): self.sectors[fold_for_match(n)] for d, n in dashed.items()})
        self.sectors.update({_dashes(fold_for_match(d)): self.sectors[fold_for_match(n)] for d, n in dashed.items()})
        self.sector_re = bounded(alternation(names + list(dashed), case_first=False))
        self.abbrev_re = bounded("|".join(re.sub(r"(?:\\ )*\\-(?:\\ )*", r"\\s*[-–—]\\s*", re.escape(a))
                                          for a in sorted(abbreviations, key=len, reverse=True)))
        self.subunit_re = bounded(alternation([v for r in subunits for v in sf.variants(r["form"])]))
        self.start_re = re.compile(rf"(?<![\w&])(?:{CAP_WORD}|{ABBREVIATION.pattern})")
        # sub-units that join what follows: form -> (scope, keep in name)
        self.joining = {r["form"]: (r.get("scope") or "national", r.get("keep", True)) for r in subunits if r.get("joins")}
        # "Kế hoạch", "Quyết định" …: a document, never the next word of a body's name
        self.document_re = bounded(alternation([r["kind"] for r in rules.records("legal_kinds")], exact=True))
        self.name_breaks, self.sentence_case_heads = (frozenset(rules.words(n)) for n in ("name_breaks", "sentence_case_heads"))
        self.sentence_case_break = re.compile(rf"(?:{alternation(rules.words('sentence_case_breaks'), case_first=False)})(?!\w)")
        self.topic_heads = tuple(sorted((r["head"] for r in records if r["type"] == "head" and r["names"] == "topic"),
                                        key=len, reverse=True))
        # head -> what its works make, in lower case before the name ("Nhà máy" + "thép" + "Hòa Phát")
        self.trades = {r["head"]: re.compile(rf"(?:{alternation(r['makes'], exact=True)})(?!\w)")
                       for r in records if r["type"] == "head" and r.get("makes")}
        self.places: Places = rules.compiled(places_of)
        # the first words a body's name can start with: most capitalised words start none, and are
        # skipped without trying the grammar's long alternations
        firsts = org_forms + head_words + [v for r in subunits for v in sf.variants(r["form"])]
        self.first_words = frozenset(fold_for_match(f.split()[0]).rstrip(".") for f in firsts if f.split())

    def may_start(self, word: str) -> bool:
        return fold_for_match(word).rstrip(".") in self.first_words


def _dashes(text: str) -> str:
    return re.sub(r"\s*[-–—]\s*", "-", text)


@builder
def grammar_of(rules: Rules) -> Grammar:
    return Grammar(rules)


# ------------------------------------------------------------------ units

_WORD = re.compile(rf"{CAP_WORD}(?:&\w+)*|(?:và|&)(?=\s+{CAP_WORD})")  # "T&T Group", "Lee & Man"
_SYLLABLE = re.compile(r" (\w+)")
_LIST_COMMA = re.compile(rf",\s*(?={CAP_WORD})")
_NAME_NUMBER = re.compile(r" \d{1,3}(?![\d/.,:\-]|\s*%)")
_NAME_AFTER_SURNAME = re.compile(rf"\s+{CAP_WORD}")
_NAME_DASH = re.compile(rf"\s*[-–—]\s*(?=[{UPPER}])")
_LOWER_WORD = re.compile(r"\s+(\w+)")


def _titled_name(g: Grammar, s: Sentence, pos: int, place_in_name: bool = True) -> int | None:
    """End of a run of capitalised words. Official names capitalise the first syllable of each
    word only ("Trung tâm Quan trắc Môi trường", "Bệnh viện Đa khoa"): a capitalised syllable
    takes the lower-case syllables of the same underthesea word (``s.word_ends``). "và" joins two
    capitalised words, and closes a list ("Văn hóa, Thể thao và Du lịch": a comma joins only when
    a "và" follows); the run stops where another body or a place begins."""
    text, ends, p = s.text, s.word_ends, g.places
    end = None
    in_list = False  # after a comma, waiting for the "và" that makes it part of the name
    while ((m := _WORD.match(text, pos)) and not _head_word(g, s, pos) and not g.org_re.match(text, pos)
           and not g.subunit_re.match(text, pos) and not g.document_re.match(text, pos)):
        if end is not None and not place_in_name and _person_name_at(g, text, pos):
            break  # "Giám đốc Sở Tài nguyên và Môi trường Nguyễn Hữu Thể": the name is the director's
        if end is not None and p.match_place(text, pos):
            break  # "Ủy ban Đoàn kết Công giáo TP Cần Thơ": the place is the body's, not its name
        if end is not None and (place := p.bare_at(text, pos)):
            # A place ends the name of a school or a paper ("Trường Đại học Cần Thơ", "Báo Lai Châu");
            # after a department's field it says where the department is ("Sở Y tế Hà Nội").
            if place_in_name and not in_list:
                end = place.end()
            break
        stop = m.end()
        if m.group() in ("và", "&"):
            in_list = False
        else:
            while ends and stop not in ends and (syl := _SYLLABLE.match(text, stop)) and syl.group(1).islower():
                stop = syl.end()
            if num := _NAME_NUMBER.match(text, stop):  # "Licogi 14", "Quân khu 2", "Sông Đà 9"
                stop = num.end()
            if not in_list:
                end = stop
        pos = _ws(text, stop)
        if end is not None and (c := _LIST_COMMA.match(text, pos)):
            in_list, pos = True, c.end()
        elif end is not None and not in_list and (d := _NAME_DASH.match(text, stop)) \
                and not _person_name_at(g, text, d.end()):
            pos = d.end()  # "Đài Phát thanh - Truyền hình", "Hội đồng Thi đua - Khen thưởng": one name
    return _run_on_to_level(g, text, end) if end is not None else None


def _head_word(g: Grammar, s: Sentence, pos: int) -> bool:
    """A head starts at ``pos``, unless it is part of a longer word after which the name goes on in
    capitals ("Trường học" in "Ban Thanh niên Trường học Trung ương Đoàn"; not "Hội nghị tổng kết")."""
    if not (h := g.head_re.match(s.text, pos)):
        return False
    text, end = s.text, h.end()
    if not s.word_ends or end in s.word_ends:
        return True
    while end not in s.word_ends and (syl := _SYLLABLE.match(text, end)) and syl.group(1).islower():
        end = syl.end()
    return not (end in s.word_ends and text[end:end + 1] == " " and text[end + 1:end + 2].isupper())


# a steering committee's topic: words, a bracketed abbreviation, a quoted name; it ends at "Trung ương"
_TOPIC_WORD = re.compile(r"\s*(?:\([^()]{1,20}\)|[“\"][^”\"]{1,40}[”\"]|[\w&/.]+(?:\s*-\s*\w+)?)")
_NATION = r"(?:Trung ương|TW|TƯ|T\.Ư|[Qq]uốc gia)"
_TOPIC_END = re.compile(rf"\s*{_NATION}(?![\w&])")
_NATIONAL_END = re.compile(rf"{_NATION}$")
_BRACKETED = re.compile(r"\s*\([^()]*\)")  # the abbreviation a name spells out, not part of it
_TOPIC_KEEPS = frozenset(("về", "năm", "và", "trong", "của"))  # name breaks a topic may hold


def _topic_name(g: Grammar, s: Sentence, pos: int) -> int | None:
    """End of a steering committee's topic ("Ban Chỉ đạo" + "Tổng điều tra kinh tế năm 2017", +
    "Tháng hành động về An toàn, vệ sinh lao động (ATVSLĐ) Trung ương", + "thực hiện Quy chế dân chủ
    cơ sở"): at most 16 words, with a capitalised word, a number or a quote among them, up to what
    ends it: "Trung ương" or "quốc gia" (kept), a level word or another body (the chain's); none when
    nothing ends it, a word never in a name comes first ("Ban Chỉ đạo họp với …") or a comma or "và"
    opens another body or person (the committee is then named in capitals, or bare)."""
    text, at, named = s.text, pos, False
    for words in range(16):
        if (named or not words) and (end := _TOPIC_END.match(text, at)):  # ("Ban Chỉ đạo Trung ương")
            return end.end()
        nxt = _ws(text, at)
        if words and named and (g.places.level_re.match(text, nxt) or _body_at(g, text, nxt)):
            return at
        if text[nxt:nxt + 1] == ",":
            if _body_at(g, text, after := _ws(text, nxt + 1)) or _person_name_at(g, text, after):
                return None
            at = nxt + 1
        m = _TOPIC_WORD.match(text, at)
        if not m or (word := m.group().strip()) in g.name_breaks and word not in _TOPIC_KEEPS:
            return None
        if word == "và" and _body_at(g, text, _ws(text, m.end())):
            return None  # "Ban Chỉ đạo 35 và Ban Chỉ đạo …": two bodies
        named = named or not word[:1].islower()
        at = m.end()
    return None


def _body_at(g: Grammar, text: str, pos: int) -> bool:
    """A body's head or fixed name starts at ``pos``."""
    return bool(g.head_re.match(text, pos) or g.org_re.match(text, pos))


_NUMBERED = re.compile(r"\s*số\s+\d{1,3}(?![\d/]|[.,]\d)")


def _made_then_named(g: Grammar, s: Sentence, pos: int, trade_re: re.Pattern[str]) -> int | None:
    """End of a works' name that says in lower case what it makes or does (one of its head's
    "makes" in agencies.jsonl) before its own name or number ("Nhà máy thép Hòa Phát Dung Quất",
    "Xí nghiệp thi công cơ giới số 14", "Hợp tác xã dịch vụ nông nghiệp Tân Phú")."""
    text = s.text
    if not (m := trade_re.match(text, pos)):
        return None
    if num := _NUMBERED.match(text, m.end()):
        return num.end()
    at = _ws(text, m.end())
    if at == m.end() or not text[at:at + 1].isupper():
        return None
    if _person_name_at(g, text, at) and not g.places.bare_at(text, at):
        return None  # "Hợp tác xã nông nghiệp Nguyễn Văn A" is no name (but "Nhà máy thủy điện Sơn La" is)
    return _titled_name(g, s, at)


def _run_on_to_level(g: Grammar, text: str, end: int, most: int = 3) -> int:
    """"Hội Đoàn kết Sư sãi" + "yêu nước" + "tỉnh": up to three lower-case words that lead to a
    level word belong to the name, unless one is a word that never sits in a name."""
    at, words = end, 0
    level_re = g.places.level_re
    while words < most and (m := _LOWER_WORD.match(text, at)) and m.group(1).islower() and m.group(1) not in g.name_breaks:
        if level_re.match(text, m.start(1)):
            break
        at, words = m.end(), words + 1
    after = d.end() if words and (d := DEFINED.match(text, at)) else at  # "việc làm (TTDVVL) tỉnh"
    if words and (lv := _ws(text, after)) > after and level_re.match(text, lv):
        return at
    return end


def _person_name_at(g: Grammar, text: str, pos: int) -> bool:
    """A family name followed by another capitalised word ("Nguyễn Hữu Thể")."""
    m = re.match(r"\w+", text[pos:])
    return bool(m) and m.group() in g.places.surnames and bool(_NAME_AFTER_SURNAME.match(text, pos + m.end()))


_PREFERENCE = {"org": 3, "sector": 2, "titled": 1, "subunit": 0}  # same extent: the lexicon's reading wins


def _unit(g: Grammar, s: Sentence, pos: int) -> Unit | None:
    text = s.text
    if g.places.country_re.match(text, pos):
        return None  # "Đài Loan" is a country, not "Đài" + a name
    candidates: list[Unit] = []
    if m := g.org_re.match(text, pos):
        r = g.orgs[g.short_forms.key(m.group())]
        candidates.append(Unit(pos, m.end(), r["canonical"], "org", r["scope"],
                               bool(ABBREVIATION.fullmatch(m.group().split()[-1])) and m.group() != r["canonical"],
                               r.where))
    if h := g.head_re.match(text, pos):
        head = g.heads[fold_for_match(h.group())]
        name_at = _ws(text, h.end())
        if head["names"] in ("sector", "both"):
            if sec := g.sector_re.match(text, name_at) or g.abbrev_re.match(text, name_at):
                canonical, where = g.sectors.get(fold_for_match(sec.group())) or g.sectors[_dashes(fold_for_match(sec.group()))]
                candidates.append(Unit(pos, sec.end(), f"{head['head']} {canonical}", "sector", head["scope"],
                                       bool(g.abbrev_re.fullmatch(sec.group())), where))
        if head["names"] in ("titlecase", "both") and ((end := _titled_name(g, s, name_at, head["names"] == "titlecase"))
                                                       or (trade := g.trades.get(head["head"]))
                                                       and (end := _made_then_named(g, s, name_at, trade))):
            name = g.short_forms.expand(squash(text[name_at:end]))
            candidates.append(Unit(pos, end, f"{head['head']} {name}", "titled", head["scope"], False, head.where))
        if head["head"] in g.sentence_case_heads and not candidates and text[pos:pos + 1].isupper() \
                and (not s.word_ends or h.end() in s.word_ends) and (end := _run_on_to_level(g, text, h.end(), 5)) > h.end() \
                and not ((b := g.sentence_case_break.match(text, name_at)) and b.end() >= end):  # "Trung tâm dịch vụ việc làm tỉnh"
            candidates.append(Unit(pos, end, f"{head['head']} {squash(text[name_at:end])}", "titled", head["scope"], False, head.where))
        if head["names"] == "topic":  # "Ban Chỉ đạo" + "Tổng điều tra kinh tế năm 2017" (or bare)
            end = (_topic_name(g, s, name_at) or _titled_name(g, s, name_at)  # or its name in capitals, its number
                   or ((num := _NAME_NUMBER.match(text, h.end())) and num.end())) if name_at > h.end() else None
            name = f" {g.short_forms.expand(squash(_BRACKETED.sub(' ', text[name_at:end])))}" if end else ""
            candidates.append(Unit(pos, end or h.end(), f"{head['head']}{name}", "titled",
                                   "national" if end and _NATIONAL_END.search(text, 0, end) else head["scope"], False,
                                   head.where))
        if head["names"] == "number" and (num := _NAME_NUMBER.match(text, h.end())):  # "Sư đoàn 10", "Quân khu 4"
            candidates.append(Unit(pos, num.end(), f"{head['head']}{num.group()}", "titled", head["scope"], False, head.where))
        if not candidates and head.get("with_level") and name_at > h.end() and g.places.level_re.match(text, name_at):
            candidates.append(Unit(pos, h.end(), head["head"], "titled", head["scope"], False, head.where))  # "Đảng ủy xã X"
        if not candidates and not head.get("hosts") and (g.subunit_re.match(text, name_at) or g.head_re.match(text, name_at)):
            # a cell named by the body it sits in: "Chi đoàn" + "Văn phòng Sở …", "Chi hội" + "Trường …"
            # (a host's name is never a body: "Trường" + "Đại học Sư phạm Đà Nẵng" is one name)
            candidates.append(Unit(pos, h.end(), head["head"], "subunit", head["scope"], False, head.where))
    if m := g.subunit_re.match(text, pos):
        form = g.short_forms.expand(squash(m.group()))
        candidates.append(Unit(pos, m.end(), form, "subunit", "any", False, g.subunit_where.get(form, "")))
    if any(u.kind == "org" for u in candidates):  # a fixed name ("Bộ Chính trị") is not read as head + name
        candidates = [u for u in candidates if u.kind != "titled"]
    sector = next((u for u in candidates if u.kind == "sector"), None)
    if sector:  # "Bộ TT&TT dự": a sector read as a name runs on only through capitalised words
        candidates = [u for u in candidates if u.kind != "titled" or re.search(rf"[{UPPER}]", text[sector.end:u.end])]
    candidates = [u if u.kind == "subunit" else _national(text, u) for u in candidates]
    return max(candidates, key=lambda u: (u.end, _PREFERENCE[u.kind]), default=None)


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


def _chain(g: Grammar, s: Sentence, pos: int) -> list[Unit]:
    units: list[Unit] = []
    while (unit := _unit(g, s, pos)) is not None:
        units.append(unit)
        link = _LINK.match(s.text, unit.end)
        if not link:
            break
        pos = link.end()
    while units and units[-1].kind == "subunit":  # a sub-unit needs a parent after it
        units.pop()
    for i in range(len(units) - 2, -1, -1):  # "Trung ương" + "Hội NCT Việt Nam": one body
        u, nxt = units[i], units[i + 1]
        if u.kind == "subunit" and u.canonical in g.joining:
            scope, keep = g.joining[u.canonical]
            name = f"{u.canonical} {nxt.canonical}" if keep else nxt.canonical
            units[i:i + 2] = [Unit(u.start, nxt.end, name, nxt.kind, nxt.scope if scope == "any" else scope,
                                   nxt.abbreviated, nxt.rule)]
    for i in range(len(units) - 2, -1, -1):  # "Ban Tổ chức" + "Trung ương Đảng": "Ban Tổ chức Trung ương"
        u, nxt = units[i], units[i + 1]
        record = g.orgs.get(g.short_forms.key(nxt.canonical)) if nxt.kind == "org" else None
        ends = record.get("ends_board") if record else None
        if not (ends and g.short_forms.key(s.text[nxt.start:nxt.end]) == g.short_forms.key(ends["form"])):
            continue
        if u.kind == "org" and u.scope == "national":  # "Ban Bí thư Trung ương Đảng": the body the lexicon names
            units[i:i + 2] = [replace(u, end=nxt.end)]
        elif u.kind in ("titled", "sector") and any(u.canonical.startswith(h + " ") for h in ends["heads"]):
            units[i:i + 2] = [Unit(u.start, nxt.end, f"{u.canonical} {ends['name']}", u.kind, "national",
                                   u.abbreviated or nxt.abbreviated, u.rule)]
    return units


def match(ctx: Context, s: Sentence, pos: int, after_title: bool = False) -> AgencyMatch | None:
    """The agency named at ``pos`` of sentence ``s`` (sentence offsets). Right after a title a head or
    a body's name may be in lower case ("Tổng biên tập báo Nông thôn Ngày nay", "Bí thư huyện ủy")."""
    g = ctx.rules.compiled(grammar_of)
    if after_title and s.text[pos:pos + 1].islower() and (g.head_re.match(up := s.text[pos].upper() + s.text[pos + 1:pos + 40])
                                                          or g.org_re.match(up)):  # "Bí thư huyện ủy"
        s = replace(s, text=s.text[:pos] + s.text[pos].upper() + s.text[pos + 1:])
    units = _chain(g, s, pos)
    if not units:
        return None
    end, place, prov = place_after(g, s.text, units[-1].end, units[-1], ctx.province)
    if len(units) == 1 and end == units[0].end and _needs_place(g, units[0]):
        return None  # "các chế độ BHXH, BHYT": the insurance, not the body
    return AgencyMatch(pos, end, units, place, prov)


def _needs_place(g: Grammar, unit: Unit) -> bool:
    record = g.orgs.get(g.short_forms.key(unit.canonical)) if unit.kind == "org" else None
    return bool(record and record.get("needs_place")) and not fold_for_match(unit.canonical).endswith(_VN)


def head_at(ctx: Context, s: Sentence, pos: int) -> str | None:
    """The head word of the body at ``pos`` as written ("Ban" of "Ban Tuyên giáo"), or None."""
    g = ctx.rules.compiled(grammar_of)
    m = g.head_re.match(s.text, pos)
    return squash(m.group()) if m else None


_SECTOR_GOES_ON = re.compile(rf"\s*[-–]\s*[{UPPER}]")


def sector_body(ctx: Context, s: Sentence, pos: int, head: str) -> AgencyMatch | None:
    """The body a title names by its sector alone: "Bộ trưởng Thông tin và Truyền thông" is the
    minister of the Bộ Thông tin và Truyền thông (``titles.jsonl`` "sector_of")."""
    g = ctx.rules.compiled(grammar_of)
    sec = g.sector_re.match(s.text, pos) or g.abbrev_re.match(s.text, pos)
    if not sec or _SECTOR_GOES_ON.match(s.text, sec.end()):
        return None  # "Tài chính - Kế hoạch": a longer field than the lexicon's, not "Tài chính"
    canonical, where = g.sectors.get(fold_for_match(sec.group())) or g.sectors[_dashes(fold_for_match(sec.group()))]
    entry = g.heads.get(fold_for_match(head))
    unit = Unit(pos, sec.end(), f"{head} {canonical}", "sector", entry["scope"] if entry else "national",
                bool(g.abbrev_re.fullmatch(sec.group())), where)
    at = _ws(s.text, unit.end)
    if at > unit.end and unit.scope != "national" and (parent := match(ctx, s, at)) and parent.units[0].kind == "org":
        # "Trưởng ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh": the board of the body named after it
        return AgencyMatch(pos, parent.end, [unit] + parent.units, parent.place, parent.province)
    end, place, prov = place_after(g, s.text, unit.end, unit, ctx.province)
    return AgencyMatch(pos, end, [unit], place, prov)
