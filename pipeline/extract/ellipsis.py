"""A body written bare after a title, as the press writes it once the body is known: "Phó Giám đốc
Sở" (the Sở named before), "Bí thư đoàn cơ sở" (the Đoàn cơ sở the article names in full),
"Chủ tịch công đoàn cơ sở" (the union of the host body named before), "Tổ trưởng tổ công đoàn Văn
phòng Sở". ``read`` finds it right after a title (``titles.match_title``); ``resolve`` gives it its
body once the article's bodies are known. Which heads host units and which units every host may
have are data (``agencies.jsonl``: "hosts", "in_host").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cached_property

from ..normalize import fold_for_match
from ..rules import Rules, builder
from . import agencies
from .bodies import agency_id
from .overlap import Claims
from .text import Sentence, Span, alternation


@dataclass(frozen=True)
class Elided:
    start: int                 # document offsets of the bare words
    end: int
    text: str
    sent_idx: int
    block_idx: int
    units: tuple[str, ...]     # units every host may have, as the lexicon writes them ("Công đoàn cơ sở")
    head: str | None           # the bare head that ends it ("Sở"), or None


class Bare:
    def __init__(self, rules: Rules):
        records = rules.records("agencies")
        subunits = [r for r in records if r["type"] == "subunit" and not r.get("joins")]
        heads = [r for r in records if r["type"] == "head"]
        self.unit_of = {fold_for_match(r["form"]): r["form"] for r in subunits}
        self.head_of = {fold_for_match(h): r["head"] for r in heads for h in [r["head"], *(r.get("forms") or ())]}
        self.in_host = frozenset(r["form"] for r in subunits if r.get("in_host"))
        self.hosts = tuple(r["head"] for r in heads if r.get("hosts"))
        self.unit_re = re.compile(rf"(?<![\w&])(?:{alternation(self.unit_of.values(), case_first=False)})(?![\w&])")
        forms = [h for r in heads for h in [r["head"], *(r.get("forms") or ())]]  # "Cty" is "Công ty"
        self.head_re = re.compile(rf"(?<![\w&])(?:{alternation(forms)})(?![\w&])")
        self.surnames = rules.compiled(agencies.grammar_of).places.surnames


@builder
def bare_of(rules: Rules) -> Bare:
    return Bare(rules)


_PUNCT = re.compile(r"\s*(?:[,;:.)–—\-]|$)")
_NEXT_WORD = re.compile(r" (\w+)")


def _ends_here(b: Bare, s: Sentence, end: int) -> bool:
    """Nothing of a name follows: punctuation, the end, a lower-case word of its own, or a person's name."""
    if _PUNCT.match(s.text, end):
        return True
    if not (m := _NEXT_WORD.match(s.text, end)):
        return False
    word = m.group(1)
    if word[0].islower():
        return not s.word_ends or end in s.word_ends
    return word in b.surnames


def read(rules: Rules, s: Sentence, at: int) -> Elided | None:
    """The bare body at ``at`` (sentence offsets, right after a title), or None."""
    b = rules.compiled(bare_of)
    text, pos, end = s.text, at, None
    units: list[str] = []
    while (m := b.unit_re.match(text, pos)) and (not s.word_ends or m.end() in s.word_ends or m.end() == len(text)):
        units.append(b.unit_of[fold_for_match(m.group())])
        end = m.end()
        pos = end + 1 if text[end:end + 1] == " " else end
    head = None
    if (h := b.head_re.match(text, pos)) and _ends_here(b, s, h.end()) and (pos == at or pos > end):
        head, end = b.head_of[fold_for_match(h.group())], h.end()
    if end is None or not (head or _ends_here(b, s, end)):
        return None
    return Elided(s.start + at, s.start + end, text[at:end], s.idx, s.block_idx, tuple(units), head)


def _suffix(canonical: str, heads: tuple[str, ...]) -> str | None:
    """The part of a body's name that is one of ``heads`` with its name ("Chi đoàn Văn phòng Sở X"
    -> "Sở X"), innermost first."""
    words = canonical.split()
    for i in range(len(words)):
        rest = " ".join(words[i:])
        if (h := next((h for h in heads if rest.startswith(h + " ")), None)) and not rest[len(h) + 1:].startswith(h + " "):
            return rest  # (a head written twice, "Sở Sở X", is the second)
    return None


_REACH = 200  # bodies looked at on each side: one named further away is no antecedent


