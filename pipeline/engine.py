"""How work is mapped: in-process, a pool of worker processes, or a Dask cluster.

Two kinds of work go through the same machinery, in batches, with results yielded in input
order (so the output does not depend on the engine or the number of workers):

* ``ingest``: read an input item (a file, a spooled row or member), decode and normalise it,
  and say which document it is (its ``doc_id``) or why it cannot be one;
* ``process``: read a due item again, segment and extract it; the rows come back as Arrow
  tables (compact to send, and the driver does no per-row work).

Isolation per item, everywhere: an exception is an error of that item (``extract_error``, with
the exception type and message and the stage it came from); an item running longer than
``doc_timeout`` is stopped (``timeout``: an alarm in the worker, and if the worker does not
answer it, the worker is killed); a worker that dies (a segfault, an OOM kill) costs only the
item it was on (``crash``, with the signal): the driver knows which item each worker is on,
reruns the others of that batch on a fresh worker and goes on (``pool.py``). With the
``process`` engine this holds for one worker too: work never runs in the driver. ``serial`` runs in the driver itself
(for tests and debugging: a crash there ends the run).

Both kinds run with the run's rules (``rules.Rules``, loaded and checked by the driver's
preflight), passed in the context every task gets: forked workers inherit them and whatever was
already built from them; a Dask worker receives their entries and builds once per digest.

On Dask the driver reads the due items and submits documents; a worker crash surfaces as
``KilledWorker`` after the cluster's allowed retries, and the batch is then retried one
document at a time, so only the document that kills workers is an error.
"""
from __future__ import annotations

import os
import signal
import threading
import traceback
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pyarrow as pa

from . import write
from .errors import IngestError
from .pool import Pool, Work
from .schemas import DOC_TABLES

# (source_path, stage, reason, message)
Failure = tuple[str, str, str, str]
# Seconds a worker gets past --doc-timeout to answer the alarm before it is killed.
KILL_GRACE = 10.0


@dataclass
class BatchResult:
    tables: dict[str, pa.Table]
    n_ok: int = 0
    failures: list[Failure] = field(default_factory=list)


@dataclass
class Identified:
    """What ``ingest`` says of one item: its document id, or the error that stops it."""
    source_path: str
    doc_id: str | None = None
    reason: str | None = None
    message: str | None = None
    stage: str = "ingest"
    warnings: list[str] = field(default_factory=list)
    n_bytes: int = 0
    sha256: str | None = None


class DocumentTimeout(Exception):
    pass


# ---------------------------------------------------------------- the work of one item

_INGEST_MODULES = tuple(f"/pipeline/{m}.py" for m in (
    "ingest", "refs", "sources", "decode", "legacy", "htmlpage", "normalize", "credits", "dategrammar"))


def _stage_of(exc: BaseException) -> str:
    """The stage an exception came from, read off its traceback."""
    stage = "process"
    for frame in traceback.extract_tb(exc.__traceback__):
        name = frame.filename.replace(os.sep, "/")
        if "/pipeline/extract/" in name:
            stage = "extract"
        elif name.endswith("/pipeline/segment.py"):
            stage = "segment"
        elif name.endswith(_INGEST_MODULES) and stage == "process":
            stage = "ingest"
    return stage


def _describe(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)
    at = f" (in {where[-1].name}, {os.path.basename(where[-1].filename)}:{where[-1].lineno})" if where else ""
    return f"{type(exc).__name__}: {str(exc)[:500]}{at}"


def ingest_one(ref, context) -> Identified:
    """Read one item and say which document it is; never raises (but for a timeout)."""
    from .ingest import read_item

    item = None
    try:
        item = ref.item()
        doc = read_item(item, ref.settings, context["rules"])
        if context.get("keep_read"):
            ref.remember(doc)
    except DocumentTimeout:
        raise
    except IngestError as exc:
        return Identified(ref.source_path, reason=exc.reason, message=str(exc),
                          n_bytes=getattr(item, "n_bytes", 0) or 0, sha256=getattr(item, "sha256", None))
    except Exception as exc:  # a decoder or the HTML extractor choking on hostile input
        return Identified(ref.source_path, reason="extract_error", message=_describe(exc), stage=_stage_of(exc),
                          n_bytes=getattr(item, "n_bytes", 0) or 0, sha256=getattr(item, "sha256", None))
    return Identified(ref.source_path, doc.doc_id, warnings=doc.warnings, n_bytes=item.n_bytes, sha256=item.sha256)


def process_document(doc, *, version: str, run_id: str, rules=None):
    """Segment and extract one document with ``rules`` (``process.process_document``, imported
    when first used, so that a driver that only maps never loads the models)."""
    from .process import process_document as process

    return process(doc, version=version, run_id=run_id, rules=rules)


