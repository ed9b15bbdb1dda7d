"""`vnpress programmes`: each cooperation programme's life, and a document's programmes for `show`.

A programme's life: its parties, period and number, then every action the documents report (signed,
launched, reviewed, cited) in date order, each with the document that reports it. A terminal gets
one block per programme; the data formats one row per action (json: one object per programme with
its actions).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.table import Table

from . import write
from .formats import display_cell, jsonable, write_dicts
from .programme_ids import ACTIONS


def _day(a: dict) -> str | None:
    if a["date"]:
        return a["date"].isoformat()
    return f"--{a['month']:02d}-{a['day']:02d}" if a["month"] and a["day"] else None


def lives(out_dir: Path, party: str | None = None) -> list[dict[str, Any]]:
    """Every programme (``programme_lives``) with its actions and their documents; only those with a
    party whose name contains ``party`` (case folded) when given."""
    docs = {d["doc_id"]: d for d in write.read(out_dir, "documents", ["doc_id", "source_file", "source_path",
                                                                      "title"]).to_pylist()}
    actions: dict[str, list[dict]] = defaultdict(list)
    for a in write.read(out_dir, "programme_actions").to_pylist():
        d = docs.get(a["doc_id"], {})
        actions[a["programme_id"]].append({"action": a["action"], "date": _day(a), "source_file": d.get("source_file"),
                                           "document": d.get("title"), "doc_id": a["doc_id"], "text": a["text"]})
    out = []
    for p in write.read(out_dir, "programme_lives").to_pylist():
        if party and not any(party.casefold() in name.casefold() for name in p["parties"]):
            continue
        steps = sorted(actions[p["programme_id"]], key=lambda a: (
            a["date"] is None or a["date"].startswith("--"), a["date"] or "",
            ACTIONS.index(a["action"]) if a["action"] in ACTIONS else len(ACTIONS), a["source_file"] or ""))
        out.append({"programme_id": p["programme_id"], "title": p["title"], "kind": p["kind"],
                    "start_year": p["start_year"], "end_year": p["end_year"], "number": p["number"],
                    "parties": p["parties"], "province": p["province"], "n_documents": p["n_documents"],
                    "actions": steps})
    return sorted(out, key=lambda p: (p["province"] or "", next((a["date"] for a in p["actions"] if a["date"]), "~"),
                                      p["title"], p["programme_id"]))


def show(out_dir: Path, console: Console | None = None, *, party: str | None = None, fmt: str = "table",
         stream: IO[str] | None = None) -> int:
    """Print every programme's life; returns how many programmes."""
    found = lives(out_dir, party)
    stream = stream or sys.stdout
    if fmt == "table":
        console = console or Console()
        for p in found:
            table = Table(title=f"{p['title']}\n{'; '.join(p['parties']) or 'parties not named'}",
                          title_justify="left")
            for header in ("date", "action", "document", "as written"):
                table.add_column(header)
            for a in p["actions"]:
                table.add_row(a["date"] or "no day", a["action"], display_cell(a["source_file"]), a["text"])
            console.print(table)
        console.print(f"{len(found)} programme(s)")
    elif fmt == "json":
        import json

        stream.write(json.dumps(jsonable(found), ensure_ascii=False, indent=1) + "\n")
    else:
        write_dicts([{k: v for k, v in p.items() if k != "actions"} | {f"action_{k}" if k in ("text",) else k: v
                                                                         for k, v in a.items()}
                     for p in found for a in p["actions"]], fmt, stream)
    return len(found)


def document_programmes(out_dir: Path, doc_id: str, agencies: dict[str, dict]) -> list[dict[str, Any]]:
    """One document's programmes for `vnpress show`: as written, kind, period, number, parties,
    actions and the programme's id."""
    def rows(name):
        return write.read(out_dir, name, filters=[("doc_id", "=", doc_id)]).to_pylist()
    parties: dict[str, list[str]] = defaultdict(list)
    for r in rows("programme_parties"):
        parties[r["mention_id"]].append(agencies.get(r["agency_id"], {}).get("name") or r["agency_id"])
    done: dict[str, list[str]] = defaultdict(list)
    for a in rows("programme_actions"):
        done[a["mention_id"]].append(f"{a['action']} {_day(a) or 'no day'}")
    return [{"text": p["text"], "kind": p["kind"],
             "period": f"{p['start_year']}–{p['end_year']}" if p["start_year"] is not None else None,
             "number": p["number"], "parties": parties[p["mention_id"]], "actions": done[p["mention_id"]],
             "programme_id": p["programme_id"]}
            for p in sorted(rows("programmes"), key=lambda p: int(p["mention_id"].rsplit(":", 1)[1].split("-")[0]))]
