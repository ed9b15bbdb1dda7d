"""Persons, their titles and the agencies those titles belong to.

Two patterns of official writing:

* honorific + name + appositive chain: "bà X, Ủy viên Thường trực, Trưởng Ban Phong trào Ủy ban
  MTTQ Việt Nam thành phố; ông Y, Phó Chi cục trưởng Chi cục …" (separators "," "–" "-");
* title (+ agency) + name, no honorific: "Phó Chủ tịch UBND tỉnh Kon Tum Nguyễn Văn Hòa".

A name starts with a family name from ``lexicons/surnames.txt``; after an honorific a run of
capitalised words is also accepted (foreign names: "bà Khamphao Ernthavanh"), unless it is a
place. In a chain, a title with no agency of its own takes the agency of the next title that
has one ("Ủy viên Thường trực, Trưởng Ban Phong trào Ủy ban MTTQ …"), unless the title names
its own body ("Thành ủy viên").
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache

from .. import lexicon
from ..normalize import fold_for_match
from . import agencies, places
from .text import CAP_WORD, Sentence, Span, alternation, bounded

_HONORIFIC_FIELDS = (lexicon.Field("word"), lexicon.Field("gender", (str, type(None))))
_TITLE_FIELDS = (lexicon.Field("title"), lexicon.Field("absorbs_unit", bool, False),
                 lexicon.Field("self_contained", bool, False), lexicon.Field("of", list, False))
_SEPARATOR = re.compile(r"\s*(?:,|–|—|-|:)\s*")
_CHAIN_SEPARATOR = re.compile(r"\s*(?:,|–|—|-)\s*")


def person_id(name: str, province: str | None) -> str:
    """Same folded name in the same province = one person; namesakes elsewhere stay apart."""
    key = f"{fold_for_match(name)}|{fold_for_match(province or '')}"
    return "p:" + hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Lexicon:
    honorific_re: re.Pattern[str]
    genders: dict[str, str | None]
    title_re: re.Pattern[str]
    titles: dict[str, dict]
    surname_re: re.Pattern[str]
    stop_re: re.Pattern[str]


@cache
def lexicons() -> Lexicon:
    honorifics = lexicon.records("honorifics", _HONORIFIC_FIELDS)
    titles = lexicon.records("titles", _TITLE_FIELDS)
    # Titles keep their case: "Trưởng ban" is a title, "Trưởng Ban Phong trào" is "Trưởng" + a named Ban.
    title_words = alternation([t["title"] for t in titles], exact=True)
    title_re = bounded(rf"(?:Phó\s+)?(?P<base>{title_words})(?:\s+(?:Thường trực|thường trực))?")
    g = agencies.grammar()
    stops = "|".join([title_words, g.org_re.pattern, g.head_re.pattern, places.level_pattern().pattern])
    return Lexicon(
        honorific_re=bounded(alternation([h["word"] for h in honorifics], case_first=False)),
        genders={h["word"].lower(): h["gender"] for h in honorifics},
        title_re=title_re,
        titles={fold_for_match(t["title"]): t for t in titles},
        surname_re=re.compile(rf"(?:{alternation(lexicon.word_list('surnames'))})(?=\s)"),
        stop_re=re.compile(rf"(?:Phó\s+)?(?:{stops})"),
    )


@cache
def _role_verb() -> re.Pattern[str]:
    return re.compile(rf"\s+(?:{alternation(lexicon.word_list('role_verbs'), case_first=False)})\s+")


# ------------------------------------------------------------------ names

_NAME_WORD = re.compile(rf"[ \t]+({CAP_WORD})")


def match_name(text: str, pos: int, *, foreign_ok: bool) -> tuple[int, int] | None:
    """A person's name at ``pos``: family name + 1-3 capitalised syllables (2-4 words when
    ``foreign_ok`` and no family name is known)."""
    lex = lexicons()
    surname = lex.surname_re.match(text, pos)
    first = re.compile(CAP_WORD).match(text, pos)
    if not first or (not surname and not foreign_ok):
        return None
    head = surname or first
    end, count = head.end(), len(head.group().split())
    while count < 4 and (m := _NAME_WORD.match(text, end)) and not lex.stop_re.match(text, m.start(1)):
        end, count = m.end(), count + 1
    name = text[pos:end]
    if count < 2 or places.gazetteer().is_place(" ".join(name.split())):
        return None
    return pos, end


# ------------------------------------------------------------------ titles

@dataclass
class Role:
    title: str
    start: int
    end: int                   # end of the title and its agency
    title_end: int             # end of the title as written (an absorbed unit included)
    agency: agencies.AgencyMatch | None = None
    agency_first: int = 0      # index of the first unit of the agency (after an absorbed unit)
    self_contained: bool = False

    @property
    def agency_canonical(self) -> str | None:
        return self.agency.canonical(self.agency_first) if self.agency else None


def match_title(text: str, pos: int, province: str | None, ends: frozenset[int] = frozenset()) -> Role | None:
    lex = lexicons()
    m = lex.title_re.match(text, pos)
    if not m:
        return None
    entry = lex.titles[fold_for_match(m.group("base"))]
    role = Role(" ".join(m.group().split()), pos, m.end(), m.end(), self_contained=bool(entry.get("self_contained")))
    at = m.end()
    while at < len(text) and text[at].isspace():
        at += 1
    if at > m.end() and (a := agencies.match_agency(text, at, province, ends)):
        role.agency, role.end = a, a.end
        if entry.get("absorbs_unit") and len(a.units) > 1:
            unit = a.units[0]
            role.title = f"{role.title} {' '.join(text[unit.start:unit.end].split())}"
            role.title_end, role.agency_first = unit.end, 1
    return role


def title_chain(text: str, pos: int, province: str | None, ends: frozenset[int] = frozenset()) -> list[Role]:
    """Titles separated by "," or "-" from ``pos``; stops at the first thing that is not a title."""
    roles: list[Role] = []
    while role := match_title(text, pos, province, ends):
        roles.append(role)
        sep = _CHAIN_SEPARATOR.match(text, role.end)
        if not sep or not lexicons().title_re.match(text, sep.end()):
            break
        pos = sep.end()
    for i, role in enumerate(roles):  # a bare title borrows the agency of the next one that has it
        if role.agency is None and not role.self_contained:
            donor = next((r for r in roles[i + 1:] if r.agency is not None), None)
            if donor:
                role.agency, role.agency_first = donor.agency, donor.agency_first
    return roles


# ------------------------------------------------------------------ persons

@dataclass
class Person:
    name: str
    start: int
    end: int
    gender: str | None
    roles: list[Role] = field(default_factory=list)


def _with_honorific(text: str, province: str | None, ends: frozenset[int]) -> list[Person]:
    lex = lexicons()
    found = []
    for h in lex.honorific_re.finditer(text):
        at = h.end()
        if text.startswith(".", at) and not h.group().islower():  # "ThS. Nguyễn …"
            at += 1
        if text.startswith(":", at):  # "các đồng chí: A, …; B, …" (the rest of the list: _listed)
            at += 1
        while at < len(text) and text[at] == " ":
            at += 1
        if lex.honorific_re.match(text, at):  # "PGS. TS Lê Văn C": the inner one introduces the name
            continue
        span = match_name(text, at, foreign_ok=True) if at > h.end() else None
        if not span:
            continue
        person = Person(" ".join(text[span[0]:span[1]].split()), span[0], span[1],
                        lex.genders.get(" ".join(h.group().split()).lower()))
        if sep := _SEPARATOR.match(text, span[1]):
            person.roles = title_chain(text, sep.end(), province, ends)
        elif verb := _role_verb().match(text, span[1]):  # "bà X tái đắc cử Chủ tịch Hội …"
            person.roles = title_chain(text, verb.end(), province, ends)
        if not person.roles:  # "Phó Chủ tịch UBND tỉnh, đồng chí Hoàng Quốc Khánh"
            person.roles = _chain_before(text, h.start(), province, ends)
        found.append(person)
    return found


_COMMA_BEFORE = re.compile(r"\s*,\s*$")


def _chain_before(text: str, pos: int, province: str | None, ends: frozenset[int]) -> list[Role]:
    """The titles that end with a comma just before ``pos``."""
    if not _COMMA_BEFORE.search(text, 0, pos):
        return []
    for m in lexicons().title_re.finditer(text, 0, pos):
        roles = title_chain(text, m.start(), province, ends)
        if roles and _COMMA_BEFORE.fullmatch(text, roles[-1].end, pos):
            return roles
    return []


_LIST_ITEM = re.compile(r"[;:]\s*")


def _listed(text: str, province: str | None, taken: list[tuple[int, int]], ends: frozenset[int]) -> list[Person]:
    """Names that open an item of a list, each with its titles: "… các đồng chí: A, Ủy viên …, Bí
    thư Tỉnh ủy; B, Chủ tịch …". A family name and a title after it are required."""
    found = []
    for item in _LIST_ITEM.finditer(text):
        at = item.end()
        if any(a <= at < b for a, b in taken) or not (span := match_name(text, at, foreign_ok=False)):
            continue
        if (sep := _CHAIN_SEPARATOR.match(text, span[1])) and (roles := title_chain(text, sep.end(), province, ends)):
            found.append(Person(" ".join(text[span[0]:span[1]].split()), span[0], span[1], None, roles))
            taken.append((span[0], roles[-1].end))
    return found


