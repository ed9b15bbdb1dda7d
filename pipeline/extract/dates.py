"""Dates, programme periods, and the year of a year-less date worked out from evidence.

Formats: d/m, d-m, d.m (after "ngày" or a part of the day), dd/mm/yyyy, dd-mm-yyyy,
dd.mm.yyyy, "ngày 22 tháng 12 năm 2020", "tháng 12/2020"; a part of the day ("Chiều 14/1").

dateparser (it reads Vietnamese) was measured and not used: it fills a missing year from the
clock, takes "22-12" for a date in the wrong year, and costs ~22 ms a sentence (more than tokenising).

A year-less date gets its year from the first evidence that applies (``year_source``):

1. ``published``: the page's own date, then ``crawl_date``: the event is on or before it;
2. ``full_date``: the latest full date in the text: of the years around it, the one that puts the
   event nearest to it (a plan of 20/12/2023 then "Sáng 9/2" is 2024; a deadline of 31/12/2024
   then "Chiều 17/12" is 2024). A full date two years or more older than what the periods or
   year statements say is an old document being cited (a 2012 law), not evidence: 3 or 4 win;
   ``cited_date``: the first such day after the latest cited document, unless its implementation
   is inspected or reviewed ("kiểm tra … thực hiện Chỉ thị số 05 ngày 15/5/2016": years old);
3. ``period_closed`` / ``period_opened``: the meeting closes a period ending in E ("tổng kết giai
   đoạn 2018–2020": late E, or early E+1 before September) or opens one starting in S ("ký kết
   giai đoạn 2021–2025": S, or S-1 in November and December); an interim review of N years
   ("sơ kết 3 năm thực hiện giai đoạn 2020–2025") closes year S+N-1; a mid-term review with no
   N ("sơ kết giữa nhiệm kỳ") is no evidence;
4. ``year_statement``: the same with single years ("đánh giá kết quả năm 2023, triển khai nhiệm vụ
   năm 2024").

Without evidence the year stays null; the clock is never used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..dategrammar import DateGrammar, dates_of
from . import date_ranges, digest, event_day
from .events import event_words
from .context import Context
from .text import Span, mention_id, squash

# Thresholds of the period rules (months): see the module docstring.
CLOSE_SAME_YEAR_FROM = 9
OPEN_YEAR_BEFORE_FROM = 11


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    sent_idx: int | None
    block_idx: int | None
    day: int | None
    month: int
    year: int | None
    part_of_day: str | None
    kind: str = "reference"
    year_source: str | None = None
    rule: str = "dates.numeric"

    @property
    def value(self) -> date | None:
        if self.year is None or self.day is None:
            return None
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None

    def span(self) -> Span:
        return Span("DATE", self.start, self.end, self.text, self.sent_idx, self.block_idx,
                    normalized=self.value.isoformat() if self.value else None, rule=self.rule)

    def row(self, doc_id: str) -> dict[str, Any]:
        return {"doc_id": doc_id, "mention_id": mention_id(doc_id, "DATE", self.start, self.end), "date": self.value,
                "year": self.year, "month": self.month, "day": self.day, "part_of_day": self.part_of_day,
                "kind": self.kind, "year_source": self.year_source, "text": self.text}


@dataclass
class Period:
    start: int
    end: int
    text: str
    sent_idx: int
    block_idx: int
    start_year: int
    end_year: int
    kind: str
    role: str | None = None
    elapsed: int | None = None  # "sơ kết 3 năm thực hiện giai đoạn …": years of it reviewed
    whole: bool = False         # those years are the whole period ("đánh giá kết quả 5 năm thực hiện …")
    rule: str = "dates.period"

    def span(self) -> Span:
        return Span("PERIOD", self.start, self.end, self.text, self.sent_idx, self.block_idx,
                    normalized=f"{self.start_year}-{self.end_year}", rule=self.rule)

    def row(self, doc_id: str) -> dict[str, Any]:
        return {"doc_id": doc_id, "mention_id": mention_id(doc_id, "PERIOD", self.start, self.end),
                "start_year": self.start_year, "end_year": self.end_year, "kind": self.kind, "text": self.text}


_ELAPSED = re.compile(r"(?<!\w)(\d{1,2})\s+năm(?!\s+\d)")
# the first day of a range that shares the month of the date after it: "ngày 5 và 6/9/2024",
# "từ ngày 10 - 12/7", "từ 12-14/5", "hai ngày 2-3.6.2017"
_FIRST_DAY = re.compile(r"(?:(?i:ngày)\s+(\d{1,2})\s*(?:,|và|-|–|đến)|(?<![\w/.])(\d{1,2})\s*[-–])\s*$")
__all__ = ["DateGrammar", "DateMention", "Dated", "Period", "dates_of", "find", "infer_years"]


def find_dates(ctx: Context, sentences) -> list[DateMention]:
    g = ctx.rules.compiled(dates_of)
    found = []
    for s in sentences:
        for m in g.date_re.finditer(s.text):
            gd = m.groupdict()
            day, month, year = gd["d2"] or gd["d"], gd["m2"] or gd["m"] or gd["m3"], gd["y2"] or gd["y"] or gd["y3"]
            pod = gd["pod2"] or gd["pod"]
            if gd["d"] and not (year or pod or gd["ngay"] or g.trigger_re.search(s.text[:m.start()])):
                continue  # "3/4" alone is as likely a ratio as a date
            if not (1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
                continue
            y, part = int(year) if year else None, pod.split()[0].lower() if pod else None
            rule = "dates.written" if gd["d2"] else "dates.month_year" if gd["m3"] else "dates.numeric"
            first = _FIRST_DAY.search(s.text, 0, m.start()) if day else None
            g1 = (first.lastindex or 1) if first else 1
            if first and int(first.group(g1)) < int(day):
                found.append(DateMention(s.start + first.start(g1), s.start + first.end(g1), first.group(g1), s.idx,
                                         s.block_idx, int(first.group(g1)), int(month), y, part,
                                         year_source="explicit" if year else None, rule="dates.first_day_of_range"))
            if gd["m3b"] and int(gd["m3"]) < int(gd["m3b"]) <= 12:  # "tháng 4-5/2017": April and May
                found.append(DateMention(s.start + m.start(), s.start + m.end("m3"), s.text[m.start():m.end("m3")],
                                         s.idx, s.block_idx, None, int(month), y, None, year_source="explicit",
                                         rule="dates.month_range"))
                found.append(DateMention(s.start + m.start("m3b"), s.start + m.end(), s.text[m.start("m3b"):m.end()],
                                         s.idx, s.block_idx, None, int(gd["m3b"]), y, None, year_source="explicit",
                                         rule="dates.month_range"))
                continue
            found.append(DateMention(s.start + m.start(), s.start + m.end(), m.group(), s.idx, s.block_idx,
                                     int(day) if day else None, int(month), y, part,
                                     year_source="explicit" if year else None, rule=rule))
    return found


def opens_sentence(ctx: Context, prefix: str) -> bool:
    """True when ``prefix`` (the sentence text before a date) is only a lead-in, so that the date
    opens the sentence: "(TTXVN) - Sáng 12/7, …", "Vào chiều 14/1, …"."""
    return ctx.rules.compiled(dates_of).lead_in_re.fullmatch(prefix) is not None


def _role_before(g: DateGrammar, text: str, pos: int) -> str | None:
    """The cue nearest before ``pos`` in the same clause ("tổng kết … giai đoạn 2018–2020"); a
    period set off by a comma takes the cue of the clause before ("Đại hội … lần thứ VI, nhiệm
    kỳ 2022 - 2027")."""
    clause_start = max(text.rfind(c, 0, pos) for c in (",", ";", ".")) + 1
    cues = list(g.cue_re.finditer(text, clause_start, pos))
    if not cues and clause_start > 0 and text[clause_start - 1] == ",":
        before = max(text.rfind(c, 0, clause_start - 1) for c in (",", ";", ".")) + 1
        cues = list(g.cue_re.finditer(text, before, clause_start))
    return g.roles[squash(cues[-1].group()).lower()] if cues else None


def _reviews_the_whole(g: DateGrammar, clause: str) -> bool:
    """"đánh giá kết quả 5 năm thực hiện …": the years counted by an elapsed cue under a closing one
    are the whole period; under "sơ kết" (an interim review) or alone they are part of it."""
    cues = [squash(c.group()).lower() for c in g.cue_re.finditer(clause)]
    if not cues or cues[-1] not in g.elapsed_cues:
        return False
    roles = [g.roles[c] for c in cues[:-1] if c not in g.elapsed_cues]
    return "close" in roles and "interim" not in roles


def find_periods(ctx: Context) -> list[Period]:
    g = ctx.rules.compiled(dates_of)
    found = []
    for s in ctx.sentences:
        for m in g.period_re.finditer(s.text):
            a, b = int(m.group("a")), int(m.group("b"))
            if a <= b <= a + 30:
                kw = (m.group("kw") or "").lower() or "range"
                role = _role_before(g, s.text, m.start())
                elapsed, whole = None, False
                if role == "interim":
                    clause_start = max(s.text.rfind(c, 0, m.start()) for c in (",", ";", ".")) + 1
                    if e := _ELAPSED.search(s.text, clause_start, m.start()):
                        elapsed = int(e.group(1))
                        whole = _reviews_the_whole(g, s.text[clause_start:m.start()])
                found.append(Period(s.start + m.start(), s.start + m.end(), m.group(), s.idx, s.block_idx, a, b, kw,
                                    role, elapsed, whole=whole))
        for m in g.single_re.finditer(s.text):
            y = int(m.group("y"))
            at = m.start("y") - len("năm ")
            found.append(Period(s.start + at, s.start + m.end(), s.text[at:m.end()], s.idx, s.block_idx, y, y,
                                "năm", _role_before(g, s.text, m.end()), rule="dates.programme_year"))
    return found


def year_statements(ctx: Context, sentences) -> list[tuple[int, str]]:
    """(year, role) for "năm 2023" preceded by a closing or opening cue in its clause; not a year
    something dates from ("thành lập từ năm 2018")."""
    g = ctx.rules.compiled(dates_of)
    out = []
    for s in sentences:
        for m in g.year_re.finditer(s.text):
            if g.since_re.search(s.text, 0, m.start()):
                continue
            role = _role_before(g, s.text, m.start())
            if role:
                out.append((int(m.group("y")), role))
    return out


# ------------------------------------------------------------------ year inference

def _from_published(d: DateMention, published: date) -> int:
    return published.year if (d.month, d.day or 1) <= (published.month, published.day) else published.year - 1


def _from_latest(d: DateMention, latest: date) -> int:
    def distance(year: int) -> tuple[int, int]:
        try:
            candidate = date(year, d.month, d.day or 1)
        except ValueError:  # 29 February of a common year
            return (10**6, -year)
        return (abs((candidate - latest).days), -year)  # a tie goes to the later year
    return min((latest.year - 1, latest.year, latest.year + 1), key=distance)


def _from_roles(d: DateMention, spans: list[tuple[int, int, str]]) -> int | None:
    closing = [end for _, end, role in spans if role == "close"]
    if closing:
        end = max(closing)
        return end if d.month >= CLOSE_SAME_YEAR_FROM else end + 1
    opening = [start for start, _, role in spans if role == "open"]
    if opening:
        start = min(opening)
        return start - 1 if d.month >= OPEN_YEAR_BEFORE_FROM else start
    during = [start for start, _, role in spans if role == "during"]
    return max(during) if during else None


def _stale(year: int, d: DateMention, *role_spans: list[tuple[int, int, str]]) -> bool:
    """A full date two years or more away from what the periods or year statements say is an
    old document being cited (a 2012 law), not a date near the event."""
    said = next((y for spans in role_spans if (y := _from_roles(d, spans)) is not None), None)
    return said is not None and abs(said - year) >= 2


@dataclass
class Evidence:
    """What an article says about the year of its year-less dates (see the module docstring)."""
    anchors: list[date]                      # full dates near the event (not cited, not planned, not births)
    bounds: list[date]                       # dates of cited documents: the event is not before them
    reviewed: list[date]                     # of those, documents whose implementation is reviewed: old, never a year
    periods: list[tuple[int, int, str]]      # (start, end, role) of periods opened or closed
    statements: list[tuple[int, int, str]]   # the same for single years ("đánh giá kết quả năm 2023")
    own_years: list[int]                     # the year of the event's own name ("Xuân Đinh Dậu 2017")


def infer_years(dates: list[DateMention], *, published: date | None, evidence: Evidence,
                crawled: date | None = None) -> None:
    """Fill ``year``/``year_source`` of the year-less dates, in place."""
    latest = max(evidence.anchors, default=None)
    bound = max(evidence.bounds, default=None)
    pins = max((b for b in evidence.bounds if b not in evidence.reviewed), default=None)
    periods, statements = evidence.periods, evidence.statements
    own = [(y, y, "during") for y in evidence.own_years]  # the event's own year: a full date far from it is old
    reviews_and_plans = _review_and_plan(periods + statements + own)
    for d in dates:
        if d.year is not None:
            continue
        if published:
            d.year, d.year_source = _from_published(d, published), "published"
        elif crawled:  # a page is crawled on or after the day it reports
            d.year, d.year_source = _from_published(d, crawled), "crawl_date"
        elif reviews_and_plans and (y := _from_roles(d, reviews_and_plans)) is not None:
            # "đánh giá kết quả năm 2020, triển khai kế hoạch năm 2021": the meeting sits between them
            d.year, d.year_source = y, "period_closed"
        elif latest and not _stale(_from_latest(d, latest), d, periods, statements, own):
            d.year, d.year_source = _from_latest(d, latest), "full_date"
        elif pins and pins == bound and not _stale(_forward(d, pins), d, periods, statements, own):
            d.year, d.year_source = _forward(d, pins), "cited_date"  # the first such day after a cited document
        elif len(set(evidence.own_years)) == 1:
            d.year, d.year_source = evidence.own_years[0], "event_name"
        elif (y := _from_roles(d, periods)) is not None:
            closing = any(r == "close" for *_, r in periods)
            d.year, d.year_source = y, "period_closed" if closing else "period_opened"
        elif (y := _from_roles(d, statements)) is not None:
            d.year, d.year_source = y, "year_statement"
        if d.year is not None and bound and d.day and _before(d, bound):
            d.year, d.year_source = None, None  # the evidence puts it before a document it cites


def _review_and_plan(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]] | None:
    """A meeting that reviews one year (or period) and plans the next ("sơ kết … năm 2020 và kế hoạch
    năm 2021", "tổng kết giai đoạn 2016–2020, ký kết giai đoạn 2021–2025"): the closing span, when an
    opening one starts the year after it ends."""
    opens = {start for start, _, role in spans if role == "open"}
    closes = [(a, b, "close") for a, b, role in spans if role in ("close", "interim", "during") and b + 1 in opens]
    return closes or None


