"""A run never makes the published tables worse (issue 11): one writer at a time, preflight
checks, guards against publishing less, readers pinned to one snapshot, restore.

Each test starts from a good published snapshot and ends with it intact (or replaced by a
complete new one), the exit status and the one line the README promises.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from bench.synthetic import make_corpus
from conftest import ROOT
from pipeline import lock, preflight, rules, write
from pipeline.cli import main
from pipeline.runner import run
from pipeline.schemas import SNAPSHOT_TABLES


def tables(out: Path, snapshot: Path | None = None) -> dict[str, list[dict]]:
    """Every snapshot table's rows (of ``snapshot``, default the current one), without run ids."""
    folder = snapshot or write.current_snapshot(out)
    result = {}
    for name in SNAPSHOT_TABLES:
        table = pq.read_table(folder / name)
        if "run_id" in table.column_names:
            table = table.drop_columns(["run_id"])
        result[name] = table.to_pylist()
    return result


def cli(*args, code: int | None = 0):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if code is not None:
        assert result.exit_code == code, result.output
    return result


def vnpress(*args, prefix: tuple[str, ...] = (), **kw) -> subprocess.Popen:
    """``vnpress ARGS`` in a process of its own."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([*prefix, sys.executable, "-m", "pipeline", *map(str, args)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def no_leftovers(out: Path) -> None:
    assert not [p for p in (out / write.SNAPSHOTS).iterdir() if p.name.startswith((write.STAGING, ".preflight"))]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("nightly_corpus")
    make_corpus(folder, 5, seed=5)
    return folder


@pytest.fixture
def published(generated, tmp_path):
    """(corpus, out): a scratch copy of the corpus and its good published snapshot."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(generated, corpus)
    assert run([corpus], out, engine="serial").published
    return corpus, out


def _settings(**kw):
    from pipeline.config import Settings

    return Settings(**kw)


# ---------------------------------------------------------------- one writer at a time