def _title_first(text: str, province: str | None, taken: list[tuple[int, int]],
                 ends: frozenset[int]) -> list[Person]:
    found = []
    for m in lexicons().title_re.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        roles = title_chain(text, m.start(), province, ends)
        if not roles:
            continue
        at = roles[-1].end
        while at < len(text) and text[at] == " ":
            at += 1
        if at > roles[-1].end and (span := match_name(text, at, foreign_ok=False)):
            found.append(Person(" ".join(text[span[0]:span[1]].split()), span[0], span[1], None, roles))
            taken.append((m.start(), span[1]))
    return found


def persons(sentences: list[Sentence], province: str | None) -> list[tuple[Sentence, Person]]:
    out = []
    for s in sentences:
        people = _with_honorific(s.text, province, s.word_ends)
        taken = [(p.start, p.end) for p in people] + [(r.start, r.end) for p in people for r in p.roles]
        people += _listed(s.text, province, taken, s.word_ends)
        people += _title_first(s.text, province, taken, s.word_ends)
        out.extend((s, p) for p in sorted(people, key=lambda p: p.start))
    return out


def title_spans(sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Where titles stand, in document offsets: an agency never starts inside one ("Thành ủy viên")."""
    return [(s.start + m.start(), s.start + m.end()) for s in sentences for m in lexicons().title_re.finditer(s.text)]


def bodies_of(title: str) -> tuple[str, ...]:
    """The heads of the bodies a title exists in ("Phó Cục trưởng" -> ("Cục",)), from titles.jsonl."""
    base = re.sub(r"^Phó\s+|\s+(?:Thường trực|thường trực)$", "", title)
    entry = lexicons().titles.get(fold_for_match(base))
    return tuple(entry.get("of") or ()) if entry else ()
