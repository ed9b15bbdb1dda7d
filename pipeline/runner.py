"""A run: discover inputs, ingest, decide what is due, map, resolve, publish.

Incremental: a document whose normalised content was already processed by the same pipeline
version keeps its rows; only new or changed documents are processed. An unchanged rerun
publishes nothing (it only appends its line to the ``runs`` log).
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa
import pyarrow.compute as pc

from . import programme_ids, write
from .config import Settings
from .engine import map_documents
from .errors import IngestError
from .ingest import Document, FileRef, discover, read_item
from .sources import iter_items
from .process import pipeline_version
from .rules import Rules
from .resolve import resolve_tables
from .schemas import DOC_TABLES

log = logging.getLogger("vnpress")


@dataclass
class RunSummary:
    run_id: str
    out_dir: Path
    n_input: int = 0
    n_new: int = 0
    n_skipped: int = 0
    n_failed: int = 0
    n_removed: int = 0
    n_documents: int = 0
    published: bool = False
    seconds: float = 0.0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """Every input is accounted for: processed, skipped (unchanged or duplicate) or failed."""
        return self.n_input == self.n_new + self.n_skipped + self.n_failed

    def line(self) -> str:
        state = "published" if self.published else "nothing changed, outputs kept"
        check = "accounted for" if self.balanced else "NOT ACCOUNTED FOR"
        return (f"vnpress run {self.run_id}: {self.n_input} inputs = {self.n_new} processed + "
                f"{self.n_skipped} skipped + {self.n_failed} failed ({check}), {self.n_removed} removed; "
                f"{self.n_documents} documents in {self.out_dir} ({state}) in {self.seconds:.1f}s")


def _error_row(run_id: str, path: Path | str, stage: str, reason: str, message: str) -> dict[str, Any]:
    p = Path(str(path).split("!")[0].split("#")[0])
    try:
        data = p.read_bytes() if p.is_file() and p.stat().st_size < 1 << 30 else b""
    except OSError:
        data = b""
    return {"run_id": run_id, "source_path": str(path), "stage": stage, "reason": reason, "error": message,
            "n_bytes": len(data), "sha256": hashlib.sha256(data).hexdigest() if data else None}


def _ingest(paths: list[Path], settings: Settings, run_id: str, summary: RunSummary, rules: Rules) -> list:
    """Every item of every input (a file, a dump's row, an archive's member) as a document (a file
    on disk as a ``FileRef``: read again when its batch is due) or an error row;
    ``summary.n_input`` counts the items."""
    docs: dict[str, Document | FileRef] = {}
    for item in (item for path in paths for item in iter_items(path, settings)):
        summary.n_input += 1
        try:
            doc = read_item(item, settings, rules)
        except IngestError as exc:
            summary.errors.append(_error_row(run_id, item.source_path, "ingest", exc.reason, str(exc)))
            continue
        except Exception as exc:  # a decoder or the HTML extractor choking on hostile input
            summary.errors.append(_error_row(run_id, item.source_path, "ingest", "crash",
                                             f"{type(exc).__name__}: {exc}"))
            continue
        path = item.source_path
        if doc.doc_id in docs:
            first = docs[doc.doc_id].source_path
            summary.errors.append(_error_row(run_id, path, "skip", "duplicate", f"same content as {first}"))
            continue
        on_disk = item.data is not None and "!" not in path
        docs[doc.doc_id] = FileRef(path, path, doc.doc_id, settings, rules) if on_disk else doc
    return list(docs.values())


def _keep(table: pa.Table, doc_ids: set[str]) -> pa.Table:
    if not doc_ids or table.num_rows == 0:
        return table.slice(0, 0)
    return table.filter(pc.is_in(table["doc_id"], value_set=pa.array(sorted(doc_ids), pa.string())))


def _mark_removed(documents: pa.Table, gone: set[str]) -> pa.Table:
    status = pc.if_else(pc.is_in(documents["doc_id"], value_set=pa.array(sorted(gone), pa.string())),
                        "removed", documents["status"])
    return documents.set_column(documents.schema.get_field_index("status"), documents.schema.field("status"), status)


def run(inputs: list[Path], out_dir: Path, settings: Settings = Settings(), *, engine: str = "process",
        workers: int | None = None, scheduler: str | None = None, drop_removed: bool = False,
        progress: Callable[[int], Callable[[int], None]] | None = None, rules: Rules | None = None) -> RunSummary:
    """Process ``inputs`` into ``out_dir`` with ``rules`` (the package's when None). ``progress(total)``
    returns a callback told how many documents each finished batch held."""
    rules = rules or Rules.default()
    started = datetime.now(timezone.utc)
    t0 = time.monotonic()
    version = pipeline_version(rules)
    paths = discover(inputs, settings)
    run_id = started.strftime("%Y%m%dT%H%M%S%fZ") + "-" + hashlib.sha256(
        "\n".join(map(str, paths)).encode()).hexdigest()[:8]
    summary = RunSummary(run_id, out_dir)
    docs = _ingest(paths, settings, run_id, summary, rules)
    current_ids = {d.doc_id for d in docs}
    present_paths = {d.source_path for d in docs} | {e["source_path"] for e in summary.errors}

    previous = write.read(out_dir, "documents", ["doc_id", "pipeline_version", "source_path", "status"])
    prev = {r["doc_id"]: r for r in previous.to_pylist()}
    due = [d for d in docs if prev.get(d.doc_id, {}).get("pipeline_version") != version]
    del docs  # the engine releases the due documents batch by batch
    kept = current_ids - {d.doc_id for d in due}
    # A previous document whose file is gone is kept and marked removed; one whose file changed is replaced.
    gone = {i for i, r in prev.items() if i not in current_ids and r["source_path"] not in present_paths}
    newly_gone = {i for i in gone if prev[i]["status"] != "removed"}
    summary.n_removed = len(gone)
    summary.n_skipped = len(kept) + sum(1 for e in summary.errors if e["stage"] == "skip")

    replaced = set(prev) - current_ids - gone
    changed = bool(due or newly_gone or replaced or (drop_removed and gone))
    if changed or write.current_snapshot(out_dir) is None:
        out_dir.mkdir(parents=True, exist_ok=True)
        writer = write.SnapshotWriter(out_dir, run_id)
        # Documents go in doc_id order, so each batch's rows (sorted by their key, which starts with
        # doc_id) follow the previous batch's: the new rows stream to disk already sorted.
        due.sort(key=lambda d: d.doc_id)
        advance = progress(len(due)) if progress else None
        for result in map_documents(due, version=version, run_id=run_id, engine=engine,
                                    workers=workers or settings.workers, batch_size=settings.batch_size,
                                    scheduler=scheduler, rules=rules):
            for source_path, stage, message in result.failures:
                summary.errors.append(_error_row(run_id, source_path, stage, "crash", message))
            summary.n_new += result.n_ok
            for name, table in result.tables.items():
                writer.append(name, table)
            if advance:
                advance(result.n_ok + len(result.failures))
        retained = kept | (set() if drop_removed else gone)
        for name in DOC_TABLES:
            old = _keep(write.read(out_dir, name), retained)
            if old.num_rows:
                writer.replace(name, write.sort(pa.concat_tables([old, writer.read(name)]), name))
            del old
        if not drop_removed and gone:
            writer.replace("documents", _mark_removed(writer.read("documents"), gone))
        mentions = writer.read("mentions", ["doc_id", "label", "text", "entity_id", "normalized", "details"],
                               filters=[("label", "in", ["PERSON", "AGENCY"])])
        resolved = resolve_tables(mentions)
        for name, table in resolved.items():
            writer.replace(name, table)
        documents = writer.read("documents", ["doc_id", "source_file", "province"])
        for name, table in programme_ids.resolve_tables(writer.read, resolved["agencies"], documents).items():
            writer.replace(name, table)
        writer.commit()
        summary.published = True
    summary.n_failed = sum(1 for e in summary.errors if e["stage"] != "skip")
    summary.n_documents = write.count_rows(out_dir, "documents")
    summary.seconds = time.monotonic() - t0
    finished = datetime.now(timezone.utc).replace(microsecond=0)
    write.append_log(out_dir, "errors", run_id, write.to_arrow("errors", summary.errors))
    write.append_log(out_dir, "runs", run_id, write.to_arrow("runs", [{
        "run_id": run_id, "started_at": started, "finished_at": finished, "pipeline_version": version,
        "n_input": summary.n_input, "n_new": summary.n_new, "n_skipped": summary.n_skipped,
        "n_failed": summary.n_failed, "n_removed": summary.n_removed, "published": summary.published}]))
    return summary
