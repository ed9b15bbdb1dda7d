"""The meetings a press release reports: "Hội nghị tập huấn", "Hội nghị tổng kết", "Lễ ký kết" …

Read from the title and the lead (the first body sentence that names a gathering): an event noun
with what it does ("Hội nghị" + "tập huấn"), and a signing coordinated with it ("… và ký kết
Chương trình …"). The format ("trực tuyến") is the one the lead names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lexicon
from .text import Sentence, alternation, bounded

_FIELDS = (lexicon.Field("kind"), lexicon.Field("word"))


@dataclass
class Event:
    start: int
    end: int
    text: str
    sent_idx: int
    block_idx: int
    type: str
    format: str | None


@cache
def _lexicon():
    records = lexicon.records("events", _FIELDS)
    words = {k: [r["word"] for r in records if r["kind"] == k] for k in ("noun", "qualifier", "signing", "format")}
    nouns = {w.lower(): w for w in words["noun"]}
    event_re = bounded(rf"(?P<noun>{alternation(words['noun'], case_first=False)})"
                       rf"(?:\s+(?P<qual>{alternation(words['qualifier'], case_first=False)}))?")
    signing_re = bounded(rf"và\s+(?P<sign>{alternation(words['signing'], case_first=False)})")
    format_re = bounded(alternation(words["format"], case_first=False))
    return event_re, signing_re, format_re, nouns


def _type(m: re.Match[str], nouns: dict[str, str]) -> str:
    noun = nouns[" ".join(m.group("noun").split()).lower()]
    qual = m.group("qual")
    return f"{noun} {' '.join(qual.split()).lower()}" if qual else noun


def find_events(lead: list[Sentence]) -> list[Event]:
    """Events of the first sentence in ``lead`` that names one."""
    event_re, signing_re, format_re, nouns = _lexicon()
    for s in lead:
        matches = list(event_re.finditer(s.text))
        if not matches:
            continue
        fmt = format_re.search(s.text, matches[0].start())
        fmt_text = " ".join(fmt.group().split()).lower() if fmt else None
        events = [Event(s.start + m.start(), s.start + m.end(), m.group(), s.idx, s.block_idx, _type(m, nouns), fmt_text)
                  for m in matches[:1]]
        for m in signing_re.finditer(s.text, matches[0].end()):
            word = " ".join(m.group("sign").split())
            events.append(Event(s.start + m.start("sign"), s.start + m.end("sign"), m.group("sign"), s.idx,
                                s.block_idx, word[0].upper() + word[1:], None))
        return events
    return []
