"""Persons, their titles and the agencies those titles belong to.

Patterns of official writing, tried in this order (the first to claim a stretch keeps it):

* ``persons.honorific``: honorific + name + appositive chain: "bà X, Ủy viên Thường trực,
  Trưởng Ban Phong trào Ủy ban MTTQ Việt Nam thành phố; ông Y, Phó Chi cục trưởng Chi cục …"
  (separators "," "–" "-"), or a role verb ("bà X tái đắc cử Chủ tịch Hội …"), or the titles
  just before the honorific ("Phó Chủ tịch UBND tỉnh, đồng chí X");
* ``persons.list_item``: a name opening an item of a list, with its titles ("các đồng chí: A,
  Bí thư …; B, Chủ tịch …");
* ``persons.title_before_name``: title (+ agency) + name, no honorific ("Phó Chủ tịch UBND tỉnh
  Kon Tum Nguyễn Văn Hòa").

A name starts with a family name from ``lexicons/surnames.txt``; after an honorific a run of
capitalised words is also accepted (foreign names: "bà Khamphao Ernthavanh"), unless it is a
place. Titles are in ``titles.py``.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from ..normalize import fold_for_match
from ..rules import Rules, builder
from .context import Context
from .overlap import Claims
from .places import places_of
from .text import CAP_WORD, Sentence, alternation, bounded, squash
from .titles import Role, chain_before, title_chain, title_matches, titles_of

_SEPARATOR = re.compile(r"\s*(?:,|–|—|-|:)\s*")
_CHAIN_SEPARATOR = re.compile(r"\s*(?:,|–|—|-)\s*")
_NAME_WORD = re.compile(rf"[ \t]+({CAP_WORD})")
_FIRST_WORD = re.compile(CAP_WORD)
_LIST_ITEM = re.compile(r"[;:]\s*")


def person_id(name: str, home: str | None) -> str:
    """Same folded name and the same home = one person across documents; namesakes with nothing in
    common stay apart. The home is the province of the person's post, "national" for a national
    post, else the article's province (``extract._homes``)."""
    key = f"{fold_for_match(name)}|{fold_for_match(home or '')}"
    return "p:" + hashlib.sha256(key.encode()).hexdigest()[:16]


class Names:
    """Honorifics, family names and what stops a name, compiled from the rules."""

    def __init__(self, rules: Rules):
        honorifics = rules.records("honorifics")
        self.honorific_re = bounded(alternation([h["word"] for h in honorifics], case_first=False))
        self.honorifics = {h["word"].lower(): h for h in honorifics}
        self.surname_re = re.compile(rf"(?:{alternation(rules.words('surnames'))})(?=\s)")
        self.role_verb_re = re.compile(rf"\s+(?:(?:vừa|mới|đã)\s+)?(?:{alternation(rules.words('role_verbs'), case_first=False)})\s+")
        t = rules.compiled(titles_of)
        self.titles = t
        self.stop_re = t.stop_re
        self.places = rules.compiled(places_of)
        self.openers = frozenset(rules.words("openers"))
        self.given_name_heads = frozenset(r["word"] for r in rules.records("credits") if r["kind"] == "given_name_head")


@builder
def names_of(rules: Rules) -> Names:
    return Names(rules)


def match_name(n: Names, text: str, pos: int, *, foreign_ok: bool) -> tuple[int, int] | None:
    """A person's name at ``pos``: family name + 1-3 capitalised syllables (2-4 words when
    ``foreign_ok`` and no family name is known)."""
    surname = n.surname_re.match(text, pos)
    first = _FIRST_WORD.match(text, pos)
    if not first or (not surname and not foreign_ok):
        return None
    head = surname or first
    end, count = head.end(), len(head.group().split())
    limit = 6 if foreign_ok and not surname else 4  # Lao and Khmer names run longer
    while count < limit and (m := _NAME_WORD.match(text, end)) and (not n.stop_re.match(text, m.start(1))
                                                                or _given_name(n, text, m, count)):
        if count >= 2 and m.group(1) in n.openers and _DIGIT_NEXT.match(text, m.end()):
            break  # a caption glued to its sentence: "… Lê Thị Hoa Qua 3 năm thực hiện"
        if len(m.group(1)) > 1 and m.group(1).isupper():
            break  # an abbreviation is no syllable of a name: "Đoàn TNCS Hồ Chí Minh" is no Mr Đoàn
        end, count = m.end(), count + 1
    # a place named after a person ("xã Phạm Văn Hai") is the person after an honorific ("ông Phạm Văn Hai"),
    # and a city that is a person's name without its level word after a title ("Chủ tịch Hồ Chí Minh")
    name = squash(text[pos:end])
    if count < 2 or not foreign_ok and n.places.gaz.is_place(name) and name not in n.places.needs_level:
        return None
    return pos, end