def process_one(ref, context) -> tuple:
    """("ok", rows, columns) or ("fail", stage, reason, message) for one due item."""
    try:
        doc = ref.load(context["rules"])
    except DocumentTimeout:
        raise
    except IngestError as exc:
        return ("fail", "ingest", exc.reason, str(exc))
    except Exception as exc:
        return ("fail", _stage_of(exc), "extract_error", _describe(exc))
    try:
        rows, columns = process_document(doc, version=context["version"], run_id=context["run_id"],
                                         rules=context["rules"])
    except DocumentTimeout:
        raise
    except Exception as exc:  # a bad document must not stop the batch
        return ("fail", _stage_of(exc), "extract_error", _describe(exc))
    return ("ok", rows, columns)


def _tables_of(outputs: list[tuple]) -> dict[str, pa.Table]:
    rows: dict[str, list] = {name: [] for name in DOC_TABLES}
    columns: dict[str, dict[str, list]] = {}
    for produced_rows, produced_columns in outputs:
        for name, table_rows in produced_rows.items():
            rows[name].extend(table_rows)
        for name, cols in produced_columns.items():
            for col, values in cols.items():
                columns.setdefault(name, {}).setdefault(col, []).extend(values)
    tables = {name: write.to_arrow(name, rows[name]) for name in DOC_TABLES if name not in columns}
    tables.update({name: write.from_columns(name, cols) for name, cols in columns.items()})
    for name in DOC_TABLES:
        tables.setdefault(name, write.empty(name))
    return tables


def combine_process(refs: list, outputs: list[tuple]) -> BatchResult:
    """One batch's per-item outputs -> Arrow tables. Rows that do not fit the schema (a field of
    the wrong type) fail their document only: the batch is rebuilt without it."""
    result = BatchResult({})
    good: list[tuple[Any, tuple]] = []
    for ref, out in zip(refs, outputs):
        if out[0] == "ok":
            good.append((ref, (out[1], out[2])))
        else:
            result.failures.append((ref.source_path, out[1], out[2], out[3]))
    try:
        result.tables = _tables_of([o for _, o in good])
    except Exception:
        kept = []
        for ref, out in good:
            try:
                _tables_of([out])
                kept.append(out)
            except Exception as exc:
                result.failures.append((ref.source_path, "write", "extract_error",
                                        f"its rows do not fit the tables: {_describe(exc)}"))
        good = [(None, o) for o in kept]
        result.tables = _tables_of(kept)
    result.n_ok = len(good)
    return result


KINDS: dict[str, tuple[Callable, Callable]] = {
    "ingest": (ingest_one, lambda refs, outputs: outputs),
    "process": (process_one, combine_process),
}


def _timed(fn: Callable, item, context, timeout: float | None):
    """``fn(item, context)`` under an alarm of ``timeout`` seconds (main thread only)."""
    if not timeout or threading.current_thread() is not threading.main_thread():
        return fn(item, context)

    def alarm(signum, frame):
        raise DocumentTimeout()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return fn(item, context)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _timeout_output(kind: str, ref, timeout: float):
    message = f"stopped after {timeout:g} s (--doc-timeout)"
    if kind == "ingest":
        return Identified(ref.source_path, reason="timeout", message=message)
    return ("fail", "process", "timeout", message)


def _lost_output(kind: str, ref, reason: str, message: str):
    if kind == "ingest":
        return Identified(ref.source_path, reason=reason, message=message)
    return ("fail", "process", reason, message)


def run_items(kind: str, items: list, context: dict, on_start: Callable[[int], None] | None = None) -> list:
    fn, _ = KINDS[kind]
    outputs = []
    for i, item in enumerate(items):
        if on_start:
            on_start(i)
        try:
            outputs.append(_timed(fn, item, context, context.get("timeout")))
        except DocumentTimeout:
            outputs.append(_timeout_output(kind, item, context["timeout"]))
    return outputs


def _covered(kind: str, piece) -> int:
    return piece.n_ok + len(piece.failures) if kind == "process" else len(piece)


def _lost_piece(kind: str, ref, reason: str, message: str):
    """The piece of a batch standing for one item whose worker was lost."""
    out = _lost_output(kind, ref, reason, message)
    return combine_process([ref], [out]) if kind == "process" else [out]


def _assemble(kind: str, ordered: list):
    if kind != "process":
        return [o for piece in ordered for o in piece]
    if len(ordered) == 1:
        return ordered[0]
    merged = BatchResult({name: pa.concat_tables([p.tables[name] for p in ordered]) for name in DOC_TABLES})
    for piece in ordered:
        merged.n_ok += piece.n_ok
        merged.failures.extend(piece.failures)
    merged.tables = {name: write.sort(t, name) for name, t in merged.tables.items()}
    return merged


WORK = Work(run=run_items, combine=lambda kind, items, outputs: KINDS[kind][1](items, outputs),
            lost=_lost_piece, covered=_covered, assemble=_assemble)


