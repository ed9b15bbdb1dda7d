"""The date grammar, one for the whole pipeline: dates in article text (``extract/dates.py``),
the page's own date line and its date (``ingest.py``), periods and year cues.

Formats: d/m, d-m, d.m (after "ngày", a part of the day or a trigger word), dd/mm/yyyy,
dd-mm-yyyy, dd.mm.yyyy, "ngày 22 tháng 12 năm 2020", "tháng 12/2020"; a part of the day
("Chiều 14/1"). A page's date line may also write the date with spaces ("thứ hai, 14 10 2019
09:12"), in brackets ("(21.03.2020 10:05)"), with a weekday and a time. The words are data:
``parts_of_day.txt``, ``date_words.jsonl``, ``year_cues.jsonl``, number words of ``counts.jsonl``.
"""
from __future__ import annotations

import re
from datetime import date

from .patterns import alternation, bounded
from .rules import Rules, builder


class DateGrammar:
    """Date, period and year-cue patterns compiled from the rules."""

    def __init__(self, rules: Rules):
        parts = rules.words("parts_of_day")
        words = {k: [r["word"] for r in rules.records("date_words") if r["kind"] == k]
                 for k in ("trigger", "lead_in", "relative")}
        pod = alternation(parts, case_first=False)
        relative = alternation(words["relative"], case_first=False)
        # "Sáng 14/1", "Sáng nay 1/7", "Hôm qua 5/3": a part of the day or "hôm", then "nay"/"qua", before the date
        numeric = (rf"(?:(?P<pod>{pod})(?:\s+(?:{relative}))?\s+)?(?:(?P<ngay>[Nn]gày|[Hh]ôm)(?:\s+(?:{relative}))?\s+)?"
                   r"(?<![\w/.])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})"
                   r"(?:(?P=sep)(?P<y>\d{4})(?![\w/])|(?![\w/]|[.\-]\d))")
        written = (rf"(?:(?P<pod2>{pod})\s+)?[Nn]gày\s+(?P<d2>\d{{1,2}})\s+tháng\s+(?P<m2>\d{{1,2}})"
                   r"(?:\s+năm\s+(?P<y2>\d{4}))?")
        # "tháng 12/2020", "tháng 12 năm 2020", and two months of a year: "hai tháng 4-5/2017"
        month = r"[Tt]háng\s+(?P<m3>\d{1,2})(?:\s*[-–]\s*(?P<m3b>\d{1,2}))?(?:\s*[/.\-]\s*|\s+năm\s+)(?P<y3>\d{4})"
        self.date_re = bounded(f"{written}|{numeric}|{month}")
        def words_of(kind):
            return alternation([r["word"] for r in rules.records("date_words") if r["kind"] == kind], case_first=False)
        kinds = alternation([r["kind"] for r in rules.records("legal_kinds")], case_first=False)
        # a full date in the clause of a cited document ("Nghị định 116/2020/NĐ-CP ngày 30/9/2020"), or of
        # a birth, a Party entry, a date something takes effect or is planned: no anchor for the event
        self.cited_re = re.compile(rf"(?:(?<!\w)(?:{kinds})\s+(?:số\s+)?\d|\d+/[\w/.\-]*[A-ZĐ])[^;:]{{0,160}}$")
        # the review governs the document: "kiểm tra (việc) thực hiện Chỉ thị …", "5 năm thực hiện …" (not "Đoàn
        # kiểm tra theo Quyết định …", "đánh giá … và triển khai Kế hoạch …")
        self.review_re = re.compile(rf"(?<!\w)(?:{words_of('review')})(?!\w)[^;:]*?thực hiện\s+(?:\S+\s+){{0,3}}?$")
        self.not_anchor_re = re.compile(rf"(?<!\w)(?:{words_of('not_anchor')})(?!\w)[^;,:]{{0,25}}$")
        # a day an event is held from, as an article announcing it writes it: "sẽ diễn ra từ ngày 5/3"
        self.held_re = re.compile(rf"(?<!\w)(?:{words_of('held')})\s+(?:(?:từ|vào|trong)\s+)?$")
        self.since_re = re.compile(rf"(?<!\w)(?:{words_of('since')})\s+$")
        self.ahead_re = re.compile(rf"(?<!\w)(?:{words_of('ahead')})(?!\w)[^.;,]{{0,40}}$")
        # an open bracket after a word of time relative to the page: "Vừa qua (ngày 15/11"
        self.relative_bracket_re = re.compile(rf"(?<!\w)(?:{relative})\s*\([^()]*$", re.IGNORECASE)
        # (a quoted name may close before the year: '"Tết trồng cây" năm 2017')
        self.season_re = re.compile(rf"(?<!\w)(?:{words_of('season')})(?:\s+[^\W\d]+[”\"»]?){{0,3}}\s+(?P<y>(?:19|20)\d{{2}})(?!\d)")
        self.anniversary_re = re.compile(rf"(?<!\w)(?:{words_of('anniversary')})\s+(?P<n>\d{{1,3}})\s+năm(?!\w)")
        self.founding_re = re.compile(rf"(?<!\w)(?:{words_of('founding')})(?!\w)[^.;]{{0,30}}?(?P<y>(?:19|20)\d{{2}})(?!\d)"
                                      # or a clause opening on the day of it: "Ngày 2/9/2005, Bộ … thành lập Công ty …"
                                      rf"|(?:^\W*(?:[Nn]gày\s+)?|(?<!\w)Ngày\s+)\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?P<y2>(?:19|20)\d{{2}})\s*,"
                                      rf"(?:(?!(?:{words_of('anniversary')})\s)[^.;])*?(?<!\w)(?:{words_of('founding')})(?!\w)", re.MULTILINE)
        # A page's own date: a full date, its parts also separated by spaces ("14 10 2019").
        self.page_date_re = bounded(
            r"(?:[Nn]gày\s+)?(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
            r"|[Nn]gày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})"
            r"|(?P<d4>\d{1,2})\s+(?P<m4>\d{1,2})\s+(?P<y4>(?:19|20)\d{2})"
            r"|(?P<y5>(?:19|20)\d{2})-(?P<m5>\d{2})-(?P<d5>\d{2})")  # ISO, as a content system prints it
        weekdays = alternation([r["word"] for r in rules.records("date_words") if r["kind"] == "weekday"],
                               case_first=False)
        clock = alternation([r["word"] for r in rules.records("date_words") if r["kind"] == "clock"], case_first=False)
        # What else a date line holds: a weekday, a time ("10:30", "10h30", "10g30"), am/pm, GMT+7.
        self.clock_re = re.compile(rf"(?<!\w)(?:{weekdays}|\d{{1,2}}\s*[:hg]\s*\d{{2}}(?::\d{{2}})?|{clock})(?!\w)",
                                   re.IGNORECASE)
        self.period_re = bounded(r"(?:(?P<kw>[Gg]iai đoạn|[Nn]hiệm kỳ|[Tt]hời kỳ|[Nn]ăm)\s+)?"
                                 r"(?P<a>(?:19|20)\d{2})\s*[-–]\s*(?P<b>(?:19|20)\d{2})")
        cues = rules.records("year_cues")
        programmes = alternation([c["cue"] for c in cues if c.get("programme")], case_first=False)
        self.single_re = bounded(rf"(?P<kw>{programmes})\s+năm\s+(?P<y>(?:19|20)\d{{2}})(?!\s*[-–]\s*\d)")
        self.year_re = bounded(r"[Nn]ăm\s+(?P<y>(?:19|20)\d{2})(?!\s*[-–]\s*\d)")
        self.cue_re = bounded(alternation([c["cue"] for c in cues if c["role"]], case_first=False))
        self.roles = {c["cue"].lower(): c["role"] for c in cues if c["role"]}
        self.elapsed_cues = frozenset(c["cue"].lower() for c in cues if c.get("elapsed"))
        self.trigger_re = re.compile(rf"(?:^|[(,;:–-]\s*|\b(?:{alternation(words['trigger'], case_first=False)})\s+)$",
                                     re.IGNORECASE)
        # What may stand before the date that opens a news item: a source tag ("(TTXVN) -", "ĐBP –",
        # "Baoquangninh.vn -"), a parenthesis, a lead-in word ("Vào", "Trong"), a number of days
        # ("hai ngày"), "Sáng nay (".
        counted = alternation([r["word"] for r in rules.records("number_words")
                               if r["role"] == "ten" or r["role"] == "digit" and 2 <= r["value"] <= 9], case_first=False)
        lead = alternation(words["lead_in"], case_first=False)
        # (a dash left of an outlet's code the page dropped: "- Ngày 12-10, …")
        self.lead_in_re = re.compile(
            r"\s*(?:[-–—]\s*)?(?:\([^()]{0,60}\)\s*(?:[-–—]\s*)?)?(?:[\w.&]+(?:\s+[\w.&]+){0,3}\s*[-–—]\s*)?"
            rf"(?:(?:{lead})\s+)?(?:(?:\d|{counted})\s+)?(?:ngày\s+)?"
            rf"(?:(?:{pod}|hôm)\s+(?:{relative})\s*\(\s*)?", re.IGNORECASE)