_NEXT = re.compile(r"\s+(\w)")
_DIGIT_NEXT = re.compile(r"\s+\d")


def _given_name(n: Names, text: str, m: re.Match[str], count: int) -> bool:
    """A body's head word that is also a given name ("Trường", "Đoàn") goes on the name when no body
    can start there: a lower-case word follows ("Lê Việt Trường tin tưởng"), or the name is short
    and another capitalised word follows ("Đỗ Trường Sơn")."""
    if m.group(1) not in n.given_name_heads:
        return False
    nxt = _NEXT.match(text, m.end())
    return not nxt or nxt.group(1).islower() or (count <= 2 and nxt.group(1).isupper())


@dataclass
class Person:
    name: str
    start: int
    end: int
    gender: str | None
    rule: str
    roles: list[Role] = field(default_factory=list)


def _with_honorific(ctx: Context, n: Names, s: Sentence) -> list[Person]:
    text = s.text
    found = []
    for h in n.honorific_re.finditer(text):
        at = h.end()
        if text.startswith(".", at) and not h.group().islower():  # "ThS. Nguyễn …"
            at += 1
        if text.startswith(":", at):  # "các đồng chí: A, …; B, …" (the rest of the list: _listed)
            at += 1
        while at < len(text) and text[at] == " ":
            at += 1
        if n.honorific_re.match(text, at):  # "PGS. TS Lê Văn C": the inner one introduces the name
            continue
        entry = n.honorifics.get(squash(h.group()).lower())
        # a noun of people ("cử tri", "đại biểu") names a person only with a family name ("đại biểu Quốc hội")
        foreign = not (entry and entry.get("family_name"))
        span = match_name(n, text, at, foreign_ok=foreign) if at > h.end() else None
        if not span:
            continue
        person = Person(squash(text[span[0]:span[1]]), span[0], span[1], entry and entry["gender"],
                        entry.where if entry else "persons.honorific")
        if sep := _SEPARATOR.match(text, span[1]):
            person.roles = title_chain(ctx, s, sep.end(), lower_ok=True)
            if person.roles and _name_follows(n, text, person.roles[-1].end):
                # "… của Linh mục X, Chủ tịch Quốc hội Y": the title before Y is Y's ("X, Chủ tịch UBTƯ
                # MTTQ, Chủ tịch Hội LHPN Y": X keeps the ones before it)
                person.roles = person.roles[:-1]
            elif person.roles and (verb := n.role_verb_re.match(text, _after_comma(text, person.roles[-1].end))):
                person.roles += title_chain(ctx, s, verb.end())  # "bầu ông X, Thứ trưởng Bộ Y làm Chủ tịch Hội Z"
        elif verb := n.role_verb_re.match(text, span[1]):  # "bà X tái đắc cử Chủ tịch Hội …"
            person.roles = title_chain(ctx, s, verb.end())
        if not person.roles:  # "Phó Chủ tịch UBND tỉnh, đồng chí Hoàng Quốc Khánh"
            person.roles = chain_before(ctx, s, h.start())
        found.append(person)
        if not person.roles:
            plural = bool(_PLURAL.search(text, 0, h.start()))
            listed = _named_with(n, text, span[1], plural)
            found += listed
            if listed:  # "Các đồng chí A và B được bầu làm Phó Bí thư Huyện ủy X": the titles are each one's
                _share_titles(ctx, n, s, [person, *listed], plural)
        else:
            found += _titled_after(ctx, n, s, person.roles[-1].end)
    i = 0
    while i < len(found):  # names each with an honorific, then titles: "ông A, ông B và ông C, đại biểu …"
        j = i
        while j + 1 < len(found) and not found[j].roles and (joint := _JOINED.fullmatch(text, found[j].end, found[j + 1].start)) \
                and n.honorific_re.fullmatch(joint.group(1)):
            j += 1
        if j > i and found[j].roles:
            _share_after_names(ctx, n, s, found[i:j + 1])
        i = j + 1
    return found


