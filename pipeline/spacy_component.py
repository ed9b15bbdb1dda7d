"""The ``vnpress`` spaCy component: the pipeline's segmentation and extraction on ``doc.text``.

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vnpress")          # registered through the ``spacy_factories`` entry point
    doc = nlp(text)
    doc.spans["vnpress"]             # every mention, overlaps allowed (kb_id_: person_id / agency_id)
    doc.ents                         # a non-overlapping choice of them
    doc._.roles, doc._.dates, doc._.counts, doc._.periods, doc._.legal_refs, doc._.events

The component runs ``process.process_document`` (the function a pipeline worker runs on one
document), so the spans are the rows ``vnpress run`` writes, and it returns a new Doc tokenised
by underthesea, as ``tokens`` is: every mention lands on token boundaries. Put it first in a
pipeline. The fact extensions hold plain values (ISO dates, ``char_start``/``char_end`` into
``doc.text``, tuples of dicts) so that a ``DocBin`` keeps them; ``doc.char_span(f["char_start"], f["char_end"])``
gives a fact's span. Text that normalisation changes (NFD, "hoà", CRLF) is mapped back, so
``doc.text`` is always the text given.

This module is imported by spaCy whenever it builds a pipeline: the heavy imports are deferred.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

SPANS_KEY = "vnpress"
FACTS = ("roles", "dates", "periods", "counts", "legal_refs", "events")
DOC_VALUES = ("doc_id", "province", "event_date", "published_date")
# Which span wins where two overlap in doc.ents: the longer; at equal length, the earlier label here.
ENT_PRIORITY = ("PERSON", "AGENCY", "TITLE", "LOCATION", "DATE", "PERIOD", "LEGAL_REF", "COUNT", "EVENT")


def register_extensions() -> None:
    """Doc extensions for the facts and ``Span._.mention_id``; call it before reading a DocBin in a
    fresh process (``read_docbin`` does)."""
    for name in FACTS + DOC_VALUES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("mention_id"):
        Span.set_extension("mention_id", getter=lambda s: f"{s.doc._.doc_id}:{s.label_}:{s.start_char}-{s.end_char}")


@Language.factory("vnpress", default_config={"spans_key": SPANS_KEY})
def make_vnpress(nlp: Language, name: str, spans_key: str) -> "VnpressComponent":
    return VnpressComponent(nlp, name, spans_key=spans_key)


class VnpressComponent:
    def __init__(self, nlp: Language, name: str = "vnpress", *, spans_key: str = SPANS_KEY):
        self.vocab, self.name, self.spans_key = nlp.vocab, name, spans_key
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        from . import __version__
        from .errors import IngestError
        from .ingest import build_document
        from .process import process_document

        try:
            document = build_document(doc.text, "spacy")
        except IngestError as exc:
            if exc.reason != "empty":
                raise ValueError(f"vnpress cannot process this text: {exc}") from exc
            return doc_from_rows(self.vocab, doc.text, [], {"mentions": []}, spans_key=self.spans_key)
        rows, columns = process_document(document, version=__version__, run_id="spacy")
        t = columns["tokens"]
        tokens = list(zip(t["sent_idx"], t["tok_idx"], t["char_start"], t["char_end"]))
        if document.text != doc.text:
            offsets = OffsetMap(document.text, doc.text)
            tokens, rows = offsets.tokens(tokens), offsets.rows(rows)
        return doc_from_rows(self.vocab, doc.text, tokens, rows, spans_key=self.spans_key)


class OffsetMap:
    """Offsets into the normalised text -> offsets into the text as given (difflib alignment):
    exact inside unchanged stretches; a start inside a changed stretch goes to its start, an end
    to its end."""

    def __init__(self, normalised: str, original: str):
        from difflib import SequenceMatcher

        self.ops = SequenceMatcher(None, normalised, original, autojunk=False).get_opcodes()
        self.starts = [op[1] for op in self.ops]

    def _op(self, i: int, end: bool):
        # a start belongs to the last stretch beginning at or before it; an end to the last one
        # beginning before it (an end on a stretch's first offset closes the stretch before)
        k = (bisect_left if end else bisect_right)(self.starts, i) - 1
        return self.ops[max(k, 0)]

    def start(self, i: int) -> int:
        tag, i1, _, j1, j2 = self._op(i, False)
        return j1 + (i - i1) if tag == "equal" else j1

    def end(self, i: int) -> int:
        tag, i1, _, j1, j2 = self._op(i, True)
        return j1 + (i - i1) if tag == "equal" else j2

    def tokens(self, tokens: list[tuple]) -> list[tuple]:
        mapped = [(s, i, self.start(a), self.end(b)) for s, i, a, b in tokens]
        return [t for t in mapped if t[2] < t[3]]

    def rows(self, rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
        mentions = []
        for m in rows["mentions"]:
            start, end = self.start(m["char_start"]), self.end(m["char_end"])
            mentions.append({**m, "char_start": start, "char_end": end,
                             "mention_id": f"{m['doc_id']}:{m['label']}:{start}-{end}", "old_id": m["mention_id"]})
        ids = {m.pop("old_id"): m["mention_id"] for m in mentions}
        out = {name: [{**r, "mention_id": ids.get(r["mention_id"], r["mention_id"])} for r in rows.get(name, [])]
               for name in FACTS}
        return {**rows, **out, "mentions": mentions}


def _choose_ents(spans: list[Span]) -> list[Span]:
    rank = {label: i for i, label in enumerate(ENT_PRIORITY)}
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), rank.get(s.label_, 99), s.start)):
        if not taken.intersection(range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def _plain(value: Any) -> Any:
    from .formats import jsonable

    return jsonable(value)


def _facts(rows: dict[str, list[dict]], mentions: dict[str, dict]) -> dict[str, list[dict]]:
    """Fact rows as plain dicts with the offsets of their mention; roles with the names of the person
    and the agency as this document writes them."""
    names = {m["entity_id"]: m["normalized"] for m in rows["mentions"] if m["entity_id"]}
    out: dict[str, list[dict]] = {}
    for name in FACTS:
        facts = []
        for r in sorted(rows.get(name, []), key=lambda r: (mentions.get(r["mention_id"], {}).get("char_start", -1),
                                                           r["mention_id"])):
            m = mentions.get(r["mention_id"], {})
            fact = {k: _plain(v) for k, v in r.items() if k != "doc_id"}
            if name == "roles":
                fact["person"], fact["agency"] = names.get(r["person_id"]), names.get(r["agency_id"])
            fact["char_start"], fact["char_end"] = m.get("char_start"), m.get("char_end")
            facts.append(fact)
        out[name] = facts
    return out


def doc_from_rows(vocab, text: str, tokens: list[tuple], rows: dict[str, list[dict]], *,
                  spans_key: str = SPANS_KEY) -> Doc:
    """A Doc over ``text`` from one document's rows (as ``process_document`` returns them or as the
    tables hold them): ``tokens`` are ``(sent_idx, tok_idx, char_start, char_end)``."""
    from .segment import spacy_doc

    register_extensions()
    doc = spacy_doc(text, tokens, vocab)
    mentions = sorted(rows["mentions"], key=lambda m: (m["char_start"], m["char_end"], m["label"]))
    spans = []
    for m in mentions:
        span = doc.char_span(m["char_start"], m["char_end"], label=m["label"], kb_id=m["entity_id"] or "")
        if span is None:
            raise ValueError(f"mention {m['mention_id']} does not fall on token boundaries")
        spans.append(span)
    doc.spans[spans_key] = spans
    doc.ents = _choose_ents(spans)
    for name, facts in _facts(rows, {m["mention_id"]: m for m in mentions}).items():
        setattr(doc._, name, tuple(facts))  # a tuple: what a DocBin gives back (msgpack arrays load as tuples)
    document = (rows.get("documents") or [{}])[0]
    for name in DOC_VALUES:
        setattr(doc._, name, _plain(document.get(name)))
    return doc


def read_docbin(path, vocab=None) -> list[Doc]:
    """The Docs of a DocBin written by ``vnpress export --docbin``, extensions registered."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    register_extensions()
    return list(DocBin().from_disk(path).get_docs(vocab or Vocab()))
