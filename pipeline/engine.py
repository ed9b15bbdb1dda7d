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
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Iterator

import pyarrow as pa

from . import write
from .ingest import Document
from .process import process_document
from .schemas import DOC_TABLES


@dataclass
class BatchResult:
    tables: dict[str, pa.Table]
    n_ok: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source_path, stage, message)


def process_batch(docs: list[Document], version: str, run_id: str) -> BatchResult:
    """The unit of work every engine runs; a bad document becomes a failure, never an exception."""
    rows: dict[str, list] = {name: [] for name in DOC_TABLES}
    columns: dict[str, dict[str, list]] = {}
    result = BatchResult({})
    for doc in docs:
        try:
            produced_rows, produced_columns = process_document(doc, version=version, run_id=run_id)
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


def batches(docs: list[Document], size: int) -> list[list[Document]]:
    return [docs[i:i + size] for i in range(0, len(docs), size)]


def _crashed(batch: list[Document], message: str) -> BatchResult:
    return BatchResult({name: write.empty(name) for name in DOC_TABLES},
                       failures=[(d.source_path, "extract", message) for d in batch])


def _serial(work: list[list[Document]], fn: Callable) -> Iterator[BatchResult]:
    for i, batch in enumerate(work):
        yield fn(batch)
        work[i] = []  # release the documents of a finished batch


def _pool(work: list[list[Document]], fn: Callable, workers: int) -> Iterator[BatchResult]:
    pending = list(work)
    while pending:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(fn, batch) for batch in pending]
            done = 0
            try:
                for future in futures:
                    yield future.result()
                    pending[done] = []
                    done += 1
                pending = []
            except BrokenProcessPool:
                broken, pending = pending[done], pending[done + 1:]
                yield from _isolate(broken, fn)


def _isolate(batch: list[Document], fn: Callable) -> Iterator[BatchResult]:
    """Rerun a batch that broke the pool one document per fresh worker."""
    for doc in batch:
        with ProcessPoolExecutor(max_workers=1) as pool:
            try:
                yield pool.submit(fn, [doc]).result()
            except BrokenProcessPool:
                yield _crashed([doc], "worker process died on this document (crash)")


def _dask(work: list[list[Document]], fn: Callable, workers: int, scheduler: str | None) -> Iterator[BatchResult]:
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
    try:
        futures = client.map(fn, work, pure=False)
        for batch, future in zip(work, futures):
            try:
                yield future.result()
            except KilledWorker:
                yield _crashed(batch, "Dask worker died on this batch (KilledWorker)")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def map_documents(docs: list[Document], *, version: str, run_id: str, engine: str = "process",
                  workers: int = 1, batch_size: int = 64, scheduler: str | None = None) -> Iterator[BatchResult]:
    """Yield one result per batch, in input order. ``docs`` is emptied: the engine owns the
    documents from here and releases them as their batches finish."""
    fn = partial(process_batch, version=version, run_id=run_id)
    if workers > 1 or engine == "dask" or scheduler:  # enough batches to keep every worker busy
        batch_size = max(1, min(batch_size, -(-len(docs) // (max(workers, 1) * 4))))
    work = batches(docs, batch_size)
    docs.clear()
    if engine == "dask" or scheduler:
        return _dask(work, fn, workers, scheduler)
    if engine == "serial" or workers <= 1 or len(work) <= 1:
        return _serial(work, fn)
    return _pool(work, fn, workers)
