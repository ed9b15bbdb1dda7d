"""No input stops a run (issue 12): whatever one input, row or member does, it becomes one
precise `errors` row and the run goes on; limits hold while reading, not after.

One test (or parametrised case) per row of the issue's table, on generated inputs.
"""
from __future__ import annotations

import builtins
import io
import json
import os
import random
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from pipeline import engine, runner, write
from pipeline.config import Settings
from pipeline.errors import REASONS
from pipeline.runner import run

CLEAN = (ROOT / "tests" / "docs" / "quang_ngai_hoi_lhpn.txt").read_text(encoding="utf-8")
PROVINCES = ["Hà Nam", "Nam Định", "Ninh Bình", "Thái Bình", "Hòa Bình", "Sơn La", "Lào Cai", "Yên Bái",
             "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Hải Dương"]
LOOSE = Settings(max_failed_fraction=1.0)


def variant(i: int) -> str:
    """A distinct press release (its own content id) made from our own document."""
    return CLEAN.replace("Quảng Ngãi", PROVINCES[i % len(PROVINCES)]) + f"\nMã tin: {i:05d}\n"


def errors_of(summary) -> dict[str, dict]:
    return {e["source_path"].rsplit("/", 1)[-1]: e for e in summary.errors}


def documents(out: Path) -> list[dict]:
    return write.read(out, "documents").to_pylist()


# ---------------------------------------------------------------- bad fields, odd names

@pytest.mark.parametrize("url, says", [(12345, "holds int"), ("https://x.vn/\ud800", "lone surrogate")],
                         ids=["int-url", "lone-surrogate-url"])
def test_a_dump_row_with_a_bad_field_is_one_error(tmp_path, url, says):
    dump = tmp_path / "in" / "dump.jsonl"
    dump.parent.mkdir()
    rows = [{"text": variant(0), "url": "https://x.vn/a"}, {"text": variant(1), "url": url},
            {"text": variant(2), "url": "https://x.vn/c"}]
    dump.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    for _ in range(2):  # and the next nightly does not crash either
        summary = run([dump.parent], tmp_path / "out", LOOSE, engine="serial")
        assert summary.balanced and summary.n_failed == 1
        (error,) = [e for e in summary.errors if e["severity"] == "error"]
        assert error["source_path"].endswith("dump.jsonl#1") and error["reason"] == "bad_format" and says in error["error"]
        assert error["sha256"] and error["n_bytes"] > 0
    assert sorted(d["url"] for d in documents(tmp_path / "out")) == ["https://x.vn/a", "https://x.vn/c"]
    assert pq.read_table(tmp_path / "out" / "runs").num_rows == 2


def test_names_that_are_not_utf8_are_kept_bytes_safe(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"b\xe1o_c\xe1o.txt")
    (folder / name).write_text(variant(0), encoding="utf-8")
    with tarfile.open(folder / "pages.tar.gz", "w:gz") as tar:
        data = variant(1).encode()
        info = tarfile.TarInfo(os.fsdecode(b"tin/b\xe1o.txt"))
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    summary = run([folder], tmp_path / "out", engine="serial")
    assert (summary.n_new, summary.n_failed) == (2, 0)
    paths = sorted(d["source_path"] for d in documents(tmp_path / "out"))
    assert paths == [f"{folder}/b\\xe1o_c\\xe1o.txt", f"{folder}/pages.tar.gz!tin/b\\xe1o.txt"]
    assert run([folder], tmp_path / "out", engine="serial").outcome == "unchanged"
    (folder / name).unlink()
    summary = run([folder], tmp_path / "out", engine="serial")
    assert summary.n_removed == 1


# ---------------------------------------------------------------- a worker that dies

def _segfault_on(marker: str, monkeypatch) -> None:
    real = engine.process_document

    def crash(doc, **kw):
        if marker in doc.text:
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(doc, **kw)

    monkeypatch.setattr(engine, "process_document", crash)


