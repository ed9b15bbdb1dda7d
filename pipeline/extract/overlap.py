"""The overlap policy: which fact yields where two would take the same text. One place.

* A fact never starts inside a fact it yields to (:data:`YIELDS_TO`): the digits of a date, a
  period, a document number or a numbered place ("Quận 2") are not a count; no body's name starts inside a title ("Thành ủy
  viên") or a document number ("123/QĐ-UBND").
* Within a family, the first pattern to claim a stretch keeps it (persons: honorific + name,
  then the items of a list, then title + name): :class:`Claims`.
* A mention found twice (same offsets and label) is one mention: :func:`unique_mentions`.
* Where one label per character is needed (``doc.ents``, the report's highlighting), the
  longest span wins, then :data:`DISPLAY_PRIORITY`: :func:`non_overlapping`.
"""
from __future__ import annotations

from bisect import bisect_right, insort
from typing import Iterable, Sequence

from .text import Span

YIELDS_TO: dict[str, frozenset[str]] = {
    "COUNT": frozenset({"DATE", "PERIOD", "LEGAL_REF", "LOCATION"}),  # "Quận 2 tổ chức" is no count
    "AGENCY": frozenset({"TITLE", "LEGAL_REF", "PERSON"}),  # "Đỗ Trường Sơn" is no school
}
DISPLAY_PRIORITY = ("PERSON", "AGENCY", "TITLE", "LOCATION", "LEGAL_REF", "PROGRAMME", "PERIOD", "DATE", "COUNT",
                    "EVENT")


class Claims:
    """Stretches of text already taken; ``covers(pos)`` in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self._spans: list[tuple[int, int]] = sorted(s for s in spans if s[0] < s[1])
        self._reach: list[int] = []     # furthest end among spans[0..i]: covers() needs only one look-up
        self._reindex()

    def _reindex(self) -> None:
        reach, self._reach = -1, []
        for _, end in self._spans:
            reach = max(reach, end)
            self._reach.append(reach)

    def add(self, start: int, end: int) -> None:
        if start < end:
            insort(self._spans, (start, end))
            self._reindex()

    def covers(self, pos: int) -> bool:
        """Some claimed stretch has ``start <= pos < end``."""
        i = bisect_right(self._spans, (pos, float("inf"))) - 1
        return i >= 0 and self._reach[i] > pos


def claims_against(label: str, facts: Iterable[Span]) -> Claims:
    """Where a fact of ``label`` may not start, from the facts it yields to."""
    yields = YIELDS_TO.get(label, frozenset())
    return Claims((f.start, f.end) for f in facts if f.label in yields)


def unique_mentions(spans: Iterable[Span]) -> list[Span]:
    """Sorted by position; one span per (start, end, label), the first found kept."""
    seen, out = set(), []
    for span in sorted(spans, key=lambda s: (s.start, s.end, s.label)):
        key = (span.start, span.end, span.label)
        if key not in seen:
            seen.add(key)
            out.append(span)
    return out


def non_overlapping(spans: Sequence[Span]) -> list[Span]:
    """A choice of spans with no character in two of them: longest first, then by label priority."""
    rank = {label: i for i, label in enumerate(DISPLAY_PRIORITY)}
    taken = Claims()
    chosen = []
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), rank.get(s.label, len(rank)), s.start)):
        if not any(taken.covers(p) for p in (s.start, s.end - 1)) and not _straddles(taken, s):
            chosen.append(s)
            taken.add(s.start, s.end)
    return sorted(chosen, key=lambda s: s.start)


def _straddles(taken: Claims, s: Span) -> bool:
    """A claimed stretch lies strictly inside ``s``."""
    i = bisect_right(taken._spans, (s.start, float("inf")))
    return i < len(taken._spans) and taken._spans[i][0] < s.end
