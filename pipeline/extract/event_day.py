"""Which date is the main event's: the first event date with its year (one that opens a sentence,
or stands in the title); else the first dated day of the lead paragraph, unless it dates a cited
document, a birth or a plan; else, in an article announcing the event, its first day ("… sẽ diễn ra
từ ngày 5/3")."""
from __future__ import annotations

from datetime import date
from typing import Protocol, TypeVar

from ..dategrammar import dates_of
from .context import Context


class _Dated(Protocol):  # a dates.DateMention (not imported: dates imports this module)
    start: int
    sent_idx: int | None
    day: int | None
    kind: str

    @property
    def value(self) -> date | None: ...


DateMention = TypeVar("DateMention", bound=_Dated)


def pick(ctx: Context, found: list[DateMention]) -> DateMention | None:
    return next((d for d in found if d.kind == "event" and d.value), None) or _first_in_lead(ctx, found) \
        or next((d for d in found if d.value and d.day and _held_from(ctx, d)), None)


def _held_from(ctx: Context, d: DateMention) -> bool:
    """An article announcing an event dates it by its first day: "… sẽ diễn ra từ ngày 5/3"."""
    s = next(s for s in ctx.sentences if s.idx == d.sent_idx)
    return bool(ctx.rules.compiled(dates_of).held_re.search(s.text, max(0, d.start - s.start - 30), d.start - s.start))


def _first_in_lead(ctx: Context, found: list[DateMention]) -> DateMention | None:
    """"Nhằm góp phần …, ngày 29-6 tại …": the first dated day of the lead paragraph, unless it dates a
    cited document, a birth or a plan, or stands in brackets (an anniversary's span "(8/3/1910 -
    8/3/2024)", a holiday "(27/7)"), unless a word of time relative to the page opens them ("Vừa qua
    (ngày 15/11), …")."""
    g = ctx.rules.compiled(dates_of)
    first_body = {s.idx: s for s in ctx.lead if ctx.block_kinds[s.block_idx] == "body"}
    for d in found:
        if d.sent_idx in first_body and d.value and d.day:
            s = first_body[d.sent_idx]
            before = s.text[:d.start - s.start]
            if not (g.cited_re.search(before) or g.not_anchor_re.search(before)
                    or before.count("(") > before.count(")") and not g.relative_bracket_re.search(before)):
                return d
    return None