def _forward(d: DateMention, bound: date) -> int:
    """The year of the first occurrence of the day on or after ``bound``."""
    return bound.year if (d.month, d.day or 1) >= (bound.month, bound.day) else bound.year + 1


def _before(d: DateMention, bound: date) -> bool:
    try:
        return date(d.year, d.month, d.day) < bound
    except ValueError:
        return False


def _period_roles(periods: list[Period]) -> list[tuple[int, int, str]]:
    spans = [(p.start_year, p.end_year, p.role) for p in periods if p.role in ("close", "open")]
    # An interim review of N years closes the Nth year of the period.
    # The whole of S–E reviewed in N years that reach E ("kết quả 5 năm thực hiện … giai đoạn 2015 - 2020")
    # closes E.
    spans += [(p.start_year, p.end_year if p.whole and p.start_year + p.elapsed >= p.end_year
               else p.start_year + p.elapsed - 1, "close")
              for p in periods if p.role == "interim" and p.elapsed and p.start_year + p.elapsed - 1 <= p.end_year]
    return spans


def evidence(ctx: Context, found: list[DateMention], periods: list[Period]) -> Evidence:
    """The year evidence of the lead (first paragraph and title), else of the whole article."""
    g = ctx.rules.compiled(dates_of)
    texts = {s.idx: s.text for s in ctx.sentences}
    starts = {s.idx: s.start for s in ctx.sentences}
    anchors, bounds, reviewed = [], [], []
    for d in found:
        if d.year_source != "explicit" or d.kind == "published":
            continue
        before = texts[d.sent_idx][:d.start - starts[d.sent_idx]]
        value = d.value or (date(d.year, d.month, 15) if d.day is None else None)  # "tháng 2/2021"
        if value is None or g.not_anchor_re.search(before):
            continue
        (bounds if (cited := g.cited_re.search(before)) else anchors).append(value)
        if cited and g.review_re.search(before, max(0, cited.start() - 120), cited.start()):
            reviewed.append(value)  # its implementation inspected or reviewed (see the docstring)
    lead = {s.idx for s in ctx.lead}
    lead_periods = [p for p in periods if p.sent_idx in lead]
    lead_statements = year_statements(ctx, ctx.lead)
    # "sơ kết 6 tháng đầu năm 2024": the review is held during that year.
    statements = [(y, y, "during" if role == "interim" else role)
                  for y, role in (lead_statements or year_statements(ctx, ctx.sentences))]
    # beyond the lead, a period is evidence where its sentence is about a gathering ("Ngày 24/5, Đại hội
    # … nhiệm kỳ 2017-2022"), not background ("… nhiệm vụ phát triển kinh tế của đất nước giai đoạn 2016 – 2020")
    roles = _period_roles(lead_periods)
    if not roles and (beyond := [p for p in periods if p.sent_idx not in lead]):
        event_re = ctx.rules.compiled(event_words).event_re
        roles = _period_roles([p for p in beyond if event_re.search(texts[p.sent_idx])])
    return Evidence(anchors, bounds, reviewed, roles, statements, _own_years(ctx) or _anniversary(ctx))