# ---------------------------------------------------------------- engines

def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _serial(kind: str, work: list[list], context: dict) -> Iterator:
    for i, batch in enumerate(work):
        work[i] = None  # released
        yield KINDS[kind][1](batch, run_items(kind, batch, context))


def _dask(work: list[list], context: dict, workers: int, scheduler: str | None) -> Iterator[BatchResult]:
    try:
        from dask.distributed import Client, LocalCluster
        from distributed.scheduler import KilledWorker
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("the dask engine needs the extra: pip install 'vnpress[dask]'") from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    window = 2 * max(workers, len(client.scheduler_info().get("workers", {})), 1)
    queue, inflight = deque(work), deque()
    work.clear()

    def submit(refs):
        docs, failed = _loaded(refs, context["rules"])
        return refs, docs, failed, client.submit(_dask_batch, docs, context, pure=False)

    try:
        while queue or inflight:
            while queue and len(inflight) < window:
                inflight.append(submit(queue.popleft()))
            refs, docs, failed, future = inflight.popleft()
            try:
                result = future.result()
            except KilledWorker:  # retry one document at a time: only the one that kills workers fails
                result = _merge_results([_dask_single(client, doc, context, KilledWorker) for doc in docs])
            result.failures = failed + result.failures
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _dask_batch(docs: list, context: dict) -> BatchResult:
    return combine_process(docs, run_items("process", docs, context))


def _dask_single(client, doc, context: dict, killed) -> BatchResult:
    try:
        return client.submit(_dask_batch, [doc], context, pure=False).result()
    except killed:
        return combine_process([doc], [("fail", "process", "crash", "a Dask worker died on this document "
                                        "(KilledWorker)")])


def _merge_results(parts: list[BatchResult]) -> BatchResult:
    return _assemble("process", parts) if parts else BatchResult(
        {name: write.empty(name) for name in DOC_TABLES})


def _loaded(refs: list, rules) -> tuple[list, list[Failure]]:
    """The documents of a batch, read in the driver (the Dask engine sends documents)."""
    docs, failures = [], []
    for ref in refs:
        try:
            docs.append(ref.load(rules))
        except IngestError as exc:
            failures.append((ref.source_path, "ingest", exc.reason, str(exc)))
        except Exception as exc:
            failures.append((ref.source_path, _stage_of(exc), "extract_error", _describe(exc)))
    return docs, failures


class Mapper:
    """What a run maps its work with: ``ingest`` (always local: a pool, or in-process for
    ``serial``) and ``process`` (the chosen engine). A pool's workers serve both."""

    def __init__(self, *, engine: str = "process", workers: int = 1, scheduler: str | None = None,
                 version: str = "", run_id: str = "", timeout: float | None = None, batch_size: int = 16,
                 rules=None):
        self.engine, self.workers, self.scheduler = engine, max(1, workers), scheduler
        self.batch_size = batch_size
        # ``rules`` (a ``rules.Rules``, None for the package's): forked workers inherit the object
        # and what was built from it; Dask workers get it pickled (its entries only) and build once.
        self.context = {"version": version, "run_id": run_id, "timeout": timeout, "rules": rules,
                        # one process ingests and processes every item: what it reads, it keeps for processing
                        "keep_read": engine == "serial" or engine == "process" and self.workers == 1}
        self.pool: Pool | None = None

    def _pool(self) -> Pool:
        if self.pool is None:
            self.pool = Pool(self.workers, self.context, WORK, grace=KILL_GRACE)
        return self.pool

    def _size(self, n: int, size: int) -> int:
        if self.workers > 1 or self.engine == "dask" or self.scheduler:  # enough batches for every worker
            return max(1, min(size, -(-n // (self.workers * 4))))
        return size

    def start(self) -> None:
        """Fork the workers now (early in a run, before the driver has threads of its own)."""
        if self.engine != "serial":
            self._pool()._fill()

    def ingest(self, refs: list) -> Iterator[Identified]:
        """``Identified`` per ref, in order."""
        work = batches(refs, self._size(len(refs), 4 * self.batch_size))
        results = _serial("ingest", work, self.context) if self.engine == "serial" else \
            self._pool().map("ingest", work)
        for outputs in results:
            yield from outputs

    def process(self, refs: list) -> Iterator[BatchResult]:
        """One ``BatchResult`` per batch, in order; ``refs`` is emptied (the engine releases
        each batch when it is done)."""
        work = batches(refs, self._size(len(refs), self.batch_size))
        refs.clear()
        if self.engine == "dask" or self.scheduler:
            return _dask(work, self.context, self.workers, self.scheduler)
        if self.engine == "serial":
            return _serial("process", work, self.context)
        return self._pool().map("process", work)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def __enter__(self) -> "Mapper":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
