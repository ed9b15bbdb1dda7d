"""What every extractor shares: sentences, the mention fact, phrase patterns."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable


@dataclass(frozen=True)
class Sentence:
    """An article sentence: its text and where it starts in ``documents.text``."""
    idx: int
    block_idx: int
    start: int
    text: str
    word_ends: frozenset[int] = frozenset()  # where underthesea's words end, offsets into ``text``


def mention_id(doc_id: str, label: str, start: int, end: int) -> str:
    return f"{doc_id}:{label}:{start}-{end}"


@dataclass
class Span:
    """A mention: a labelled stretch of ``documents.text`` and the rule that found it.

    ``rule`` is where the rule is written (``titles.jsonl:12``) or the name of a grammar rule
    (``persons.title_before_name``)."""
    label: str
    start: int
    end: int
    text: str
    sent_idx: int | None = None
    block_idx: int | None = None
    entity_id: str | None = None
    normalized: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    rule: str = ""

    def mention_id(self, doc_id: str) -> str:
        return mention_id(doc_id, self.label, self.start, self.end)

    def mention_row(self, doc_id: str) -> dict[str, Any]:
        """The row of this span in ``mentions``."""
        return {"doc_id": doc_id, "mention_id": self.mention_id(doc_id), "sent_idx": self.sent_idx,
                "block_idx": self.block_idx, "label": self.label, "text": self.text, "char_start": self.start,
                "char_end": self.end, "entity_id": self.entity_id, "normalized": self.normalized,
                "attrs": dict(sorted(self.attrs.items())) or None, "rule": self.rule or None}


def span_in(s: Sentence, label: str, start: int, end: int, **kw) -> Span:
    """A span of sentence ``s`` given in sentence offsets."""
    return Span(label, s.start + start, s.start + end, s.text[start:end], s.idx, s.block_idx, **kw)


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


def squash(text: str) -> str:
    """White space runs -> one space: how a phrase is written in a canonical value."""
    return " ".join(text.split())


def _upper_letters() -> str:
    ranges = [(0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)]
    return "".join(chr(c) for a, b in ranges for c in range(a, b) if chr(c).isupper())


UPPER = _upper_letters()
# A capitalised word: "Lào", "Kỹ", "Dato’"; and an upper-case abbreviation: "TNMT", "TN&MT", "GD-ĐT".
CAP_WORD = rf"[{UPPER}][\w’']*"
ABBREVIATION = re.compile(rf"[{UPPER}][{UPPER}0-9&\-.]*[{UPPER}0-9]")