def _wait_for_holder(out: Path, proc: subprocess.Popen, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = lock.holder(out)
        if info.get("pid") == proc.pid:
            return info
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the first run never took the lock")


def test_concurrent_runs_on_one_out_take_turns(published, tmp_path):
    corpus, out = published
    before = write.current_snapshot(out)
    bigger = tmp_path / "bigger"
    shutil.copytree(corpus, bigger)
    make_corpus(bigger / "more", 24, seed=21)
    first = vnpress("run", bigger, "--out", out, "--workers", "1", "--quiet")
    holder = _wait_for_holder(out, first)
    # a second run that does not wait exits 3 naming the holder: run id, pid, host, start
    second = vnpress("run", corpus, "--out", out, "--quiet", "--max-removed", "1")
    _, err = second.communicate(timeout=120)
    assert second.returncode == 3, err
    (line,) = err.strip().splitlines()
    assert holder["run_id"] in line and f"pid {first.pid}" in line and holder["host"] in line and "--wait" in line
    # a third one (overlapping cron lines) waits for it, then publishes
    third = vnpress("run", corpus, "--out", out, "--quiet", "--max-removed", "1", "--wait", "300")
    assert first.wait(timeout=300) == 0, first.communicate()
    out_third, err = third.communicate(timeout=300)
    assert third.returncode == 0, err
    assert "published" in out_third
    ids = write.order(out)
    # both runs' snapshots are whole: the first one was kept, not pruned by the second
    assert len(ids) == 2 and before.name not in ids and write.current_snapshot(out).name == ids[-1]
    for snap in ids:
        assert set(write.manifest(out / write.SNAPSHOTS / snap)["tables"]) == set(SNAPSHOT_TABLES)
    assert len(tables(out, out / write.SNAPSHOTS / ids[0])["documents"]) == 29
    docs = tables(out)["documents"]
    assert sorted(d["status"] for d in docs).count("active") == 5 and len(docs) == 29
    clean = tmp_path / "clean"
    run([bigger], clean, engine="serial")
    assert {n: t for n, t in tables(out, out / write.SNAPSHOTS / ids[0]).items() if n != "documents"} == \
        {n: t for n, t in tables(clean).items() if n != "documents"}
    no_leftovers(out)


def test_a_killed_run_never_blocks_the_next(published, tmp_path):
    corpus, out = published
    before = tables(out)
    more = tmp_path / "more"
    shutil.copytree(corpus, more)
    make_corpus(more / "extra", 20, seed=22)
    proc = vnpress("run", more, "--out", out, "--workers", "2")
    _wait_for_holder(out, proc)
    for line in proc.stderr:  # documents are being processed: the pool's workers exist
        if line.startswith("processing"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    summary = run([corpus], out, engine="serial")  # --wait 0: the dead run's lock does not block
    assert summary.outcome == "unchanged" and tables(out) == before


def test_a_held_lock_is_waited_for(published):
    corpus, out = published
    held = lock.OutLock(out, "someone-else")
    held.acquire()
    result = cli("run", corpus, "--out", out, "--engine", "serial", code=3)
    assert "someone-else" in result.output and f"pid {os.getpid()}" in result.output
    threading.Timer(1.0, held.release).start()
    result = cli("run", corpus, "--out", out, "--engine", "serial", "--wait", "30")
    assert "nothing changed" in result.output
    runs = write.read(out, "runs").to_pylist()
    assert [r["outcome"] for r in runs][-2:] == ["locked", "unchanged"]


# ---------------------------------------------------------------- preflight

def test_missing_input_is_one_line_and_exit_2(published, tmp_path):
    corpus, out = published
    before = write.current_snapshot(out)
    result = cli("run", tmp_path / "not-mounted", "--out", out, code=2)
    assert result.output.strip().splitlines() == [f"vnpress run: input '{tmp_path / 'not-mounted'}' does not exist"]
    assert write.current_snapshot(out) == before


@pytest.fixture
def bad_lexicon(tmp_path, monkeypatch):
    """A copy of the package's rule files with one wrong line (an unknown key), in use for this test."""
    folder = tmp_path / "lexicons"
    shutil.copytree(rules.PACKAGE_DIR, folder)
    with open(folder / "titles.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"title": "Chủ nhiệm", "colour": "red"}, ensure_ascii=False) + "\n")
    lines = (folder / "titles.jsonl").read_text(encoding="utf-8").count("\n")
    monkeypatch.setattr(rules, "PACKAGE_DIR", folder)
    yield f"titles.jsonl:{lines}"


@pytest.mark.parametrize("engine", ["serial", "process"])
def test_a_bad_lexicon_line_stops_the_run_before_any_document(published, bad_lexicon, engine):
    corpus, out = published
    before, rows = write.current_snapshot(out), tables(out)
    (corpus / "doc_000000.txt").write_text("Tiêu đề mới\n\nSáng 3/5, hội nghị diễn ra.\n", encoding="utf-8")
    result = cli("run", corpus, "--out", out, "--engine", engine, code=2)
    (line,) = result.output.strip().splitlines()
    assert bad_lexicon in line and "unknown key" in line and "colour" in line
    assert write.current_snapshot(out) == before and tables(out) == rows
    no_leftovers(out)
    last = write.read(out, "runs").to_pylist()[-1]
    assert (last["outcome"], last["n_input"]) == ("failed", 0) and bad_lexicon in last["message"]


def test_the_preflight_builds_every_structure_made_from_the_rules(tmp_path):
    """The preflight builds whatever the extractors and ingest build from the rules (what the
    probe document reached before there was a rules object), so a rule that loads but cannot
    work fails the preflight, listed as file:line, and not every document."""
    loaded = preflight.load_rules()
    assert rules.BUILDERS and all(build in loaded._compiled for build in rules.BUILDERS)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "place_aliases.jsonl").write_text('{"alias": "Sài Gòn", "name": "Sai Gon"}\n', encoding="utf-8")
    with pytest.raises(preflight.RulesError) as caught:
        preflight.load_rules([mine])
    assert caught.value.problems == [f"{mine}/place_aliases.jsonl:1: 'Sài Gòn' names 'Sai Gon', not a province"]
    assert caught.value.exit_code == 2 and str(caught.value) == caught.value.problems[0]


# ---------------------------------------------------------------- publish only what is no worse

@pytest.mark.parametrize("drop", [False, True])
def test_empty_input_publishes_nothing(published, tmp_path, drop):
    corpus, out = published
    before, rows = write.current_snapshot(out), tables(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    flags = ["--drop-removed"] if drop else []
    result = cli("run", empty, "--out", out, *flags, code=1)
    verb = "drop" if drop else "mark removed"
    assert f"NOT PUBLISHED, last snapshot kept: the run would {verb} 5 of the 5 published documents" in result.output
    assert "--max-removed 1.00" in result.output
    assert write.current_snapshot(out) == before and tables(out) == rows
    no_leftovers(out)
    # the override does what it says
    cli("run", empty, "--out", out, *flags, "--max-removed", "1")
    docs = tables(out)["documents"]
    assert docs == [] if drop else {d["status"] for d in docs} == {"removed"}


def test_most_inputs_vanishing_publishes_nothing(published):
    corpus, out = published
    before, rows = write.current_snapshot(out), tables(out)
    files = sorted(corpus.glob("*.txt"))
    for path in files[1:]:
        path.unlink()
    result = cli("run", corpus, "--out", out, code=1)
    assert "mark removed 4 of the 5 published documents (80% > --max-removed 0.5)" in result.output
    assert write.current_snapshot(out) == before and tables(out) == rows


def test_one_vanished_input_is_marked_removed_then_restored(published):
    corpus, out = published
    path = sorted(corpus.glob("*.txt"))[2]
    content = path.read_bytes()
    path.unlink()
    result = cli("run", corpus, "--out", out)
    assert "1 removed" in result.output
    status = {d["source_file"]: d["status"] for d in tables(out)["documents"]}
    assert status[path.name] == "removed"
    path.write_bytes(content)
    result = cli("run", corpus, "--out", out)
    assert "1 restored" in result.output and "(published)" in result.output
    assert {d["status"] for d in tables(out)["documents"]} == {"active"}
    assert write.read(out, "runs").to_pylist()[-1]["n_restored"] == 1
    assert "nothing changed" in cli("run", corpus, "--out", out).output


def test_a_file_changed_into_garbage_keeps_its_rows(published):
    corpus, out = published
    rows = tables(out)
    garbage, changed = sorted(corpus.glob("*.txt"))[:2]
    old_id = next(d["doc_id"] for d in rows["documents"] if d["source_file"] == garbage.name)
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    before = write.current_snapshot(out)
    result = cli("run", corpus, "--out", out, code=1)  # 1 of the 2 inputs due failed
    assert "1 of the 2 inputs due failed (50% > --max-failed 0" in result.output
    assert write.current_snapshot(out) == before and tables(out) == rows
    cli("run", corpus, "--out", out, "--max-failed", "0.5")
    after = tables(out)
    docs = {d["source_file"]: d for d in after["documents"]}
    assert docs[garbage.name]["doc_id"] == old_id and docs[garbage.name]["status"] == "active"
    for name in ("blocks", "sentences", "tokens", "mentions"):
        assert [r for r in after[name] if r["doc_id"] == old_id] == [r for r in rows[name] if r["doc_id"] == old_id]
    assert docs[changed.name]["doc_id"] not in {d["doc_id"] for d in rows["documents"]}
    error = write.read(out, "errors").to_pylist()[-1]
    assert (error["reason"], error["kept_doc_id"]) == ("binary", old_id) and "previous rows kept" in error["error"]


def test_a_document_that_fails_in_extraction_keeps_its_previous_rows(published, monkeypatch):
    from pipeline import engine

    corpus, out = published
    rows = tables(out)
    target = sorted(corpus.glob("*.txt"))[3]
    old_id = next(d["doc_id"] for d in rows["documents"] if d["source_file"] == target.name)
    target.write_text(target.read_text(encoding="utf-8") + "\nBOOM\n", encoding="utf-8")
    other = sorted(corpus.glob("*.txt"))[4]
    other.write_text(other.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    real = engine.process_document

    def fail_on_boom(doc, **kw):
        if "BOOM" in doc.text:
            raise ValueError("a bug in a stage")
        return real(doc, **kw)

    monkeypatch.setattr(engine, "process_document", fail_on_boom)
    summary = run([corpus], out, _settings(max_failed_fraction=1.0), engine="serial")
    assert (summary.n_failed, summary.n_new) == (1, 1) and summary.published
    docs = {d["source_file"]: d for d in tables(out)["documents"]}
    assert docs[target.name]["doc_id"] == old_id and docs[other.name]["doc_id"] not in {
        d["doc_id"] for d in rows["documents"]}
    assert [r for r in tables(out)["tokens"] if r["doc_id"] == old_id] == \
        [r for r in rows["tokens"] if r["doc_id"] == old_id]


# ---------------------------------------------------------------- permissions

def _unprivileged() -> tuple[str, ...]:
    """A command prefix under which permissions apply: as root, drop the capabilities that
    bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    caps = "-dac_override,-dac_read_search"
    prefix = (setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}")
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    if probe.returncode:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.decode().strip()}")
    return prefix


def test_unreadable_file_and_folder_keep_their_rows(generated, tmp_path):
    prefix = _unprivileged()
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    make_corpus(corpus, 3, seed=31)
    make_corpus(corpus / "sub", 2, seed=32)
    assert run([corpus], out, engine="serial").published
    rows = tables(out)
    file, folder = sorted(corpus.glob("*.txt"))[0], corpus / "sub"
    os.chmod(file, 0)
    os.chmod(folder, 0)
    try:
        proc = vnpress("run", corpus, "--out", out, "--engine", "serial", prefix=prefix)
        stdout, stderr = proc.communicate(timeout=300)
        # 2 inputs failed (the file, the folder) and nothing else changed: nothing to publish
        assert proc.returncode == 1, stderr
        assert "0 removed" in stdout and "2 failed" in stdout
        assert tables(out) == rows
        proc = vnpress("run", corpus, "--out", out, "--engine", "serial", "--max-failed", "1", prefix=prefix)
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
    finally:
        os.chmod(folder, 0o755)
        os.chmod(file, 0o644)
    assert tables(out)["documents"] == rows["documents"]  # all 5 kept, none marked removed
    errors = {Path(e["source_path"]).name: e for e in write.read(out, "errors").to_pylist()}
    assert errors[file.name]["reason"] == "unreadable" and errors[file.name]["kept_doc_id"]
    assert errors["sub"]["reason"] == "unreadable" and errors["sub"]["stage"] == "discover"
    assert "previous rows kept (2 documents" in errors["sub"]["error"]


# ---------------------------------------------------------------- --out that cannot be written

@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs (root only); yields a function that mounts it with a size."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    mounted = []

    def mount(size: str) -> Path:
        point = tmp_path / f"fs{len(mounted)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False)


def _fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass


def test_out_on_a_read_only_filesystem(published, tmpfs):
    corpus, _ = published
    out = tmpfs("8m") / "out"
    run([corpus], out, engine="serial")
    rows = tables(out)
    subprocess.run(["mount", "-o", "remount,ro", str(out.parent)], check=True)
    (corpus / "doc_000001.txt").write_text("Tiêu đề mới\n\nSáng 3/5, hội nghị diễn ra.\n", encoding="utf-8")
    result = cli("run", corpus, "--out", out, "--engine", "serial", code=2)
    (line,) = result.output.strip().splitlines()
    assert "cannot write to --out" in line and "Read-only file system" in line
    assert tables(out) == rows


def test_out_on_a_full_filesystem(published, tmpfs):
    corpus, _ = published
    out = tmpfs("8m") / "out"
    run([corpus], out, engine="serial")
    rows = tables(out)
    _fill(out.parent)
    (corpus / "doc_000001.txt").write_text("Tiêu đề mới\n\nSáng 3/5, hội nghị diễn ra.\n", encoding="utf-8")
    result = cli("run", corpus, "--out", out, "--engine", "serial", code=2)
    (line,) = result.output.strip().splitlines()
    assert "--out" in line and ("No space left" in line or "not enough room" in line)
    assert tables(out) == rows
    no_leftovers(out)


def test_disk_filling_during_the_run(published, tmpfs, tmp_path):
    """Room for the last snapshot passes the preflight, but the new one is bigger: the run fails
    cleanly (exit 2, one line), leaves no staging folder, and records its runs row."""
    corpus, _ = published
    out = tmpfs("8m") / "out"
    run([corpus], out, engine="serial")
    rows = tables(out)
    need = write.snapshot_bytes(write.current_snapshot(out))
    with open(out.parent / "filler", "wb") as f:
        f.write(b"\0" * max(0, shutil.disk_usage(out).free - need - 20_000))
    make_corpus(corpus / "more", 60, seed=41)
    result = cli("run", corpus, "--out", out, "--engine", "serial", code=2)
    (line,) = result.output.strip().splitlines()
    assert "could not write the new snapshot" in line and "No space left" in line and "unchanged" in line
    assert tables(out) == rows
    no_leftovers(out)
    assert write.read(out, "runs").to_pylist()[-1]["outcome"] == "failed"


# ---------------------------------------------------------------- links, readers, restore

def test_missing_table_links_are_made_by_any_run(published):
    corpus, out = published
    for name in ("documents", "tokens"):
        (out / name).unlink()
    assert run([corpus], out, engine="serial").outcome == "unchanged"
    assert (out / "documents").is_symlink() and pq.read_table(out / "tokens").num_rows


def test_a_pinned_snapshot_survives_later_publishes(tmp_path):
    tables_ = {name: write.empty(name) for name in SNAPSHOT_TABLES}
    write.publish(tmp_path, "r1", tables_)
    snap = write.current_snapshot(tmp_path)
    with write_open(tmp_path) as pinned:
        for run_id in ("r2", "r3", "r4"):
            write.publish(tmp_path, run_id, tables_)
        assert snap.exists() and pinned.read("documents").num_rows == 0 and pinned.run_id == "r1"
    write.publish(tmp_path, "r5", tables_)
    assert not snap.exists() and write.order(tmp_path) == ["r4", "r5"]


def write_open(out):
    import vnpress

    return vnpress.open(out)


_PUBLISHER = """
import sys
from pathlib import Path
from pipeline import lock, write
from pipeline.schemas import SNAPSHOT_TABLES
out, n = Path(sys.argv[1]), int(sys.argv[2])
for k in range(n):
    ids = [f"{k:04d}-{i}" for i in range(1 + k % 7)]
    tables = {name: write.empty(name) for name in SNAPSHOT_TABLES}
    tables["documents"] = write.to_arrow("documents", [dict.fromkeys(write.TABLES["documents"].names) | {"doc_id": i}
                                                        for i in ids])
    tables["tokens"] = write.to_arrow("tokens", [dict.fromkeys(write.TABLES["tokens"].names) | {
        "doc_id": i, "sent_idx": 0, "tok_idx": 0, "char_start": 0, "char_end": 1} for i in ids])
    with lock.OutLock(out, f"r{k:04d}"):
        write.publish(out, f"r{k:04d}", tables)
"""


def test_readers_of_one_snapshot_never_mix_two(tmp_path):
    """A writer publishes in a loop; a reader opens documents then tokens. Through
    ``vnpress.open`` the two always come from one snapshot."""
    import vnpress

    out = tmp_path / "out"
    out.mkdir()
    with lock.OutLock(out, "r-first"):
        write.publish(out, "r-first", {name: write.empty(name) for name in SNAPSHOT_TABLES})
    writer = subprocess.Popen([sys.executable, "-c", _PUBLISHER, str(out), "150"], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    reads = mixed = 0
    while writer.poll() is None:
        with vnpress.open(out) as snap:
            docs = set(snap.read("documents", columns=["doc_id"])["doc_id"].to_pylist())
            tokens = set(snap.read("tokens", columns=["doc_id"])["doc_id"].to_pylist())
        reads += 1
        mixed += docs != tokens
    assert writer.returncode == 0
    assert reads > 20 and mixed == 0


def test_restore_goes_back_and_forth(published):
    corpus, out = published
    first = write.current_snapshot(out).name
    rows = tables(out)
    (corpus / "doc_000002.txt").write_text("Tiêu đề mới\n\nSáng 3/5, hội nghị diễn ra tại tỉnh.\n",
                                           encoding="utf-8")
    cli("run", corpus, "--out", out)
    second = write.current_snapshot(out).name
    assert tables(out) != rows
    listing = cli("restore", "--out", out, "--list").output
    assert first in listing and f"{second}" in listing and "(current)" in listing
    result = cli("restore", "--out", out)
    assert f"{first} is current again" in result.output and second in result.output
    assert tables(out) == rows and (out / "documents").resolve().parent.name == first
    assert write.read(out, "runs").to_pylist()[-1]["outcome"] == "restored"
    cli("restore", second, "--out", out)
    assert write.current_snapshot(out).name == second
    result = cli("restore", "no-such-run", "--out", out, code=2)
    assert "no kept snapshot 'no-such-run'" in result.output
    # the next run starts from the restored snapshot and keeps it as the previous one
    cli("restore", first, "--out", out)
    cli("run", corpus, "--out", out)
    assert write.order(out)[0] == first and second not in write.order(out)


def test_compact_waits_for_the_lock_too(published):
    corpus, out = published
    run([corpus], out, engine="serial")  # a second runs file to merge
    held = lock.OutLock(out, "someone-else")
    held.acquire()
    try:
        result = cli("compact", "--out", out, code=3)
        assert "someone-else" in result.output
    finally:
        held.release()
    assert "runs: merged 2 files" in cli("compact", "--out", out).output
    assert write.read(out, "runs").num_rows == 2
