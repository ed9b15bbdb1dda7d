"""underthesea -> sentences and word tokens with offsets into ``documents.text``; spaCy Doc.

This module is the one owner of tokenisation. Sentences are split per block, so a sentence
never spans two blocks. underthesea's ``word_tokenize`` joins the syllables of a word with a
space ("Ủy ban"); the aligner maps each token back to the text, where the syllables may be
separated by any white space (a page may break a line inside a word).

POS tags are not computed: underthesea's ``pos_tag`` runs at about a quarter of the speed of
``word_tokenize`` and the rule-based extractors do not need them, so ``tokens.pos`` is null.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from .ingest import Block, Document


class Sentence(NamedTuple):
    idx: int
    block_idx: int
    start: int
    end: int


class Token(NamedTuple):  # tuples: tens of thousands are made per second
    sent_idx: int
    idx: int
    start: int
    end: int


@dataclass
class Segmented:
    document: Document
    sentences: list[Sentence]
    tokens: list[Token]

    def sentence_text(self, sentence: Sentence) -> str:
        return self.document.text[sentence.start:sentence.end]


class AlignmentError(ValueError):
    pass


@cache
def _underthesea():
    from underthesea import sent_tokenize, word_tokenize  # heavy import, done once per process

    return sent_tokenize, word_tokenize


def align(text: str, pieces: list[str], *, base: int = 0) -> list[tuple[int, int]]:
    """Offsets of each piece in ``text`` (in order); a space inside a piece matches any white space.
    Between pieces only white space may be skipped: text is never lost."""
    spans, pos = [], 0
    for piece in pieces:
        start = -1
        for part in piece.split():
            at = text.find(part, pos)
            if at < 0 or (at > pos and not text[pos:at].isspace()):
                raise AlignmentError(f"cannot align {piece!r} at {base + pos}")
            if start < 0:
                start = at
            pos = at + len(part)
        if start < 0:
            raise AlignmentError(f"empty piece at {base + pos}")
        spans.append((base + start, base + pos))
    return spans


_INNER_BOUNDARY = re.compile(r"[.!?…][\"”’)]*\s+\S")


def _sentence_spans(block: Block) -> list[tuple[int, int]]:
    if not _INNER_BOUNDARY.search(block.text):  # one sentence: no need to ask the splitter
        return [(block.start, block.end)]
    sent_tokenize, _ = _underthesea()
    pieces = [s for s in sent_tokenize(block.text) if s.strip()]
    try:
        return align(block.text, pieces, base=block.start)
    except AlignmentError:
        return [(block.start, block.end)]  # keep the block whole rather than lose text


def _token_spans(text: str, start: int) -> list[tuple[int, int]]:
    _, word_tokenize = _underthesea()
    try:
        return align(text, word_tokenize(text, use_token_normalize=False), base=start)
    except AlignmentError:  # fall back to white-space tokens: never drop text
        return align(text, text.split(), base=start)


def segment(document: Document) -> Segmented:
    """Sentences per block; words per block (one tokenizer call a block, as cheap as tokenising
    the page line by line), each word then given to the sentence that holds its start."""
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    for block in document.blocks:
        spans = _sentence_spans(block)
        first = len(sentences)
        sentences.extend(Sentence(first + i, block.idx, a, b) for i, (a, b) in enumerate(spans))
        current, tok_idx = first, 0
        for t_start, t_end in _token_spans(block.text, block.start):
            while current + 1 < len(sentences) and t_start >= sentences[current + 1].start:
                current, tok_idx = current + 1, 0
            if t_end > sentences[current].end:
                _stretch(sentences, current, t_end)
            tokens.append(Token(current, tok_idx, t_start, t_end))
            tok_idx += 1
    return Segmented(document, sentences, tokens)


def _stretch(sentences: list[Sentence], i: int, end: int) -> None:
    """A word the tokenizer ran across a sentence boundary stretches its sentence to hold it;
    the next sentence of the block then starts after it."""
    s = sentences[i]
    sentences[i] = Sentence(s.idx, s.block_idx, s.start, end)
    if i + 1 < len(sentences) and sentences[i + 1].block_idx == s.block_idx and sentences[i + 1].start < end:
        nxt = sentences[i + 1]
        sentences[i + 1] = Sentence(nxt.idx, nxt.block_idx, end, max(end, nxt.end))


@cache
def _vocab():
    import spacy

    # spaCy's own Vietnamese tokenizer (pyvi) is not used: tokens come from underthesea.
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}}).vocab


def to_spacy(seg: Segmented):
    """A spaCy Doc whose ``text`` equals ``documents.text``: white space between words that is
    not a single space becomes a token of its own, so ``doc.char_span`` takes document offsets."""
    from spacy.tokens import Doc

    text = seg.document.text
    words: list[str] = []
    spaces: list[bool] = []
    sent_starts: list[bool] = []
    starts_at = {seg.tokens[i].start for i in range(len(seg.tokens)) if seg.tokens[i].idx == 0}

    def add(word: str, space: bool, sent_start: bool):
        words.append(word)
        spaces.append(space)
        sent_starts.append(sent_start)

    pos = 0
    for token in seg.tokens:
        gap = text[pos:token.start]
        if gap == " " and words:
            spaces[-1] = True
        elif gap:
            add(gap, False, False)
        add(text[token.start:token.end], False, token.start in starts_at)
        pos = token.end
    if pos < len(text):
        add(text[pos:], False, False)
    if sent_starts:
        sent_starts[0] = True
    return Doc(_vocab(), words=words, spaces=spaces, sent_starts=sent_starts)