@pytest.mark.parametrize("workers, others", [(1, 3), (2, 0)], ids=["one-worker", "only-due-document"])
def test_a_document_that_kills_its_worker_is_one_error(tmp_path, monkeypatch, workers, others):
    """Forked workers inherit the patched function: the poisoned document segfaults its worker."""
    _segfault_on("POISON", monkeypatch)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(others):
        (folder / f"doc{i}.txt").write_text(variant(i), encoding="utf-8")
    (folder / "poison.txt").write_text("Tiêu đề\n\nPOISON trong bài.\n", encoding="utf-8")
    summary = run([folder], tmp_path / "out", LOOSE, engine="process", workers=workers)
    assert (summary.n_new, summary.n_failed) == (others, 1) and summary.balanced
    error = errors_of(summary)["poison.txt"]
    assert error["reason"] == "crash" and "SIGSEGV" in error["error"]
    assert len(documents(tmp_path / "out")) == others


# ---------------------------------------------------------------- archives and dumps

def test_a_zip_with_one_bad_member_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    archive = folder / "pages.zip"
    with zipfile.ZipFile(archive, "w") as z:  # stored: a flipped byte breaks only its member's CRC
        for i in range(4):
            z.writestr(f"m{i}.txt", variant(i))
    raw = bytearray(archive.read_bytes())
    raw[raw.find(variant(1).encode()) + 50] ^= 0x01
    archive.write_bytes(bytes(raw))
    summary = run([folder], tmp_path / "out", LOOSE, engine="serial")
    assert (summary.n_input, summary.n_new, summary.n_failed) == (4, 3, 1)
    error = errors_of(summary)["pages.zip!m1.txt"]
    assert error["reason"] == "bad_format" and "CRC" in error["error"]


def test_html_nested_deeper_than_libxml2_keeps_its_text(tmp_path):
    lines = [f"Sáng {i}/3, Sở Tài nguyên và Môi trường tỉnh tổ chức hội nghị lần thứ {i} với các đơn vị."
             for i in range(1, 10)]
    body = "".join(f"<p>{line}</p>" for line in lines)
    folder = tmp_path / "in"
    folder.mkdir()
    head = "<html><head><title>Hội nghị của Sở {}</title></head><body>"
    (folder / "deep.html").write_text(head.format(1) + "<div>" * 300 + body + "</div>" * 300 + "</body></html>",
                                      encoding="utf-8")
    (folder / "unclosed.html").write_text(head.format(2) + "<span>" * 10_000 + body + "</body></html>",
                                          encoding="utf-8")
    summary = run([folder], tmp_path / "out", engine="serial")
    assert (summary.n_new, summary.n_failed) == (2, 0)
    for doc in documents(tmp_path / "out"):
        assert all(line in doc["text"] for line in lines), doc["source_file"]


def test_a_dump_is_read_once_however_many_rows_fail(tmp_path, monkeypatch):
    """Bad and duplicate rows cost a row each: the container is not read again per row (the cost
    was quadratic)."""
    dump = tmp_path / "in" / "dump.jsonl"
    dump.parent.mkdir()
    lines = [json.dumps({"text": variant(0)})] * 300 + ["{broken"] * 300 + [json.dumps({"text": variant(1)})]
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    opened = []
    real_open = builtins.open

    def counting_open(file, *args, **kw):
        if os.fspath(file) == str(dump) if isinstance(file, (str, os.PathLike)) else False:
            opened.append(file)
        return real_open(file, *args, **kw)

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    summary = run([dump.parent], tmp_path / "out", LOOSE, engine="serial")
    assert summary.balanced and (summary.n_new, summary.n_skipped, summary.n_failed) == (2, 299, 300)
    assert len(opened) == 1