@builder
def dates_of(rules: Rules) -> DateGrammar:
    return DateGrammar(rules)


def _full(m: re.Match[str]) -> date | None:
    g = {k: v for k, v in m.groupdict().items() if v}
    try:
        return date(int(g.get("y") or g.get("y2") or g.get("y4") or g["y5"]),
                    int(g.get("m") or g.get("m2") or g.get("m4") or g["m5"]), int(g.get("d") or g.get("d2") or g.get("d4") or g["d5"]))
    except (KeyError, ValueError):
        return None


def page_date(line: str, rules: Rules) -> date | None:
    """The first full date (with its year) of a page's date line."""
    g = rules.compiled(dates_of)
    for m in g.page_date_re.finditer(line):
        if (found := _full(m)) is not None:
            return found
    return None


def is_date_line(line: str, rules: Rules) -> bool:
    """A line that is only the page's date: weekday, date, time, in any order, maybe in brackets
    ("Thứ Hai, 15/07/2023 10:30", "(21.03.2020 10:05)", "thứ hai, 14 10 2019 09:12")."""
    g = rules.compiled(dates_of)
    dates = list(g.page_date_re.finditer(line))
    if len(dates) != 1 or _full(dates[0]) is None:
        return False
    rest = line[:dates[0].start()] + " " + line[dates[0].end():]
    rest = _COUNTER.sub("", g.clock_re.sub(" ", rest))
    return not re.sub(r"[\s,|/()\[\]\-–—:.]+", "", rest)


_COUNTER = re.compile(r"\|\s*\d+\s*$")  # "14/07/2020 07:24 | 0": the comments or views after the date
