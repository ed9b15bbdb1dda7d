"""Nightly batch behaviour: incremental, crash-safe, independent of the engine and worker count."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bench.synthetic import make_corpus
from conftest import ROOT
from pipeline import write
from pipeline.rules import Rules
from pipeline.process import pipeline_version
from pipeline.runner import run
from pipeline.schemas import SNAPSHOT_TABLES


def snapshot(out: Path) -> dict[str, list[dict]]:
    """Every snapshot table's rows, without the columns that name the run."""
    tables = {}
    for name in SNAPSHOT_TABLES:
        table = write.read(out, name)
        if "run_id" in table.column_names:
            table = table.drop_columns(["run_id"])
        tables[name] = table.to_pylist()
    return tables


def files(out: Path, name: str) -> dict[str, bytes]:
    """The files of a table in the current snapshot (a per-document table has one per bucket)."""
    return {f.name: f.read_bytes() for f in sorted((write.current_snapshot(out) / name).glob("*.parquet"))}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    make_corpus(folder, 12, seed=7)
    return folder


@pytest.fixture(scope="module")
def serial_out(generated, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    run([generated], out, engine="serial", workers=1)
    return out


def test_two_workers_give_the_same_tables_as_one(generated, serial_out, tmp_path):
    run([generated], tmp_path, engine="process", workers=2)
    assert snapshot(tmp_path) == snapshot(serial_out)
    # byte for byte, file for file, for the tables that do not name the run
    for name in SNAPSHOT_TABLES:
        if name != "documents":
            assert files(tmp_path, name) == files(serial_out, name), name


def test_dask_local_cluster_gives_the_same_tables(generated, serial_out, tmp_path):
    pytest.importorskip("dask.distributed")
    run([generated], tmp_path, engine="dask", workers=2)
    assert snapshot(tmp_path) == snapshot(serial_out)


def test_changed_file_replaces_its_rows_and_removed_file_is_marked(generated, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(generated, corpus)
    out = tmp_path / "out"
    run([corpus], out, engine="serial")
    before = {d["source_file"]: d for d in snapshot(out)["documents"]}
    changed, removed = sorted(corpus.glob("*.txt"))[:2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    removed.unlink()
    summary = run([corpus], out, engine="serial")
    assert (summary.n_new, summary.n_skipped, summary.n_removed) == (1, 10, 1)
    after = {d["source_file"]: d for d in snapshot(out)["documents"]}
    assert after[changed.name]["doc_id"] != before[changed.name]["doc_id"]
    assert after[removed.name]["status"] == "removed"
    doc_ids = {d["doc_id"] for d in after.values()}
    assert all(r["doc_id"] in doc_ids for r in snapshot(out)["tokens"])  # old rows of the changed file are gone
    summary = run([corpus], out, engine="serial", drop_removed=True)
    assert removed.name not in {d["source_file"] for d in snapshot(out)["documents"]}


def test_changed_rules_reprocess_and_a_comment_does_not(generated, serial_out, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(serial_out, out, symlinks=True)
    mine = tmp_path / "rules"
    mine.mkdir()
    (mine / "surnames.txt").write_text("# only a comment\n", encoding="utf-8")
    assert pipeline_version(Rules.load([mine])) == pipeline_version()
    assert run([generated], out, engine="serial", rules=Rules.load([mine])).n_new == 0
    (mine / "surnames.txt").write_text("# a reviewed addition\nRahlan\n", encoding="utf-8")
    assert pipeline_version(Rules.load([mine])) != pipeline_version()
    summary = run([generated], out, engine="serial", rules=Rules.load([mine]))
    assert summary.n_new == 12 and summary.published


def test_kill_9_during_a_run_loses_nothing(generated, tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 40, seed=11)
    out = tmp_path / "out"
    first = sorted(corpus.glob("*.txt"))[:5]
    run(first, out, engine="serial")
    published = write.current_snapshot(out)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out),
                             "--workers", "1"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # the log says when document processing has started
        if line.startswith("processing"):
            break
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    # the previous snapshot is still the current one, complete and readable
    assert write.current_snapshot(out) == published
    assert len(write.read(out, "documents")) == 5
    for name in SNAPSHOT_TABLES:
        pq.read_table(out / name)
    run([corpus], out, engine="serial")
    clean = tmp_path / "clean"
    run([corpus], clean, engine="serial")
    assert snapshot(out) == snapshot(clean)


def test_worker_that_dies_becomes_an_error_row(tmp_path, monkeypatch):
    """A document that kills its worker process (os._exit, as an OOM kill would) is isolated and
    reported; the pool's workers are forked, so they inherit the patched function."""
    from pipeline import engine

    real = engine.process_document

    def crash_on_poison(doc, **kw):
        if "POISON" in doc.text:
            os._exit(3)
        return real(doc, **kw)

    monkeypatch.setattr(engine, "process_document", crash_on_poison)
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 6, seed=3)
    (corpus / "poison.txt").write_text("Tiêu đề\n\nPOISON\n", encoding="utf-8")
    summary = run([corpus], tmp_path / "out", engine="process", workers=2)
    assert summary.n_new == 6 and summary.n_failed == 1
    (error,) = [e for e in summary.errors if e["stage"] != "skip"]
    assert error["source_path"].endswith("poison.txt") and "died" in error["error"]
