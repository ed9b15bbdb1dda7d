"""Real-world input: pages, crawler dumps, archives, legacy encodings, limits; nothing lost.

The test corpus is generated here from one of our own press releases (tests/docs), so nothing
large is committed; every variant must give the same persons and dates as the clean UTF-8 file.
"""
from __future__ import annotations

import csv
import io
import json
import tarfile
import unicodedata
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline import write
from pipeline.config import Settings
from pipeline.errors import IngestError
from pipeline.extract import extract
from pipeline.ingest import read_item
from pipeline.runner import run
from pipeline.segment import segment
from pipeline.sources import iter_items

DOC = Path(__file__).parent / "docs" / "quang_ngai_hoi_lhpn.txt"
CLEAN = DOC.read_text(encoding="utf-8")
TITLE, _, BODY = CLEAN.partition("\n\n")


def _facts(item) -> tuple[set, set]:
    found = extract(segment(read_item(item)))
    people = {m["normalized"] for m in found.rows["mentions"] if m["label"] == "PERSON"}
    dates = {(d["month"], d["day"], d["year"]) for d in found.rows["dates"]}
    return people, dates


@pytest.fixture(scope="module")
def reference():
    (item,) = iter_items(DOC)
    return _facts(item)


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with their hats, tones combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return out