def _driver_peak_rss(args: list[str]) -> tuple[int, str]:
    """Run ``vnpress`` in a fresh process; its own peak RSS in MiB (workers not counted)."""
    # VmHWM, not ru_maxrss: Linux carries the parent's peak over exec into ru_maxrss
    code = ("import sys; from pipeline.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('RSS', next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    rss = [line for line in done.stdout.splitlines() if line.startswith("RSS")]
    assert rss, done.stderr
    return int(rss[-1].split()[1]) // 1024, done.stdout + done.stderr


def test_a_zip_bomb_dump_member_is_read_in_bounded_memory(tmp_path):
    """A .jsonl member that inflates to 400 MB of one line: --max-bytes holds as it is read."""
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("dump.jsonl", "w") as member:
            member.write(b'{"text": "')
            chunk = ("Hội nghị " * 10_000).encode()
            for _ in range(400_000_000 // len(chunk)):
                member.write(chunk)
            member.write(b'"}\n' + json.dumps({"text": variant(0)}).encode() + b"\n")
    assert (folder / "bomb.zip").stat().st_size < 5_000_000
    rss, output = _driver_peak_rss(["run", str(folder), "--out", str(tmp_path / "out"), "--workers", "1",
                                    "--max-bytes", "1000000", "--max-failed", "1"])
    assert "2 inputs = 1 processed + 0 skipped + 1 failed" in output
    assert rss < 350, f"driver peaked at {rss} MiB reading a 400 MB member: {output}"
    error = write.read(tmp_path / "out", "errors").to_pylist()[0]
    assert error["reason"] == "too_large" and error["source_path"].endswith("bomb.zip!dump.jsonl#0")


def test_oversized_archive_members_of_every_kind_are_errors(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    big = variant(0) * 40
    with tarfile.open(folder / "pages.tar.gz", "w:gz") as tar:
        for name, data in (("big.txt", big.encode()), ("ok.txt", variant(1).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    summary = run([folder], tmp_path / "out", Settings(max_file_bytes=20_000, max_failed_fraction=1), engine="serial")
    assert (summary.n_new, summary.n_failed) == (1, 1)
    assert errors_of(summary)["pages.tar.gz!big.txt"]["reason"] == "too_large"


# ---------------------------------------------------------------- time limits

def test_a_runaway_document_is_stopped(tmp_path, monkeypatch):
    real = engine.process_document

    def slow(doc, **kw):
        if "CHẬM" in doc.text:
            time.sleep(60)
        return real(doc, **kw)

    monkeypatch.setattr(engine, "process_document", slow)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "slow.txt").write_text("Tiêu đề\n\nBài CHẬM lắm.\n", encoding="utf-8")
    (folder / "ok.txt").write_text(variant(0), encoding="utf-8")
    summary = run([folder], tmp_path / "out", Settings(doc_timeout=1.0, max_failed_fraction=1), engine="process",
                  workers=1)
    assert (summary.n_new, summary.n_failed) == (1, 1)
    error = errors_of(summary)["slow.txt"]
    assert error["reason"] == "timeout" and "--doc-timeout" in error["error"]


def test_a_worker_deaf_to_the_alarm_is_killed(tmp_path, monkeypatch):
    """Stuck where the alarm cannot interrupt it (here: the alarm is blocked, as in C code), the
    worker is killed after the grace period and the rest of the batch goes on."""
    real = engine.process_document

    def deaf(doc, **kw):
        if "KẸT" in doc.text:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(120)
        return real(doc, **kw)

    monkeypatch.setattr(engine, "process_document", deaf)
    monkeypatch.setattr(engine, "KILL_GRACE", 1.0)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_stuck.txt").write_text("Tiêu đề\n\nBài KẸT mãi.\n", encoding="utf-8")
    for i in range(3):
        (folder / f"b{i}.txt").write_text(variant(i), encoding="utf-8")
    summary = run([folder], tmp_path / "out", Settings(doc_timeout=1.0, max_failed_fraction=1), engine="process",
                  workers=1)
    assert (summary.n_new, summary.n_failed) == (3, 1)
    error = errors_of(summary)["a_stuck.txt"]
    assert error["reason"] == "timeout" and "killed" in error["error"]


# ---------------------------------------------------------------- reason codes

def test_utf8_with_a_few_bad_bytes_is_read_with_a_warning(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    data = bytearray(variant(0).encode())
    for at in (120, 400, 700):
        data[at] = 0xFF
    (folder / "damaged.txt").write_bytes(bytes(data))
    (folder / "garbage.txt").write_bytes(bytes(random.Random(3).randint(128, 255) for _ in range(3000)))
    summary = run([folder], tmp_path / "out", LOOSE, engine="serial")
    assert summary.n_new == 1
    warning = errors_of(summary)["damaged.txt"]
    assert (warning["severity"], warning["reason"]) == ("warning", "bad_bytes") and "U+FFFD" in warning["error"]
    assert errors_of(summary)["garbage.txt"]["reason"] == "undecodable"
    (doc,) = documents(tmp_path / "out")
    assert doc["text"].count("\ufffd") >= 3


@pytest.mark.parametrize("text, named", [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam. Héi nghÞ tæng kÕt c«ng t¸c n¨m", "tcvn3"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Hoäi nghò toång keát coâng taùc naêm", "vni"),
], ids=["tcvn3", "vni"])
def test_legacy_fonts_are_named_right(tmp_path, text, named):
    """Each legacy font is told apart from the other (since issue 15 they are converted, not
    rejected: the name is ``documents.source_encoding``)."""
    from pipeline.decode import decode_bytes

    decoded = decode_bytes(text.encode("latin-1"))
    assert decoded.source_encoding == named
    assert decoded.startswith("Cộng ") and decoded.endswith("Hội nghị tổng kết công tác năm")


def test_an_exception_in_a_stage_is_an_extract_error(tmp_path, monkeypatch):
    from pipeline.extract import dates

    real = dates.find_dates

    def broken(ctx, sentences, *a, **kw):  # (ctx, sentences) since the rules object (issue 13)
        if any("HỎNG" in s.text for s in sentences):
            raise KeyError("no such month")
        return real(ctx, sentences, *a, **kw)

    monkeypatch.setattr(dates, "find_dates", broken)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.txt").write_text("Tiêu đề\n\nNgày 3/5, bài HỎNG.\n", encoding="utf-8")
    (folder / "ok.txt").write_text(variant(0), encoding="utf-8")
    summary = run([folder], tmp_path / "out", LOOSE, engine="process", workers=1)
    error = errors_of(summary)["broken.txt"]
    assert (error["stage"], error["reason"]) == ("extract", "extract_error")
    assert "KeyError" in error["error"] and "no such month" in error["error"]


@pytest.mark.parametrize("what", ["changed", "vanished"])
def test_a_file_changed_or_deleted_during_the_run_says_so(tmp_path, monkeypatch, what):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"doc{i}.txt").write_text(variant(i), encoding="utf-8")
    real = runner._plan

    def meanwhile(*args):  # between reading the inputs and processing them
        plan = real(*args)
        target = folder / "doc1.txt"
        target.write_text(variant(7), encoding="utf-8") if what == "changed" else target.unlink()
        return plan

    monkeypatch.setattr(runner, "_plan", meanwhile)
    summary = run([folder], tmp_path / "out", LOOSE, engine="process", workers=1)
    assert (summary.n_new, summary.n_failed) == (2, 1)
    assert errors_of(summary)["doc1.txt"]["reason"] == what


def test_every_reason_code_is_listed_alike_in_errors_schemas_and_readme():
    from pipeline.schemas import TABLES

    meaning = next(c.meaning for c in TABLES["errors"].columns if c.name == "reason")
    listed = [code.strip() for code in meaning.split(":", 1)[1].split(",")]
    assert listed == list(REASONS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| reason |"):]
    table = table[:table.index("\n\n")]
    codes = [line.split("|")[1].strip().strip("`") for line in table.splitlines()[2:]]
    assert codes == list(REASONS)
