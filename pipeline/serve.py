"""`vnpress serve`: the current snapshot as a SQLite database, browsed with Datasette.

``build_database`` copies every table the snapshot holds (and the ``runs``/``errors`` logs) into
``OUT/vnpress.db``, and only when they changed since the last copy: the snapshot's name and the
log files are the fingerprint, kept in the database. The copy is generic over tables: a table
the snapshot gains later is copied with its columns as they are; what ``schemas.py`` says about a
known table becomes its primary key, its table and column descriptions and its facets.

Foreign keys are declared for every column named like the single-column key of another table
(``doc_id`` -> documents, ``person_id`` -> persons, ``agency_id`` -> agencies, ``mention_id`` ->
mentions, ``run_id`` -> runs; ``agencies.parent_id`` -> agencies), so Datasette's row pages link
across them. ``mentions.entity_id`` points at persons or at agencies depending on the label; the
copy adds ``person_id`` and ``agency_id`` columns holding it, so that those link too.

Values: dates and times as ISO text, lists and maps as JSON text (Datasette shows JSON arrays
as lists), booleans as 0/1.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from . import write
from .formats import jsonable
from .schemas import TABLES

DB_NAME = "vnpress.db"
META_TABLE = "_vnpress_build"
# Columns worth a facet wherever a table has them (each table gets those it has, in this order).
FACETS = ("province", "province_2025", "label", "category", "kind", "status", "gender", "type", "format",
          "action", "year_source", "stage", "reason")
LABEL_COLUMNS = {"persons": "full_name", "agencies": "name", "documents": "title", "mentions": "text"}
# Keys other than the schema's: mentions by mention_id (unique, and what fact tables point at); the
# run log by run_id (a row per run; a crash while compacting may leave an exact copy, dropped here).
PRIMARY_KEYS = {"mentions": ("mention_id",), "runs": ("run_id",)}
# Datasette shows these first; tokens and sentences are there but mostly for joins.
ORDER = ("documents", "persons", "agencies", "roles", "mentions", "events", "dates", "periods", "counts",
         "legal_refs", "programmes", "programme_parties", "programme_actions", "blocks", "sentences", "tokens",
         "runs", "errors")


def _sources(out_dir: Path) -> dict[str, list[Path]]:
    """Parquet files per table: every table folder of the current snapshot, and the logs."""
    snapshot = write.current_snapshot(out_dir)
    found = {p.name: sorted(p.glob("*.parquet")) for p in sorted(snapshot.iterdir()) if p.is_dir()}
    for name, table in TABLES.items():
        if table.log:
            found[name] = sorted((out_dir / name).glob("*.parquet"))
    return {name: files for name, files in found.items() if files}


def fingerprint(out_dir: Path) -> str:
    snapshot = write.current_snapshot(out_dir)
    logs = [f"{f.parent.name}/{f.name}:{f.stat().st_size}" for name, t in TABLES.items() if t.log
            for f in sorted((out_dir / name).glob("*.parquet"))]
    return json.dumps({"snapshot": snapshot.name, "logs": logs})


def _sql_type(t: pa.DataType) -> str:
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return "INTEGER"
    if pa.types.is_floating(t):
        return "REAL"
    return "TEXT"


def _value(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, float)):
        return v
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(jsonable(v), ensure_ascii=False)
    return jsonable(v)


def _schema(name: str, files: list[Path]) -> pa.Schema:
    schema = pq.read_schema(files[0])
    if name == "mentions":
        schema = schema.append(pa.field("person_id", pa.string())).append(pa.field("agency_id", pa.string()))
    return schema


def primary_key(name: str, schema: pa.Schema) -> tuple[str, ...]:
    table = TABLES.get(name)
    if table is None or (table.log and name not in PRIMARY_KEYS):
        return ()  # unknown or append-only: no key to trust
    key = PRIMARY_KEYS.get(name, table.key)
    return key if all(k in schema.names for k in key) else ()


def foreign_keys(schemas: dict[str, pa.Schema]) -> dict[str, list[tuple[str, str, str]]]:
    """(column, other table, other column) per table."""
    targets = {}
    for name, schema in schemas.items():
        key = primary_key(name, schema)
        if len(key) == 1:
            targets[key[0]] = name
    out: dict[str, list[tuple[str, str, str]]] = {}
    for name, schema in schemas.items():
        own = primary_key(name, schema)
        fks = [(c, targets[c], c) for c in schema.names if c in targets and targets[c] != name and own != (c,)]
        if name == "agencies" and "parent_id" in schema.names:
            fks.append(("parent_id", "agencies", "agency_id"))
        out[name] = fks
    return out


def _create(con: sqlite3.Connection, name: str, schema: pa.Schema, pk: tuple[str, ...],
            fks: list[tuple[str, str, str]]) -> None:
    columns = [f'"{f.name}" {_sql_type(f.type)}' for f in schema]
    if pk:
        columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in pk) + ")")
    columns += [f'FOREIGN KEY ("{c}") REFERENCES "{t}"("{tc}")' for c, t, tc in fks]
    con.execute(f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(columns) + "\n)")


def _rows(name: str, files: list[Path], schema: pa.Schema) -> Iterator[tuple]:
    for path in files:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
            for row in batch.to_pylist():
                if name == "mentions":
                    row["person_id"] = row["entity_id"] if row["label"] == "PERSON" else None
                    row["agency_id"] = row["entity_id"] if row["label"] == "AGENCY" else None
                yield tuple(_value(row.get(c)) for c in schema.names)


def _copy(con: sqlite3.Connection, sources: dict[str, list[Path]]) -> None:
    schemas = {name: _schema(name, files) for name, files in sources.items()}
    fks = foreign_keys(schemas)
    for name in sorted(sources, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n)):
        schema = schemas[name]
        _create(con, name, schema, primary_key(name, schema), fks[name])
        marks = ", ".join("?" * len(schema.names))
        verb = "INSERT OR IGNORE" if TABLES.get(name) and TABLES[name].log else "INSERT"
        con.executemany(f'{verb} INTO "{name}" VALUES ({marks})', _rows(name, sources[name], schema))
        for c, _, _ in fks[name]:
            con.execute(f'CREATE INDEX "{name}_{c}" ON "{name}"("{c}")')
    if "documents" in sources:  # full-text search over the articles (diacritics kept: "hội" is not "hỏi")
        con.execute('CREATE VIRTUAL TABLE "documents_fts" USING FTS5 (title, text, content="documents", '
                    "tokenize='unicode61 remove_diacritics 0')")
        con.execute('INSERT INTO "documents_fts" (rowid, title, text) SELECT rowid, title, text FROM documents')


def build_database(out_dir: Path) -> tuple[Path, bool]:
    """``OUT/vnpress.db`` for the current snapshot; (its path, whether it was (re)built now)."""
    target = out_dir / DB_NAME
    wanted = fingerprint(out_dir)
    if target.exists():
        try:
            with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as con:
                if con.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'fingerprint'").fetchone() == (wanted,):
                    return target, False
        except sqlite3.Error:
            pass  # not ours or broken: build it again
    tmp = target.with_name(f".{DB_NAME}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        _copy(con, _sources(out_dir))
        con.execute(f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
        con.execute(f"INSERT INTO {META_TABLE} VALUES ('fingerprint', ?)", (wanted,))
        con.commit()
    finally:
        con.close()
    os.replace(tmp, target)  # a Datasette serving the old copy keeps its open file
    return target, True


def _table_metadata(con: sqlite3.Connection, name: str) -> dict[str, Any]:
    columns = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")')]
    meta: dict[str, Any] = {}
    table = TABLES.get(name)
    if table is not None:
        meta["description"] = f"One row per {table.one_row_per}."
        meta["columns"] = {c.name: c.meaning for c in table.columns}
    if name == "mentions":
        meta.setdefault("columns", {}).update({
            "person_id": "entity_id of a PERSON mention (added in this copy so that persons link here)",
            "agency_id": "entity_id of an AGENCY mention (added in this copy so that agencies link here)"})
    facets = [c for c in FACETS if c in columns]
    if facets and name not in ("tokens", "sentences"):
        meta["facets"] = facets
    if name in LABEL_COLUMNS:
        meta["label_column"] = LABEL_COLUMNS[name]
    if name == "documents":
        meta["searchable_columns"] = ["title", "text"]
    if name in (META_TABLE,) or name.startswith("documents_fts"):
        meta["hidden"] = True
    return meta


def metadata(db: Path) -> dict[str, Any]:
    """Datasette metadata: descriptions, facets, label columns and canned queries."""
    from .serve_queries import canned_queries

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        tables = {name: _table_metadata(con, name) for name in names}
        columns = {name: {r[1] for r in con.execute(f'PRAGMA table_info("{name}")')} for name in names}
    return {
        "title": "vnpress",
        "description": "Facts extracted from Vietnamese press releases: who held which post, agencies, "
                       "dates, periods, counts, legal references, events. Columns are described in the "
                       "data dictionary (docs/tables.md).",
        "databases": {db.stem: {"tables": tables, "queries": canned_queries(columns)}},
    }


def datasette(db: Path):
    """A Datasette over ``db`` (immutable: it is rebuilt, never edited) with our metadata."""
    from datasette.app import Datasette

    return Datasette(immutables=[str(db)], metadata=metadata(db),
                     settings={"default_page_size": 50, "facet_time_limit_ms": 1000, "sql_time_limit_ms": 5000})


def serve(out_dir: Path, *, host: str = "127.0.0.1", port: int = 8001, log=print) -> None:
    """Build (when needed) and serve the database until interrupted."""
    import uvicorn

    db, built = build_database(out_dir)
    log(f"{'built' if built else 'up to date:'} {db}; Datasette on http://{host}:{port}/{db.stem}")
    uvicorn.run(datasette(db).app(), host=host, port=port, log_level="warning")