ENCODINGS = {
    "utf8-bom": lambda t: "\ufeff".encode() + t.encode(),
    "utf16": lambda t: t.encode("utf-16"),
    "utf32": lambda t: t.encode("utf-32"),
    "nfd": lambda t: unicodedata.normalize("NFD", t).encode(),
    "cp1258": _cp1258,
    "mojibake": lambda t: t.encode("utf-8").decode("latin-1").encode("utf-8"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode(),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_every_encoding_gives_the_same_facts(name, tmp_path, reference):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(ENCODINGS[name](CLEAN))
    (item,) = iter_items(path)
    assert _facts(item) == reference


def _html() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n") if not p.startswith("Tin, ảnh"))
    return (f"<html><head><title>{TITLE}</title><meta name='author' content='Minh Châu'></head><body>"
            "<nav><ul><li>Trang chủ</li><li>Tin tức</li></ul></nav>"
            f"<article><h1>{TITLE}</h1>{paragraphs}</article>"
            "<aside><h3>Tin liên quan</h3><ul><li>Sáng 3/11, Chủ tịch UBND tỉnh Hoàng Văn Sơn chủ trì họp</li></ul>"
            "</aside><footer>Bản quyền thuộc về Cổng thông tin</footer></body></html>")


def test_html_page_gives_the_article_and_keeps_the_rest_as_boilerplate(tmp_path, reference):
    path = tmp_path / "page.html"
    path.write_text(_html(), encoding="utf-8")
    (item,) = iter_items(path)
    doc = read_item(item)
    assert doc.title == TITLE and doc.source_format == "html"
    assert _facts(item) == reference
    boiler = [b.text for b in doc.blocks if b.kind == "boilerplate"]
    assert any("Hoàng Văn Sơn" in b for b in boiler) and any("Bản quyền" in b for b in boiler)


def _rows() -> list[dict]:
    return [{"text": CLEAN, "url": "https://example.vn/a", "title": TITLE, "date": "2024-01-20"},
            {"text": BODY.replace("Ngày đăng: 15/01/2024\n\n", ""), "url": "https://example.vn/b", "title": TITLE,
             "date": "2024-01-20"},
            {"text": "", "url": "https://example.vn/empty"}]


def _write_dump(kind: str, path: Path) -> None:
    rows = _rows()
    if kind == "jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", encoding="utf-8")
    elif kind == "csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=["text", "url", "title", "date"])
            writer.writeheader()
            writer.writerows(rows)
    else:
        pq.write_table(pa.Table.from_pylist(rows), path)


@pytest.mark.parametrize("kind", ["jsonl", "csv", "parquet"])
def test_crawler_dumps_one_document_per_row(kind, tmp_path, reference):
    path = tmp_path / f"dump.{kind}"
    _write_dump(kind, path)
    items = list(iter_items(path))
    good = [i for i in items if i.error is None]
    assert len(good) == 2 and all(i.meta["url"].startswith("https://example.vn/") for i in good)
    assert _facts(good[0]) == reference
    # the second row has no "Ngày đăng": its crawl date is the evidence for the year
    doc = read_item(good[1])
    assert doc.crawl_date.isoformat() == "2024-01-20"
    dates = extract(segment(doc)).rows["dates"]
    event = next(d for d in dates if d["kind"] == "event")
    assert (event["date"].isoformat(), event["year_source"]) == ("2024-01-12", "crawl_date")
    assert {e.error.reason for e in items if e.error} <= {"empty", "bad_format"}


def test_archives_of_every_format(tmp_path, reference):
    zpath = tmp_path / "pages.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("a/clean.txt", CLEAN)
        z.writestr("a/page.html", _html())
        z.writestr("b/image.png", b"\x89PNG\r\n")
    tpath = tmp_path / "pages.tar.gz"
    dump = tmp_path / "inner.jsonl"
    _write_dump("jsonl", dump)
    with tarfile.open(tpath, "w:gz") as t:
        t.add(dump, arcname="dumps/inner.jsonl")
        data = CLEAN.encode("utf-16")
        info = tarfile.TarInfo("c/utf16.txt")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    items = list(iter_items(zpath)) + list(iter_items(tpath))
    good = [i for i in items if i.error is None]
    assert {i.source_path.split("!")[1] for i in good} >= {"a/clean.txt", "a/page.html", "c/utf16.txt"}
    assert all(_facts(i) == reference for i in good if i.source_path.endswith(("clean.txt", "page.html", "utf16.txt")))
    assert any(i.error and i.error.reason == "bad_format" for i in items)  # the png member


@pytest.mark.parametrize("data, reason", [
    ("Lor\xb5m ips\xb8m dol\xb6r sit\xb7 am\xb9t cons\xa8ct adip\xa9sc elit\xae".encode("latin-1"), "legacy_encoding"),
    ("Co^.ng hoa` xa~ ho^.i chu? nghi~a Vie^.t Nam. Ho^.i nghi. to^?ng ke^'t".encode(), "viqr"),
    (b"Ti\xeau \xf0\xe8 " * 10 + b"\x00\x01", "binary"),
    (("Hội nghị " * 30_000).encode(), "line_too_long"),
], ids=["legacy-not-vietnamese", "viqr", "binary", "long-line"])
def test_unreadable_inputs_say_why(tmp_path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    (item,) = iter_items(path)
    with pytest.raises(IngestError) as info:
        read_item(item)
    assert info.value.reason == reason
    if reason == "legacy_encoding":
        assert "suspected" in str(info.value) and ("TCVN3" in str(info.value) or "VNI" in str(info.value))


def test_a_ten_megabyte_line_is_rejected_in_bounded_time(tmp_path):
    path = tmp_path / "oneline.txt"
    path.write_bytes(b"a" * (10 * 1024 * 1024))
    summary = run([path], tmp_path / "out", engine="serial")
    assert summary.n_failed == 1 and summary.errors[0]["reason"] == "line_too_long"


def test_oversized_file_is_an_error_row(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(CLEAN * 50, encoding="utf-8")
    summary = run([path], tmp_path / "out", Settings(max_file_bytes=10_000), engine="serial")
    assert summary.errors[0]["reason"] == "too_large" and summary.balanced


def test_mixed_batch_is_fully_accounted_for(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (corpus / "page.html").write_text(_html(), encoding="utf-8")
    _write_dump("jsonl", corpus / "dump.jsonl")
    (corpus / "legacy.txt").write_bytes("Lor\xb5m ips\xb8m dol\xb6r sit\xb7 am\xb9t cons\xa8ct".encode("latin-1"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    # failures are expected: publish the rest anyway, to count what landed
    summary = run([corpus], tmp_path / "out", Settings(max_failed_fraction=1.0), engine="serial")
    assert summary.balanced and summary.published
    documents = write.read(tmp_path / "out", "documents").num_rows
    failed = sum(1 for e in summary.errors if e["stage"] != "skip")
    skipped = sum(1 for e in summary.errors if e["stage"] == "skip")
    assert summary.n_input == documents + failed + skipped
    reasons = {e["reason"] for e in summary.errors}
    assert {"legacy_encoding", "empty", "bad_format"} <= reasons


SEED_BYTES = CLEAN.encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.binary(max_size=400),
    st.tuples(st.integers(0, len(SEED_BYTES) - 1), st.binary(min_size=1, max_size=8)).map(
        lambda p: SEED_BYTES[:p[0]] + p[1] + SEED_BYTES[p[0] + len(p[1]):]),
    st.integers(0, len(SEED_BYTES)).map(lambda n: SEED_BYTES[:n]),
))
def test_fuzzed_bytes_never_crash_the_batch(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "fuzz.txt").write_bytes(data)
    (folder / "clean.txt").write_text(CLEAN, encoding="utf-8")
    summary = run([folder], folder / "out", engine="serial")
    assert summary.balanced and summary.n_input == 2
    assert summary.n_new + summary.n_skipped >= 1  # the clean document always lands
