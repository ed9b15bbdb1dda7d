"""Terminal views of the tables: one document's facts, counts per table, SQL over the tables.

Each view draws rich tables (``fmt="table"``) or writes data (csv, tsv, json, jsonl: see
``formats.py``) to a stream.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import write
from .formats import display_cell, jsonable, write_dicts, write_rows
from .report import COLOURS
from .schemas import TABLES


class NotFound(LookupError):
    pass


class NoTables(LookupError):
    pass


def require_tables(out_dir: Path) -> Path:
    """The current snapshot of ``out_dir``; ``NoTables`` when no run has published one there."""
    snapshot = write.current_snapshot(out_dir)
    if snapshot is None:
        raise NoTables(f"no tables in {out_dir}: run `vnpress run INPUTS --out {out_dir}` first")
    return snapshot


def documents_named(out_dir: Path, key: str) -> list[dict]:
    """Every document whose doc_id, source file name or source path is ``key`` (a file name may be
    shared by inputs in different folders), by source path."""
    columns = [c for c in TABLES["documents"].names if c != "text"]
    found = [d for d in write.read(out_dir, "documents", columns).to_pylist()
             if key in (d["doc_id"], d["source_file"], d["source_path"])]
    if not found:
        raise NotFound(f"no document {key!r} in {out_dir} (give a source file name or a doc_id)")
    return sorted(found, key=lambda d: d["source_path"])


def _rows(out_dir: Path, name: str, doc_id: str) -> list[dict]:
    return write.read(out_dir, name, filters=[("doc_id", "=", doc_id)]).to_pylist()


def _table(title: str, headers: list[str], rows: list[list]) -> Table:
    table = Table(title=title, title_justify="left")
    for h in headers:
        table.add_column(h)
    for r in rows:
        table.add_row(*[display_cell(v) for v in r])
    return table


def _highlighted(blocks: list[dict], mentions: list[dict]) -> Text:
    """The article with each span in its label's colour; boilerplate dimmed."""
    text = Text()
    for block in sorted(blocks, key=lambda b: b["block_idx"]):
        piece = Text(block["text"], style="dim" if block["kind"] not in ("title", "body", "caption") else "")
        for m in mentions:
            if block["char_start"] <= m["char_start"] and m["char_end"] <= block["char_end"]:
                piece.stylize(f"on {COLOURS.get(m['label'], '#dddddd')} black",
                              m["char_start"] - block["char_start"], m["char_end"] - block["char_start"])
        text.append(f"[{block['kind']}] ", style="italic grey50")
        text.append_text(piece)
        text.append("\n")
    return text


# section -> (title of its terminal table, the singular used in the `fact` column of data formats)
SECTIONS = {"persons": ("Persons, titles, agencies", "person"), "agencies": ("Agencies", "agency"),
            "dates": ("Dates", "date"), "periods": ("Periods", "period"), "counts": ("Counts", "count"),
            "legal_refs": ("Legal references", "legal_ref"), "events": ("Events", "event")}


def _people(out_dir: Path, doc_id: str, mentions: list[dict], persons: dict, agencies: dict) -> list[dict]:
    role_rows = _rows(out_dir, "roles", doc_id)
    rows = [{"full_name": persons[r["person_id"]]["full_name"], "gender": persons[r["person_id"]]["gender"],
             "title": r["title"], "agency": agencies.get(r["agency_id"], {}).get("name"),
             "person_id": r["person_id"], "agency_id": r["agency_id"]} for r in role_rows]
    with_role = {r["person_id"] for r in role_rows}
    for pid in dict.fromkeys(m["entity_id"] for m in mentions if m["label"] == "PERSON"):  # named without a title
        if pid not in with_role and pid in persons:
            rows.append({"full_name": persons[pid]["full_name"], "gender": persons[pid]["gender"], "title": None,
                         "agency": None, "person_id": pid, "agency_id": None})
    return rows


def _agency_forms(mentions: list[dict], agencies: dict) -> list[dict]:
    forms: dict[str, list[str]] = {}
    for m in mentions:
        if m["label"] == "AGENCY" and m["entity_id"]:
            seen = forms.setdefault(m["entity_id"], [])
            if m["text"] not in seen:
                seen.append(m["text"])
    return [{"agency": agencies.get(a, {}).get("name"), "written_as": f, "agency_id": a} for a, f in forms.items()]


def _picked(rows: list[dict], columns: tuple[str, ...]) -> list[dict]:
    return [{c: r[c] for c in columns} for r in rows]


def document_facts(out_dir: Path, d: dict, persons: dict, agencies: dict) -> dict[str, Any]:
    """One document's metadata, blocks, mentions and facts by section (rows as dicts)."""
    doc_id = d["doc_id"]
    mentions = _rows(out_dir, "mentions", doc_id)
    facts = {
        "persons": _people(out_dir, doc_id, mentions, persons, agencies),
        "agencies": _agency_forms(mentions, agencies),
        "dates": _picked(_rows(out_dir, "dates", doc_id), ("text", "date", "month", "day", "kind", "year_source")),
        "periods": _picked(_rows(out_dir, "periods", doc_id), ("text", "start_year", "end_year", "kind")),
        "counts": _picked(_rows(out_dir, "counts", doc_id), ("text", "value", "unit", "category")),
        "legal_refs": _picked(_rows(out_dir, "legal_refs", doc_id), ("text", "number", "kind", "date")),
        "events": _picked(_rows(out_dir, "events", doc_id), ("text", "type", "date", "format")),
    }
    return {"document": d, "blocks": _rows(out_dir, "blocks", doc_id), "mentions": mentions, "facts": facts}


