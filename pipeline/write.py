"""The only place rows become Arrow tables and Parquet files.

Layout of an output folder::

    outputs/
      .snapshots/<run_id>/<table>/part-0.parquet   one complete set of tables per publishing run
      current -> .snapshots/<run_id>                the commit point, replaced atomically
      <table> -> current/<table>                    what readers open: outputs/documents, ...

A run writes a whole new snapshot, then replaces the ``current`` link with ``os.replace``
(atomic on POSIX). A run killed at any moment leaves the previous snapshot in place and
``current`` pointing at it: readers always see one complete, consistent set of tables.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from .schemas import SNAPSHOT_TABLES, TABLES

SNAPSHOTS = ".snapshots"
CURRENT = "current"


class SchemaError(ValueError):
    pass


def to_arrow(name: str, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """Rows -> Arrow table sorted by the table's key; unknown or missing keys are an error
    (``Table.from_pylist`` would silently drop or null them)."""
    table = TABLES[name]
    expected = set(table.names)
    rows = list(rows)
    for row in rows:
        if row.keys() != expected:
            extra, missing = sorted(row.keys() - expected), sorted(expected - row.keys())
            raise SchemaError(f"{name}: row keys differ from the schema (extra {extra}, missing {missing})")
    return sort(pa.Table.from_pylist(rows, schema=table.schema), name)


def from_columns(name: str, columns: dict[str, list[Any]]) -> pa.Table:
    """Columns -> Arrow table sorted by key; the column names must be exactly the schema's."""
    schema = TABLES[name].schema
    if set(columns) != set(schema.names):
        raise SchemaError(f"{name}: columns differ from the schema ({sorted(set(columns) ^ set(schema.names))})")
    return sort(pa.table({n: columns[n] for n in schema.names}, schema=schema), name)


def sort(table: pa.Table, name: str) -> pa.Table:
    """Sorted by the table's key (Arrow's sort): the order every output is written in."""
    if table.num_rows < 2:
        return table
    return table.sort_by([(k, "ascending") for k in TABLES[name].key])


def empty(name: str) -> pa.Table:
    return TABLES[name].schema.empty_table()


def _write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def _link(target: str, link: Path) -> None:
    """Point ``link`` at ``target`` atomically (a new link renamed over the old one)."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


class SnapshotWriter:
    """Builds a new snapshot in a staging folder; ``commit`` makes it current.

    Tables can be appended batch by batch, so a run never holds a whole table in memory unless it
    has to merge new rows with retained ones. Rows are re-chunked into row groups of exactly the
    table's ``row_group_rows`` (the last one shorter), so the file's bytes depend on the rows
    alone, not on how the work was batched: the output is the same for any number of workers.
    """

    def __init__(self, out_dir: Path, run_id: str):
        self.out_dir, self.run_id = out_dir, run_id
        self.snapshot = out_dir / SNAPSHOTS / run_id
        self.staging = self.snapshot.with_name(f".staging-{run_id}")
        shutil.rmtree(self.staging, ignore_errors=True)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._pending: dict[str, list[pa.Table]] = {}

    def _path(self, name: str) -> Path:
        return self.staging / name / "part-0.parquet"

    def append(self, name: str, table: pa.Table) -> None:
        if not table.schema.equals(TABLES[name].schema, check_metadata=False):
            raise SchemaError(f"{name}: table schema differs from the declared one")
        if name not in self._writers:
            self._path(name).parent.mkdir(parents=True, exist_ok=True)
            self._writers[name] = pq.ParquetWriter(self._path(name), TABLES[name].schema, compression="zstd")
        pending = self._pending.setdefault(name, [])
        if table.num_rows:
            pending.append(table)
        if len(pending) > 32:  # many small batches: one contiguous table costs less than their overheads
            pending[:] = [pa.concat_tables(pending).combine_chunks()]
        group = TABLES[name].row_group_rows
        if sum(t.num_rows for t in pending) >= group:
            rows = pa.concat_tables(pending)
            full = rows.num_rows - rows.num_rows % group
            self._writers[name].write_table(rows.slice(0, full), row_group_size=group)
            self._pending[name] = [rows.slice(full)] if full < rows.num_rows else []

    def _close(self, name: str) -> None:
        if name in self._writers:
            pending = self._pending.pop(name, [])
            if pending:
                self._writers[name].write_table(pa.concat_tables(pending), row_group_size=TABLES[name].row_group_rows)
            self._writers.pop(name).close()

    def read(self, name: str, columns: list[str] | None = None, filters=None) -> pa.Table:
        self._close(name)
        path = self._path(name)
        if not path.exists():
            table = empty(name)
            return table.select(columns) if columns else table
        if columns or filters:
            return pq.read_table(path, columns=columns, filters=filters)
        return pq.read_table(path, schema=TABLES[name].schema)

    def replace(self, name: str, table: pa.Table) -> None:
        self._close(name)
        self.append(name, table)

    def commit(self) -> Path:
        """Close every table (empty ones too), then swap ``current`` to the new snapshot."""
        for name in SNAPSHOT_TABLES:
            if name not in self._writers and not self._path(name).exists():
                self.append(name, empty(name))
            self._close(name)
        os.replace(self.staging, self.snapshot)
        _link(f"{SNAPSHOTS}/{self.run_id}", self.out_dir / CURRENT)  # the commit point
        for name in SNAPSHOT_TABLES:
            link = self.out_dir / name
            if not link.is_symlink():
                if link.exists():
                    raise SchemaError(f"{link} exists and is not a link made by vnpress; move it away")
                _link(f"{CURRENT}/{name}", link)
        _prune(self.out_dir, keep=self.run_id)
        return self.snapshot


def publish(out_dir: Path, run_id: str, tables: dict[str, pa.Table]) -> Path:
    """Write every table into a new snapshot, then make it current."""
    missing = set(SNAPSHOT_TABLES) - set(tables)
    if missing:
        raise SchemaError(f"publish needs every table; missing {sorted(missing)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = SnapshotWriter(out_dir, run_id)
    for name, table in tables.items():
        writer.append(name, table)
    return writer.commit()


def _prune(out_dir: Path, keep: str) -> None:
    """Remove older snapshots and crashed runs' staging folders."""
    for path in (out_dir / SNAPSHOTS).iterdir():
        if path.name != keep:
            shutil.rmtree(path, ignore_errors=True)


