"""How documents are mapped: in-process, a process pool, or a Dask cluster.

Every engine runs the same pure batch function and returns results in input order, so the
output does not depend on the engine or the number of workers. A worker that dies
(``os._exit``, OOM kill) breaks a process pool at once (``BrokenProcessPool``, unlike
``multiprocessing.Pool`` which hangs); the batch is then retried one document at a time in a
fresh pool, and the document that still kills its worker becomes an error row.
"""
from __future__ import annotations

import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterator

from .ingest import Document
from .process import Rows, process_document


@dataclass
class Outcome:
    doc: Document
    rows: Rows | None = None
    stage: str = ""
    error: str = ""


def process_batch(docs: list[Document], version: str, run_id: str) -> list[Outcome]:
    """The unit of work every engine runs; never raises for a bad document."""
    outcomes = []
    for doc in docs:
        try:
            outcomes.append(Outcome(doc, rows=process_document(doc, version=version, run_id=run_id)))
        except Exception as exc:  # a bad document must not stop the batch
            where = traceback.extract_tb(exc.__traceback__)[-1]
            outcomes.append(Outcome(doc, stage="extract", error=f"{type(exc).__name__}: {exc} ({where.name})"))
    return outcomes


def batches(docs: list[Document], size: int) -> list[list[Document]]:
    return [docs[i:i + size] for i in range(0, len(docs), size)]


def _serial(work: list[list[Document]], fn: Callable) -> Iterator[list[Outcome]]:
    for batch in work:
        yield fn(batch)


def _pool(work: list[list[Document]], fn: Callable, workers: int) -> Iterator[list[Outcome]]:
    pending = list(work)
    while pending:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(fn, batch) for batch in pending]
            done = 0
            try:
                for future in futures:
                    yield future.result()
                    done += 1
            except BrokenProcessPool:
                pending = pending[done:]
                yield from _isolate(pending[0], fn)
                pending = pending[1:]
                continue
        pending = []


def _isolate(batch: list[Document], fn: Callable) -> Iterator[list[Outcome]]:
    """Rerun a batch that broke the pool one document per fresh worker."""
    for doc in batch:
        with ProcessPoolExecutor(max_workers=1) as pool:
            try:
                yield pool.submit(fn, [doc]).result()
            except BrokenProcessPool:
                yield [Outcome(doc, stage="extract", error="worker process died on this document (crash)")]


def _dask(work: list[list[Document]], fn: Callable, workers: int, scheduler: str | None) -> Iterator[list[Outcome]]:
    try:
        from dask.distributed import Client, LocalCluster
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
        for future in futures:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def map_documents(docs: list[Document], *, version: str, run_id: str, engine: str = "process",
                  workers: int = 1, batch_size: int = 64, scheduler: str | None = None) -> Iterator[list[Outcome]]:
    """Yield outcomes batch by batch, in input order."""
    fn = partial(process_batch, version=version, run_id=run_id)
    if workers > 1:  # enough batches to keep every worker busy
        batch_size = max(1, min(batch_size, -(-len(docs) // (workers * 4))))
    work = batches(docs, batch_size)
    if engine == "dask" or scheduler:
        return _dask(work, fn, workers, scheduler)
    if engine == "serial" or workers <= 1 or len(work) <= 1:
        return _serial(work, fn)
    return _pool(work, fn, workers)

