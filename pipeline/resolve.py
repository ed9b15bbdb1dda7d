"""Mentions -> the corpus-wide ``persons`` and ``agencies`` tables.

Ids are made where the mention is found (``ids.person_id``, ``ids.agency_id``): they derive from
normalised keys, never from counters, so an incremental run, a different worker count or a
different order of documents gives the same ids. Here the rows of one id are merged: each
value is the most frequent one among that id's mentions (ties: the smallest), computed by
column with Arrow's group-by, so a corpus of millions of mentions is never a list of Python
rows.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from . import write


def _first_per_group(table: pa.Table, key: str) -> pa.Table:
    """The first row of each run of equal ``key`` values (``table`` is sorted by ``key``)."""
    if table.num_rows == 0:
        return table
    keys = table[key].combine_chunks()
    starts = pc.not_equal(keys.slice(1), keys.slice(0, len(keys) - 1))
    return table.filter(pa.concat_arrays([pa.array([True]), starts.fill_null(True)]))


def _most_common(rows: pa.Table, column: str) -> pa.Table:
    """(entity_id, column): the most frequent non-empty value per entity, ties to the smallest."""
    values = rows.select(["entity_id", column]).filter(
        pc.and_(pc.is_valid(rows[column]), pc.not_equal(rows[column], "")))
    counts = values.group_by(["entity_id", column]).aggregate([([], "count_all")])
    ranked = counts.sort_by([("entity_id", "ascending"), ("count_all", "descending"), (column, "ascending")])
    return _first_per_group(ranked, "entity_id").select(["entity_id", column])


def _attr(rows: pa.Table, key: str) -> pa.Array:
    return pc.map_lookup(rows["attrs"], key, "first")


def _mentions(mentions: pa.Table, label: str, attrs: tuple[str, ...]) -> pa.Table:
    rows = mentions.filter(pc.and_(pc.equal(mentions["label"], label), pc.is_valid(mentions["entity_id"])))
    rows = rows.filter(pc.not_equal(rows["entity_id"], ""))
    columns = {name: rows[name] for name in ("doc_id", "text", "entity_id", "normalized")}
    columns.update({key: _attr(rows, key) if rows.num_rows else pa.array([], pa.string()) for key in attrs})
    return pa.table(columns)


def _entities(rows: pa.Table) -> pa.Table:
    """entity_id and n_documents (distinct documents naming it), sorted by entity_id."""
    docs = rows.group_by("entity_id").aggregate([("doc_id", "count_distinct")])
    return docs.sort_by("entity_id")


def _lookup(base: pa.Table, values: pa.Table, column: str) -> pa.Array:
    joined = base.select(["entity_id"]).join(values, "entity_id", join_type="left outer")
    return joined.sort_by("entity_id")[column]


def _aliases(rows: pa.Table, ids: pa.Array) -> pa.Array:
    """Every surface form per entity, sorted, as a list column aligned with ``ids``."""
    pairs = rows.select(["entity_id", "text"]).group_by(["entity_id", "text"]).aggregate([])
    pairs = pairs.filter(pc.is_valid(pairs["text"])).sort_by([("entity_id", "ascending"), ("text", "ascending")])
    counts = dict(zip(*pairs.group_by("entity_id").aggregate([([], "count_all")]).to_pydict().values()))
    offsets, total = [0], 0
    for entity in ids.to_pylist():
        total += counts.get(entity, 0)
        offsets.append(total)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pairs["text"].combine_chunks())


def persons(mentions: pa.Table) -> pa.Table:
    rows = _mentions(mentions, "PERSON", ("gender", "province"))
    base = _entities(rows)
    return write.from_columns("persons", {
        "person_id": base["entity_id"],
        "full_name": _lookup(base, _most_common(rows, "normalized"), "normalized"),
        "gender": _lookup(base, _most_common(rows, "gender"), "gender"),
        "province": _lookup(base, _most_common(rows, "province"), "province"),
        "n_documents": pc.cast(base["doc_id_count_distinct"], pa.int32()),
    })


def agencies(mentions: pa.Table) -> pa.Table:
    rows = _mentions(mentions, "AGENCY", ("abbreviation", "province", "parent_id"))
    base = _entities(rows)
    return write.from_columns("agencies", {
        "agency_id": base["entity_id"],
        "name": _lookup(base, _most_common(rows, "normalized"), "normalized"),
        "abbreviation": _lookup(base, _most_common(rows, "abbreviation"), "abbreviation"),
        "province": _lookup(base, _most_common(rows, "province"), "province"),
        "parent_id": _lookup(base, _most_common(rows, "parent_id"), "parent_id"),
        "aliases": _aliases(rows, base["entity_id"].combine_chunks()),
        "n_documents": pc.cast(base["doc_id_count_distinct"], pa.int32()),
    })


def resolve_tables(mentions: pa.Table) -> dict[str, pa.Table]:
    """``persons`` and ``agencies`` from every mention of the corpus (the columns the merge uses)."""
    return {"persons": persons(mentions), "agencies": agencies(mentions)}
