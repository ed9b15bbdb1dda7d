"""underthesea -> sentences and word tokens with offsets into ``documents.text``; spaCy Doc.

This module is the one owner of tokenisation. Sentences are split per block, so a sentence
never spans two blocks. underthesea's ``word_tokenize`` joins the syllables of a word with a
space ("Ủy ban"); the aligner maps each token back to the text, where the syllables may be
separated by any white space (a page may break a line inside a word).

Words come from underthesea's model through :mod:`.wordseg`, which builds the model's features
from per-word memos (the same words as ``word_tokenize``, in less time).

POS tags are not computed: underthesea's ``pos_tag`` runs at about a quarter of the speed of
``word_tokenize`` and the rule-based extractors do not need them, so ``tokens.pos`` is null.
"""
from __future__ import annotations

import re
from bisect import bisect_right
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
    from underthesea import sent_tokenize  # heavy import, done once per process

    from .wordseg import word_tokenize

    return sent_tokenize, word_tokenize()


def align(text: str, pieces: list[str], *, base: int = 0) -> list[tuple[int, int]]:
    """Offsets of each piece in ``text`` (in order); a space inside a piece matches any white space.
    Between pieces only white space may be skipped: text is never lost."""
    spans, pos, n = [], 0, len(text)
    for piece in pieces:
        at = pos + 1 if text[pos:pos + 1] == " " else pos  # the common case: one space between words
        while at < n and text[at].isspace():
            at += 1
        if piece and text.startswith(piece, at) and not piece[0].isspace() and not piece[-1].isspace():
            # the common case: the word as written
            pos = at + len(piece)
            spans.append((base + at, base + pos))
            continue
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
        return align(text, word_tokenize(text), base=start)
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


def split_at(seg: Segmented, offsets) -> Segmented:
    """The same segmentation with every token that an offset falls inside cut there (white space
    at the cut goes to neither part), so each offset is a token boundary: the extractors match
    text, not tokens, and a mention may end inside an underthesea word ("Sở TNMT." is one word,
    the agency is "Sở TNMT"). Tokens are renumbered within their sentence."""
    cuts = sorted(set(offsets))
    starts = [t.start for t in seg.tokens]
    if not any(0 <= (i := bisect_right(starts, c) - 1) and c < seg.tokens[i].end and c > starts[i] for c in cuts):
        return seg  # the common case: every offset is a token boundary already
    text = seg.document.text
    tokens: list[Token] = []
    sent, idx = -1, 0
    for t in seg.tokens:
        if t.sent_idx != sent:
            sent, idx = t.sent_idx, 0
        start, i = t.start, bisect_right(cuts, t.start)
        if i == len(cuts) or cuts[i] >= t.end:  # the common case: no cut inside, the token as it was
            tokens.append(t if t.idx == idx else Token(sent, idx, t.start, t.end))
            idx += 1
            continue
        while i < len(cuts) and cuts[i] < t.end:
            left_end = start + len(text[start:cuts[i]].rstrip())
            if left_end > start:
                tokens.append(Token(sent, idx, start, left_end))
                idx += 1
            start = cuts[i] + len(text[cuts[i]:t.end]) - len(text[cuts[i]:t.end].lstrip())
            i += 1
        tokens.append(Token(sent, idx, start, t.end))
        idx += 1
    return Segmented(seg.document, seg.sentences, tokens)


@cache
def _vocab():
    import spacy

    # spaCy's own Vietnamese tokenizer (pyvi) is not used: tokens come from underthesea.
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}}).vocab


def to_spacy(seg: Segmented, vocab=None):
    """A spaCy Doc whose ``text`` equals ``documents.text``: white space between words that is
    not a single space becomes a token of its own, so ``doc.char_span`` takes document offsets."""
    return spacy_doc(seg.document.text, [(t.sent_idx, t.idx, t.start, t.end) for t in seg.tokens], vocab)


def spacy_doc(text: str, tokens, vocab=None):
    """A spaCy Doc over ``text`` from ``(sent_idx, tok_idx, char_start, char_end)`` tokens (as in the
    ``tokens`` table); the text between tokens becomes tokens too, so ``doc.text == text``."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    sent_starts: list[bool] = []
    tokens = sorted(tokens, key=lambda t: t[2])
    starts_at = {t[2] for t in tokens if t[1] == 0}

    def add(word: str, space: bool, sent_start: bool):
        words.append(word)
        spaces.append(space)
        sent_starts.append(sent_start)

    pos = 0
    for _, _, start, end in tokens:
        gap = text[pos:start]
        if gap == " " and words:
            spaces[-1] = True
        elif gap:
            add(gap, False, False)
        add(text[start:end], False, start in starts_at)
        pos = end
    if pos < len(text):
        add(text[pos:], False, False)
    if sent_starts:
        sent_starts[0] = True
    return Doc(vocab or _vocab(), words=words, spaces=spaces, sent_starts=sent_starts)
