"""A run: discover inputs, ingest, decide what is due, map, resolve, publish.

Incremental: a document whose normalised content was already processed by the same pipeline
version keeps its rows; only new or changed documents are processed. An unchanged rerun
publishes nothing (it only appends its line to the ``runs`` log).
"""
from __future__ import annotations

import gc
import hashlib
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from . import preflight, programme_ids, write
from .config import Settings
from .engine import Identified, Mapper
from .errors import LockedError, PreflightError, RunError
from .ingest import discover
from .sources import iter_items, shown
from .lock import OutLock
from .process import pipeline_version
from .refs import Ref, Spool, forget_recent, ref_of
from .plan import Plan, Previous, failure_guard, removal_guard, update_documents
from .plan import make as _plan  # runner._plan: where tests change an input between reading and processing
from .rules import Rules
from .resolve import resolve_tables
from .schemas import SNAPSHOT_TABLES, TABLES

log = logging.getLogger("vnpress")


@dataclass
class RunSummary:
    run_id: str
    out_dir: Path
    n_input: int = 0
    n_new: int = 0
    n_skipped: int = 0
    n_failed: int = 0
    n_due: int = 0
    n_removed: int = 0
    n_restored: int = 0
    n_documents: int = 0
    published: bool = False
    outcome: str = "unchanged"   # published, unchanged, refused, failed, locked (schemas: runs.outcome)
    message: str | None = None   # why it did not publish
    snapshot: str | None = None
    seconds: float = 0.0
    logged: bool = False         # its runs row was written
    version: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """Every input is accounted for: processed, skipped (unchanged or duplicate) or failed."""
        return self.n_input == self.n_new + self.n_skipped + self.n_failed

    @property
    def refused(self) -> bool:
        return self.outcome == "refused"

    def line(self) -> str:
        state = {"published": "published", "unchanged": "nothing changed, outputs kept"}.get(
            self.outcome, f"NOT PUBLISHED, last snapshot kept: {self.message}")
        check = "accounted for" if self.balanced else "NOT ACCOUNTED FOR"
        restored = f", {self.n_restored} restored" if self.n_restored else ""
        return (f"vnpress run {self.run_id}: {self.n_input} inputs = {self.n_new} processed + "
                f"{self.n_skipped} skipped + {self.n_failed} failed ({check}), {self.n_removed} removed{restored}; "
                f"{self.n_documents} documents in {self.out_dir} ({state}) in {self.seconds:.1f}s")


def _error_row(run_id: str, path: str, stage: str, reason: str, message: str, *, n_bytes: int = 0,
               sha256: str | None = None, severity: str | None = None) -> dict[str, Any]:
    return {"run_id": run_id, "source_path": shown(path), "stage": stage, "reason": reason, "error": message,
            "n_bytes": n_bytes, "sha256": sha256,
            "severity": severity or ("skipped" if stage == "skip" else "error"), "kept_doc_id": None}


def _scan(paths: list[Path], settings: Settings, spool: Spool, summary: RunSummary) -> list[Ref]:
    """Every item of every input (a file, a dump's row, an archive's member) as a ``Ref`` (a
    container's items are spooled as they are read) or an error row; counts the items."""
    refs = []
    for path in paths:
        for item in iter_items(path, settings):
            summary.n_input += 1
            if item.error is not None:
                summary.errors.append(_error_row(summary.run_id, item.source_path, "ingest", item.error.reason,
                                                 str(item.error), n_bytes=item.n_bytes, sha256=item.sha256))
            else:
                refs.append(ref_of(item, settings, spool))
    spool.flush()
    return refs