class Bodies:
    """The article's AGENCY spans, ordered by end and by start, for the nearest-before/after search."""

    def __init__(self, spans: list[Span], text: str = ""):
        self.text = text
        self.by_end = sorted(spans, key=lambda a: (a.end, -a.start))  # read backwards: nearest, outer first
        self.ends = [a.end for a in self.by_end]
        self.by_start = sorted(spans, key=lambda a: (a.start, a.end))
        self.starts = [a.start for a in self.by_start]
        self.ids = {a.entity_id for a in spans}

    @cached_property
    def folded(self) -> str:
        """The article's text folded (once, when a bare unit asks which units it writes)."""
        return fold_for_match(self.text) if self.text else ""


def _nearest(bodies: Bodies, e: Elided, pick) -> tuple[Span, str] | None:
    """The body nearest before ``e`` that ``pick`` accepts, else the first after it."""
    before = bisect_right(bodies.ends, e.start)
    after = bisect_left(bodies.starts, e.end)
    candidates = (list(reversed(bodies.by_end[max(0, before - _REACH):before]))
                  + bodies.by_start[after:after + _REACH])
    for a in candidates:
        if a.normalized and (name := pick(a.normalized)):
            return a, name
    return None


def body_of(rules: Rules, e: Elided, bodies: Bodies) -> Span | None:
    """The AGENCY span the bare words stand for: the same units named in full in the article, else
    the units of the nearest host body (of the bare head, when one is written)."""
    b = rules.compiled(bare_of)
    named = " ".join(e.units)
    if e.units:
        prefix = fold_for_match(named + " " + (e.head + " " if e.head else ""))

        def same(c: str) -> str | None:  # the units named in full, of a host ("Công đoàn Việt Nam" is no one's unit)
            rest = c[len(named) + 1:]
            return c if fold_for_match(c).startswith(prefix) and (e.head or _suffix(rest, b.hosts) == rest
                                                                   or not set(e.units) & b.in_host) else None
        if found := _nearest(bodies, e, same):
            return _span(e, found[1], found[0], parent=None)
        if not e.head and not set(e.units) & b.in_host:
            return None
    found = _nearest(bodies, e, lambda c: _suffix(c, (e.head,) if e.head else b.hosts))
    if found is None:
        return None
    host, name = found
    if len(e.units) == 1 and not e.head:  # "Công đoàn" where the article writes "Công đoàn cơ sở": that unit
        named = _written_unit(b, bodies.folded, named)
    canonical = f"{named} {name}".strip()
    parent = agency_id(name) if e.units else None
    return _span(e, canonical, host, parent=parent if parent in bodies.ids else None)


def _span(e: Elided, canonical: str, like: Span, parent: str | None) -> Span:
    attrs = {k: v for k, v in (("province", like.attrs.get("province")), ("parent_id", parent)) if v}
    return Span("AGENCY", e.start, e.end, e.text, e.sent_idx, e.block_idx, entity_id=agency_id(canonical),
                normalized=canonical, attrs=attrs, rule="ellipsis.body_named_before")


def _written_unit(b: Bare, folded: str, unit: str) -> str:
    """The longest unit of a host the article (``folded``) writes that names ``unit`` more fully."""
    fuller = [u for u in b.in_host if u != unit and u.startswith(unit + " ")]
    return max((u for u in fuller if fold_for_match(u) in folded), key=len, default=unit)


def resolve(rules: Rules, roles: list, spans: list[Span], text: str = "") -> tuple[list, list[Span]]:
    """Roles with their bare bodies resolved, and the AGENCY spans of those bodies."""
    out, found = [], []
    if not any(role.agency_id is None and role.elided is not None for role in roles):
        return roles, found
    bodies = Bodies(spans, text)
    for role in roles:
        if role.agency_id is None and role.elided is not None and (body := body_of(rules, role.elided, bodies)):
            found.append(body)
            role = replace(role, agency_id=body.entity_id)
        out.append(role)
    return out, found


def units_of_bare_hosts(rules: Rules, sentences, spans: list[Span]) -> list[Span]:
    """A unit with its host's bare head anywhere in the article ("cơ quan Văn phòng Sở", "Công đoàn
    Trường"): the unit of the host of that head named nearest (``body_of``). A unit alone, away from
    a title, is left alone: "Văn phòng" is also a room."""
    b = rules.compiled(bare_of)
    bodies = Bodies(spans)
    covered = Claims((a.start, a.end) for a in spans)
    out = []
    for s in sentences:
        for m in b.unit_re.finditer(s.text):
            at = s.start + m.start()
            if covered.covers(at) or not m.group()[:1].isupper():
                continue
            e = read(rules, s, m.start())
            if e is not None and e.units and e.head and (body := body_of(rules, e, bodies)):
                out.append(replace(body, rule="ellipsis.unit_of_bare_host"))
    return out
