"""How documents are mapped: in-process, a process pool, or a Dask cluster.

Every engine runs the same pure batch function and yields results in input order, so the
output does not depend on the engine or the number of workers. Workers return Arrow tables
(compact to send back, and the driver does no per-row work). A worker that dies (``os._exit``,
OOM kill) breaks a process pool at once (``BrokenProcessPool``, unlike ``multiprocessing.Pool``
which hangs); that batch is retried one document per fresh worker, and a document that still
kills its worker becomes an error row. On Dask a worker crash surfaces as ``KilledWorker``
after the cluster's allowed retries, and is handled the same way.
"""
from __future__ import annotations

import traceback
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Iterator

import pyarrow as pa

from . import write
from .errors import IngestError
from .ingest import Document
from .process import process_document
from .rules import Rules
from .schemas import DOC_TABLES


@dataclass
class BatchResult:
    tables: dict[str, pa.Table]
    n_ok: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source_path, stage, message)


def process_batch(docs: list[Document], version: str, run_id: str, rules: Rules | None = None) -> BatchResult:
    """The unit of work every engine runs; a bad document becomes a failure, never an exception."""
    rows: dict[str, list] = {name: [] for name in DOC_TABLES}
    columns: dict[str, dict[str, list]] = {}
    result = BatchResult({})
    for doc in docs:
        try:
            produced_rows, produced_columns = process_document(doc, version=version, run_id=run_id, rules=rules)
        except Exception as exc:  # a bad document must not stop the batch
            where = traceback.extract_tb(exc.__traceback__)[-1]
            result.failures.append((doc.source_path, "extract", f"{type(exc).__name__}: {exc} (in {where.name})"))
            continue
        result.n_ok += 1
        for name, table_rows in produced_rows.items():
            rows[name].extend(table_rows)
        for name, cols in produced_columns.items():
            for col, values in cols.items():
                columns.setdefault(name, {}).setdefault(col, []).extend(values)
    result.tables = {name: write.to_arrow(name, rows[name]) for name in DOC_TABLES if name not in columns}
    result.tables.update({name: write.from_columns(name, cols) for name, cols in columns.items()})
    for name in DOC_TABLES:
        result.tables.setdefault(name, write.empty(name))
    return result


def batches(docs: list, size: int) -> list[list]:
    return [docs[i:i + size] for i in range(0, len(docs), size)]


def _loaded(refs: list) -> tuple[list[Document], list[tuple[str, str, str]]]:
    """Documents of a batch, read now (a file is kept as its path until its batch is due)."""
    docs, failures = [], []
    for ref in refs:
        try:
            docs.append(ref.load())
        except IngestError as exc:
            failures.append((ref.source_path, "ingest", str(exc)))
    return docs, failures


def _with(result: BatchResult, failures: list) -> BatchResult:
    result.failures = failures + result.failures
    return result


def _crashed(batch: list[Document], message: str) -> BatchResult:
    return BatchResult({name: write.empty(name) for name in DOC_TABLES},
                       failures=[(d.source_path, "extract", message) for d in batch])


def _serial(work: list[list], fn: Callable) -> Iterator[BatchResult]:
    for i, refs in enumerate(work):
        docs, failures = _loaded(refs)
        work[i] = []  # release the batch
        yield _with(fn(docs), failures)


def _pool(work: list[list], fn: Callable, workers: int) -> Iterator[BatchResult]:
    """At most two batches per worker are read and in flight at once, so memory stays bounded."""
    queue = deque(work)
    work.clear()
    while queue:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            inflight: deque = deque()
            try:
                while queue or inflight:
                    while queue and len(inflight) < 2 * workers:
                        refs = queue.popleft()
                        docs, failures = _loaded(refs)
                        try:
                            future = pool.submit(fn, docs)
                        except BrokenProcessPool:  # broken since the last result: this batch goes again
                            queue.appendleft(refs)
                            raise
                        inflight.append((refs, docs, failures, future))
                    result = inflight[0][3].result()
                    _, _, failures, _ = inflight.popleft()
                    yield _with(result, failures)
            except BrokenProcessPool:
                if not inflight:
                    continue  # the pool broke before this batch was sent: a fresh pool takes it
                _, docs, failures, _ = inflight.popleft()
                queue.extendleft(refs for refs, *_ in reversed(inflight))  # the others go again
                yield from _isolate(docs, fn, failures)


def _isolate(batch: list[Document], fn: Callable, failures: list) -> Iterator[BatchResult]:
    """Rerun a batch that broke the pool one document per fresh worker."""
    for i, doc in enumerate(batch):
        with ProcessPoolExecutor(max_workers=1) as pool:
            try:
                result = pool.submit(fn, [doc]).result()
            except BrokenProcessPool:
                result = _crashed([doc], "worker process died on this document (crash)")
        yield _with(result, failures if i == 0 else [])


def _dask(work: list[list], fn: Callable, workers: int, scheduler: str | None) -> Iterator[BatchResult]:
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
    try:
        while queue or inflight:
            while queue and len(inflight) < window:
                docs, failures = _loaded(queue.popleft())
                inflight.append((docs, failures, client.submit(fn, docs, pure=False)))
            docs, failures, future = inflight.popleft()
            try:
                yield _with(future.result(), failures)
            except KilledWorker:
                yield _with(_crashed(docs, "Dask worker died on this batch (KilledWorker)"), failures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def map_documents(docs: list, *, version: str, run_id: str, engine: str = "process",
                  workers: int = 1, batch_size: int = 64, scheduler: str | None = None,
                  rules: Rules | None = None) -> Iterator[BatchResult]:
    """Yield one result per batch, in input order. ``docs`` holds documents or references with
    ``load()`` (``ingest.FileRef``); it is emptied: the engine owns them from here, reads each
    batch when it is due and releases it when it is done."""
    fn = partial(process_batch, version=version, run_id=run_id, rules=rules)
    if workers > 1 or engine == "dask" or scheduler:  # enough batches to keep every worker busy
        batch_size = max(1, min(batch_size, -(-len(docs) // (max(workers, 1) * 4))))
    work = batches(docs, batch_size)
    docs.clear()
    if engine == "dask" or scheduler:
        return _dask(work, fn, workers, scheduler)
    if engine == "serial" or workers <= 1 or len(work) <= 1:
        return _serial(work, fn)
    return _pool(work, fn, workers)
