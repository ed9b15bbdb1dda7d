"""A document's instrument mentions made into programmes: one per number, and per kind and period;
a mention with neither is the one of its kind with the same action, else the nearest named before
it (a programme reviewed and one signed at one event are two); each programme's parties and
actions (see ``programmes.py``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..normalize import fold_for_match as fold
from .programme_grammar import Party
from .text import Span


@dataclass
class Action:
    action: str
    weak: bool
    text: str
    day: tuple[date | None, int | None, int | None] = (None, None, None)   # (date, month, day)

    @property
    def key(self) -> tuple:
        return (self.action, self.day)


@dataclass
class Mention:
    span: Span
    kind: str
    number: str | None
    period: tuple[int, int] | None
    action: Action | None
    parties: list[Party]
    needs_self: bool = False     # counterparts only ("ký kết với B"): the signer is the article's principal party
    refers_back: bool = False    # "hai bên", "ba đơn vị" with no names: the parties named before
    in_title: bool = False       # a headline names bodies more loosely than the article does
    verb_form: bool = False      # "ký kết hợp tác": the words of a signing, no instrument noun


@dataclass
class Programme:
    kind: str
    number: str | None
    period: tuple[int, int] | None
    mentions: list[Mention] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    programme_id: str = ""

    @property
    def first(self) -> Mention:
        keyed = [m for m in self.mentions if m.number or m.period]
        return (keyed or self.mentions)[0]

    def rows(self, doc_id: str) -> dict[str, list[dict[str, Any]]]:
        m = self.first.span
        mid = m.mention_id(doc_id)
        start, end = self.period or (None, None)
        return {
            "programmes": [{"doc_id": doc_id, "programme_id": self.programme_id, "kind": self.kind,
                            "start_year": start, "end_year": end, "number": self.number, "mention_id": mid,
                            "text": m.text}],
            "programme_parties": [{"doc_id": doc_id, "programme_id": self.programme_id, "mention_id": mid,
                                   "agency_id": p.agency_id} for p in self.parties],
            "programme_actions": [{"doc_id": doc_id, "programme_id": self.programme_id, "mention_id": mid,
                                   "action": a.action, "date": a.day[0], "month": a.day[1], "day": a.day[2],
                                   "text": a.text} for a in self.actions],
        }


def cluster(mentions: list[Mention]) -> list[Programme]:
    programmes: list[Programme] = []
    by_number: dict[str, Programme] = {}
    by_period: dict[tuple, Programme] = {}
    for m in mentions:
        if not (m.number or m.period):
            continue
        p = by_number.get(fold(m.number)) if m.number else None
        if p is None and m.period:
            p = by_period.get((m.kind, m.period))
            if p is not None and p.number and m.number:
                p = None  # another number: another instrument
        if p is None:
            p = Programme(m.kind, m.number, m.period)
            programmes.append(p)
        p.number = p.number or m.number
        p.period = p.period or m.period
        p.mentions.append(m)
        if m.number:
            by_number.setdefault(fold(m.number), p)
        if m.period:
            by_period.setdefault((m.kind, m.period), p)
    bare: dict[str, Programme] = {}
    # "ký kết hợp tác" names no instrument: it is the signing of the one the article names, if any
    for m in sorted(mentions, key=lambda m: m.verb_form):
        if m.number or m.period:
            continue
        if m.verb_form and programmes:
            p = _nearest(m, programmes)
            p.mentions.append(m)
            continue
        p = _antecedent(m, [p for p in programmes if p.kind == m.kind and (p.number or p.period)])
        if p is None and m.kind not in bare and not m.parties and not (m.action and not m.action.weak):
            p = _antecedent(m, [p for p in programmes if any(x.span.start < m.span.start for x in p.mentions)])
        if p is None:
            if m.kind not in bare:
                bare[m.kind] = Programme(m.kind, None, None)
                programmes.append(bare[m.kind])
            p = bare[m.kind]
        p.mentions.append(m)
    for p in programmes:
        p.mentions.sort(key=lambda m: m.span.start)
    return sorted(programmes, key=lambda p: p.mentions[0].span.start)


def _nearest(m: Mention, candidates: list[Programme]) -> Programme:
    """The programme named last before ``m``, else the first named after it."""
    before = [(x.span.start, p) for p in candidates for x in p.mentions if x.span.start < m.span.start]
    if before:
        return max(before, key=lambda t: t[0])[1]
    return min(((x.span.start, p) for p in candidates for x in p.mentions), key=lambda t: t[0])[1]


REVIEW_OR_SIGN = {"reviewed": "signed", "signed": "reviewed"}


def _did(p: Programme, action: str) -> bool:
    return any(x.action and x.action.action == action and not x.action.weak for x in p.mentions)


def _antecedent(m: Mention, candidates: list[Programme]) -> Programme | None:
    """The instrument a mention with no number or period names: the one of its kind with the same
    action, else the nearest named before it, else after it."""
    if not candidates:
        return None
    if m.action and m.action.action in REVIEW_OR_SIGN:
        # a programme reviewed and one signed at the same event are two instruments
        other = REVIEW_OR_SIGN[m.action.action]
        candidates = [p for p in candidates if not (_did(p, other) and not _did(p, m.action.action))]
        if not candidates:
            return None
    if len(candidates) == 1:
        return candidates[0]
    if m.action and not m.action.weak and m.action.action != "cited":
        same = [p for p in candidates if any(x.action and x.action.action == m.action.action and not x.action.weak
                                             for x in p.mentions)]
        if len(same) == 1:
            return same[0]
    return _nearest(m, candidates)


def _own_parties(p: Programme, principal: str | None) -> dict[str, Party]:
    """The parties its mentions name; the headline's only when the article's name none."""
    seen: dict[str, Party] = {}
    for m in sorted(p.mentions, key=lambda m: m.in_title):
        if m.in_title and seen:
            break
        for party in m.parties:
            seen.setdefault(party.agency_id, party)
    if principal and principal not in seen and any(m.needs_self for m in p.mentions):
        seen[principal] = Party(-1, -1, principal, None)
    return seen


def all_parties(programmes: list[Programme], principal: str | None, lead: list[Party]) -> None:
    """Each instrument's parties: those of its mentions; "hai bên", "ba đơn vị" with no names add
    those of the instrument named last before (else the lead's subject); one named with nobody but
    with its period or number gets the lead's subject, unless it is only cited. A sub-unit and its
    parent both named: the parent."""
    own = [_own_parties(p, principal) for p in programmes]
    named = sorted((m.span.start, i) for i, p in enumerate(programmes) for m in p.mentions if own[i])
    for i, p in enumerate(programmes):
        seen = dict(own[i])
        for m in p.mentions:
            if m.refers_back:
                earlier = [j for start, j in named if start < m.span.start and j != i]
                for party in (list(own[earlier[-1]].values()) if earlier else lead):
                    seen.setdefault(party.agency_id, party)
        if not seen and (p.number or p.period) and any(a.action != "cited" for a in p.actions):
            seen = {party.agency_id: party for party in lead}
        p.parties = [party for party in seen.values() if party.parent_id not in seen]


def actions(p: Programme) -> list[Action]:
    """Signed, reviewed or launched as reported; implementation only when nothing else is, and
    "cited" when nothing at all is. One action per (action, day); an undated one yields to the
    same action dated."""
    acts = [m.action for m in p.mentions if m.action]
    for level in ([a for a in acts if not a.weak and a.action != "cited"], [a for a in acts if a.weak]):
        if level:
            break
    else:
        return [next((a for a in acts if a.action == "cited"), Action("cited", False, p.first.span.text))]
    out: dict[tuple, Action] = {}
    for a in level:
        out.setdefault(a.key, a)
    dated = {a.action for a in out.values() if a.day != (None, None, None)}
    return [a for a in out.values() if a.day != (None, None, None) or a.action not in dated]


def principal(mentions: list[Mention]) -> str | None:
    """The body that is a party in most mentions (the first named of those tied)."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for m in mentions:
        for party in m.parties:
            first.setdefault(party.agency_id, len(first))
        counts.update({party.agency_id for party in m.parties})
    return max(counts, key=lambda a: (counts[a], -first[a])) if counts else None