def _own_years(ctx: Context) -> list[int]:
    """Years in the event's own name in the title or the lead: "Tôn vinh … toàn quốc năm 2017",
    "Tết trồng cây Xuân Đinh Dậu 2017" (a year after a cue says what is done with it, not this)."""
    g = ctx.rules.compiled(dates_of)
    years = []
    for s in ctx.lead:
        years += [int(m.group("y")) for m in g.season_re.finditer(s.text)]
        if ctx.block_kinds[s.block_idx] == "title":
            # not a year something dates from ("được thành lập từ năm 2018 đến nay")
            years += [int(m.group("y")) for m in g.year_re.finditer(s.text)
                      if _role_before(g, s.text, m.start()) is None and not g.since_re.search(s.text, 0, m.start())]
    return years


def _anniversary(ctx: Context) -> list[int]:
    """"Kỷ niệm 35 năm thành lập" and "thành lập năm 1982": the celebration is in 2017 (a clause
    opening with the day of the celebration itself, "Ngày 10/10/2024, … kỷ niệm 30 năm thành lập",
    tells no founding)."""
    g = ctx.rules.compiled(dates_of)
    text = "\n".join(s.text for s in ctx.sentences)
    spans = [int(m.group("n")) for m in g.anniversary_re.finditer(text)]
    founded = [int(m.group("y") or m.group("y2")) for m in g.founding_re.finditer(text)] if spans else []
    return [founded[0] + spans[0]] if len(set(founded)) == 1 else []