def _ingest(refs: list[Ref], mapper: Mapper, summary: RunSummary,
            known: dict[str, tuple[tuple[int, ...], str]]) -> tuple[list[Ref], dict[str, tuple]]:
    """Each ref named by its document id, or an error row: a file listed as it was when the
    published snapshot was made (``known``: size, times, inode) keeps its id without being
    read; the others are read by the workers. The first of several inputs with the same
    content is kept, the others are duplicates. Returns the refs with their ids, and per source
    path (n_bytes, sha256) to report a later failure."""
    docs: dict[str, Ref] = {}
    sizes: dict[str, tuple] = {}
    run_id = summary.run_id

    def seen(ref: Ref) -> str | None:
        record = known.get(ref.source_path)
        return record[1] if record and ref.stat is not None and record[0] == ref.stat else None

    unread = [ref for ref in refs if seen(ref) is None]
    read = mapper.ingest(unread)
    for ref in refs:
        doc_id = seen(ref)
        if doc_id is not None:
            found = Identified(ref.source_path, doc_id, n_bytes=ref.stat[0])
        else:
            found = next(read)
        where = {"n_bytes": found.n_bytes, "sha256": found.sha256}
        for warning in found.warnings:
            summary.errors.append(_error_row(run_id, ref.source_path, found.stage, "bad_bytes", warning,
                                             severity="warning", **where))
        if found.doc_id is None:
            summary.errors.append(_error_row(run_id, ref.source_path, found.stage, found.reason, found.message,
                                             **where))
        elif found.doc_id in docs:
            first = docs[found.doc_id].source_path
            summary.errors.append(_error_row(run_id, ref.source_path, "skip", "duplicate",
                                             f"same content as {first}", **where))
        else:
            docs[found.doc_id] = ref.with_id(found.doc_id)
            sizes[ref.source_path] = (found.n_bytes, found.sha256)
    return list(docs.values()), sizes


def _map_and_publish(summary: RunSummary, plan: Plan, prev: Previous, sizes: dict, out_dir: Path,
                     settings: Settings, mapper: Mapper, *, drop_removed: bool, progress, files: list) -> None:
    run_id = summary.run_id
    keeps = plan.kept | plan.held | (set() if drop_removed else plan.gone)
    writer = write.SnapshotWriter(out_dir, run_id, documents=len(keeps | {d.doc_id for d in plan.due}))
    try:
        due = plan.due
        due.sort(key=lambda d: d.doc_id)  # each batch's rows follow the previous batch's: streamed sorted
        processed: set[str] = set()
        advance = progress(len(due)) if progress else None
        for result in mapper.process(due):
            for source_path, stage, reason, message in result.failures:
                n_bytes, sha = sizes.get(source_path, (0, None))
                summary.errors.append(_error_row(run_id, source_path, stage, reason, message, n_bytes=n_bytes,
                                                 sha256=sha))
            summary.n_new += result.n_ok
            for name, table in result.tables.items():
                if name == "documents":
                    processed.update(table["doc_id"].to_pylist())
                writer.append(name, table)
            if advance:
                advance(result.n_ok + len(result.failures))
        summary.n_failed = sum(1 for e in summary.errors if e["severity"] == "error")
        # A failed input keeps the rows it had: the document previously read from its path.
        held = {}
        for e in summary.errors:
            if e["severity"] == "error":
                ids = [i for i in prev.under(e["source_path"], folder=e["stage"] == "discover") if i not in processed]
                held.update(dict.fromkeys(ids))
                if ids:
                    e["kept_doc_id"] = ids[0]
                    e["error"] += f"; previous rows kept ({len(ids)} document{'s' if len(ids) > 1 else ''}, "\
                                  f"doc_id {ids[0]})"
        replaced = set(prev.rows) - plan.kept - plan.gone - set(held)
        refused = failure_guard(summary.n_failed, summary.n_due, settings)
        changed = summary.n_new or plan.newly_gone or replaced or plan.restored or plan.moved or \
            (drop_removed and plan.gone)
        current = write.current_snapshot(out_dir)
        inputs = write.inputs_table([f for f in files if f[2] in plan.kept or f[2] in processed], summary.version)
        if refused or not (changed or current is None):
            writer.abort()
            summary.outcome, summary.message = ("refused", refused) if refused else ("unchanged", None)
            if not refused and settings.quick_check and not write.read_inputs(current, summary.version) == \
                    write.read_inputs_table(inputs):
                write.write_inputs(current, inputs)  # files touched but unchanged: not read again next time
            return
        retained = (plan.kept | set(held) | (set() if drop_removed else plan.gone)) - processed
        dropped = set(prev.rows) - retained - processed
        touched = (set() if drop_removed else plan.newly_gone) | plan.restored | set(plan.moved)
        writer.finish(write.Carry(write.current_snapshot(out_dir), retained, processed | dropped, touched,
                                  lambda documents: update_documents(documents, plan, drop_removed)))
        mentions = writer.read_parts("mentions", ["doc_id", "label", "text", "entity_id", "normalized", "details"],
                                     filters=[("label", "in", ["PERSON", "AGENCY"])])
        resolved = resolve_tables(mentions)  # bucket by bucket
        for name, table in resolved.items():
            writer.replace(name, table)
        # programmes across documents: one id per instrument in the whole corpus
        documents = writer.read("documents", ["doc_id", "source_file", "province"])
        for name, table in programme_ids.resolve_tables(writer.read, resolved["agencies"], documents).items():
            if TABLES[name].per_document:
                writer.rewrite(name, table)
            else:
                writer.replace(name, table)
        writer.commit(keep=settings.keep_snapshots, meta={"pipeline_version": summary.version}, inputs=inputs)
    except OSError as exc:
        writer.abort()
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        raise RunError(f"could not write the new snapshot under {out_dir}: {exc.strerror or exc}{where}; "
                       "the last snapshot is unchanged") from exc
    except BaseException:
        writer.abort()
        raise
    summary.published, summary.outcome = True, "published"
    summary.n_restored = len(plan.restored)