_JOINED = re.compile(r"\s*(?:,|\s+và)\s+(\w+(?:\s\w+)?)\.?\s+")


def _share_after_names(ctx: Context, n: Names, s: Sentence, people: list[Person]) -> None:
    """The titles after the last name are all of theirs when each is a seat several hold (a deputy, a
    member, a former holder: "ông A và ông B, đại biểu HĐND huyện"); titles joined by "và", or as many
    grades of one body's post as the names, are one each in order ("bà A và ông B, Chủ tịch và Phó Chủ
    tịch Hội X"); a post of one holder, or concurrent posts, are the last name's only ("bà A và ông B,
    Chủ tịch UBND huyện X")."""
    roles = people[-1].roles
    if _AND_TITLE.match(s.text, roles[-1].end) or all(_seat_of_many(n, r) for r in roles):
        _share_titles(ctx, n, s, people, plural=True)
    elif len(roles) == len(people) and len({r.agency_canonical for r in roles}) == 1:  # grades of one body's post
        for person, role in zip(people, roles):
            person.roles = [role]


def _seat_of_many(n: Names, role: Role) -> bool:
    entry = n.titles.entry(role.title)
    return role.title.startswith(("Phó ", "nguyên ", "Nguyên ")) or bool(entry and entry.get("member"))


def _titled_after(ctx: Context, n: Names, s: Sentence, at: int) -> list[Person]:
    """The names one honorific introduces after the first, each with its titles: "đ/c A - Bí thư
    Huyện ủy, B – Phó Bí thư thường trực, C – Chủ tịch UBND huyện" (a family name is required)."""
    text, found = s.text, []
    while (sep := _NEXT_IN_LIST.match(text, at)) and (span := match_name(n, text, sep.end(), foreign_ok=False)) \
            and (dash := _CHAIN_SEPARATOR.match(text, span[1])) and (roles := title_chain(ctx, s, dash.end(), lower_ok=True)):
        found.append(Person(squash(text[span[0]:span[1]]), span[0], span[1], None, "persons.honorific_list", roles))
        at = roles[-1].end
    return found


def _after_comma(text: str, at: int) -> int:
    """Where a role verb may start after the titles: "…, làm Chủ tịch" reads as "… làm Chủ tịch"."""
    return at + 1 if text.startswith(",", at) else at


_ASIDE = re.compile(r"(?:\s*\([^()]{1,60}\))?")
_LIST_END = re.compile(r"\s*(?:[,;(.)]|và\s|$)")


_PLURAL = re.compile(r"(?<!\w)(?:[Cc]ác|[Hh]ai|[Bb]a)\s+$")


def _named_with(n: Names, text: str, at: int, plural: bool = False) -> list[Person]:
    """The names listed after the first one an honorific introduces, none with a title: "ba em
    Trần Văn A, Bùi Trường B và Nguyễn Văn C"; each a family name and given names, each followed by
    the list's next separator (a title, an honorific or other words end the list). The last one,
    after "và", may be followed by the verb the list shares ("ông A và B được bầu làm …", "các đồng
    chí A và B dự họp")."""
    found = []
    # (a bracketed aside after a name is where the person is from: "ông A (huyện X) và B (huyện Y)")
    while (sep := _NEXT_IN_LIST.match(text, _ASIDE.match(text, at).end())) \
            and (span := match_name(n, text, sep.end(), foreign_ok=False)):
        final = sep.group().strip() == "và"  # the list's last name
        last = final and (n.role_verb_re.match(text, span[1]) or plural and _LOWER_NEXT.match(text, span[1]))
        if plural and final and _CHAIN_SEPARATOR.match(text, span[1]) and _title_at(n, text, span[1]):
            found.append(Person(squash(text[span[0]:span[1]]), span[0], span[1], None, "persons.honorific_list"))
            break  # "Hai đồng chí A và B, Phó Chủ tịch …": the titles the list shares follow
        if not (_LIST_END.match(text, span[1]) or last) \
                or _NEXT_IN_LIST.match(text, span[1]) and _title_at(n, text, span[1]):
            break
        found.append(Person(squash(text[span[0]:span[1]]), span[0], span[1], None, "persons.honorific_list"))
        at = span[1]
    return found


