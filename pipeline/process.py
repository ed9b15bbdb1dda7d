"""One document -> its rows in every per-document table. Pure: what workers run.

Tokens, the largest table by far, are produced as columns (lists per column) rather than one
dict per row: it is what Arrow builds from fastest.
"""
from __future__ import annotations

from typing import Any

from .extract import extract
from .ingest import Document
from .segment import Segmented, segment, split_at

Rows = dict[str, list[dict[str, Any]]]
Columns = dict[str, dict[str, list[Any]]]


def _structure_rows(seg: Segmented) -> Rows:
    doc = seg.document
    text = doc.text
    return {
        "blocks": [
            {"doc_id": doc.doc_id, "block_idx": b.idx, "kind": b.kind, "text": b.text,
             "char_start": b.start, "char_end": b.end, "rule": b.rule}
            for b in doc.blocks
        ],
        "sentences": [
            {"doc_id": doc.doc_id, "sent_idx": s.idx, "block_idx": s.block_idx, "text": text[s.start:s.end],
             "char_start": s.start, "char_end": s.end}
            for s in seg.sentences
        ],
    }


def _token_columns(seg: Segmented) -> Columns:
    text, tokens = seg.document.text, seg.tokens
    return {"tokens": {
        "doc_id": [seg.document.doc_id] * len(tokens), "sent_idx": [t.sent_idx for t in tokens],
        "tok_idx": [t.idx for t in tokens], "text": [text[t.start:t.end] for t in tokens],
        "pos": [None] * len(tokens), "char_start": [t.start for t in tokens], "char_end": [t.end for t in tokens],
    }}


def document_row(doc: Document, *, province, event_date, version: str, run_id: str) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id, "source_file": doc.source_file, "source_path": doc.source_path,
        "title": doc.title, "text": doc.text, "published_date": doc.published_date,
        "event_date": event_date, "province": province, "authors": doc.authors,
        "content_sha256": doc.content_sha256, "n_bytes": doc.n_bytes,
        "pipeline_version": version, "run_id": run_id, "status": "active",
        "url": doc.url, "crawl_date": doc.crawl_date, "source_format": doc.source_format,
    }


def process_document(doc: Document, *, version: str, run_id: str) -> tuple[Rows, Columns]:
    """(rows per table, columns per table) of one document."""
    seg = segment(doc)
    found = extract(seg)
    # Every mention starts and ends on a token boundary (in ``tokens`` and in spaCy Docs).
    seg = split_at(seg, [x for m in found.rows["mentions"] for x in (m["char_start"], m["char_end"])])
    rows = _structure_rows(seg)
    rows.update(found.rows)
    rows["documents"] = [document_row(doc, province=found.province, event_date=found.event_date,
                                      version=version, run_id=run_id)]
    return rows, _token_columns(seg)
