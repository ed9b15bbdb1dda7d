"""Titles (positions) and the agency each belongs to, from ``lexicons/titles.jsonl``.

A title is an entry as written, optionally with "Phó" before it and "Thường trực" after it. The
agency named right after it is its agency; a title that "absorbs_unit" takes the first unit of
that agency into the title ("Trưởng" + "Ban Phong trào" of the Ủy ban MTTQ). In a chain
("Ủy viên Thường trực, Trưởng Ban Phong trào Ủy ban MTTQ …") a title with no agency of its own
takes the agency of the next title that has one, unless it names its own body ("Thành ủy
viên": ``self_contained``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..rules import Entry, Rules, builder
from . import agencies, ellipsis, party
from .agencies import AgencyMatch
from .context import Context
from .places import places_of
from .shortforms import short_forms
from .text import Sentence, alternation, bounded, squash

# titles of one person: "Ủy viên T.Ư Đảng, Bí thư Tỉnh ủy", "Phó Bí thư - Chủ tịch UBND huyện", and
# "kiêm" (holding a second post: "Chủ tịch HĐQT kiêm Tổng giám đốc Công ty")
_CHAIN_SEPARATOR = re.compile(r"\s*(?:,|–|—|-)\s*(?:kiêm\s+)?|\s+kiêm\s+")
_COMMA_BEFORE = re.compile(r"(?:\s*,|\s+[-–—])\s*$")  # "Chủ tịch LĐLĐ tỉnh X, ông A", "… tỉnh X - ông A"
_DEPUTY = "Phó"
# an acting or a former holder: "Quyền Giám đốc", "nguyên Chủ tịch" (kept in the title as written)
_HOLDING = r"(?:(?:[Qq]uyền|[Nn]guyên)\s+)?"
_STANDING = ("Thường trực", "thường trực")


class Titles:
    def __init__(self, rules: Rules):
        entries = rules.records("titles")
        sf = self.short_forms = rules.compiled(short_forms)
        # A title keeps the case of its first letter, and of every letter when "exact": "Trưởng ban" is
        # a title, "Trưởng Ban Phong trào" is "Trưởng" + a named Ban; "Tổng giám đốc" is "Tổng Giám đốc".
        exact = [v for t in entries if t.get("exact") for v in sf.variants(t["title"])]
        folded = [v for t in entries if not t.get("exact") for v in sf.variants(t["title"])]
        words = "|".join(p for p in (alternation(exact, exact=True), alternation(folded)) if p)
        # after "Phó" the title is often written in lower case ("Phó chủ tịch")
        after_deputy = alternation(folded, case_first=False)
        standing = "|".join(_STANDING)
        self.title_re = bounded(rf"{_HOLDING}(?:{_DEPUTY}\s+)?(?P<base>{words}|(?<={_DEPUTY} )(?:{after_deputy}))"
                                rf"(?:\s+(?:{standing}))?")
        self.entries: dict[str, Entry] = {sf.key(t["title"]): t for t in entries}
        self.party_boards = frozenset(f"Ban {r['name']}" for r in rules.records("sectors") if r.get("party_board"))
        self.party_committees = frozenset(r["party"] for r in rules.records("levels")  # (a commune's has no boards)
                                          if r.get("party") and r["rank"] in ("province", "district"))
        # the body a title holds, however it is written ("Đại biểu HĐND", "Đại biểu Hội đồng nhân dân")
        self.body_words = {b: re.compile(alternation(sf.variants(b), case_first=False)) for t in entries
                           if (b := t.get("names_body"))}
        g = rules.compiled(agencies.grammar_of)
        level_re = rules.compiled(places_of).level_re
        stops = "|".join([words, g.org_re.pattern, g.head_re.pattern, level_re.pattern])
        self.stop_re = re.compile(rf"(?:{_DEPUTY}\s+)?(?:{stops})")  # what a person's name never runs into
        self._base = re.compile(rf"^{_HOLDING}(?:{_DEPUTY}\s+)?|\s+(?:{standing})$")

    def entry_of_match(self, m: re.Match[str]) -> Entry:
        """The titles.jsonl entry of a match of ``title_re``."""
        return self.entries[self.short_forms.key(m.group("base"))]

    def entry(self, title: str) -> Entry | None:
        """The titles.jsonl entry of a title as a role writes it ("Phó Cục trưởng" -> "Cục trưởng")."""
        return self.entries.get(self.short_forms.key(self._base.sub("", title)))


@builder
def titles_of(rules: Rules) -> Titles:
    return Titles(rules)


@dataclass
class Role:
    title: str
    start: int
    end: int                   # end of the title and its agency
    title_end: int             # end of the title as written (an absorbed unit included)
    rule: str = ""
    agency: AgencyMatch | None = None
    agency_first: int = 0      # index of the first unit of the agency (after an absorbed unit)
    self_contained: bool = False
    elided: ellipsis.Elided | None = None  # a body written bare after it ("Phó Giám đốc Sở,")
    implied: bool = False  # its agency is not written but implied by the chain ("Phó Bí thư - Chủ tịch UBND …")

    @property
    def agency_canonical(self) -> str | None:
        return self.agency.canonical(self.agency_first) if self.agency else None


_OF = re.compile(r"\s+của\s+")


def match_title(ctx: Context, s: Sentence, pos: int) -> Role | None:
    t = ctx.rules.compiled(titles_of)
    text = s.text
    m = t.title_re.match(text, pos)
    if not m or _mid_word(s, m.end()):
        return None
    entry = t.entry_of_match(m)
    # the title spelt out ("Ủy viên BTV" is "Ủy viên Ban Thường vụ"): one post, however abbreviated
    role = Role(t.short_forms.expand(squash(m.group())), pos, m.end(), m.end(), entry.where,
                self_contained=bool(entry.get("self_contained")))
    at = m.end()
    while at < len(text) and text[at].isspace():
        at += 1
    if at > m.end() and (body := entry.get("names_body")) and (inner := t.body_words[body].search(text, pos, m.end())) \
            and (a := agencies.match(ctx, s, inner.start())) and a.end > m.end():
        role.agency, role.end = a, a.end  # "Trưởng Công an" + "huyện X": the title names its body, the place follows
        return role
    if at > m.end() and not (a := agencies.match(ctx, s, at, after_title=True)) and entry.get("sector_of"):
        a = agencies.sector_body(ctx, s, at, entry["sector_of"])  # "Bộ trưởng Thông tin và Truyền thông"
    if at > m.end() and a:
        role.agency, role.end = a, a.end
        if (of := _OF.match(text, a.end)) and (parent := agencies.match(ctx, s, of.end())):
            role.end = parent.end  # "Ủy ban Văn hóa, … và Nhi đồng của Quốc hội": the title runs on to the name
        if entry.get("absorbs_unit") and len(a.units) > 1:
            unit = a.units[0]
            role.title = f"{role.title} {squash(text[unit.start:unit.end])}"
            role.title_end, role.agency_first = unit.end, 1
        elif entry.get("absorbs_unit") and (head := agencies.head_at(ctx, s, a.start)):
            role.title = f"{role.title} {head}"  # the head of a body of its own: "Trưởng Ban" of the Ban
    elif at > m.end() and not role.self_contained and (e := ellipsis.read(ctx.rules, s, at)):
        role.elided, role.end = e, e.end - s.start
    return role


def _capitalised(s: Sentence, pos: int) -> Sentence:
    """``s`` with the letter at ``pos`` in upper case (same length), to read a title written in
    lower case with the grammar of titles as printed."""
    up = s.text[pos:pos + 1].upper()
    return replace(s, text=s.text[:pos] + up + s.text[pos + 1:]) if len(up) == 1 and up != s.text[pos:pos + 1] else s


def title_chain(ctx: Context, s: Sentence, pos: int, lower_ok: bool = False) -> list[Role]:
    """Titles separated by "," or "-" from ``pos``; stops at the first thing that is not a title.
    With ``lower_ok`` (right after a person's name) a title may be written in lower case, as some
    outlets print them ("ông A – phó bí thư, chủ tịch UBND huyện X")."""
    t = ctx.rules.compiled(titles_of)
    title_re = t.title_re
    roles: list[Role] = []

    def at(pos: int) -> Sentence | None:  # the sentence to read a title at ``pos`` in, if one is there
        if title_re.match(s.text, pos):
            return s
        if not lower_ok or (up := _capitalised(s, pos)) is s or not (m := title_re.match(up.text, pos)):
            return None
        entry = t.entry_of_match(m)  # in lower case "trưởng", "thường trực" are words
        return None if entry.get("absorbs_unit") or entry.get("bare_is_body") else up

    while (read := at(pos)) and (role := match_title(ctx, read, pos)):
        s = read
        roles.append(role)
        if not (sep := _CHAIN_SEPARATOR.match(s.text, role.end)):
            break
        pos = sep.end()
    def placed_after(i: int) -> AgencyMatch | None:  # the next body of the chain written with its place
        return next((r.agency for r in roles[i + 1:] if r.agency is not None and r.agency.end > r.agency.units[-1].end),
                    None)
    for i, role in enumerate(roles):  # first the bodies the chain's place completes
        if not (government := placed_after(i)):
            continue
        if (role.elided and role.elided.units == ("Đảng ủy",) and not role.elided.head
                and (body := party.of_government(ctx.rules, government, role.elided.start - s.start,
                                                 role.elided.end - s.start))):
            role.agency, role.elided = body, None  # "Bí thư Đảng ủy, Chủ tịch UBND xã X": Đảng ủy xã X
        elif role.agency is not None and (body := party.placed(ctx.rules, role.agency, government)):
            role.agency = body  # "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện X": Huyện ủy X
    for i, role in enumerate(roles):  # then a bare title borrows the agency of the next one that has it
        if role.agency is None and role.elided is None and not role.self_contained:
            government = placed_after(i)
            donor = next((r for r in roles[i + 1:] if r.agency is not None or r.elided is not None), None)
            if _party_post(ctx, role) and government and (body := party.of_government(ctx.rules, government, role.start,
                                                                                     role.title_end)):
                role.agency, role.implied = body, True  # "Phó Bí thư - Chủ tịch UBND huyện X": of Huyện ủy X
            elif donor:
                role.agency, role.agency_first, role.elided = donor.agency, donor.agency_first, donor.elided
    for i, role in enumerate(roles):  # "Ủy viên BTV Huyện ủy X, Trưởng Ban dân vận": the board of that Huyện ủy
        a = role.agency
        if a is not None and len(a.units) == 1 and a.end == a.units[0].end and a.units[0].canonical in t.party_boards \
                and (committee := next((c for r in reversed(roles[:i]) if (c := _committee(t, r.agency))), None)):
            role.agency = replace(a, place=committee.canonical(), province=committee.province)
    return roles


def _committee(t: "Titles", a: AgencyMatch | None) -> AgencyMatch | None:
    """The Party committee an agency is or belongs to ("Ban Thường vụ Huyện ủy X": Huyện ủy X)."""
    k = next((k for k, u in enumerate(a.units) if u.canonical in t.party_committees), None) if a else None
    return replace(a, units=a.units[k:]) if k is not None else None


def _party_post(ctx: Context, role: Role) -> bool:
    entry = ctx.rules.compiled(titles_of).entry(role.title)
    return bool(entry and entry.get("party_post"))


def chain_before(ctx: Context, s: Sentence, pos: int) -> list[Role]:
    """The titles that end with a comma or a dash just before ``pos``."""
    if not _COMMA_BEFORE.search(s.text, 0, pos):
        return []
    for m in ctx.rules.compiled(titles_of).title_re.finditer(s.text, 0, pos):
        roles = title_chain(ctx, s, m.start())
        if roles and _COMMA_BEFORE.fullmatch(s.text, roles[-1].end, pos):
            return roles
    return []


def title_matches(ctx: Context, s: Sentence) -> list[re.Match[str]]:
    """Every match of the title grammar in ``s`` (read once per document: persons and agencies ask)."""
    key = ("titles", s.idx)
    if (found := ctx.memo.get(key)) is None:
        found = ctx.memo[key] = list(ctx.rules.compiled(titles_of).title_re.finditer(s.text))
    return found


def title_spans(ctx: Context) -> list[tuple[int, int]]:
    """Where titles stand, in document offsets: an agency never starts inside one ("Thành ủy viên")."""
    if (found := ctx.memo.get("title_spans")) is None:
        t = ctx.rules.compiled(titles_of)
        found = ctx.memo["title_spans"] = [(s.start + m.start(), s.start + m.end()) for s in ctx.sentences
                                           for m in title_matches(ctx, s) if not _mid_word(s, m.end())
                                           and not t.entry_of_match(m).get("bare_is_body")]
    return found


def _mid_word(s: Sentence, end: int) -> bool:
    """The word goes on in lower case past ``end``: "Đại sứ quán" is no "Đại sứ"."""
    return bool(s.word_ends) and end not in s.word_ends and s.text[end:end + 1] == " " and s.text[end + 1:end + 2].islower()


def bodies_of(ctx: Context, title: str) -> tuple[str, ...]:
    """The heads of the bodies a title exists in ("Phó Cục trưởng" -> ("Cục",)), from titles.jsonl."""
    entry = ctx.rules.compiled(titles_of).entry(title)
    return tuple(entry.get("of") or ()) if entry else ()


def entry_of(ctx: Context, title: str) -> Entry | None:
    """The titles.jsonl entry of a title as written in a role."""
    return ctx.rules.compiled(titles_of).entry(title)
