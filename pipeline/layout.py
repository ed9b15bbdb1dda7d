"""The output folder: how rows become Arrow tables, where snapshots, links and logs live, and
reading the current snapshot. Building a new snapshot (in buckets, reusing the previous one's)
is ``write.SnapshotWriter``; ``write`` also re-exports everything here.

Layout of an output folder::

    outputs/
      .lock                                        held by the one command writing here (lock.py)
      .snapshots/<run_id>/<table>/bucket-X.parquet one complete set of tables per publishing run
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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
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


def part_name(bucket: str | None) -> str:
    """``bucket-XX.parquet`` for a bucket of a per-document table, ``part-0.parquet`` for a table in
    one file (persons, agencies, a small snapshot's tables, and those written before buckets)."""
    return f"bucket-{bucket}.parquet" if bucket else "part-0.parquet"


def table_files(folder: Path) -> list[Path]:
    """A table's files, in the order of their rows."""
    return sorted(f for f in folder.glob("*.parquet") if not f.name.startswith(".")) if folder.is_dir() else []


def read_folder(folder: Path, name: str, columns=None, filters=None) -> pa.Table:
    files = table_files(folder)
    if not files:
        table = empty(name)
        return table.select(columns) if columns else table
    tables = [pq.read_table(f, columns=columns, filters=filters, schema=None if columns else TABLES[name].schema)
              for f in files]
    return pa.concat_tables(tables) if len(tables) > 1 else tables[0]


def write_manifest(folder: Path, run_id: str, meta: dict[str, Any]) -> None:
    tables = {}
    for name in SNAPSHOT_TABLES:
        files = table_files(folder / name)
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
    return read_folder(snapshot / name, name, columns, filters)


def count_rows(out_dir: Path, name: str) -> int:
    snapshot = current_snapshot(out_dir)
    return sum(pq.read_metadata(f).num_rows for f in table_files(snapshot / name)) if snapshot else 0