def _discover(inputs: list[Path], settings: Settings, summary: RunSummary) -> list[Path]:
    """Input files; a folder that cannot be listed is an error row (its documents are kept)."""
    unreadable: list[tuple[str, OSError]] = []
    paths = discover(inputs, settings, on_error=lambda path, exc: unreadable.append((path, exc)))
    for path, exc in unreadable:
        summary.n_input += 1
        summary.errors.append(_error_row(summary.run_id, path, "discover", "unreadable",
                                         f"cannot list the folder: {exc.strerror or exc}"))
    return paths


def _run_locked(summary: RunSummary, inputs: list[Path], out_dir: Path, settings: Settings, *, engine: str,
                workers: int | None, scheduler: str | None, drop_removed: bool, progress,
                rules: Rules | None) -> None:
    # The rules first: loaded, checked and built once here (a bad rule fails the preflight, not
    # every document); forked workers inherit them as built.
    if rules is None:
        rules = preflight.load_rules(settings.rules)
    summary.version = pipeline_version(rules)
    with Mapper(engine=engine, workers=workers or settings.workers, scheduler=scheduler, version=summary.version,
                run_id=summary.run_id, timeout=settings.doc_timeout, batch_size=settings.batch_size,
                rules=rules) as mapper:
        forget_recent()  # nothing read by an earlier run in this process is reused
        mapper.start()  # workers are forked before the driver has read anything
        previous_snapshot = write.current_snapshot(out_dir)
        preflight.check_out(out_dir, previous_snapshot)
        if previous_snapshot is not None:
            write.repair_links(out_dir)
        preflight.check_inputs(inputs)
        previous = write.read(out_dir, "documents", ["doc_id", "pipeline_version", "source_path", "status"])

        spool = Spool(out_dir / write.SNAPSHOTS / f"{write.SPOOL}{summary.run_id}")
        try:
            paths = _discover(inputs, settings, summary)
            refs = _scan(paths, settings, spool, summary)
            known = write.read_inputs(previous_snapshot, summary.version) if settings.quick_check else {}
            docs, sizes = _ingest(refs, mapper, summary, known)
            del refs, known
            files = [(d.source_path, d.stat, d.doc_id) for d in docs if d.stat is not None]
            prev = Previous(previous)
            del previous
            plan = _plan(prev, docs, summary.errors, summary.version)
            del docs  # the engine releases the due documents batch by batch
            summary.n_removed = len(plan.gone)
            summary.n_skipped = len(plan.kept) + sum(1 for e in summary.errors if e["severity"] == "skipped")
            summary.n_due = len(plan.due) + sum(1 for e in summary.errors if e["severity"] == "error")
            summary.n_failed = sum(1 for e in summary.errors if e["severity"] == "error")
            refused = removal_guard(plan, len(prev.rows), drop_removed, settings)
            if refused:
                summary.n_skipped += len(plan.due)  # not processed: the run stops before the work
                summary.outcome, summary.message = "refused", refused
                return
            _map_and_publish(summary, plan, prev, sizes, out_dir, settings, mapper, drop_removed=drop_removed,
                             progress=progress, files=files)
        except OSError as exc:
            raise RunError(f"could not write under {out_dir}: {exc.strerror or exc}; the last snapshot is "
                           "unchanged") from exc
        finally:
            spool.close()
            forget_recent()