def _print_document(console: Console, item: dict[str, Any]) -> None:
    d = item["document"]
    console.rule(f"{d['source_file']}  ({d['doc_id']})")
    removed = " · [red]removed (its source file is gone)[/red]" if d["status"] == "removed" else ""
    console.print(f"[bold]{d['title']}[/bold]\n{d['source_path']} · province {d['province'] or 'unknown'}"
                  f" · event date {d['event_date'] or 'unknown'} · published {d['published_date'] or 'unknown'}"
                  f" · authors {', '.join(d['authors'] or []) or 'unknown'}{removed}")
    console.print(_highlighted(item["blocks"], item["mentions"]))
    for section, rows in item["facts"].items():
        columns = [c for c in (rows[0] if rows else {}) if not c.endswith("_id")]
        console.print(_table(SECTIONS[section][0], [c.replace("_", " ") for c in columns],
                             [[r[c] for c in columns] for r in rows]))


_DOCUMENT_FIELDS = ("doc_id", "source_file", "source_path", "title", "province", "province_2025", "event_date",
                    "published_date", "authors", "status")


def show(out_dir: Path, key: str, console: Console | None = None, *, fmt: str = "table",
         stream: IO[str] | None = None) -> int:
    """Print the facts of every document named ``key``; returns how many."""
    require_tables(out_dir)
    persons = {p["person_id"]: p for p in write.read(out_dir, "persons").to_pylist()}
    agencies = {a["agency_id"]: a for a in write.read(out_dir, "agencies").to_pylist()}
    items = [document_facts(out_dir, d, persons, agencies) for d in documents_named(out_dir, key)]
    stream = stream or sys.stdout
    if fmt == "table":
        console = console or Console()
        if len(items) > 1:
            console.print(f"{len(items)} documents named {key!r}: " + ", ".join(i["document"]["source_path"]
                                                                             for i in items))
        for item in items:
            _print_document(console, item)
    elif fmt == "json":
        import json

        stream.write(json.dumps(jsonable([{**{k: i["document"].get(k) for k in _DOCUMENT_FIELDS}, **i["facts"]}
                                          for i in items]), ensure_ascii=False, indent=1) + "\n")
    else:  # one row per fact, the document's id and file in front
        write_dicts([{"doc_id": i["document"]["doc_id"], "source_path": i["document"]["source_path"],
                      "fact": SECTIONS[section][1], **row}
                     for i in items for section, rows in i["facts"].items() for row in rows], fmt, stream)
    return len(items)


def why(out_dir: Path, key: str, console: Console | None = None, *, fmt: str = "table",
        stream: IO[str] | None = None) -> int:
    """Every mention of the documents named ``key`` with the rule that found it; returns how many
    documents."""
    require_tables(out_dir)
    docs = documents_named(out_dir, key)
    ids = {d["doc_id"]: d for d in docs}
    mentions = [m for m in write.read(out_dir, "mentions", ["doc_id", "char_start", "label", "text", "normalized",
                                                           "rule"]).to_pylist() if m["doc_id"] in ids]
    mentions.sort(key=lambda m: (m["doc_id"], m["char_start"], m["label"]))
    columns = ["label", "text", "normalized", "rule"]
    if fmt == "table":
        console = console or Console()
        for d in docs:
            rows = [[m[c] or "" for c in columns] for m in mentions if m["doc_id"] == d["doc_id"]]
            console.print(_table(f"{d['source_path']}: why each mention is there", columns, rows))
    else:
        write_dicts([{"doc_id": m["doc_id"], "source_path": ids[m["doc_id"]]["source_path"],
                      **{c: m[c] for c in columns}} for m in mentions], fmt, stream or sys.stdout)
    return len(docs)


def stats(out_dir: Path, console: Console | None = None, *, fmt: str = "table",
          stream: IO[str] | None = None) -> None:
    require_tables(out_dir)
    groups = {
        "rows per table": [(name, write.read(out_dir, name).num_rows if TABLES[name].log
                            else write.count_rows(out_dir, name)) for name in TABLES],
        "mentions per label": sorted(Counter(write.read(out_dir, "mentions", ["label"]).column("label")
                                             .to_pylist()).items()),
        "blocks per kind": sorted(Counter(write.read(out_dir, "blocks", ["kind"]).column("kind").to_pylist()).items()),
    }
    if fmt == "table":
        console = console or Console()
        for (title, rows), headers in zip(groups.items(), (["table", "rows"], ["label", "mentions"],
                                                            ["kind", "blocks"])):
            console.print(_table(title.capitalize(), headers, [list(r) for r in rows]))
        return
    write_rows(["group", "name", "count"], ([g, name, n] for g, rows in groups.items() for name, n in rows),
               fmt, stream or sys.stdout)


def connect(out_dir: Path):
    """A DuckDB connection with every table as a view of the same name."""
    import duckdb

    con = duckdb.connect()
    for name in TABLES:
        files = sorted((out_dir / name).glob("*.parquet")) if (out_dir / name).exists() else []
        if files:
            paths = ", ".join(f"'{f.resolve()}'" for f in files)
            con.execute(f"create view {name} as select * from read_parquet([{paths}])")
    return con


def _fetched(cursor, size: int = 2048):
    while rows := cursor.fetchmany(size):
        yield from rows


def query(out_dir: Path, sql: str, console: Console | None = None, *, fmt: str = "table",
          stream: IO[str] | None = None) -> None:
    require_tables(out_dir)
    cursor = connect(out_dir).execute(sql)
    headers = [c[0] for c in cursor.description] if cursor.description else []
    if fmt == "table":
        (console or Console()).print(_table("", headers, [list(r) for r in cursor.fetchall()]))
    else:
        write_rows(headers, _fetched(cursor), fmt, stream or sys.stdout)