_AND_TITLE = re.compile(r"\s*,?\s*và\s+")
_LOWER_NEXT = re.compile(r" (?=[^\W\d_])(?!\w*[A-ZĐ])")


def _share_titles(ctx: Context, n: Names, s: Sentence, people: list[Person], plural: bool) -> None:
    """The titles after a list of names are each one's when a role verb introduces them, or, after
    a plural honorific, a comma ("Các đồng chí A và B, Phó Bí thư Huyện ủy"); titles joined by "và",
    as many as the names, are theirs in order ("… được bầu làm Bí thư Huyện ủy và Chủ tịch UBND huyện")."""
    text, end = s.text, people[-1].end
    if verb := n.role_verb_re.match(text, end):
        chains = [title_chain(ctx, s, verb.end())]
    elif plural and (sep := _CHAIN_SEPARATOR.match(text, end)):
        chains = [title_chain(ctx, s, sep.end(), lower_ok=True)]
    else:
        return
    while chains[-1] and (more := _AND_TITLE.match(text, chains[-1][-1].end)) and (nxt := title_chain(ctx, s, more.end())):
        chains.append(nxt)  # "… được bầu làm Bí thư Huyện ủy và Chủ tịch UBND huyện": each its own, in order
    if not chains[-1]:
        return
    body = chains[-1][-1]  # "Chủ tịch và Phó Chủ tịch Hội X": the bare titles are of the body named last
    for role in (r for chain in chains[:-1] for r in chain):
        if role.agency is None and role.elided is None and not role.self_contained:
            role.agency, role.agency_first, role.elided = body.agency, body.agency_first, body.elided
    if len(chains) == 1:
        chains *= len(people)
    if len(chains) == len(people):
        for person, roles in zip(people, chains):
            person.roles = list(roles)


def _title_at(n: Names, text: str, at: int) -> bool:
    """A title follows the separator at ``at``: the name before it is not one of a bare list."""
    sep = _NEXT_IN_LIST.match(text, at)
    return bool(sep and n.titles.title_re.match(text, sep.end()))


def _name_within(n: Names, text: str, start: int, end: int) -> bool:
    """A person's name is written inside ``text[start:end]`` ("Phó Giám đốc Sở Trần Văn C": the
    titles are C's, whatever the body grammar read)."""
    return any(match_name(n, text, m.start(), foreign_ok=False) for m in _WORD_START.finditer(text, start, end))


_WORD_START = re.compile(r"(?<!\w)(?=[^\W\d_])")


def _clause_goes_on(text: str, at: int) -> bool:
    """What may follow titles that are still the person's: the clause goes on in lower case or ends
    (a capitalised word may be the next person's body or name: "…, Tổng giám đốc VOV Nguyễn Thế Khoa")."""
    rest = text[at:].lstrip()
    return not rest or rest[0] in ",.;:()" or rest[0].islower()


def _name_follows(n: Names, text: str, at: int) -> bool:
    while at < len(text) and text[at] == " ":
        at += 1
    return match_name(n, text, at, foreign_ok=False) is not None


def _listed(ctx: Context, n: Names, s: Sentence, taken: Claims) -> list[Person]:
    """Names that open an item of a list, each with its titles: "… các đồng chí: A, Ủy viên …, Bí
    thư Tỉnh ủy; B, Chủ tịch …". A family name (or a foreign name) and a title after it are required."""
    text = s.text
    found = []
    for item in _LIST_ITEM.finditer(text):
        at = item.end()
        if taken.covers(at) or not (span := match_name(n, text, at, foreign_ok=False) or _foreign_name(n, text, at)):
            continue
        if (sep := _CHAIN_SEPARATOR.match(text, span[1])) and (roles := title_chain(ctx, s, sep.end())):
            found.append(Person(squash(text[span[0]:span[1]]), span[0], span[1], None, "persons.list_item", roles))
            taken.add(span[0], roles[-1].end)
    return found


