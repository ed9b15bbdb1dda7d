"""A run: discover inputs, ingest, decide what is due, map, resolve, publish.

Incremental: a document whose normalised content was already processed by the same pipeline
version keeps its rows; only new or changed documents are processed. An unchanged rerun
publishes nothing (it only appends its line to the ``runs`` log).
"""
from __future__ import annotations

import bisect
import hashlib
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from . import __version__, preflight, write
from .config import Settings
from .engine import Identified, Mapper
from .errors import LockedError, PreflightError, RunError
from .ingest import Ref, Spool, discover, ref_of
from .sources import base_name, iter_items, shown
from .lexicon import lexicon_digest
from .lock import OutLock
from .resolve import resolve_tables
from .schemas import SNAPSHOT_TABLES

log = logging.getLogger("vnpress")


def pipeline_version() -> str:
    """Package version + a hash of the code and the lexicons: any change reprocesses."""
    digest = hashlib.sha256(lexicon_digest().encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


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


class _Row(NamedTuple):
    pipeline_version: str
    source_path: str
    status: str


class _Previous:
    """The published documents, indexed by path, to find which rows a failed input keeps."""

    def __init__(self, table: pa.Table):
        columns = [table[c].to_pylist() for c in ("doc_id", "pipeline_version", "source_path", "status")]
        self.rows = {i: _Row(sys.intern(v or ""), p, sys.intern(s or "")) for i, v, p, s in zip(*columns)}
        self.paths = sorted((r.source_path, i) for i, r in self.rows.items())
        self._keys = [p for p, _ in self.paths]

    def under(self, scope: str, *, folder: bool = False) -> list[str]:
        """Ids of documents read from ``scope``: that path, or (an archive, a dump) its members and
        rows, or (``folder``) anything below it."""
        seps = (os.sep,) if folder else ("!", "#")
        i = bisect.bisect_left(self._keys, scope)
        found = []
        while i < len(self._keys) and self._keys[i].startswith(scope):
            rest = self._keys[i][len(scope):]
            if (not folder and rest == "") or rest[:1] in seps:
                found.append(self.paths[i][1])
            i += 1
        return found


@dataclass
class _Plan:
    """What a run does to the published documents (sets of doc_ids)."""
    due: list
    kept: set[str]            # unchanged: their rows are reused
    gone: set[str]            # their source is gone (marked removed, or dropped with --drop-removed)
    newly_gone: set[str]      # gone and still active: to mark removed
    restored: set[str]        # marked removed, their source is back
    moved: dict[str, tuple[str, str]]  # unchanged content found at another path: (source_path, source_file)
    held: set[str]            # under an input that failed before processing: their rows are kept


def _plan(prev: _Previous, docs: list, errors: list[dict], version: str) -> _Plan:
    current = {d.doc_id: d for d in docs}
    due = [d for d in docs if d.doc_id not in prev.rows or prev.rows[d.doc_id].pipeline_version != version]
    due_ids = {d.doc_id for d in due}
    kept = set(current) - due_ids
    present = {d.source_path for d in docs} | {e["source_path"] for e in errors}
    # under an input that failed (an unreadable file or folder, a broken archive): kept, not gone
    held = {i for e in errors if e["severity"] == "error"
            for i in prev.under(e["source_path"], folder=e["stage"] == "discover")}
    gone = {i for i, r in prev.rows.items() if i not in current and r.source_path not in present and i not in held}
    newly_gone = {i for i in gone if prev.rows[i].status != "removed"}
    restored = {i for i in kept if prev.rows[i].status == "removed"}
    moved = {i: (current[i].source_path, base_name(current[i].source_path))
             for i in kept if prev.rows[i].source_path != current[i].source_path}
    return _Plan(due, kept, gone, newly_gone, restored, moved, held)


def _update_documents(documents: pa.Table, plan: _Plan, drop_removed: bool) -> pa.Table:
    """Status and path of the retained documents: removed, active again, or found elsewhere."""
    removed = sorted(set() if drop_removed else plan.gone)
    ids = documents["doc_id"]
    status = pc.if_else(pc.is_in(ids, value_set=pa.array(removed, pa.string())), "removed",
                        pc.if_else(pc.is_in(ids, value_set=pa.array(sorted(plan.restored), pa.string())), "active",
                                   documents["status"]))
    documents = documents.set_column(documents.schema.get_field_index("status"), "status", status)
    if plan.moved:
        moved = sorted(plan.moved)
        at = pc.index_in(ids, value_set=pa.array(moved, pa.string()))
        for k, column in enumerate(("source_path", "source_file")):
            new = pc.take(pa.array([plan.moved[i][k] for i in moved], pa.string()), at)
            documents = documents.set_column(documents.schema.get_field_index(column), column,
                                             pc.coalesce(new, documents[column]))
    return documents.cast(write.TABLES["documents"].schema)


def _fraction(n: int, of: int) -> float:
    return n / of if of else 0.0


def _removal_guard(plan: _Plan, n_published: int, drop_removed: bool, settings: Settings) -> str | None:
    hit = len(plan.gone) if drop_removed else len(plan.newly_gone)
    share = _fraction(hit, n_published)
    if share <= settings.max_removed_fraction:
        return None
    verb = "drop" if drop_removed else "mark removed"
    return (f"the run would {verb} {hit} of the {n_published} published documents ({share:.0%} > --max-removed "
            f"{settings.max_removed_fraction:g}): are the inputs all there? If they are really gone, pass "
            f"--max-removed {min(1.0, share):.2f}")


def _failure_guard(summary: RunSummary, settings: Settings) -> str | None:
    share = _fraction(summary.n_failed, summary.n_due)
    if share <= settings.max_failed_fraction:
        return None
    return (f"{summary.n_failed} of the {summary.n_due} inputs due failed ({share:.0%} > --max-failed "
            f"{settings.max_failed_fraction:g}; see the errors table): fix them, or pass --max-failed "
            f"{min(1.0, share):.2f} to publish the others")


def _check_rules(mapper: Mapper, previous: pa.Table, version: str) -> None:
    """The rules were validated by any run that published rows of this pipeline version (the
    version hashes every lexicon); otherwise they are loaded now, where documents are processed."""
    if previous.num_rows and pc.any(pc.equal(previous["pipeline_version"], version)).as_py():
        return
    problem = mapper.probe()
    if problem:
        raise preflight.RulesError(problem)


def _map_and_publish(summary: RunSummary, plan: _Plan, prev: _Previous, sizes: dict, out_dir: Path,
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
        refused = _failure_guard(summary, settings)
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
                                  lambda documents: _update_documents(documents, plan, drop_removed)))
        mentions = writer.read_parts("mentions", ["doc_id", "label", "text", "entity_id", "normalized", "attrs"],
                                     filters=[("label", "in", ["PERSON", "AGENCY"])])
        for name, table in resolve_tables(mentions).items():  # bucket by bucket
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
                workers: int | None, scheduler: str | None, drop_removed: bool, progress) -> None:
    with Mapper(engine=engine, workers=workers or settings.workers, scheduler=scheduler, version=summary.version,
                run_id=summary.run_id, timeout=settings.doc_timeout, batch_size=settings.batch_size) as mapper:
        mapper.start()  # workers are forked before the driver has read anything
        previous_snapshot = write.current_snapshot(out_dir)
        preflight.check_out(out_dir, previous_snapshot)
        if previous_snapshot is not None:
            write.repair_links(out_dir)
        preflight.check_inputs(inputs)
        previous = write.read(out_dir, "documents", ["doc_id", "pipeline_version", "source_path", "status"])
        _check_rules(mapper, previous, summary.version)

        spool = Spool(out_dir / write.SNAPSHOTS / f"{write.SPOOL}{summary.run_id}")
        try:
            paths = _discover(inputs, settings, summary)
            refs = _scan(paths, settings, spool, summary)
            known = write.read_inputs(previous_snapshot, summary.version) if settings.quick_check else {}
            docs, sizes = _ingest(refs, mapper, summary, known)
            del refs, known
            files = [(d.source_path, d.stat, d.doc_id) for d in docs if d.stat is not None]
            prev = _Previous(previous)
            del previous
            plan = _plan(prev, docs, summary.errors, summary.version)
            del docs  # the engine releases the due documents batch by batch
            summary.n_removed = len(plan.gone)
            summary.n_skipped = len(plan.kept) + sum(1 for e in summary.errors if e["severity"] == "skipped")
            summary.n_due = len(plan.due) + sum(1 for e in summary.errors if e["severity"] == "error")
            summary.n_failed = sum(1 for e in summary.errors if e["severity"] == "error")
            refused = _removal_guard(plan, len(prev.rows), drop_removed, settings)
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


