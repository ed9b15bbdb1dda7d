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
        words = {k: [r["word"] for r in records if r["kind"] == k] for k in ("noun", "qualifier", "signing", "format")}
        self.nouns = {r["word"].lower(): r for r in records if r["kind"] == "noun"}
        self.signings = {r["word"].lower(): r for r in records if r["kind"] == "signing"}
        self.event_re = bounded(rf"(?P<noun>{alternation(words['noun'], case_first=False)})"
                                rf"(?:\s+(?P<qual>{alternation(words['qualifier'], case_first=False)}))?")
        self.signing_re = bounded(rf"và\s+(?P<sign>{alternation(words['signing'], case_first=False)})")
        self.format_re = bounded(alternation(words["format"], case_first=False))


@builder
def event_words(rules: Rules) -> EventWords:
    return EventWords(rules)


def _type(w: EventWords, m: re.Match[str]) -> tuple[str, str]:
    entry = w.nouns[squash(m.group("noun")).lower()]
    qual = m.group("qual")
    return (f"{entry['word']} {squash(qual).lower()}" if qual else entry["word"]), entry.where


_NAME_BEFORE = re.compile(rf"(?<!\w)[{UPPER}]\w*\s+$")  # "Trung tâm Hội nghị": part of a name


def find(ctx: Context) -> list[Event]:
    """Events of the first sentence of the lead that names one (else of the article: a lead of one
    sentence may only say what happened). An event noun inside a venue's name is none ("tại Trung
    tâm Hội nghị tỉnh")."""
    w = ctx.rules.compiled(event_words)
    lead = list(ctx.lead)
    for s in lead + [s for s in ctx.sentences if s not in lead]:
        matches = [m for m in w.event_re.finditer(s.text) if not _NAME_BEFORE.search(s.text, 0, m.start())]
        if not matches:
            continue
        fmt = w.format_re.search(s.text, matches[0].start())
        fmt_text = squash(fmt.group()).lower() if fmt else None
        events = []
        for m in matches[:1]:
            type_, where = _type(w, m)
            events.append(Event(s.start + m.start(), s.start + m.end(), m.group(), s.idx, s.block_idx, type_, fmt_text,
                                where))
        for m in w.signing_re.finditer(s.text, matches[0].end()):
            word = squash(m.group("sign"))
            entry = w.signings.get(word.lower())
            events.append(Event(s.start + m.start("sign"), s.start + m.end("sign"), m.group("sign"), s.idx,
                                s.block_idx, word[0].upper() + word[1:], None, entry.where if entry else "events.signing"))
        return events
    return []
