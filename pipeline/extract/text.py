"""What every extractor shares: sentences, the mention fact, phrase patterns."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..patterns import ABBREVIATION, CAP_WORD, UPPER, alternation, bounded, phrase_pattern, squash

__all__ = ["ABBREVIATION", "CAP_WORD", "UPPER", "Sentence", "Span", "alternation", "bounded", "mention_id",
           "phrase_pattern", "span_in", "squash"]


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
                "details": dict(sorted(self.attrs.items())) or None, "rule": self.rule or None}


def span_in(s: Sentence, label: str, start: int, end: int, **kw) -> Span:
    """A span of sentence ``s`` given in sentence offsets."""
    return Span(label, s.start + start, s.start + end, s.text[start:end], s.idx, s.block_idx, **kw)