def _write_logs(out_dir: Path, summary: RunSummary, started: datetime, version: str) -> None:
    finished = datetime.now(timezone.utc).replace(microsecond=0)
    current = write.current_snapshot(out_dir)
    summary.snapshot = current.name if current else None
    write.append_log(out_dir, "errors", summary.run_id, write.to_arrow("errors", summary.errors))
    write.append_log(out_dir, "runs", summary.run_id, write.to_arrow("runs", [{
        "run_id": summary.run_id, "started_at": started, "finished_at": finished, "pipeline_version": version,
        "n_input": summary.n_input, "n_new": summary.n_new, "n_skipped": summary.n_skipped,
        "n_failed": summary.n_failed, "n_removed": summary.n_removed, "published": summary.published,
        "n_restored": summary.n_restored, "outcome": summary.outcome, "message": summary.message,
        "snapshot": summary.snapshot}]))


def new_run_id(started: datetime, inputs: list[Path], kind: str = "") -> str:
    """UTC start time and a hash of the inputs as given (bytes, so any file name hashes)."""
    digest = hashlib.sha256(b"\0".join(os.fsencode(p) for p in inputs) + kind.encode()).hexdigest()[:8]
    return started.strftime("%Y%m%dT%H%M%S%fZ") + "-" + digest


# A run makes millions of small objects that die young and hold no cycles (rows, spans, tokens): with
# the collector's default gen-0 threshold (700) it runs every few hundred of them and rescans what
# survives, about a tenth of a one-worker run. Raised for the run (forked workers inherit it); what
# the process held before the run is frozen out of the collector's scans (and of copy-on-write pages).
GC_THRESHOLDS = (20_000, 20, 20)


@contextmanager
def _collector_for_batch():
    old, ours = gc.get_threshold(), gc.get_freeze_count() == 0  # a host that froze its own objects keeps them
    if ours:
        gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if ours:
            gc.unfreeze()


