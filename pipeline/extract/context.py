"""The one object every extractor family reads: a document's article sentences and the rules.

``Context.of(seg, rules)`` is built once per document; families take it and return facts, never
changing the context or another family's facts. The only thing added on the way is the
document's province (:meth:`Context.with_province`), decided from the places before the
families that qualify bodies with it run.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from ..ingest import ARTICLE_KINDS, Document
from ..rules import Rules
from ..segment import Segmented
from .text import Sentence


@dataclass(frozen=True)
class Context:
    doc: Document
    rules: Rules
    sentences: tuple[Sentence, ...]           # title, body and caption sentences: the only text facts come from
    datelines: tuple[Sentence, ...]           # the page's date lines (one "sentence" per block)
    tokens: Mapping[int, tuple[tuple[int, int], ...]]  # sentence idx -> its words (document offsets)
    block_kinds: Mapping[int, str]
    province: str | None = None
    # what several families read the same way, worked out once per document (titles.title_matches)
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, seg: Segmented, rules: Rules) -> "Context":
        doc = seg.document
        kinds = {b.idx: b.kind for b in doc.blocks}
        article = {s.idx: s for s in seg.sentences if kinds[s.block_idx] in ARTICLE_KINDS}
        words: dict[int, list[tuple[int, int]]] = {i: [] for i in article}
        for t in seg.tokens:
            if t.sent_idx in words:
                words[t.sent_idx].append((t.start, t.end))
        sentences = tuple(Sentence(s.idx, s.block_idx, s.start, doc.text[s.start:s.end],
                                   frozenset(b - s.start for _, b in words[s.idx])) for s in article.values())
        datelines = tuple(Sentence(-1, b.idx, b.start, doc.text[b.start:b.end])
                          for b in doc.blocks if b.kind == "dateline")
        return cls(doc, rules, sentences, datelines, {i: tuple(w) for i, w in words.items()}, kinds)

    def with_province(self, province: str | None) -> "Context":
        return replace(self, province=province)

    @property
    def title_block(self) -> int | None:
        return next((b.idx for b in self.doc.blocks if b.kind == "title"), None)

    @property
    def lead(self) -> tuple[Sentence, ...]:
        """The first body paragraph, then the title (a title names the event less precisely)."""
        first_body = next((b.idx for b in self.doc.blocks if b.kind == "body"), None)
        return (tuple(s for s in self.sentences if s.block_idx == first_body)
                + tuple(s for s in self.sentences if self.block_kinds[s.block_idx] == "title"))