def _foreign_name(n: Names, text: str, at: int) -> tuple[int, int] | None:
    """A name in plain Latin letters, no family name of ours ("Sisouk Vongphachanh"): a Lao, Khmer
    or Western name as the press writes it; no place or country."""
    span = match_name(n, text, at, foreign_ok=True)
    if not span or not (name := text[span[0]:span[1]]).isascii() or n.places.gaz.is_place(squash(name)) \
            or n.places.country_re.fullmatch(name):
        return None
    return span


def _title_first(ctx: Context, n: Names, s: Sentence, taken: Claims) -> list[Person]:
    text = s.text
    found = []
    for m in title_matches(ctx, s):
        if taken.covers(m.start()):
            continue
        roles = title_chain(ctx, s, m.start())
        if not roles:
            continue
        at = roles[-1].end
        while at < len(text) and text[at] == " ":
            at += 1
        if at > roles[-1].end and (span := match_name(n, text, at, foreign_ok=False)):
            end = span[1]
            # "Phó Thủ tướng X, Trưởng Ban Chỉ đạo 135 …": titles set off after the name, each with the body
            # it names, are the person's too, unless a name follows or sits in them ("…, Bộ trưởng Bộ Y tế Y")
            if (sep := _CHAIN_SEPARATOR.match(text, end)) and (more := title_chain(ctx, s, sep.end())) \
                    and all(r.agency is not None for r in more) and _clause_goes_on(text, more[-1].end) \
                    and not _name_within(n, text, sep.end(), more[-1].end):
                roles = roles + more
                end = more[-1].end
            name = squash(text[span[0]:span[1]])  # "Chủ tịch Hồ Chí Minh": the title is the leader's epithet
            found.append(Person(name, span[0], span[1], None, "persons.title_before_name",
                                [] if name in n.places.needs_level else roles))
            taken.add(m.start(), end)
    return found


_LIST_AFTER_TITLE = re.compile(r"\s*(?:(?:gồm|là)\s+)?(?:(?:các|hai|ba|bốn|năm)\s+)?(?:(?:ông|bà|đồng chí|đ/c)\s*)?:\s*",
                               re.IGNORECASE)
_NEXT_IN_LIST = re.compile(r"\s*(?:,|;|và)\s*")


def _shared_title(ctx: Context, n: Names, s: Sentence, taken: Claims) -> list[Person]:
    """Names listed after a title they share: "Các Phó Chủ tịch gồm các ông: A, B, C và D"."""
    text = s.text
    found = []
    for m in title_matches(ctx, s):
        if taken.covers(m.start()) or not (roles := title_chain(ctx, s, m.start())):
            continue
        if not (head := _LIST_AFTER_TITLE.match(text, roles[-1].end)):
            continue
        at = head.end()
        while span := match_name(n, text, at, foreign_ok=False):
            found.append(Person(squash(text[span[0]:span[1]]), span[0], span[1], None, "persons.shared_title",
                                [replace(r) for r in roles]))
            taken.add(span[0], span[1])
            if not (sep := _NEXT_IN_LIST.match(text, span[1])):
                break
            at = sep.end()
    return found


def find(ctx: Context) -> list[tuple[Sentence, Person]]:
    """Every person of the article with the sentence naming them (sentence offsets)."""
    n = ctx.rules.compiled(names_of)
    out = []
    for s in ctx.sentences:
        people = _with_honorific(ctx, n, s)
        taken = Claims([(p.start, p.end) for p in people] + [(r.start, r.end) for p in people for r in p.roles])
        people += _shared_title(ctx, n, s, taken)
        people += _listed(ctx, n, s, taken)
        people += _title_first(ctx, n, s, taken)
        out.extend((s, p) for p in sorted(people, key=lambda p: p.start))
    return out
