"""`vnpress export`: the current snapshot in formats other tools read (a spaCy DocBin).

The Docs are built from the tables, not by running the extraction again, with the same function
the spaCy component uses (``spacy_component.doc_from_rows``): a Doc from ``export`` and one from
``nlp(documents.text)`` hold the same tokens, spans, entities and facts.

Every per-document table is sorted by ``doc_id`` first, so each is read once, batch by batch, and
its rows are grouped as the documents go by: memory holds one document's rows per table (and
the DocBin being built), not whole tables.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq

from . import write
from .spacy_component import FACTS, doc_from_rows

_TABLES = ("documents", "tokens", "mentions") + FACTS


class _Grouped:
    """Rows of one table, handed out document by document in ``doc_id`` order."""

    def __init__(self, path: Path | None, columns: list[str] | None = None):
        self._rows = self._iter(path, columns)
        self._next = next(self._rows, None)

    @staticmethod
    def _iter(path: Path | None, columns) -> Iterator[dict]:
        if path is None or not path.exists():
            return
        for batch in pq.ParquetFile(path).iter_batches(batch_size=8192, columns=columns):
            yield from batch.to_pylist()

    def take(self, doc_id: str) -> list[dict]:
        out = []
        while self._next is not None and self._next["doc_id"] < doc_id:  # rows of no document: skipped
            self._next = next(self._rows, None)
        while self._next is not None and self._next["doc_id"] == doc_id:
            out.append(self._next)
            self._next = next(self._rows, None)
        return out


def iter_docs(out_dir: Path, vocab=None):
    """One spaCy Doc per document of the current snapshot, in ``doc_id`` order."""
    from spacy.vocab import Vocab

    vocab = vocab or Vocab()
    snapshot = write.current_snapshot(out_dir)
    paths = {name: snapshot / name / "part-0.parquet" for name in _TABLES}
    tables = {name: _Grouped(paths[name]) for name in _TABLES if name != "documents"}
    for batch in pq.ParquetFile(paths["documents"]).iter_batches(batch_size=64):
        for document in batch.to_pylist():
            rows = {name: g.take(document["doc_id"]) for name, g in tables.items()}
            tokens = [(t["sent_idx"], t["tok_idx"], t["char_start"], t["char_end"]) for t in rows.pop("tokens")]
            yield doc_from_rows(vocab, document["text"], tokens, {**rows, "documents": [document]})


def write_docbin(out_dir: Path, target: Path) -> int:
    """Write every document as a Doc into a DocBin at ``target`` (user data kept); returns the count."""
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=True)
    n = 0
    for n, doc in enumerate(iter_docs(out_dir), 1):
        docbin.add(doc)
    target.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(target)
    return n
