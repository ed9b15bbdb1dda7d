"""Helpers every extractor shares: spans, phrase patterns, the article sentences."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from ..ingest import ARTICLE_KINDS
from ..segment import Segmented


@dataclass(frozen=True)
class Sentence:
    """An article sentence: its text and where it starts in ``documents.text``."""
    idx: int
    block_idx: int
    start: int
    text: str
    word_ends: frozenset[int] = frozenset()  # where underthesea's words end, offsets into ``text``


@dataclass
class Span:
    label: str
    start: int
    end: int
    text: str
    sent_idx: int | None = None
    block_idx: int | None = None
    entity_id: str | None = None
    normalized: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)


def article_sentences(seg: Segmented) -> list[Sentence]:
    """Sentences of title, body and caption blocks: the only text facts are taken from."""
    kinds = {b.idx: b.kind for b in seg.document.blocks}
    article = {s.idx: s for s in seg.sentences if kinds[s.block_idx] in ARTICLE_KINDS}
    ends: dict[int, set[int]] = {i: set() for i in article}
    for t in seg.tokens:
        if t.sent_idx in ends:
            ends[t.sent_idx].add(t.end - article[t.sent_idx].start)
    return [Sentence(s.idx, s.block_idx, s.start, seg.document.text[s.start:s.end], frozenset(ends[s.idx]))
            for s in article.values()]


def phrase_pattern(phrase: str, *, case_first: bool = True, exact: bool = False) -> str:
    """Regex for a lexicon phrase: any white space between words; the first letter keeps its case
    (a capitalised head is what makes "Hội" an agency and "hội" a meeting), the rest folds case
    unless ``exact``."""
    words = phrase.split()
    body = r"\s+".join(re.escape(w) for w in words)
    if exact:
        return body
    if case_first and body:
        first, rest = body[0], body[1:]
        return f"{first}(?i:{rest})" if rest else first
    return f"(?i:{body})"


def alternation(phrases: Iterable[str], **kw) -> str:
    """Longest phrases first so the regex prefers "Ủy ban MTTQ Việt Nam" to "Ủy ban MTTQ"."""
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(phrase_pattern(p, **kw) for p in unique)


def bounded(pattern: str) -> re.Pattern[str]:
    """Compile with word boundaries that also work next to "&", "/" and "."."""
    return re.compile(rf"(?<![\w&])(?:{pattern})(?![\w&])")


def _upper_letters() -> str:
    ranges = [(0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)]
    return "".join(chr(c) for a, b in ranges for c in range(a, b) if chr(c).isupper())


UPPER = _upper_letters()
# A capitalised word: "Lào", "Kỹ", "Dato’"; and an upper-case abbreviation: "TNMT", "TN&MT", "GD-ĐT".
CAP_WORD = rf"[{UPPER}][\w’']*"
ABBREVIATION = re.compile(rf"[{UPPER}][{UPPER}0-9&\-.]*[{UPPER}0-9]")
