import pytest
from hypothesis import given, settings, strategies as st

from pipeline.ingest import build_document
from pipeline.segment import AlignmentError, align, segment, to_spacy

WORDS = ["Ủy ban", "nhân dân", "tỉnh", "Lào Cai", "tổ chức", "hội nghị", "ngày", "14/1", "Sở", "TNMT", ",", ".",
         "bà", "Nguyễn Thị Hoa", "Phó", "Chủ tịch", "giai đoạn", "2021 – 2025", "(", ")", "“", "”", ":", "05"]
PAGE = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(" ".join), min_size=1, max_size=6)


@pytest.fixture(scope="module")
def segmented(seed_docs):
    return {name: segment(doc) for name, doc in seed_docs.items()}


def _check_invariants(seg):
    doc = seg.document
    blocks = {b.idx: b for b in doc.blocks}
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text
    for s in seg.sentences:
        block = blocks[s.block_idx]
        assert block.start <= s.start < s.end <= block.end, "a sentence never leaves its block"
    sent = {s.idx: s for s in seg.sentences}
    previous_end = 0
    for t in seg.tokens:
        assert sent[t.sent_idx].start <= t.start < t.end <= sent[t.sent_idx].end
        assert t.start >= previous_end
        previous_end = t.end
        assert doc.text[t.start:t.end].strip() == doc.text[t.start:t.end]


def test_offsets_index_the_document_text(segmented):
    for seg in segmented.values():
        _check_invariants(seg)
        # every non-space character of an article block lies in some token
        covered = sum(t.end - t.start for t in seg.tokens)
        assert covered >= sum(len("".join(b.text.split())) for b in seg.document.blocks)


def test_words_are_underthesea_words(segmented):
    seg = segmented["004_a65872c78abefae6.txt"]
    words = [seg.document.text[t.start:t.end] for t in seg.tokens]
    assert "Tài nguyên và Môi trường" in words or "Tài nguyên" in words
    assert "Lai Châu" in words


def test_spacy_doc_text_is_the_document_text(segmented):
    seg = segmented["000_0e3de3854a50d443.txt"]
    doc = to_spacy(seg)
    assert doc.text == seg.document.text
    span = doc.char_span(seg.tokens[5].start, seg.tokens[5].end)
    assert span is not None and span.text == seg.document.text[seg.tokens[5].start:seg.tokens[5].end]
    assert sum(1 for _ in doc.sents) >= len(seg.sentences)


def test_align_accepts_line_breaks_inside_words_and_rejects_strangers():
    assert align("Ủy\nban  tỉnh", ["Ủy ban", "tỉnh"]) == [(0, 6), (8, 12)]
    assert align("abc def\n", ["abc ", "def\n"]) == [(0, 3), (4, 7)]  # a piece's own white space is no word
    with pytest.raises(AlignmentError):
        align("Ủy ban", ["Hội"])


@settings(max_examples=25, deadline=None)
@given(PAGE)
def test_generated_pages_keep_every_offset_invariant(paragraphs):
    doc = build_document("\n\n".join(paragraphs), "gen.txt")
    _check_invariants(segment(doc))


@pytest.mark.parametrize("corpus", ["seed_out", "own_out"])
def test_every_mention_starts_and_ends_on_token_boundaries(corpus, request):
    """Mentions are found on the text; tokens are cut where a mention starts or ends inside an
    underthesea word ("Sở TNMT." is one word), so spans built from tokens hold every mention."""
    from pipeline import write

    out = request.getfixturevalue(corpus)
    texts = {d["doc_id"]: d["text"] for d in write.read(out, "documents", ["doc_id", "text"]).to_pylist()}
    tokens = write.read(out, "tokens").to_pylist()
    starts = {(t["doc_id"], t["char_start"]) for t in tokens}
    ends = {(t["doc_id"], t["char_end"]) for t in tokens}
    mentions = write.read(out, "mentions").to_pylist()
    assert len(mentions) > 100
    off = [m["mention_id"] for m in mentions if (m["doc_id"], m["char_start"]) not in starts
           or (m["doc_id"], m["char_end"]) not in ends]
    assert off == []
    for rows in (tokens, mentions, write.read(out, "sentences").to_pylist()):
        assert all(texts[r["doc_id"]][r["char_start"]:r["char_end"]] == r["text"] for r in rows)
    assert all(t["text"] == t["text"].strip() and t["text"] for t in tokens)
    keys = [(t["doc_id"], t["sent_idx"], t["tok_idx"]) for t in tokens]
    assert len(set(keys)) == len(keys)


def test_split_at_cuts_a_word_where_a_span_ends_and_keeps_the_invariants(segmented):
    from pipeline.segment import split_at

    seg = segmented["004_a65872c78abefae6.txt"]
    text = seg.document.text
    word = next(t for t in seg.tokens if " " in text[t.start:t.end])  # a word of two syllables or more
    cut = word.start + text[word.start:word.end].index(" ")
    split = split_at(seg, [cut, word.start, word.end])
    _check_invariants(split)
    assert len(split.tokens) == len(seg.tokens) + 1
    pieces = [text[t.start:t.end] for t in split.tokens if word.start <= t.start < word.end]
    assert " ".join(pieces) == " ".join(text[word.start:word.end].split()) and len(pieces) == 2
    by_sentence = [t.idx for t in split.tokens if t.sent_idx == word.sent_idx]
    assert by_sentence == list(range(len(by_sentence)))
    doc = to_spacy(split)
    assert doc.char_span(word.start, cut) is not None and doc.text == text