def append_log(out_dir: Path, name: str, run_id: str, table: pa.Table) -> Path:
    """Add one run's rows to a log table (``runs``, ``errors``): a new file, renamed into place."""
    assert TABLES[name].log, name
    final = out_dir / name / f"{run_id}.parquet"
    tmp = final.with_name(f".{final.name}.tmp")
    _write_parquet(table, tmp)
    os.replace(tmp, final)
    return final


def compact_logs(out_dir: Path) -> dict[str, int]:
    """Merge each log table's per-run files into one. The merged file replaces the newest part
    before the older parts are removed, so a crash in between never loses a row; the duplicates
    it may leave are dropped by the next compact."""
    merged = {}
    for name, table in TABLES.items():
        if not table.log:
            continue
        files = sorted((out_dir / name).glob("*.parquet"))
        if len(files) <= 1:
            merged[name] = len(files)
            continue
        rows = read(out_dir, name).to_pylist()
        unique = list({tuple(map(str, r.values())): r for r in rows}.values())
        target = files[-1]
        tmp = target.with_name(f".{target.name}.tmp")
        _write_parquet(to_arrow(name, unique), tmp)
        os.replace(tmp, target)
        for f in files[:-1]:
            f.unlink()
        merged[name] = len(files)
    return merged


def current_snapshot(out_dir: Path) -> Path | None:
    link = out_dir / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def read(out_dir: Path, name: str, columns: list[str] | None = None, filters=None) -> pa.Table:
    """A table of the current snapshot (or a whole log), or an empty one when there is none;
    optionally only some columns, and only the rows that pass pyarrow ``filters``."""
    schema = TABLES[name].schema
    if TABLES[name].log:
        files = sorted((out_dir / name).glob("*.parquet"))
        table = pa.concat_tables([pq.read_table(f, schema=schema) for f in files]) if files else empty(name)
        return table.select(columns) if columns else table
    snapshot = current_snapshot(out_dir)
    path = snapshot / name / "part-0.parquet" if snapshot else None
    if path is None or not path.exists():
        return empty(name).select(columns) if columns else empty(name)
    if columns or filters:
        return pq.read_table(path, columns=columns, filters=filters)
    return pq.read_table(path, schema=schema)


def count_rows(out_dir: Path, name: str) -> int:
    snapshot = current_snapshot(out_dir)
    path = snapshot / name / "part-0.parquet" if snapshot else None
    return pq.read_metadata(path).num_rows if path and path.exists() else 0

