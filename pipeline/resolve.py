"""Mentions -> the corpus-wide ``persons`` and ``agencies`` tables.

Ids are made where the mention is found (``ids.person_id``, ``ids.agency_id``): they derive from
normalised keys, never from counters, so an incremental run, a different worker count or a
different order of documents gives the same ids. Here the rows of one id are merged.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from . import write
from .admin2025 import province_2025


def _most_common(values) -> Any:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    best = max(counts.values())
    return min(v for v, n in counts.items() if n == best)  # deterministic tie-break


def _grouped(mentions: pa.Table, label: str) -> dict[str, list[dict[str, Any]]]:
    rows = mentions.filter(pc.equal(mentions["label"], label)).select(
        ["doc_id", "text", "entity_id", "normalized", "details"]).to_pylist()
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["entity_id"]:
            row["details"] = dict(row["details"] or [])
            groups[row["entity_id"]].append(row)
    return groups


def persons(mentions: pa.Table) -> pa.Table:
    out = []
    for person_id, rows in _grouped(mentions, "PERSON").items():
        out.append({
            "person_id": person_id,
            "full_name": _most_common(r["normalized"] for r in rows),
            "gender": _most_common(r["details"].get("gender") for r in rows),
            "province": _most_common(r["details"].get("province") for r in rows),
            "n_documents": len({r["doc_id"] for r in rows}),
        })
    return write.to_arrow("persons", out)


def agencies(mentions: pa.Table) -> pa.Table:
    out = []
    for agency_id, rows in _grouped(mentions, "AGENCY").items():
        province = _most_common(r["details"].get("province") for r in rows)
        out.append({
            "agency_id": agency_id,
            "name": _most_common(r["normalized"] for r in rows),
            "abbreviation": _most_common(r["details"].get("abbreviation") for r in rows),
            "province": province,
            "province_2025": province_2025(province),
            "parent_id": _most_common(r["details"].get("parent_id") for r in rows),
            "aliases": sorted({r["text"] for r in rows}),
            "n_documents": len({r["doc_id"] for r in rows}),
        })
    return write.to_arrow("agencies", out)


def resolve_tables(mentions: pa.Table) -> dict[str, pa.Table]:
    """``persons`` and ``agencies`` from every mention of the corpus (the columns the merge uses)."""
    return {"persons": persons(mentions), "agencies": agencies(mentions)}
