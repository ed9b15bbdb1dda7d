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
from .context import Context
from .text import Span, alternation, bounded, mention_id, squash


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
        words = {k: [r["word"] for r in records if r["kind"] == k] for k in ("noun", "qualifier", "signing", "format")}
        self.nouns = {r["word"].lower(): r for r in records if r["kind"] == "noun"}
        self.signings = {r["word"].lower(): r for r in records if r["kind"] == "signing"}
        self.event_re = bounded(rf"(?P<noun>{alternation(words['noun'], case_first=False)})"
                                rf"(?:\s+(?P<fmt>{alternation(words['format'], case_first=False)}))?"
                                rf"(?:\s+(?P<qual>{alternation(words['qualifier'], case_first=False)}))?")
        self.signing_re = bounded(rf"và\s+(?P<sign>{alternation(words['signing'], case_first=False)})")
        self.format_re = bounded(alternation(words["format"], case_first=False))
        organise = [r for r in records if r["kind"] == "organise"]
        self.organise = {r["word"].lower(): r for r in organise}
        self.organise_re = bounded(rf"(?P<verb>{alternation([r['word'] for r in organise], case_first=False)})\s+"
                                   rf"(?P<qual>{alternation(words['qualifier'], case_first=False)})") if organise else None
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
    """Events of the first sentence of the lead that names one (else of the article: a lead of one
    sentence may only say what happened). An event noun inside a venue's name is none ("tại Trung
    tâm Hội nghị tỉnh")."""
    w = ctx.rules.compiled(event_words)
    lead = list(ctx.lead)
    for s in lead + [s for s in ctx.sentences if s not in lead]:
        matches = [m for m in w.event_re.finditer(s.text) if not _in_name(ctx, s, m.start())]
        if not matches and s in lead and w.organise_re and (o := w.organise_re.search(s.text)):
            entry = w.organise[squash(o.group("verb")).lower()]  # "UBND quận tổ chức tổng kết …"
            events = [Event(s.start + o.start("qual"), s.start + o.end(), o.group("qual"), s.idx, s.block_idx,
                            f"{entry['type']} {squash(o.group('qual')).lower()}", None, entry.where)]
            return events + _coordinated(w, s, o.end())
        if not matches and s in lead and w.ceremony_re and (c := w.ceremony_re.search(s.text)):
            entry = w.ceremonies[squash(c.group("verb")).lower()]  # "A và B đã ký kết chương trình hợp tác"
            return [Event(s.start + c.start(), s.start + c.end(), c.group(), s.idx, s.block_idx, entry["type"], None,
                          entry.where)]
        if not matches:
            continue
        fmt = w.format_re.search(s.text, matches[0].start())  # written in the name, or later in the sentence
        fmt_text = squash(fmt.group()).lower() if fmt else None
        events = []
        for m in matches[:1]:
            type_, where = _type(w, m)
            events.append(Event(s.start + m.start(), s.start + m.end(), m.group(), s.idx, s.block_idx, type_, fmt_text,
                                where))
        return events + _coordinated(w, s, matches[0].end())
    return []


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
