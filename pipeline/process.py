"""One document -> its rows in every per-document table. Pure: what workers run.

Tokens, the largest table by far, are produced as columns (lists per column) rather than one
dict per row: it is what Arrow builds from fastest.
"""
from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from . import __version__
from . import rules as rule_files
from .admin2025 import province_2025
from .extract import extract
from .ingest import Document
from .rules import BUILDERS, Rules, RulesError
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


def document_row(doc: Document, *, province, event_date, version: str, run_id: str,
                 event_date_source: str | None = None) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id, "source_file": doc.source_file, "source_path": doc.source_path,
        "title": doc.title, "text": doc.text, "published_date": doc.published_date,
        "event_date": event_date, "event_date_source": event_date_source, "province": province, "province_2025": province_2025(province),
        "authors": doc.authors,
        "content_sha256": doc.content_sha256, "n_bytes": doc.n_bytes,
        "pipeline_version": version, "run_id": run_id, "status": "active",
        "url": doc.url, "crawl_date": doc.crawl_date, "source_format": doc.source_format,
        "source_encoding": doc.source_encoding,
    }


def process_document(doc: Document, *, version: str, run_id: str, rules: Rules | None = None) -> tuple[Rows, Columns]:
    """(rows per table, columns per table) of one document."""
    seg = segment(doc)
    found = extract(seg, rules)
    # Every mention starts and ends on a token boundary (in ``tokens`` and in spaCy Docs).
    seg = split_at(seg, [x for m in found.rows["mentions"] for x in (m["char_start"], m["char_end"])])
    rows = _structure_rows(seg)
    rows.update(found.rows)
    rows["documents"] = [document_row(doc, province=found.province, event_date=found.event_date,
                                      event_date_source=found.event_date_source,
                                      version=version, run_id=run_id)]
    return rows, _token_columns(seg)


def load_rules(user_dirs: Iterable[Path | str] = ()) -> Rules:
    """The package's rules plus the user's folders, every structure the extractors build from them
    built once: a rule that cannot be used raises :class:`RulesError` listing every ``file:line``.
    A process that runs again (a notebook, a service, a Dask worker) reads the files again but
    parses them only when their bytes changed."""
    dirs = [str(d) for d in user_dirs]
    key = _files_key(dirs)
    if (rules := _LOADED.get(key)) is None:
        rules = Rules.load(dirs)
        _LOADED.clear()  # one set of rules at a time: the cache never grows
        _LOADED[key] = rules
    assert BUILDERS, "the extractors declare their builders when imported"
    return rules


_LOADED: dict[str, Rules] = {}


def _files_key(dirs: list[str]) -> str:
    """Hash of every file's name and bytes in the package's rule folder and the user's folders."""
    h = hashlib.sha256()
    for folder in (rule_files.PACKAGE_DIR, *map(Path, dirs)):
        h.update(f"{folder}\0".encode())
        try:
            files = sorted(p for p in folder.iterdir() if p.is_file())
        except OSError:  # not a folder: Rules.load says so
            h.update(b"\1")
            continue
        for path in files:
            data = path.read_bytes()
            h.update(f"{path.name}\0{len(data)}\0".encode() + data)
    return h.hexdigest()


_PACKAGE = Path(__file__).parent


@cache
def _code_digest() -> str:
    """Hash of the modules that make a document's rows: this one and everything it imports from
    the package, found by reading the imports (the report's or the CLI's code is not among them)."""
    seen: set[Path] = set()
    todo = [Path(__file__)]
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        todo.extend(_imported(path))
    digest = hashlib.sha256()
    for path in sorted(seen):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _imported(path: Path) -> list[Path]:
    """The package's modules that ``path`` imports (relative imports and ``pipeline.*``)."""
    out = []
    here = path.parent
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.parent
            elif (node.module or "").split(".")[0] == "pipeline":
                base = _PACKAGE.parent
            else:
                continue
            parts = (node.module or "").split(".") if node.module else []
            target = base.joinpath(*parts)
            out += [target.with_suffix(".py"), target / "__init__.py"]
            out += [target / f"{a.name}.py" for a in node.names] + [target / a.name / "__init__.py" for a in node.names]
    return out


def pipeline_version(rules: Rules | None = None) -> str:
    """Package version + a hash of the code that makes the rows and of every rule (the package's
    and the user's): a change to either reprocesses; a change to the report does not."""
    rules = rules or Rules.default()
    digest = hashlib.sha256(f"{_code_digest()}|{rules.digest}".encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


__all__ = ["RulesError", "load_rules", "pipeline_version", "process_document"]
