"""The meetings a press release reports: "Hội nghị tập huấn", "Hội nghị tổng kết", "Lễ ký kết" …

Read from the title and the lead (the first body sentence that names a gathering): an event noun
with what it does ("Hội nghị" + "tập huấn"), and a signing coordinated with it ("… và ký kết
Chương trình …"). The format ("trực tuyến") is the one the lead names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..rules import Rules, builder
from . import digest
from .context import Context
from .text import UPPER, Span, alternation, bounded, mention_id, squash


@dataclass
class Event:
    start: int
    end: int
    text: str
    sent_idx: int
    block_idx: int
    type: str
    format: str | None
    rule: str = ""

    def span(self) -> Span:
        return Span("EVENT", self.start, self.end, self.text, self.sent_idx, self.block_idx, normalized=self.type,
                    rule=self.rule)

    def row(self, doc_id: str, event_date: date | None) -> dict[str, Any]:
        return {"doc_id": doc_id, "mention_id": mention_id(doc_id, "EVENT", self.start, self.end), "type": self.type,
                "date": event_date, "format": self.format, "text": self.text}


class EventWords:
    def __init__(self, rules: Rules):
        records = rules.records("events")
        words = {k: [r["word"] for r in records if r["kind"] == k]
                 for k in ("noun", "qualifier", "signing", "format", "not_qualifier", "plan", "setting")}
        # "tổ chức trao đổi kinh nghiệm" is no "trao" (the words a qualifier opens that are none)
        qual = rf"(?!(?:{alternation(words['not_qualifier'] or ['(?!x)x'], case_first=False)})(?!\w))" \
               rf"(?P<qual>{alternation(words['qualifier'], case_first=False)})"
        self.nouns = {r["word"].lower(): r for r in records if r["kind"] == "noun"}
        self.signings = {r["word"].lower(): r for r in records if r["kind"] == "signing"}
        self.event_re = bounded(rf"(?P<noun>{alternation(words['noun'], case_first=False)})"
                                rf"(?:\s+(?P<fmt>{alternation(words['format'], case_first=False)}))?"
                                rf"(?:\s+{qual})?")
        self.signing_re = bounded(rf"và\s+(?P<sign>{alternation(words['signing'], case_first=False)})")
        self.format_re = bounded(alternation(words["format"], case_first=False))
        organise = [r for r in records if r["kind"] == "organise"]
        self.organise = {r["word"].lower(): r for r in organise}
        self.organise_re = bounded(rf"(?P<verb>{alternation([r['word'] for r in organise], case_first=False)})\s+{qual}") \
            if organise else None
        self.qualifiers = {r["word"].lower(): r for r in records if r["kind"] == "qualifier"}
        self.organise_any = bounded(alternation([r["word"] for r in organise], case_first=False)) if organise else None
        # "Cùng ngày, …", "QUẢNG NGÃI- Sáng cùng ngày, …" (the words of dates.jsonl and parts_of_day.txt)
        same_day = [r["word"] for r in rules.records("date_words") if r["kind"] == "same_day"]
        parts = alternation(rules.words("parts_of_day"), case_first=False)
        self.same_day_re = re.compile(rf"^(?:.{{0,40}}?[-–]\s*)?(?:(?:{parts})\s+)?(?:{alternation(same_day, case_first=False)})"
                                      r"\s*,", re.IGNORECASE) if same_day else None
        self.headline_verbs = {r["word"].lower(): r for r in records if r["kind"] == "headline_verb"}
        self.headline_re = bounded(rf"(?P<verb>{alternation(list(self.headline_verbs), case_first=False)})") \
            if self.headline_verbs else None
        self.level_words = {r["word"].lower() for r in rules.records("levels")}
        about = [r["word"] for r in records if r["kind"] == "about"]
        self.about_re = re.compile(rf"(?<!\w)(?:{alternation(about, case_first=False)})\s+$") if about else None
        series = [r["word"] for r in records if r["kind"] == "series"]
        self.series_re = re.compile(rf"(?:\s+[{UPPER}][\w&.\-]*(?:\s+(?![{UPPER}])\w+)?){{1,3}}\s+(?:{alternation(series, case_first=False)})(?!\w)") \
            if series else None  # "Đại hội Công đoàn các cấp" (not "Hội nghị tập huấn cho cán bộ … các cấp")
        self.plan_re = re.compile(rf"(?<!\w)(?:{alternation(words['plan'], case_first=False)})(?!\w)") if words["plan"] else None
        self.setting_re = re.compile(rf"(?<!\w)(?:{alternation(words['setting'], case_first=False)})(?!\w)") \
            if words["setting"] else None
        held = [r["word"] for r in rules.records("date_words") if r["kind"] == "held"] + [
            r["word"] for r in records if r["kind"] == "held"]  # a gathering held: "diễn ra", "khai mạc"
        self.held_re = re.compile(rf"(?<!\w)(?:{alternation(held, case_first=False)})(?!\w)")
        directive = [r["word"] for r in records if r["kind"] == "directive"]
        self.directive_re = bounded(alternation(directive, case_first=False)) if directive else None
        ceremonies = [r for r in records if r["kind"] == "ceremony"]
        self.ceremonies = {r["word"].lower(): r for r in ceremonies}
        self.ceremony_re = re.compile(rf"(?<!nội dung )(?<!những )(?<!các )(?:đã|vừa)\s+(?:chính thức\s+)?"
                                      rf"(?P<verb>{alternation([r['word'] for r in ceremonies], case_first=False)})(?!\w)") \
            if ceremonies else None


@builder
def event_words(rules: Rules) -> EventWords:
    return EventWords(rules)


def _type(w: EventWords, m: re.Match[str]) -> tuple[str, str]:
    entry = w.nouns[squash(m.group("noun")).lower()]
    noun = entry.get("type") or entry["word"]
    qual = m.group("qual")
    return (f"{noun} {squash(qual).lower()}" if qual else noun), entry.where


def find(ctx: Context) -> list[Event]:
    """Events of the first sentence of the lead that names one; else the headline's own activity
    ("Ban Dân tộc HĐND tỉnh giám sát …"); else the first sentence of the article that names one (a
    lead of one sentence may only say what happened; not in a digest, whose items have no main event). Then the gatherings later sentences report on
    the same day ("Cùng ngày, X cũng tổ chức họp báo …"). An event noun inside a venue's name is none
    ("tại Trung tâm Hội nghị tỉnh")."""
    w = ctx.rules.compiled(event_words)
    lead = list(ctx.lead)
    several = digest.is_digest(ctx)
    if several:  # one paragraph may carry every item: the first sentence is the lead of the first one
        lead = [s for i, s in enumerate(lead) if i == 0 or ctx.block_kinds[s.block_idx] == "title"]
    events = next((e for s in lead if (e := _of_sentence(ctx, w, s, lead=True))), None) or _headline(ctx, w) \
        or ([] if several else
            next((e for s in ctx.sentences if s not in lead and (e := _of_sentence(ctx, w, s, lead=False))
                  and _reported_held(w, s, e[0])), []))
    return events + _same_day(ctx, w, events[0].sent_idx) if events else []


_DAY = re.compile(r"(?<![\w/])\d{1,2}\s*[/.-]\s*\d{1,2}(?!\d|[.,]\d)|(?<!\w)ngày\s+\d", re.IGNORECASE)


def _reported_held(w: EventWords, s, e: Event) -> bool:
    """A gathering a later sentence names is the article's when that sentence says it was held: organised
    ("tổ chức Hội nghị …"), held ("… đã diễn ra"), or on a day ("Ngày 24/5, Đại hội …"); not a photo's
    caption run into the next paragraph ("Lễ ra mắt CĐ cơ sở X Về nội dung tuyên truyền, …")."""
    at = e.start - s.start
    return bool(w.organise_any and w.organise_any.search(s.text, 0, at) or w.held_re.search(s.text, at)
                or _DAY.search(s.text))


def _of_sentence(ctx: Context, w: EventWords, s, lead: bool) -> list[Event]:
    matches = _nouns(ctx, w, s)
    noun, organised = _organised(w, s.text, matches)
    if noun is not None:  # "Trong Chương trình Lễ kỷ niệm …, Hội X tổ chức Lễ trao …": what it organises
        matches = [m for m in matches if m.start() >= noun.start()]
    elif organised is not None and lead and not any(m.start() > organised.start() for m in matches) and (
            not matches or w.setting_re and w.setting_re.search(s.text, 0, matches[0].start())):
        return [_organised_event(w, s, organised)] + _coordinated(w, s, organised.end())
    if not matches and lead and w.ceremony_re and (c := w.ceremony_re.search(s.text)):
        entry = w.ceremonies[squash(c.group("verb")).lower()]  # "A và B đã ký kết chương trình hợp tác"
        return [Event(s.start + c.start(), s.start + c.end(), c.group(), s.idx, s.block_idx, entry["type"], None,
                      entry.where)]
    if not matches:
        return []
    fmt = w.format_re.search(s.text, matches[0].start())  # written in the name, or later in the sentence
    fmt_text = squash(fmt.group()).lower() if fmt else None
    m = matches[0]
    type_, where = _type(w, m)
    return [Event(s.start + m.start(), s.start + m.end(), m.group(), s.idx, s.block_idx, type_, fmt_text, where)] \
        + _coordinated(w, s, m.end())


def _nouns(ctx: Context, w: EventWords, s) -> list[re.Match[str]]:
    """The event nouns of a sentence that report a gathering: not part of a name, not what a
    sentence is about ("tuyên truyền Đại hội …", "tiến tới Đại hội …"), not a series at every level
    ("Đại hội Công đoàn các cấp")."""
    return [m for m in w.event_re.finditer(s.text) if not _in_name(ctx, s, m.start()) and _fits(w, s.text, m)
            and not (w.about_re and w.about_re.search(s.text, max(0, m.start() - 30), m.start()))
            and not (w.series_re and m.group("qual") is None and w.series_re.match(s.text, m.end()))]


def _fits(w: EventWords, text: str, m: re.Match[str]) -> bool:
    """A noun that needs what follows: "buổi tiếp ông X" / "buổi tiếp Đại sứ …", not "buổi tiếp theo"."""
    entry = w.nouns[squash(m.group("noun")).lower()]
    if entry.get("held") and not (w.organise_any and w.organise_any.search(text, max(0, m.start() - 12), m.start())
                                  or w.held_re.search(text, m.end())):
        return False  # "Kỳ thi": one held or organised here ("Kỳ thi … diễn ra", "tổ chức kỳ thi"), not talked about
    then = entry.get("then")
    following = text[m.end():].split(maxsplit=1)
    return not then or bool(following) and (following[0][:1].isupper() or following[0].lower() in then)


def _organised(w: EventWords, text: str, matches: list[re.Match[str]]):
    """What the first organising verb of a sentence organises: an event noun right after it ("tổ
    chức Lễ trao …"), or a qualifier ("tổ chức tổng kết …"); (noun match, verb + qualifier match)."""
    if not w.organise_any:
        return None, None
    starts = {m.start(): m for m in matches}
    for v in w.organise_any.finditer(text):
        at = v.end() + len(text[v.end():]) - len(text[v.end():].lstrip())
        if at in starts:
            return starts[at], None
        if (o := w.organise_re.match(text, v.start())) and _allowed(w, o) \
                and not (w.directive_re and w.directive_re.search(text, 0, v.start())):
            return None, o
    return None, None


def _allowed(w: EventWords, o: re.Match[str]) -> bool:
    only = w.organise[squash(o.group("verb")).lower()].get("only")
    return not only or squash(o.group("qual")).lower() in only


def _organised_event(w: EventWords, s, o: re.Match[str]) -> Event:
    """"UBND quận tổ chức tổng kết …" is a Hội nghị tổng kết; "tổ chức trao …" a Lễ trao."""
    entry = w.organise[squash(o.group("verb")).lower()]
    qual = squash(o.group("qual")).lower()
    noun = w.qualifiers.get(qual, {}).get("type") or entry["type"]
    return Event(s.start + o.start("qual"), s.start + o.end(), o.group("qual"), s.idx, s.block_idx, f"{noun} {qual}",
                 None, entry.where)


def _headline(ctx: Context, w: EventWords) -> list[Event]:
    """A headline whose own verb is an activity on what it names next: "Giám sát tình hình …", "HĐND
    tỉnh giám sát việc …" (opening the headline, or after a body: a level word or an abbreviation
    before it; not "Tăng cường giám sát", "Camera giám sát", "Giám sát chặt chẽ …")."""
    if not w.headline_re:
        return []
    for s in ctx.sentences:
        if ctx.block_kinds[s.block_idx] != "title":
            continue
        for m in w.headline_re.finditer(s.text):
            before, rest = s.text[:m.start()].split(), s.text[m.end():].strip().lower() + " "
            entry = w.headline_verbs[squash(m.group("verb")).lower()]
            body = any(b.isupper() and len(b) > 1 or b.lower() in w.level_words for b in before)  # "HĐND huyện X"
            if (not before or body) and rest.startswith(tuple(f"{t} " for t in entry.get("then", ()))):
                return [Event(s.start + m.start(), s.start + m.end(), m.group(), s.idx, s.block_idx, entry["type"],
                              None, entry.where)]
    return []


def _same_day(ctx: Context, w: EventWords, after: int) -> list[Event]:
    """Another gathering a later paragraph reports on the same day: "Cùng ngày, X (cũng) tổ chức họp
    báo …" (what a "tổ chức" right before it organises). Not the same one going on ("Chiều cùng ngày,
    hội nghị thảo luận …", "Cùng ngày, Hội nghị cũng tiến hành tổng kết"), one planned or asked of others
    ("ban hành kế hoạch tổ chức …", "yêu cầu các xã tổ chức …"), or a day of history ("Cùng ngày, năm 1975")."""
    if not w.same_day_re:
        return []
    out = []
    for s in ctx.sentences:
        if s.idx <= after or ctx.block_kinds[s.block_idx] != "body" or not (cue := w.same_day_re.search(s.text)):
            continue
        rest = s.text[cue.end():].lstrip()
        if rest.lower().startswith("năm ") or w.event_re.match(rest):
            continue
        noun, organised = _organised(w, s.text, _nouns(ctx, w, s))
        verb_at = (noun or organised).start() if noun or organised else 0
        if any(r and r.search(s.text, cue.end(), verb_at) for r in (w.plan_re, w.directive_re)):
            continue
        if noun is not None:
            type_, where = _type(w, noun)
            out.append(Event(s.start + noun.start(), s.start + noun.end(), noun.group(), s.idx, s.block_idx, type_,
                             None, where))
        elif organised is not None:
            out.append(_organised_event(w, s, organised))
    return out


def _coordinated(w: EventWords, s, after: int) -> list[Event]:
    """Events joined to the first by "và": "… và ký kết Chương trình …", "… và ra mắt …"."""
    out = []
    for m in w.signing_re.finditer(s.text, after):
        word = squash(m.group("sign"))
        entry = w.signings.get(word.lower())
        out.append(Event(s.start + m.start("sign"), s.start + m.end("sign"), m.group("sign"), s.idx,
                         s.block_idx, word[0].upper() + word[1:], None, entry.where if entry else "events.signing"))
    return out


def _in_name(ctx: Context, s, pos: int) -> bool:
    """The word before is capitalised: the event noun is part of a name ("Trung tâm Hội nghị tỉnh")."""
    at = s.start + pos
    before = [t for t in ctx.tokens.get(s.idx, ()) if t[1] <= at]
    if not before or s.text[:pos].rstrip()[-1:] in ",.;:(\"“":
        return False
    a, b = before[-1]
    word = ctx.doc.text[a:b]
    return word[:1].isupper() and a > s.start  # not the sentence's first word