def run(inputs: list[Path], out_dir: Path, settings: Settings = Settings(), *, engine: str = "process",
        workers: int | None = None, scheduler: str | None = None, drop_removed: bool = False, wait: float = 0.0,
        progress: Callable[[int], Callable[[int], None]] | None = None, rules: Rules | None = None) -> RunSummary:
    """Process ``inputs`` into ``out_dir`` with ``rules`` (a loaded ``rules.Rules``; when None, the
    package's plus the folders of ``settings.rules``, loaded by the preflight). ``progress(total)``
    returns a callback told how many documents each finished batch held. Raises ``RunError`` (one
    line; ``preflight.RulesError`` lists every ``file:line``) when the run could not be made:
    another command holds ``out_dir`` (``LockedError``), a preflight check failed, or the new
    snapshot could not be written; the last snapshot is then unchanged."""
    started = datetime.now(timezone.utc)
    t0 = time.monotonic()
    inputs = [Path(p) for p in inputs]
    summary = RunSummary(new_run_id(started, inputs), out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PreflightError(f"cannot create --out {out_dir}: {exc.strerror or exc}") from None
    # Arrow's default allocator (mimalloc) keeps what the run frees; the system one gives it back,
    # which keeps the driver's peak flat (10,000 small documents: 208 -> 155 MiB).
    pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        with OutLock(out_dir, summary.run_id, wait=wait), _collector_for_batch():
            try:
                _run_locked(summary, inputs, out_dir, settings, engine=engine, workers=workers,
                            scheduler=scheduler, drop_removed=drop_removed, progress=progress, rules=rules)
            except BaseException as exc:
                summary.outcome = "failed"
                message = str(exc) if isinstance(exc, RunError) else f"{type(exc).__name__}: {exc}"
                summary.message = "; ".join(message.splitlines())  # one line (several rule problems)
                raise
            finally:
                summary.n_documents = write.count_rows(out_dir, "documents")
                summary.seconds = time.monotonic() - t0
                _try_logs(out_dir, summary, started, summary.version or None)
    except LockedError as exc:
        summary.outcome, summary.message = "locked", str(exc)
        _try_logs(out_dir, summary, started, summary.version or None)
        raise
    finally:
        pa.set_memory_pool(pool)
    if not summary.logged:
        raise RunError(f"the run ended ({summary.outcome}) but its runs row could not be written under {out_dir}")
    return summary


def _try_logs(out_dir: Path, summary: RunSummary, started: datetime, version: str) -> None:
    """The runs and errors rows, written last, if the disk allows."""
    try:
        _write_logs(out_dir, summary, started, version)
        summary.logged = True
    except OSError:
        summary.logged = False


def kept_snapshots(out_dir: Path) -> list[str]:
    """One line per kept snapshot, oldest first: id, when it was written, documents, which is current."""
    current = write.current_snapshot(out_dir)
    lines = []
    for name in write.order(out_dir):
        meta = write.manifest(out_dir / write.SNAPSHOTS / name)
        rows = meta.get("tables", {}).get("documents", {}).get("rows", "?")
        mark = "  (current)" if current is not None and current.name == name else ""
        lines.append(f"{name}  written {meta.get('created_at', '?')}  {rows} documents{mark}")
    return lines


def restore(out_dir: Path, run_id: str | None = None, *, wait: float = 0.0) -> str:
    """Make a kept snapshot current again (by default the one before the current one); the
    one it replaces is kept. Returns one line saying what was done; a runs row records it."""
    started = datetime.now(timezone.utc)
    summary = RunSummary(new_run_id(started, [out_dir], "restore"), out_dir, outcome="restored")
    if not (out_dir / write.SNAPSHOTS).is_dir():
        raise PreflightError(f"{out_dir} has no snapshots to restore")
    with OutLock(out_dir, summary.run_id, wait=wait, command="restore"):
        ids = write.order(out_dir)
        current = write.current_snapshot(out_dir)
        was = current.name if current else None
        if run_id is None:
            earlier = [i for i in ids if i != was]
            if not earlier:
                raise PreflightError(f"{out_dir} keeps no snapshot other than the current one")
            run_id = earlier[-1]
        if run_id not in ids:
            raise PreflightError(f"no kept snapshot {run_id!r} in {out_dir}; kept: {', '.join(ids) or 'none'}")
        target = out_dir / write.SNAPSHOTS / run_id
        missing = [n for n in SNAPSHOT_TABLES if not (target / n).is_dir()]
        if missing:
            raise PreflightError(f"snapshot {run_id} is incomplete (no {missing[0]}); not restored")
        try:
            write.make_current(out_dir, run_id)
        except OSError as exc:
            raise RunError(f"could not switch {out_dir}/current: {exc.strerror or exc}") from None
        summary.message = f"restored {run_id} (was {was})"
        summary.n_documents = write.count_rows(out_dir, "documents")
        _try_logs(out_dir, summary, started, write.manifest(target).get("pipeline_version"))
    forward = f"; {was} is kept (vnpress restore {was} goes back to it)" if was else ""
    return f"{run_id} is current again: {summary.n_documents} documents{forward}"
