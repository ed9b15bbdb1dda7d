"""Mentions -> the corpus-wide ``persons`` and ``agencies`` tables.

Ids are made where the mention is found (``ids.person_id``, ``ids.agency_id``): they derive from
normalised keys, never from counters, so an incremental run, a different worker count or a
different order of documents gives the same ids. Here the rows of one id are merged: each
value is the most frequent one among that id's mentions (ties: the smallest), computed by
column with Arrow's group-by, so a corpus of millions of mentions is never a list of Python
rows.
"""
from __future__ import annotations

from typing import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from . import write
from .admin2025 import province_2025


def _first_per_group(table: pa.Table, key: str) -> pa.Table:
    """The first row of each run of equal ``key`` values (``table`` is sorted by ``key``)."""
    if table.num_rows == 0:
        return table
    keys = table[key].combine_chunks()
    starts = pc.not_equal(keys.slice(1), keys.slice(0, len(keys) - 1))
    return table.filter(pa.concat_arrays([pa.array([True]), starts.fill_null(True)]))


class _Merge:
    """Partial counts per part of the mentions (a bucket at a time), combined at the end: memory
    follows the distinct (entity, value) pairs, not the mentions. Parts must not share documents
    (buckets do not), so distinct documents per entity add up."""

    def __init__(self, label: str, values: tuple[str, ...], aliases: bool):
        self.label, self.values, self.aliases = label, values, aliases
        self.details = tuple(v for v in values if v != "normalized")
        self.counts: dict[str, list[pa.Table]] = {v: [] for v in values}
        self.docs: list[pa.Table] = []
        self.forms: list[pa.Table] = []

    def add(self, mentions: pa.Table) -> None:
        rows = _mentions(mentions, self.label, self.details + (("implied",) if self.aliases else ()))
        for column in self.values:
            values = rows.select(["entity_id", column]).filter(
                pc.and_(pc.is_valid(rows[column]), pc.not_equal(rows[column], "")))
            self.counts[column].append(values.group_by(["entity_id", column]).aggregate([([], "count_all")]))
        self.docs.append(rows.group_by("entity_id").aggregate([("doc_id", "count_distinct")]))
        if self.aliases:  # a body implied by a title ("Phó Bí thư - Chủ tịch UBND …") has no name there
            named = pc.and_(pc.is_valid(rows["text"]), pc.is_null(rows["implied"]))
            forms = rows.select(["entity_id", "text"]).filter(named)
            self.forms.append(forms.group_by(["entity_id", "text"]).aggregate([]))

    def _most_common(self, column: str) -> pa.Table:
        """(entity_id, column): the most frequent non-empty value per entity, ties to the smallest."""
        counts = pa.concat_tables(self.counts[column]).group_by(["entity_id", column]).aggregate(
            [("count_all", "sum")])
        ranked = counts.sort_by([("entity_id", "ascending"), ("count_all_sum", "descending"),
                                 (column, "ascending")])
        return _first_per_group(ranked, "entity_id").select(["entity_id", column])

    def result(self) -> tuple[pa.Table, dict[str, pa.Array]]:
        base = pa.concat_tables(self.docs).group_by("entity_id").aggregate(
            [("doc_id_count_distinct", "sum")]).sort_by("entity_id")
        columns = {column: _lookup(base, self._most_common(column), column) for column in self.values}
        columns["n_documents"] = pc.cast(base["doc_id_count_distinct_sum"], pa.int32())
        if self.aliases:
            forms = pa.concat_tables(self.forms).group_by(["entity_id", "text"]).aggregate([])
            columns["aliases"] = _aliases(forms, base["entity_id"].combine_chunks())
        return base, columns


def _detail(rows: pa.Table, key: str) -> pa.Array:
    return pc.map_lookup(rows["details"], key, "first")


def _mentions(mentions: pa.Table, label: str, details: tuple[str, ...]) -> pa.Table:
    rows = mentions.filter(pc.and_(pc.equal(mentions["label"], label), pc.is_valid(mentions["entity_id"])))
    rows = rows.filter(pc.not_equal(rows["entity_id"], ""))
    columns = {name: rows[name] for name in ("doc_id", "text", "entity_id", "normalized")}
    columns.update({key: _detail(rows, key) if rows.num_rows else pa.array([], pa.string()) for key in details})
    return pa.table(columns)


def _lookup(base: pa.Table, values: pa.Table, column: str) -> pa.Array:
    joined = base.select(["entity_id"]).join(values, "entity_id", join_type="left outer")
    return joined.sort_by("entity_id")[column]


def _aliases(pairs: pa.Table, ids: pa.Array) -> pa.Array:
    """Every surface form per entity (distinct (entity_id, text) pairs), sorted, as a list column
    aligned with ``ids``."""
    pairs = pairs.sort_by([("entity_id", "ascending"), ("text", "ascending")])
    counts = dict(zip(*pairs.group_by("entity_id").aggregate([([], "count_all")]).to_pydict().values()))
    offsets, total = [0], 0
    for entity in ids.to_pylist():
        total += counts.get(entity, 0)
        offsets.append(total)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pairs["text"].combine_chunks())


def resolve_tables(mentions: pa.Table | Iterable[pa.Table]) -> dict[str, pa.Table]:
    """``persons`` and ``agencies`` from every mention of the corpus (the columns the merge uses):
    one table, or its parts (buckets, which never share a document) one after another."""
    people = _Merge("PERSON", ("normalized", "gender", "province"), aliases=False)
    bodies = _Merge("AGENCY", ("normalized", "abbreviation", "province", "parent_id"), aliases=True)
    for part in [mentions] if isinstance(mentions, pa.Table) else mentions:
        people.add(part)
        bodies.add(part)
    if not people.docs:  # no parts at all
        empty = write.empty("mentions").select(["doc_id", "label", "text", "entity_id", "normalized", "details"])
        people.add(empty)
        bodies.add(empty)
    base, c = people.result()
    persons = write.from_columns("persons", {
        "person_id": base["entity_id"], "full_name": c["normalized"], "gender": c["gender"],
        "province": c["province"], "n_documents": c["n_documents"]})
    base, c = bodies.result()
    agencies = write.from_columns("agencies", {
        "agency_id": base["entity_id"], "name": c["normalized"], "abbreviation": c["abbreviation"],
        "province": c["province"], "province_2025": _provinces_2025(c["province"]),
        "parent_id": c["parent_id"], "aliases": c["aliases"],
        "n_documents": c["n_documents"]})
    return {"persons": persons, "agencies": agencies}


def _provinces_2025(provinces: pa.Array) -> pa.Array:
    """``admin2025.province_2025`` of every value, looked up once per distinct province."""
    distinct = pc.unique(provinces)
    mapped = pa.array([province_2025(p) for p in distinct.to_pylist()], pa.string())
    return pc.take(mapped, pc.index_in(provinces, value_set=distinct))


def persons(mentions: pa.Table) -> pa.Table:
    return resolve_tables(mentions)["persons"]


def agencies(mentions: pa.Table) -> pa.Table:
    return resolve_tables(mentions)["agencies"]