@dataclass
class Dated:
    """The dates family's facts: every date (the page's own first), the periods, the event date."""
    dates: list[DateMention]
    periods: list[Period]
    event_date: date | None
    event_date_source: str | None = None  # how the event date's year was known (as dates.year_source)


_UNTIL_NOW = re.compile(r"\s*(?:đến|tới)\s+nay")  # "từ ngày 1/8 đến nay": a day gone by


def find(ctx: Context) -> Dated:
    """Dates with their kind and year, periods, and the date of the main event: the first event
    date (one that opens a sentence, or stands in the title) whose year is known."""
    published = find_dates(ctx, ctx.datelines)
    for d in published:
        d.kind, d.rule = "published", "dates.page_date_line"
    found = find_dates(ctx, ctx.sentences)
    starts = {s.idx: s.start for s in ctx.sentences}
    for d in found:
        if ctx.block_kinds[d.block_idx] == "title" or opens_sentence(ctx, ctx.doc.text[starts[d.sent_idx]:d.start]):
            d.kind = "event"
    periods = find_periods(ctx)
    date_ranges.start_from_end(ctx.doc.text, found)
    infer_years(found, published=ctx.doc.published_date, evidence=evidence(ctx, found, periods),
                crawled=ctx.doc.crawl_date)
    texts, g = {s.idx: s.text for s in ctx.sentences}, ctx.rules.compiled(dates_of)
    for d in found:  # "Đợt giám sát sẽ kết thúc trước ngày 30/6" (page of 3/6): the nearest such day to the page's date
        text, at = texts[d.sent_idx], d.start - starts[d.sent_idx]
        if d.year_source == "published" and g.ahead_re.search(text[:at]) and not _UNTIL_NOW.match(text, at + len(d.text)):
            d.year = _from_latest(d, ctx.doc.published_date)  # the nearest such day, not the latest before
    date_ranges.one_year(found)
    event = event_day.pick(ctx, found)
    if event is not None and digest.is_digest(ctx) and not digest.one_day(ctx):
        event = None  # a digest of several items has no main event, unless they are of one day
    return Dated(published + found, periods, event.value if event else None, event.year_source if event else None)
