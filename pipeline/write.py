"""The only place rows become Arrow tables and Parquet files.

Layout of an output folder::

    outputs/
      .lock                                        held by the one command writing here (lock.py)
      .snapshots/<run_id>/<table>/part-XX.parquet  one complete set of tables per publishing run
                                                   (a per-document table in buckets by doc_id prefix)
      .snapshots/<run_id>/_snapshot.json           what the snapshot holds (rows, bytes per table)
      .snapshots/.order                            snapshots in the order they became current
      current -> .snapshots/<run_id>                the commit point, replaced atomically
      <table> -> current/<table>                    what readers open: outputs/documents, ...

A run writes a whole new snapshot, then replaces the ``current`` link with ``os.replace``
(atomic on POSIX). A run killed at any moment leaves the previous snapshot in place and
``current`` pointing at it: readers always see one complete, consistent set of tables.

Pruning keeps the newest ``keep`` snapshots (in the order they became current, so a restored
one counts as new), never the current one nor the one it replaced, and never one a reader
has pinned (``snapshot.open_snapshot`` holds a shared ``flock`` on the snapshot's folder).
It runs under the output folder's lock, so a staging folder it finds is a dead run's.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .schemas import SNAPSHOT_TABLES, TABLES

SNAPSHOTS = ".snapshots"
CURRENT = "current"
MANIFEST = "_snapshot.json"
INPUTS = "_inputs.parquet"   # files seen by the run that wrote the snapshot: what they were when listed
_INPUTS_SCHEMA = pa.schema([("source_path", pa.string()), ("size", pa.int64()), ("mtime_ns", pa.int64()),
                            ("ctime_ns", pa.int64()), ("inode", pa.int64()), ("doc_id", pa.string()),
                            ("pipeline_version", pa.string())])
ORDER = ".order"
STAGING = ".staging-"
SPOOL = ".spool-"


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


def part_name(bucket: str | None) -> str:
    """``bucket-XX.parquet`` for a bucket of a per-document table, ``part-0.parquet`` for a table in
    one file (persons, agencies, a small snapshot's tables, and those written before buckets)."""
    return f"bucket-{bucket}.parquet" if bucket else "part-0.parquet"


def _parts(folder: Path) -> list[Path]:
    """A table's files, in the order of their rows."""
    return sorted(f for f in folder.glob("*.parquet") if not f.name.startswith(".")) if folder.is_dir() else []


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

    A per-document table is a folder of buckets, ``part-XX.parquet`` for the doc_ids starting
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
            if TABLES[name].per_document and not _parts(folder):
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
            sources = [f for f in _parts(folder)
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
        for f in _parts(self.staging / name):
            yield pq.read_table(f, columns=columns, filters=filters)

    def read(self, name: str, columns: list[str] | None = None, filters=None) -> pa.Table:
        """A table of the staged snapshot (per-document tables: after ``finish``)."""
        self._close_staged(name)
        return _read_folder(self.staging / name, name, columns, filters)

    def replace(self, name: str, table: pa.Table) -> None:
        """The whole of a corpus table (persons, agencies)."""
        assert not TABLES[name].per_document, name
        self._close_staged(name)
        self._stage(name, None, table)
        self._close_staged(name)

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
        _write_manifest(self.staging, self.run_id, meta or {})
        os.replace(self.staging, self.snapshot)
        make_current(self.out_dir, self.run_id)
        prune(self.out_dir, keep=keep)
        return self.snapshot


def _read_folder(folder: Path, name: str, columns=None, filters=None) -> pa.Table:
    files = _parts(folder)
    if not files:
        table = empty(name)
        return table.select(columns) if columns else table
    parts = [pq.read_table(f, columns=columns, filters=filters, schema=None if columns else TABLES[name].schema)
             for f in files]
    return pa.concat_tables(parts) if len(parts) > 1 else parts[0]


def _write_manifest(folder: Path, run_id: str, meta: dict[str, Any]) -> None:
    tables = {}
    for name in SNAPSHOT_TABLES:
        files = _parts(folder / name)
        tables[name] = {"files": [f.name for f in files], "bytes": sum(f.stat().st_size for f in files),
                        "rows": sum(pq.read_metadata(f).num_rows for f in files)}
    manifest = {"run_id": run_id, "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                **meta, "tables": tables}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")


def inputs_table(rows: list[tuple[str, tuple[int, ...], str]], version: str) -> pa.Table:
    """(source_path, stat key, doc_id) of each file a snapshot's documents were read from."""
    rows = sorted(rows)
    columns = [[r[0] for r in rows]] + [[r[1][k] for r in rows] for k in range(4)] + [[r[2] for r in rows]]
    return pa.table(columns + [[version] * len(rows)], schema=_INPUTS_SCHEMA)


def write_inputs(folder: Path, table: pa.Table) -> None:
    tmp = folder / f".{INPUTS}.tmp-{os.getpid()}"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, folder / INPUTS)


def read_inputs(snapshot: Path | None, version: str) -> dict[str, tuple[tuple[int, ...], str]]:
    """source_path -> (stat key, doc_id) of the files a snapshot was made from, by this pipeline
    version (another version may give other ids for the same bytes: then nothing is known)."""
    try:
        table = pq.read_table(snapshot / INPUTS) if snapshot else None
    except (OSError, pa.ArrowException):
        return {}
    if table is None or table.num_rows == 0 or table["pipeline_version"][0].as_py() != version:
        return {}
    return read_inputs_table(table)


def read_inputs_table(table: pa.Table) -> dict[str, tuple[tuple[int, ...], str]]:
    d = table.to_pydict()
    return {path: ((size, mtime, ctime, ino), doc_id) for path, size, mtime, ctime, ino, doc_id in
            zip(d["source_path"], d["size"], d["mtime_ns"], d["ctime_ns"], d["inode"], d["doc_id"])}


def manifest(snapshot: Path) -> dict[str, Any]:
    """A snapshot's manifest ({} for a snapshot written before manifests existed)."""
    try:
        return json.loads((snapshot / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def snapshot_bytes(snapshot: Path | None) -> int:
    """Bytes the files of a snapshot take (what a new snapshot may need again)."""
    if snapshot is None:
        return 0
    return sum(f.stat().st_size for f in snapshot.rglob("*") if f.is_file())


def _order_path(out_dir: Path) -> Path:
    return out_dir / SNAPSHOTS / ORDER


def order(out_dir: Path) -> list[str]:
    """Snapshot ids, oldest first, in the order they became current (the last is current);
    snapshots the order file does not name (older vnpress, a run killed before its swap) first."""
    try:
        listed = _order_path(out_dir).read_text(encoding="utf-8").split()
    except OSError:
        listed = []
    folder = out_dir / SNAPSHOTS
    present = {p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")} \
        if folder.is_dir() else set()
    seen = [x for x in dict.fromkeys(listed) if x in present]
    return sorted(present - set(seen)) + seen


def make_current(out_dir: Path, run_id: str) -> None:
    """Swap ``current`` to a snapshot (the commit point), record it last in the order, and
    repair the per-table links."""
    _link(f"{SNAPSHOTS}/{run_id}", out_dir / CURRENT)
    ids = [x for x in order(out_dir) if x != run_id] + [run_id]
    tmp = _order_path(out_dir).with_name(f"{ORDER}.tmp-{os.getpid()}")
    tmp.write_text("\n".join(ids) + "\n", encoding="utf-8")
    os.replace(tmp, _order_path(out_dir))
    repair_links(out_dir)


def table_link_conflicts(out_dir: Path) -> list[Path]:
    """Entries named like a table under ``out_dir`` that are not links (vnpress will not replace them)."""
    return [out_dir / n for n in SNAPSHOT_TABLES if (out_dir / n).exists() and not (out_dir / n).is_symlink()]


def repair_links(out_dir: Path) -> None:
    """Make every ``out/<table>`` a link to ``current/<table>`` (a run killed between the
    ``current`` swap and these links left them missing: any later run makes them)."""
    for name in SNAPSHOT_TABLES:
        link = out_dir / name
        if link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}":
            continue
        if link.exists() and not link.is_symlink():
            raise SchemaError(f"{link} exists and is not a link made by vnpress; move it away")
        _link(f"{CURRENT}/{name}", link)


def _try_exclusive(folder: Path) -> int | None:
    """An exclusive ``flock`` on a snapshot folder, or None when a reader pins it."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def prune(out_dir: Path, keep: int = 2) -> list[str]:
    """Remove snapshots beyond the newest ``keep`` (never the current one nor the one it
    replaced), unless a reader pins them, and dead runs' staging folders; returns what went.
    The caller holds the folder's lock, so no staging folder belongs to a live run."""
    keep = max(keep, 2)
    folder = out_dir / SNAPSHOTS
    ids = order(out_dir)
    current = current_snapshot(out_dir)
    protected = set(ids[-keep:]) | ({current.name} if current else set())
    removed = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(STAGING):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
        elif path.name.startswith(SPOOL) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path.name)
        elif path.is_dir() and not path.name.startswith(".") and path.name not in protected:
            fd = _try_exclusive(path)
            if fd is None:
                continue  # pinned by a reader: a later prune takes it
            try:
                shutil.rmtree(path, ignore_errors=True)
            finally:
                os.close(fd)
            removed.append(path.name)
    return removed


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
    if snapshot is None:
        return empty(name).select(columns) if columns else empty(name)
    return _read_folder(snapshot / name, name, columns, filters)


def count_rows(out_dir: Path, name: str) -> int:
    snapshot = current_snapshot(out_dir)
    return sum(pq.read_metadata(f).num_rows for f in _parts(snapshot / name)) if snapshot else 0
