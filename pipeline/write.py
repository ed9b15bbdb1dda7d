"""The only place rows become Parquet files: a new snapshot, built in buckets by doc_id.

Rows become Arrow tables (``to_arrow``, ``from_columns``) and the output folder is laid out and
read (snapshots, ``current``, links, logs) in ``layout.py``; its names are re-exported here, so
``write.read``, ``write.current_snapshot`` … are what the rest of the package uses.
"""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .layout import (CURRENT, INPUTS, MANIFEST, ORDER, SNAPSHOTS, SPOOL, STAGING, SchemaError, append_log,
                     compact_logs, count_rows, current_snapshot, empty, from_columns, inputs_table, make_current,
                     manifest, order, part_name, prune, read, read_folder, read_inputs, read_inputs_table,
                     repair_links, snapshot_bytes, sort, table_files, table_link_conflicts, to_arrow, write_inputs,
                     write_manifest)
from .schemas import SNAPSHOT_TABLES, TABLES

# A document's rows go to the bucket named by the first hex digit(s) of its doc_id: none (one
# file per table) below ONE_DIGIT_FROM documents, one digit (16 buckets) below TWO_DIGITS_FROM,
# two (256) from then on. Fewer files cost less to write, read and delete; more keep a bucket
# (merged in memory) small, and let a rerun rewrite less.
ONE_DIGIT_FROM = 1_000
TWO_DIGITS_FROM = 20_000


def bucket_digits(n_documents: int) -> int:
    return 0 if n_documents < ONE_DIGIT_FROM else 1 if n_documents < TWO_DIGITS_FROM else 2


def bucket_of(doc_id: str, digits: int = 1) -> str:
    return doc_id[:digits]


def _bucket_range(bucket: str) -> list[tuple] | None:
    """pyarrow filters for the doc_ids of a bucket (doc_ids are hex: the next prefix bounds it)."""
    if not bucket:
        return None
    return [("doc_id", ">=", bucket), ("doc_id", "<", bucket[:-1] + chr(ord(bucket[-1]) + 1))]


