"""A rerun costs what changed (issue 12.5): per-document tables are buckets by doc_id prefix; a
rerun links the buckets where nothing changed, rewrites the others, and writes the same bytes
as a run from scratch."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bench.synthetic import make_corpus, make_small_corpus
from pipeline import resolve, write
from pipeline.config import Settings
from pipeline.runner import run
from pipeline.schemas import SNAPSHOT_TABLES, TABLES


def files(snapshot: Path, name: str) -> dict[str, Path]:
    return {f.name: f for f in sorted((snapshot / name).glob("*.parquet"))}


def same_as_fresh(out: Path, fresh: Path) -> None:
    """Every table file for file, byte for byte; documents row for row but for the run id."""
    a, b = write.current_snapshot(out), write.current_snapshot(fresh)
    for name in SNAPSHOT_TABLES:
        fa, fb = files(a, name), files(b, name)
        assert fa.keys() == fb.keys(), name
        if name == "documents":
            ta, tb = (pq.read_table(s / name).drop_columns(["run_id"]) for s in (a, b))
            assert ta.equals(tb)
        else:
            assert all(fa[f].read_bytes() == fb[f].read_bytes() for f in fa), name


@pytest.fixture(autouse=True)
def sixteen_buckets(monkeypatch):
    """The test corpora are small: give them the 16 buckets of a corpus of thousands."""
    monkeypatch.setattr(write, "ONE_DIGIT_FROM", 10)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rerun_corpus")
    make_small_corpus(folder, 120, seed=12)
    return folder


def _published_copy(corpus, tmp_path):
    """A copy of the corpus to change, and an output it was run into once."""
    work, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(corpus, work)
    run([work], out, engine="serial")
    return work, out


def test_a_rerun_links_what_did_not_change_and_equals_a_fresh_run(corpus, tmp_path):
    work, out = _published_copy(corpus, tmp_path)
    first = write.current_snapshot(out)
    buckets = {name: set(files(first, name)) for name in ("documents", "tokens")}
    assert len(buckets["documents"]) == 16  # 120 documents spread over the 16 buckets
    changed = sorted(work.rglob("*.txt"))[7]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    summary = run([work], out, engine="serial")
    assert summary.n_new == 1 and summary.published
    second = write.current_snapshot(out)
    ids = {d["doc_id"] for d in write.read(out, "documents").to_pylist() if d["source_file"] == changed.name}
    old_ids = {d["doc_id"] for d in pq.read_table(first / "documents").to_pylist()
               if d["source_file"] == changed.name}
    touched = {write.part_name(write.bucket_of(i)) for i in ids | old_ids}
    for name in ("documents", "tokens", "mentions"):
        for part, path in files(second, name).items():
            reused = (first / name / part).exists() and path.stat().st_ino == (first / name / part).stat().st_ino
            assert reused == (part not in touched), (name, part)
    fresh = tmp_path / "fresh"
    run([work], fresh, engine="serial")
    same_as_fresh(out, fresh)


def test_a_snapshot_written_before_buckets_is_carried_over(corpus, tmp_path):
    """An output folder from before buckets (one part-0.parquet per table) is read bucket by
    bucket by the next run, which writes the new layout."""
    work, out = _published_copy(corpus, tmp_path)
    snap = write.current_snapshot(out)
    for name in SNAPSHOT_TABLES:
        table = pq.read_table(snap / name, schema=TABLES[name].schema)
        shutil.rmtree(snap / name)
        (snap / name).mkdir()
        pq.write_table(table, snap / name / "part-0.parquet", row_group_size=TABLES[name].row_group_rows)
    changed = sorted(work.rglob("*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    assert run([work], out, engine="serial").n_new == 1
    fresh = tmp_path / "fresh"
    run([work], fresh, engine="serial")
    same_as_fresh(out, fresh)


def test_removed_and_restored_documents_rewrite_only_their_buckets(corpus, tmp_path):
    work, out = _published_copy(corpus, tmp_path)
    gone = sorted(work.rglob("*.txt"))[11]
    content = gone.read_bytes()
    gone.unlink()
    before = write.current_snapshot(out)
    assert run([work], out, engine="serial").n_removed == 1
    after = write.current_snapshot(out)
    (doc,) = [d for d in write.read(out, "documents").to_pylist() if d["status"] == "removed"]
    part = write.part_name(write.bucket_of(doc["doc_id"]))
    assert (after / "tokens" / part).stat().st_ino == (before / "tokens" / part).stat().st_ino  # rows unchanged
    assert (after / "documents" / part).stat().st_ino != (before / "documents" / part).stat().st_ino
    gone.write_bytes(content)
    assert run([work], out, engine="serial").n_restored == 1
    fresh = tmp_path / "fresh"
    run([work], fresh, engine="serial")
    same_as_fresh(out, fresh)


def _reference(mentions: pa.Table, label: str, details: tuple[str, ...]) -> dict[str, dict]:
    """The merge written the plain way (rows in Python): most frequent value, ties to the smallest."""
    def most_common(values):
        counts = Counter(v for v in values if v)
        return min((v for v, n in counts.items() if n == max(counts.values())), default=None)

    groups: dict[str, list[dict]] = {}
    for row in mentions.to_pylist():
        if row["label"] == label and row["entity_id"]:
            groups.setdefault(row["entity_id"], []).append({**row, "details": dict(row["details"] or [])})
    return {eid: {"normalized": most_common(r["normalized"] for r in rows),
                  **{a: most_common(r["details"].get(a) for r in rows) for a in details},
                  "n_documents": len({r["doc_id"] for r in rows}), "aliases": sorted({r["text"] for r in rows})}
            for eid, rows in groups.items()}


def test_the_merge_by_column_agrees_with_the_plain_one(tmp_path):
    from pipeline.admin2025 import province_2025

    make_corpus(tmp_path / "in", 12, seed=13)
    out = tmp_path / "out"
    run([tmp_path / "in"], out, engine="serial")
    mentions = write.read(out, "mentions", ["doc_id", "label", "text", "entity_id", "normalized", "details"])
    # ties and empty values on purpose: a second copy of some mentions with other values
    extra = mentions.slice(0, 40).to_pylist()
    for i, row in enumerate(extra):
        row["normalized"] = None if i % 3 == 0 else f"{row['normalized']} {i % 2}"
        row["doc_id"] = f"{i:016x}"
    mentions = pa.concat_tables([mentions, pa.Table.from_pylist(extra, schema=mentions.schema)])
    people = {r["person_id"]: r for r in resolve.persons(mentions).to_pylist()}
    expected = _reference(mentions, "PERSON", ("gender", "province"))
    assert people.keys() == expected.keys() and len(people) > 10
    for pid, row in people.items():
        e = expected[pid]
        assert (row["full_name"], row["gender"], row["province"], row["n_documents"]) == \
            (e["normalized"], e["gender"], e["province"], e["n_documents"])
    # merged bucket by bucket (parts that share no document), the same
    import pyarrow.compute as pc

    prefix = pc.utf8_slice_codeunits(mentions["doc_id"], 0, 1)
    parts = [mentions.filter(pc.equal(prefix, digit)) for digit in "0123456789abcdef"]
    whole = resolve.resolve_tables(mentions)
    by_parts = resolve.resolve_tables(iter(parts))
    assert all(whole[name].equals(by_parts[name]) for name in whole)
    bodies = {r["agency_id"]: r for r in resolve.agencies(mentions).to_pylist()}
    expected = _reference(mentions, "AGENCY", ("abbreviation", "province", "parent_id"))
    assert bodies.keys() == expected.keys() and len(bodies) > 10
    for aid, row in bodies.items():
        e = expected[aid]
        assert (row["name"], row["abbreviation"], row["province"], row["parent_id"], row["aliases"],
                row["n_documents"]) == (e["normalized"], e["abbreviation"], e["province"], e["parent_id"],
                                        e["aliases"], e["n_documents"])
        assert row["province_2025"] == province_2025(e["province"])


def test_files_unchanged_since_the_snapshot_are_not_read_again(corpus, tmp_path, monkeypatch):
    from pipeline import ingest

    work, out = _published_copy(corpus, tmp_path)
    reads = []
    real = ingest.read_file
    monkeypatch.setattr(ingest, "read_file", lambda item, settings: reads.append(item.fs_path) or real(item, settings))
    assert run([work], out, engine="serial").outcome == "unchanged" and reads == []
    changed = sorted(work.rglob("*.txt"))[5]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    assert run([work], out, engine="serial").n_new == 1
    assert reads == [str(changed)]  # listed as changed: read once, kept from its ingest for its processing
    # touched but not changed: read once, found the same, and not read again the time after
    reads.clear()
    other = sorted(work.rglob("*.txt"))[9]
    other.write_bytes(other.read_bytes())
    assert run([work], out, engine="serial").outcome == "unchanged" and reads == [str(other)]
    reads.clear()
    assert run([work], out, engine="serial").outcome == "unchanged" and reads == []
    # --checksum: every file is read
    assert run([work], out, Settings(quick_check=False), engine="serial").outcome == "unchanged"
    assert len(reads) == len(list(work.rglob("*.txt")))


def test_buckets_widen_when_the_snapshot_grows(corpus, tmp_path, monkeypatch):
    """One file per table, then 16 buckets, then 256 as a snapshot grows; each run that crosses
    a threshold reads the old layout and writes what a fresh run writes."""
    monkeypatch.setattr(write, "ONE_DIGIT_FROM", 50)
    monkeypatch.setattr(write, "TWO_DIGITS_FROM", 100)
    work, out = tmp_path / "corpus", tmp_path / "out"
    work.mkdir()
    paths = sorted(corpus.rglob("*.txt"))
    for upto, name in ((40, "part-0.parquet"), (80, "bucket-0.parquet"), (120, "bucket-00.parquet")):
        for path in paths[:upto]:
            shutil.copy(path, work / path.name)
        run([work], out, engine="serial")
        assert {len(f) for f in files(write.current_snapshot(out), "tokens")} == {len(name)}
        fresh = tmp_path / f"fresh{upto}"
        run([work], fresh, engine="serial")
        same_as_fresh(out, fresh)


def test_a_moved_file_keeps_its_rows_under_its_new_path(corpus, tmp_path):
    work, out = _published_copy(corpus, tmp_path)
    before = write.current_snapshot(out)
    path = sorted(work.rglob("*.txt"))[20]
    moved = path.with_name("moved_" + path.name)
    path.rename(moved)
    summary = run([work], out, engine="serial")
    assert (summary.n_new, summary.n_removed, summary.published) == (0, 0, True)
    (doc,) = [d for d in write.read(out, "documents").to_pylist() if d["source_file"] == moved.name]
    assert doc["source_path"] == str(moved) and doc["status"] == "active"
    part = write.part_name(write.bucket_of(doc["doc_id"]))
    assert (write.current_snapshot(out) / "tokens" / part).stat().st_ino == (before / "tokens" / part).stat().st_ino
    fresh = tmp_path / "fresh"
    run([work], fresh, engine="serial")
    same_as_fresh(out, fresh)


def test_a_run_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    import gc

    before = gc.get_threshold()
    corpus = tmp_path / "in"
    make_small_corpus(corpus, 3)
    run([corpus], tmp_path / "out", engine="serial", workers=1)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    assert write.read(tmp_path / "out", "documents").num_rows == 3
    gc.freeze()  # a host that froze its own objects keeps them frozen
    try:
        frozen = gc.get_freeze_count()
        run([corpus], tmp_path / "out2", engine="serial", workers=1)
        assert gc.get_freeze_count() == frozen and gc.get_threshold() == before
    finally:
        gc.unfreeze()
