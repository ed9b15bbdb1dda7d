"""The two days of a range ("từ ngày 24/6 đến 6/7/2021", "từ ngày 1 đến 8-3") are read together: a
day is after the one it runs from, so the year written for one says the other's."""
from __future__ import annotations

import re
from typing import Protocol

_BETWEEN = re.compile(r"\s*(?:đến|tới|[-–—])\s*(?:ngày\s+)?", re.IGNORECASE)


class Day(Protocol):  # dates.DateMention, as read here
    start: int
    end: int
    sent_idx: int | None
    day: int | None
    month: int
    year: int | None
    year_source: str | None
    rule: str


def start_from_end(text: str, found: list[Day]) -> None:
    """A range's first day without a year takes the year of the last ("từ ngày 24/6 đến 6/7/2021":
    2021), the year before when its month comes later ("từ 28/12 đến 3/1/2022"), in place."""
    for first, last in zip(found, found[1:]):
        if first.year is None and last.year_source == "explicit" and first.sent_idx == last.sent_idx \
                and _BETWEEN.fullmatch(text, first.end, last.start):
            late = (first.month, first.day or 1) > (last.month, last.day or 1)
            first.year, first.year_source = last.year - 1 if late else last.year, "full_date"


def one_year(found: list[Day]) -> None:
    """The last day of a range within one month has the year of its first, however the evidence read
    them ("từ ngày 1 đến 8-3" on a page of 5/3: 2024-03-01, so 2024-03-08), in place."""
    for first, last in zip(found, found[1:]):
        if first.rule == "dates.first_day_of_range" and last.year_source not in (None, "explicit"):
            last.year, last.year_source = first.year, first.year_source