def _overlaps(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


class _Part:
    """One Parquet file written in row groups of exactly the table's ``row_group_rows`` (the last
    one shorter), so its bytes depend on the rows alone, not on how the work was batched."""

    def __init__(self, path: Path, name: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.name = path, name
        self.writer = pq.ParquetWriter(path, TABLES[name].schema, compression="zstd")
        self.pending: list[pa.Table] = []
        self.rows = 0

    def append(self, table: pa.Table) -> None:
        if table.num_rows:
            self.pending.append(table)
            self.rows += table.num_rows
        if len(self.pending) > 32:  # many small batches: one contiguous table costs less than their overheads
            self.pending[:] = [pa.concat_tables(self.pending).combine_chunks()]
        group = TABLES[self.name].row_group_rows
        if sum(t.num_rows for t in self.pending) >= group:
            rows = pa.concat_tables(self.pending)
            full = rows.num_rows - rows.num_rows % group
            self.writer.write_table(rows.slice(0, full), row_group_size=group)
            self.pending = [rows.slice(full)] if full < rows.num_rows else []

    def close(self) -> None:
        if self.pending:
            self.writer.write_table(pa.concat_tables(self.pending), row_group_size=TABLES[self.name].row_group_rows)
            self.pending = []
        self.writer.close()


@dataclass
class Carry:
    """What a run keeps of the previous snapshot: the documents whose rows are reused, and which
    of them changed (their buckets are rewritten; the others are linked)."""
    previous: Path | None = None
    retained: set[str] = field(default_factory=set)   # doc_ids whose old rows stay
    changed: set[str] = field(default_factory=set)    # doc_ids whose rows differ from the old ones (any table)
    documents: set[str] = field(default_factory=set)  # doc_ids whose documents row differs (status, path)
    update_documents: Callable[[pa.Table], pa.Table] | None = None


class SnapshotWriter:
    """Builds a new snapshot in a staging folder; ``commit`` makes it current.

    A per-document table is a folder of buckets, ``bucket-XX.parquet`` for the doc_ids starting
    with ``XX`` (256 at most, only those with rows; their names sort like their rows, so reading
    the folder gives the table in key order). New rows stream in (sorted by key, so one bucket
    after another) to staged files; ``finish`` then makes each bucket: a bucket where nothing
    changed is the previous snapshot's file, hard-linked (copied where links are not possible);
    one with new rows only is its staged file; one with both is merged in memory (one bucket at
    a time). A bucket's bytes depend on its rows alone, so an incremental run writes the same
    files as a run from scratch.
    """

    def __init__(self, out_dir: Path, run_id: str, *, documents: int = 0):
        """``documents``: about how many documents the snapshot will hold (it sets the buckets)."""
        self.out_dir, self.run_id = out_dir, run_id
        self.digits = bucket_digits(documents)
        self.snapshot = out_dir / SNAPSHOTS / run_id
        self.staging = self.snapshot.with_name(f"{STAGING}{run_id}")
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self._open: dict[str, tuple[str | None, _Part]] = {}   # table -> (bucket, its staged part)
        self._staged: dict[str, set[str]] = {}                  # table -> buckets with new rows

    def _new_path(self, name: str, bucket: str) -> Path:
        return self.staging / name / f".new-{bucket}.parquet"

    def append(self, name: str, table: pa.Table) -> None:
        """New rows, in key order across calls (per-document tables: split into their buckets)."""
        if not table.schema.equals(TABLES[name].schema, check_metadata=False):
            raise SchemaError(f"{name}: table schema differs from the declared one")
        if not TABLES[name].per_document:
            self._stage(name, None, table)
            return
        if table.num_rows == 0:
            return
        prefixes = pc.utf8_slice_codeunits(table["doc_id"], 0, self.digits).to_pylist()
        start = 0
        for i in range(1, len(prefixes) + 1):
            if i == len(prefixes) or prefixes[i] != prefixes[start]:
                self._stage(name, prefixes[start], table.slice(start, i - start))
                start = i

    def _stage(self, name: str, bucket: str | None, table: pa.Table) -> None:
        current = self._open.get(name)
        if current is not None and current[0] != bucket:
            if bucket and current[0] and bucket < current[0]:
                raise SchemaError(f"{name}: rows must come in doc_id order (bucket {bucket} after {current[0]})")
            current[1].close()
            current = None
        if current is None:
            path = self._new_path(name, bucket) if TABLES[name].per_document else self.staging / name / part_name(None)
            current = (bucket, _Part(path, name))
            self._open[name] = current
            self._staged.setdefault(name, set()).add(bucket)
        current[1].append(table)

    def _close_staged(self, name: str) -> None:
        current = self._open.pop(name, None)
        if current is not None:
            current[1].close()

    def finish(self, carry: Carry = Carry()) -> None:
        """Every per-document table's buckets from the staged rows and the previous snapshot.
        Buckets are independent: they are made on a few threads (Arrow reads, sorts and
        compresses without the GIL)."""
        changed_buckets = {bucket_of(i, self.digits) for i in carry.changed}
        document_buckets = changed_buckets | {bucket_of(i, self.digits) for i in carry.documents}
        retained: dict[str, list[str]] = {}
        for i in sorted(carry.retained):
            retained.setdefault(bucket_of(i, self.digits), []).append(i)
        jobs = []
        for name in SNAPSHOT_TABLES:
            if not TABLES[name].per_document:
                continue
            self._close_staged(name)
            staged = self._staged.get(name, set())
            rewrite = document_buckets if name == "documents" else changed_buckets
            (self.staging / name).mkdir(parents=True, exist_ok=True)
            for bucket in sorted(staged | set(retained)):
                reuse = bucket in retained and bucket not in rewrite and bucket not in staged
                jobs.append((name, bucket, bucket in staged, retained.get(bucket, []), reuse))
        with ThreadPoolExecutor(max_workers=1) as pool:
            for _ in pool.map(lambda job: self._bucket(carry, *job), jobs):
                pass
        for name in SNAPSHOT_TABLES:
            folder = self.staging / name
            if TABLES[name].per_document and not table_files(folder):
                _Part(folder / part_name("0" * self.digits), name).close()  # a table without rows keeps its schema

    def _bucket(self, carry: Carry, name: str, bucket: str, staged: bool, ids: list[str], reuse: bool) -> None:
        final = self.staging / name / part_name(bucket)
        if reuse and self._link_previous(carry.previous, name, bucket, final):
            return
        old = self._old_rows(carry.previous, name, bucket, ids) if ids else None
        if old is None or old.num_rows == 0:
            if staged:  # new rows only: the file is already as a fresh run writes it
                os.replace(self._new_path(name, bucket), final)
            return
        if name == "documents" and carry.update_documents:
            old = carry.update_documents(old)
        rows = [old]
        if staged:
            rows.append(pq.ParquetFile(self._new_path(name, bucket)).read(use_threads=False))
        part = _Part(final, name)
        part.append(sort(pa.concat_tables(rows), name))
        part.close()
        if staged:
            self._new_path(name, bucket).unlink()

    def _link_previous(self, previous: Path | None, name: str, bucket: str, final: Path) -> bool:
        source = previous / name / part_name(bucket) if previous else None
        if source is None or not source.exists():
            return False
        try:
            os.link(source, final)
        except OSError:  # no hard links here (another filesystem, some network mounts)
            shutil.copyfile(source, final)
        return True

    def _old_rows(self, previous: Path | None, name: str, bucket: str, ids: list[str]) -> pa.Table | None:
        """The retained rows (of ``ids``) of a bucket in the previous snapshot, whatever its layout:
        the same bucket, buckets of another width (the snapshot grew past TWO_DIGITS_FROM), or one
        part-0.parquet (written before buckets)."""
        if previous is None:
            return None
        folder = previous / name
        same = folder / part_name(bucket)
        if same.exists():
            parts = [pq.ParquetFile(same).read(use_threads=False)]
        else:
            sources = [f for f in table_files(folder)
                       if f.name == part_name(None) or _overlaps(f.name[len("bucket-"):-len(".parquet")], bucket)]
            parts = [pq.read_table(f, schema=TABLES[name].schema, filters=_bucket_range(bucket)) for f in sources]
        if not parts:
            return None
        table = pa.concat_tables([t if t.schema.equals(TABLES[name].schema, check_metadata=False)
                                  else t.cast(TABLES[name].schema) for t in parts])
        return table.filter(pc.is_in(table["doc_id"], value_set=pa.array(ids, pa.string())))

    def read_parts(self, name: str, columns: list[str] | None = None, filters=None) -> Iterator[pa.Table]:
        """A table of the staged snapshot file by file (per-document tables: after ``finish``)."""
        self._close_staged(name)
        for f in table_files(self.staging / name):
            yield pq.read_table(f, columns=columns, filters=filters)

    def read(self, name: str, columns: list[str] | None = None, filters=None) -> pa.Table:
        """A table of the staged snapshot (per-document tables: after ``finish``)."""
        self._close_staged(name)
        return read_folder(self.staging / name, name, columns, filters)

    def replace(self, name: str, table: pa.Table) -> None:
        """The whole of a corpus table (persons, agencies)."""
        assert not TABLES[name].per_document, name
        self._close_staged(name)
        self._stage(name, None, table)
        self._close_staged(name)

    def rewrite(self, name: str, table: pa.Table) -> None:
        """The whole of a per-document table, after ``finish`` (programmes, whose ids are the
        corpus's): its buckets are written again from ``table``."""
        assert TABLES[name].per_document, name
        folder = self.staging / name
        for f in table_files(folder):
            f.unlink()  # a hard link to the previous snapshot's file: that file is untouched
        table = sort(table, name)
        prefixes = pc.utf8_slice_codeunits(table["doc_id"], 0, self.digits).to_pylist() if table.num_rows else []
        start = 0
        for i in range(1, len(prefixes) + 1):
            if i == len(prefixes) or prefixes[i] != prefixes[start]:
                part = _Part(folder / part_name(prefixes[start]), name)
                part.append(table.slice(start, i - start))
                part.close()
                start = i
        if not prefixes:
            _Part(folder / part_name("0" * self.digits), name).close()

    def abort(self) -> None:
        """Drop the staging folder (a run that will not publish leaves nothing behind)."""
        for _, part in self._open.values():
            try:
                part.writer.close()
            except Exception:  # a full disk makes closing fail too; the folder goes anyway
                pass
        self._open.clear()
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, *, keep: int = 2, meta: dict[str, Any] | None = None, inputs: pa.Table | None = None) -> Path:
        """Close every table (empty ones too), write the manifest (and what the inputs were),
        then swap ``current`` to the new snapshot; prune to the newest ``keep``. The caller
        holds the folder's lock (and has called ``finish``)."""
        for name in SNAPSHOT_TABLES:
            self._close_staged(name)
            if not TABLES[name].per_document and not (self.staging / name / part_name(None)).exists():
                self.replace(name, empty(name))
        if inputs is not None:
            write_inputs(self.staging, inputs)
        write_manifest(self.staging, self.run_id, meta or {})
        os.replace(self.staging, self.snapshot)
        make_current(self.out_dir, self.run_id)
        prune(self.out_dir, keep=keep)
        return self.snapshot


def publish(out_dir: Path, run_id: str, tables: dict[str, pa.Table], *, keep: int = 2) -> Path:
    """Write every table into a new snapshot, then make it current (the caller holds the lock)."""
    missing = set(SNAPSHOT_TABLES) - set(tables)
    if missing:
        raise SchemaError(f"publish needs every table; missing {sorted(missing)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = SnapshotWriter(out_dir, run_id, documents=tables["documents"].num_rows)
    for name, table in tables.items():
        if TABLES[name].per_document:
            writer.append(name, table)
        else:
            writer.replace(name, table)
    writer.finish()
    return writer.commit(keep=keep)


__all__ = [  # layout's names, used as write.X across the package, and this module's own
    "CURRENT", "INPUTS", "MANIFEST", "ORDER", "SNAPSHOTS", "SPOOL", "STAGING", "SchemaError", "append_log",
    "compact_logs", "count_rows", "current_snapshot", "empty", "from_columns", "inputs_table", "make_current",
    "manifest", "order", "part_name", "prune", "read", "read_folder", "read_inputs", "read_inputs_table",
    "repair_links", "snapshot_bytes", "sort", "table_files", "table_link_conflicts", "to_arrow", "write_inputs",
    "write_manifest", "ONE_DIGIT_FROM", "TWO_DIGITS_FROM", "bucket_digits", "bucket_of", "Carry", "SnapshotWriter",
    "publish",
]
