"""What a run does to the published documents: which are due, kept, gone, back or moved
(:class:`Plan`, made by :func:`make`), their documents rows updated by column, and the guards
that refuse to publish what would be worse (``--max-removed``, ``--max-failed``)."""
from __future__ import annotations

import bisect
import os
import sys
from dataclasses import dataclass
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from .config import Settings
from .schemas import TABLES
from .sources import base_name


class Row(NamedTuple):
    pipeline_version: str
    source_path: str
    status: str


class Previous:
    """The published documents, indexed by path, to find which rows a failed input keeps."""

    def __init__(self, table: pa.Table):
        columns = [table[c].to_pylist() for c in ("doc_id", "pipeline_version", "source_path", "status")]
        self.rows = {i: Row(sys.intern(v or ""), p, sys.intern(s or "")) for i, v, p, s in zip(*columns)}
        self.paths = sorted((r.source_path, i) for i, r in self.rows.items())
        self._keys = [p for p, _ in self.paths]

    def under(self, scope: str, *, folder: bool = False) -> list[str]:
        """Ids of documents read from ``scope``: that path, or (an archive, a dump) its members and
        rows, or (``folder``) anything below it."""
        seps = (os.sep,) if folder else ("!", "#")
        i = bisect.bisect_left(self._keys, scope)
        found = []
        while i < len(self._keys) and self._keys[i].startswith(scope):
            rest = self._keys[i][len(scope):]
            if (not folder and rest == "") or rest[:1] in seps:
                found.append(self.paths[i][1])
            i += 1
        return found


@dataclass
class Plan:
    """What a run does to the published documents (sets of doc_ids)."""
    due: list
    kept: set[str]            # unchanged: their rows are reused
    gone: set[str]            # their source is gone (marked removed, or dropped with --drop-removed)
    newly_gone: set[str]      # gone and still active: to mark removed
    restored: set[str]        # marked removed, their source is back
    moved: dict[str, tuple[str, str]]  # unchanged content found at another path: (source_path, source_file)
    held: set[str]            # under an input that failed before processing: their rows are kept


def make(prev: Previous, docs: list, errors: list[dict], version: str) -> Plan:
    current = {d.doc_id: d for d in docs}
    due = [d for d in docs if d.doc_id not in prev.rows or prev.rows[d.doc_id].pipeline_version != version]
    due_ids = {d.doc_id for d in due}
    kept = set(current) - due_ids
    present = {d.source_path for d in docs} | {e["source_path"] for e in errors}
    # under an input that failed (an unreadable file or folder, a broken archive): kept, not gone
    held = {i for e in errors if e["severity"] == "error"
            for i in prev.under(e["source_path"], folder=e["stage"] == "discover")}
    gone = {i for i, r in prev.rows.items() if i not in current and r.source_path not in present and i not in held}
    newly_gone = {i for i in gone if prev.rows[i].status != "removed"}
    restored = {i for i in kept if prev.rows[i].status == "removed"}
    moved = {i: (current[i].source_path, base_name(current[i].source_path))
             for i in kept if prev.rows[i].source_path != current[i].source_path}
    return Plan(due, kept, gone, newly_gone, restored, moved, held)


def update_documents(documents: pa.Table, plan: Plan, drop_removed: bool) -> pa.Table:
    """Status and path of the retained documents: removed, active again, or found elsewhere."""
    removed = sorted(set() if drop_removed else plan.gone)
    ids = documents["doc_id"]
    status = pc.if_else(pc.is_in(ids, value_set=pa.array(removed, pa.string())), "removed",
                        pc.if_else(pc.is_in(ids, value_set=pa.array(sorted(plan.restored), pa.string())), "active",
                                   documents["status"]))
    documents = documents.set_column(documents.schema.get_field_index("status"), "status", status)
    if plan.moved:
        moved = sorted(plan.moved)
        at = pc.index_in(ids, value_set=pa.array(moved, pa.string()))
        for k, column in enumerate(("source_path", "source_file")):
            new = pc.take(pa.array([plan.moved[i][k] for i in moved], pa.string()), at)
            documents = documents.set_column(documents.schema.get_field_index(column), column,
                                             pc.coalesce(new, documents[column]))
    return documents.cast(TABLES["documents"].schema)


def fraction(n: int, of: int) -> float:
    return n / of if of else 0.0


def removal_guard(plan: Plan, n_published: int, drop_removed: bool, settings: Settings) -> str | None:
    hit = len(plan.gone) if drop_removed else len(plan.newly_gone)
    share = fraction(hit, n_published)
    if share <= settings.max_removed_fraction:
        return None
    verb = "drop" if drop_removed else "mark removed"
    return (f"the run would {verb} {hit} of the {n_published} published documents ({share:.0%} > --max-removed "
            f"{settings.max_removed_fraction:g}): are the inputs all there? If they are really gone, pass "
            f"--max-removed {min(1.0, share):.2f}")


def failure_guard(n_failed: int, n_due: int, settings: Settings) -> str | None:
    share = fraction(n_failed, n_due)
    if share <= settings.max_failed_fraction:
        return None
    return (f"{n_failed} of the {n_due} inputs due failed ({share:.0%} > --max-failed "
            f"{settings.max_failed_fraction:g}; see the errors table): fix them, or pass --max-failed "
            f"{min(1.0, share):.2f} to publish the others")
