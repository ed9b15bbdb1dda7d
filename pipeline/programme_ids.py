"""One ``programme_id`` for one cooperation instrument in every document that reports it.

An instrument is the same in two documents when it has the same kind, the same parties and the
same period (both without one counts as the same); a number, when given, settles it: two with one
number are one instrument, two with different numbers are two. Parties are compared as the bodies
they belong to (a body's ``parent_id`` chain to its top: "Ban Thường trực Ủy ban MTTQ" signs for
the Ủy ban MTTQ), so that the article citing the Ban Thường trực's programme and the one
reporting the Ủy ban's signing name one instrument.

Ids derive from these keys, never from counters or the order of documents:

* an instrument with a number: ``pg:`` + a hash of the folded number;
* one without: the id of the numbered instrument with its key (kind, parties, period) when exactly
  one such number is known in the corpus, else ``pg:`` + a hash of its key.

``extract/programmes.py`` gives each document's instruments the id its own text gives; after every
document is processed, :func:`resolve` recomputes all of them over the corpus (the runner calls
it, as it merges persons and agencies), so that a document processed alone and the same document
in a corpus get the ids the corpus says.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterable, Mapping

import pyarrow as pa

from .normalize import fold_for_match as fold


def _hash(text: str) -> str:
    return "pg:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def top(agency_id: str, parents: Mapping[str, str | None]) -> str:
    """The body ``agency_id`` belongs to at the top of its parent chain."""
    seen = {agency_id}
    while (parent := parents.get(agency_id)) and parent not in seen:
        seen.add(parent)
        agency_id = parent
    return agency_id


def key(kind: str, party_ids: Iterable[str], period: tuple[int, int] | None,
        parents: Mapping[str, str | None]) -> str:
    tops = sorted({top(a, parents) for a in party_ids})
    span = f"{period[0]}-{period[1]}" if period else ""
    return f"{fold(kind)}|{','.join(tops)}|{span}"


def programme_id(kind: str, party_ids: Iterable[str], period: tuple[int, int] | None, number: str | None,
                 parents: Mapping[str, str | None]) -> str:
    """The id one document alone gives an instrument."""
    return _hash("n|" + fold(number)) if number else _hash("k|" + key(kind, party_ids, period, parents))


def resolve(programmes: list[dict], parties: list[dict], parents: Mapping[str, str | None]) -> dict[tuple, str]:
    """{(doc_id, mention_id): programme_id} over the corpus (rows of ``programmes`` and
    ``programme_parties``; ``parents``: agency_id -> parent_id of the ``agencies`` table)."""
    members: dict[tuple, list[str]] = defaultdict(list)
    for row in parties:
        members[(row["doc_id"], row["mention_id"])].append(row["agency_id"])
    keys, numbers = {}, {}
    numbered: dict[str, set[str]] = defaultdict(set)
    for row in programmes:
        at = (row["doc_id"], row["mention_id"])
        period = (row["start_year"], row["end_year"]) if row["start_year"] is not None else None
        keys[at] = key(row["kind"], members[at], period, parents)
        if row["number"]:
            numbers[at] = fold(row["number"])
            numbered[keys[at]].add(numbers[at])
    out = {}
    for at, k in keys.items():
        if at in numbers:
            out[at] = _hash("n|" + numbers[at])
        elif len(numbered[k]) == 1:
            out[at] = _hash("n|" + next(iter(numbered[k])))
        else:
            out[at] = _hash("k|" + k)
    return out


def with_ids(table: pa.Table, ids: dict[tuple, str]) -> pa.Table:
    """``table`` (any of the three programme tables) with its ``programme_id`` column from ``ids``."""
    if table.num_rows == 0:
        return table
    rows = zip(table["doc_id"].to_pylist(), table["mention_id"].to_pylist(), table["programme_id"].to_pylist())
    column = pa.array([ids.get((d, m), old) for d, m, old in rows], pa.string())
    i = table.schema.get_field_index("programme_id")
    return table.set_column(i, table.schema.field(i), column)


# ------------------------------------------------------------------ the corpus pass

PER_DOCUMENT = ("programmes", "programme_parties", "programme_actions")
NO_DAY = "----------"


def resolve_tables(read, agencies: pa.Table, documents: pa.Table) -> dict[str, pa.Table]:
    """The three per-document programme tables with corpus-wide ids, and ``programme_lives``.
    ``read(name)`` gives a table of the snapshot being written; ``agencies`` is the resolved one."""
    from . import write

    parents = dict(zip(agencies["agency_id"].to_pylist(), agencies["parent_id"].to_pylist()))
    tables = {name: read(name) for name in PER_DOCUMENT}
    ids = resolve(tables["programmes"].to_pylist(), tables["programme_parties"].to_pylist(), parents)
    out = {name: write.sort(with_ids(t, ids), name) for name, t in tables.items()}
    names = dict(zip(agencies["agency_id"].to_pylist(), agencies["name"].to_pylist()))
    docs = {d["doc_id"]: d for d in documents.select(["doc_id", "source_file", "province"]).to_pylist()}
    out["programme_lives"] = write.to_arrow("programme_lives", lives(
        {n: t.to_pylist() for n, t in out.items()}, names, docs, parents))
    return out


def _most(values) -> object:
    counts: dict = defaultdict(int)
    for v in values:
        if v is not None:
            counts[v] += 1
    return min(counts, key=lambda v: (-counts[v], str(v))) if counts else None


def title(kind: str, start: int | None, end: int | None, number: str | None, province: str | None) -> str:
    """"chương trình phối hợp 2024–2028 (12/CTrPH-MTTQ-SNV) · Lào Cai"."""
    period = f" {start}–{end}" if start is not None else ""
    return f"{kind}{period}{f' ({number})' if number else ''}{f' · {province}' if province else ''}"


ACTIONS = ("signed", "launched", "reviewed", "cited")  # the order of a programme's life on one day


def _stage(action: dict) -> int:
    return ACTIONS.index(action["action"]) if action["action"] in ACTIONS else len(ACTIONS)


def lives(tables: dict[str, list[dict]], names: Mapping[str, str], docs: Mapping[str, dict],
          parents: Mapping[str, str | None]) -> list[dict]:
    """One row per programme: what every document says of it (see ``schemas.py``)."""
    by: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for name, rows in tables.items():
        for row in rows:
            by[row["programme_id"]][name].append(row)
    out = []
    for pid, rows in sorted(by.items()):
        progs, acts = rows["programmes"], rows["programme_actions"]
        periods = [(p["start_year"], p["end_year"]) for p in progs if p["start_year"] is not None]
        start, end = _most(periods) or (None, None)
        dated = sorted((a for a in acts if a["date"]), key=lambda a: (a["date"], _stage(a), a["doc_id"]))
        undated = sorted((a for a in acts if not a["date"]), key=lambda a: (_stage(a), a["doc_id"]))
        doc_ids = {p["doc_id"] for p in progs}
        ids = {p["agency_id"] for p in rows["programme_parties"]}
        parties = sorted({names.get(a, a) for a in ids if parents.get(a) not in ids})
        kind, number = _most(p["kind"] for p in progs), _most(p["number"] for p in progs)
        province = _most(docs.get(d, {}).get("province") for d in doc_ids)
        out.append({
            "programme_id": pid, "title": title(kind, start, end, number, province), "kind": kind,
            "start_year": start, "end_year": end, "number": number, "parties": parties, "province": province,
            "signed": min((a["date"] for a in dated if a["action"] == "signed"), default=None),
            "last_reviewed": max((a["date"] for a in dated if a["action"] == "reviewed"), default=None),
            "first_date": dated[0]["date"] if dated else None, "last_date": dated[-1]["date"] if dated else None,
            "n_documents": len(doc_ids),
            "life": [f"{a['date'].isoformat() if a['date'] else NO_DAY} {a['action']}: "
                     f"{docs.get(a['doc_id'], {}).get('source_file') or a['doc_id']}" for a in dated + undated],
        })
    return out