def run(inputs: list[Path], out_dir: Path, settings: Settings = Settings(), *, engine: str = "process",
        workers: int | None = None, scheduler: str | None = None, drop_removed: bool = False, wait: float = 0.0,
        progress: Callable[[int], Callable[[int], None]] | None = None) -> RunSummary:
    """Process ``inputs`` into ``out_dir``. ``progress(total)`` returns a callback told how many
    documents each finished batch held. Raises ``RunError`` (one line) when the run could not be
    made: another command holds ``out_dir`` (``LockedError``), a preflight check failed, or the
    new snapshot could not be written; the last snapshot is then unchanged."""
    started = datetime.now(timezone.utc)
    t0 = time.monotonic()
    inputs = [Path(p) for p in inputs]
    version = pipeline_version()
    summary = RunSummary(new_run_id(started, inputs), out_dir, version=version)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PreflightError(f"cannot create --out {out_dir}: {exc.strerror or exc}") from None
    # Arrow's default allocator (mimalloc) keeps what the run frees; the system one gives it back,
    # which keeps the driver's peak flat (10,000 small documents: 208 -> 155 MiB).
    pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        with OutLock(out_dir, summary.run_id, wait=wait):
            try:
                _run_locked(summary, inputs, out_dir, settings, engine=engine, workers=workers,
                            scheduler=scheduler, drop_removed=drop_removed, progress=progress)
            except BaseException as exc:
                summary.outcome = "failed"
                summary.message = str(exc) if isinstance(exc, RunError) else f"{type(exc).__name__}: {exc}"
                raise
            finally:
                summary.n_documents = write.count_rows(out_dir, "documents")
                summary.seconds = time.monotonic() - t0
                _try_logs(out_dir, summary, started, version)
    except LockedError as exc:
        summary.outcome, summary.message = "locked", str(exc)
        _try_logs(out_dir, summary, started, version)
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
        _try_logs(out_dir, summary, started, pipeline_version())
    forward = f"; {was} is kept (vnpress restore {was} goes back to it)" if was else ""
    return f"{run_id} is current again: {summary.n_documents} documents{forward}"
