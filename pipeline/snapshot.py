"""Read every table of one snapshot, whatever runs publish meanwhile.

``outputs/<table>`` links each resolve ``outputs/current`` when they are opened, so a reader
that opens ``documents`` and then ``tokens`` while a run publishes can get the two from
different snapshots. ``open_snapshot`` resolves ``current`` once and pins that snapshot: it
holds a shared ``flock`` on the snapshot's folder, which pruning respects, until ``close()``
(or the end of the ``with`` block)::

    import vnpress                                  # or: from pipeline import open_snapshot
    with vnpress.open("outputs") as snap:
        docs = snap.pandas("documents")
        tokens = snap.read("tokens", columns=["doc_id", "text"])      # a pyarrow Table
        con = snap.duckdb()                          # every table as a DuckDB view
        con.execute("select count(*) from tokens join documents using (doc_id)").fetchone()
        import polars as pl
        pl.scan_parquet(snap.glob("mentions"))

The append-only logs (``runs``, ``errors``) live outside snapshots; ``read("runs")`` reads them.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from . import write
from .schemas import SNAPSHOT_TABLES, TABLES


class NoSnapshot(LookupError):
    """The folder has no published snapshot."""


class Snapshot:
    """One published snapshot, pinned until ``close()``."""

    def __init__(self, out_dir: Path, path: Path, fd: int | None):
        self.out_dir, self.path, self._fd = out_dir, path, fd
        self.run_id = path.name
        self.manifest = write.manifest(path)

    def path_of(self, name: str) -> str:
        """The folder of a table (``runs``/``errors``: the log's folder)."""
        if name not in TABLES:
            raise KeyError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        return str((self.out_dir if TABLES[name].log else self.path) / name)

    def glob(self, name: str) -> str:
        """``<folder>/*.parquet``: what DuckDB's ``read_parquet`` and polars' ``scan_parquet`` take."""
        return f"{self.path_of(name)}/*.parquet"

    def read(self, name: str, columns: list[str] | None = None, filters=None) -> pa.Table:
        folder = Path(self.path_of(name))
        files = sorted(folder.glob("*.parquet"))
        if not files:
            table = write.empty(name)
            return table.select(columns) if columns else table
        parts = [pq.read_table(f, columns=columns, filters=filters, schema=None if columns else TABLES[name].schema)
                 for f in files]
        return pa.concat_tables(parts) if len(parts) > 1 else parts[0]

    def pandas(self, name: str, **kwargs: Any):
        return self.read(name, **kwargs).to_pandas()

    def duckdb(self, con=None):
        """A DuckDB connection with a view per table, all of this snapshot."""
        import duckdb

        con = con or duckdb.connect()
        for name in TABLES:
            if list(Path(self.path_of(name)).glob("*.parquet")):
                con.execute(f"create or replace view {name} as select * from read_parquet('{self.glob(name)}')")
        return con

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "Snapshot":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Snapshot({str(self.path)!r})"


def open_snapshot(out_dir: str | os.PathLike = "outputs", *, pin: bool = True) -> Snapshot:
    """The current snapshot of ``out_dir``, resolved once (and pinned against pruning)."""
    out_dir = Path(out_dir)
    for _ in range(100):  # a publish between resolving and pinning: resolve again
        link = out_dir / write.CURRENT
        try:
            target = out_dir / os.readlink(link)
        except OSError:
            raise NoSnapshot(f"{out_dir} has no published snapshot (no {link})") from None
        try:
            fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            continue
        if pin:
            fcntl.flock(fd, fcntl.LOCK_SH)  # waits while a prune is deleting it; then it is gone
        try:
            same = os.stat(target).st_ino == os.fstat(fd).st_ino and all(
                (target / name).is_dir() for name in SNAPSHOT_TABLES)
        except OSError:
            same = False
        if same:
            if not pin:
                os.close(fd)
                fd = None
            return Snapshot(out_dir, target.resolve(), fd)
        os.close(fd)
    raise NoSnapshot(f"{out_dir}: the current snapshot kept changing while being opened")
