"""Terminal views of the tables: one document's facts, counts per table, SQL over the tables."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import write
from .report import COLOURS
from .schemas import TABLES


class NotFound(LookupError):
    pass


def _document(out_dir: Path, key: str) -> dict:
    for d in write.read(out_dir, "documents").to_pylist():
        if key in (d["doc_id"], d["source_file"], d["source_path"]):
            return d
    raise NotFound(f"no document {key!r} in {out_dir} (give a source file name or a doc_id)")


def _rows(out_dir: Path, name: str, doc_id: str) -> list[dict]:
    return write.read(out_dir, name, filters=[("doc_id", "=", doc_id)]).to_pylist()


def _table(title: str, headers: list[str], rows: list[list]) -> Table:
    table = Table(title=title, title_justify="left")
    for h in headers:
        table.add_column(h)
    for r in rows:
        table.add_row(*["" if v is None else str(v) for v in r])
    return table


def _highlighted(document: dict, blocks: list[dict], mentions: list[dict]) -> Text:
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


def show(out_dir: Path, key: str, console: Console | None = None) -> None:
    console = console or Console()
    d = _document(out_dir, key)
    doc_id = d["doc_id"]
    persons = {p["person_id"]: p for p in write.read(out_dir, "persons").to_pylist()}
    agencies = {a["agency_id"]: a for a in write.read(out_dir, "agencies").to_pylist()}
    console.rule(f"{d['source_file']}  ({doc_id})")
    console.print(f"[bold]{d['title']}[/bold]\nprovince {d['province']} · event date {d['event_date'] or 'unknown'}"
                  f" · published {d['published_date'] or '—'} · authors {', '.join(d['authors'] or []) or '—'}")
    mentions = _rows(out_dir, "mentions", doc_id)
    console.print(_highlighted(d, _rows(out_dir, "blocks", doc_id), mentions))
    role_rows = _rows(out_dir, "roles", doc_id)
    roles = [[persons[r["person_id"]]["full_name"], persons[r["person_id"]]["gender"], r["title"],
              agencies.get(r["agency_id"], {}).get("name")] for r in role_rows]
    with_role = {r["person_id"] for r in role_rows}
    for pid in dict.fromkeys(m["entity_id"] for m in mentions if m["label"] == "PERSON"):  # named without a title
        if pid not in with_role and pid in persons:
            roles.append([persons[pid]["full_name"], persons[pid]["gender"], None, None])
    console.print(_table("Persons, titles, agencies", ["person", "gender", "title", "agency"], roles))
    forms: dict[str, list[str]] = {}
    for m in mentions:
        if m["label"] == "AGENCY" and m["entity_id"]:
            forms.setdefault(m["entity_id"], [])
            if m["text"] not in forms[m["entity_id"]]:
                forms[m["entity_id"]].append(m["text"])
    console.print(_table("Agencies", ["agency", "written as"],
                         [[agencies.get(a, {}).get("name"), " · ".join(f)] for a, f in forms.items()]))
    console.print(_table("Dates", ["as written", "date", "month", "day", "kind", "year from"],
                         [[x["text"], x["date"], x["month"], x["day"], x["kind"], x["year_source"]]
                          for x in _rows(out_dir, "dates", doc_id)]))
    console.print(_table("Periods", ["as written", "start", "end"],
                         [[p["text"], p["start_year"], p["end_year"]] for p in _rows(out_dir, "periods", doc_id)]))
    console.print(_table("Counts", ["as written", "value", "unit", "category"],
                         [[c["text"], c["value"], c["unit"], c["category"]] for c in _rows(out_dir, "counts", doc_id)]))
    console.print(_table("Legal references", ["number", "kind", "date"],
                         [[r["number"], r["kind"], r["date"]] for r in _rows(out_dir, "legal_refs", doc_id)]))
    console.print(_table("Events", ["type", "date", "format"],
                         [[e["type"], e["date"], e["format"]] for e in _rows(out_dir, "events", doc_id)]))


def stats(out_dir: Path, console: Console | None = None) -> None:
    console = console or Console()
    console.print(_table("Rows per table", ["table", "rows"], [[name, write.read(out_dir, name).num_rows]
                                                               for name in TABLES]))
    labels = Counter(write.read(out_dir, "mentions", ["label"]).column("label").to_pylist())
    console.print(_table("Mentions per label", ["label", "mentions"], sorted(labels.items())))
    kinds = Counter(write.read(out_dir, "blocks", ["kind"]).column("kind").to_pylist())
    console.print(_table("Blocks per kind", ["kind", "blocks"], sorted(kinds.items())))


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


def query(out_dir: Path, sql: str, console: Console | None = None) -> None:
    console = console or Console()
    cursor = connect(out_dir).execute(sql)
    headers = [c[0] for c in cursor.description]
    console.print(_table("", headers, [list(r) for r in cursor.fetchall()]))
