"""The 1 July 2025 merger: the old -> new mapping read offline from vietnamadminunits' data, and
``province_2025`` beside ``province`` in documents and agencies, on press releases of our own
dated before and after the merger (tests/docs2025/)."""
from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import admin2025, write
from pipeline.runner import run

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "tests" / "docs2025"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_63_provinces_become_34(no_network):
    admin2025.merger.cache_clear()
    m = admin2025.merger()
    assert len(m.current) == 63 and len(set(m.current.values())) == 34 and len(m.former) == 34
    for new, olds in m.former.items():
        assert m.current[new] == new and all(m.current[old] == new for old in olds)
    assert sorted(o for olds in m.former.values() for o in olds) == sorted(m.current)
    assert {old for old in m.current if m.abolished(old)} == set(m.current) - set(m.former)


@pytest.mark.parametrize("old, new", [("Bình Định", "Gia Lai"), ("Gia Lai", "Gia Lai"), ("Hà Giang", "Tuyên Quang"),
                                      ("Bình Dương", "Hồ Chí Minh"), ("Sóc Trăng", "Cần Thơ"), ("Hà Nội", "Hà Nội")])
def test_province_2025(old, new):
    assert admin2025.province_2025(old) == new


def test_not_a_province_has_none():
    assert admin2025.province_2025(None) is None and admin2025.province_2025("Tuy Phước") is None


def test_the_mapping_is_read_without_the_package_or_the_network():
    """vietnamadminunits' converter geocodes online: it is never imported, no socket is opened."""
    code = ("import socket\n"
            "def refuse(*a, **k): raise SystemExit('network access attempted')\n"
            "socket.socket.connect = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
            "from pipeline import admin2025\n"
            "assert admin2025.province_2025('Bình Định') == 'Gia Lai'\n"
            "import sys\n"
            "assert not [m for m in sys.modules if m.startswith('vietnamadminunits')], 'package imported'\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def out_2025(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs2025")
    summary = run([DOCS], out, engine="serial")
    assert summary.n_failed == 0
    return out


def _documents(out):
    return {d["source_file"]: d for d in write.read(out, "documents").to_pylist()}


def test_a_2024_article_keeps_its_old_province_and_gets_todays(out_2025):
    doc = _documents(out_2025)["binh_dinh_ccb_tong_ket_2024.txt"]
    assert (doc["province"], doc["province_2025"]) == ("Bình Định", "Gia Lai")
    agencies = {a["name"]: a for a in write.read(out_2025, "agencies").to_pylist()}
    ccb = agencies["Hội Cựu chiến binh tỉnh Bình Định"]
    assert (ccb["province"], ccb["province_2025"]) == ("Bình Định", "Gia Lai")


def test_every_row_has_the_province_it_belongs_to_now(out_2025):
    for table in ("documents", "agencies"):
        for row in write.read(out_2025, table).to_pylist():
            assert row["province_2025"] == admin2025.province_2025(row["province"])


# ------------------------------------------------------------------ "(tỉnh X cũ)" is not the article's province

@pytest.mark.parametrize("text, place, former", [
    ("xã Lũng Cú (huyện Đồng Văn, tỉnh Hà Giang cũ) tổ chức", "tỉnh Hà Giang", True),
    ("xã Lũng Cú (huyện Đồng Văn, tỉnh Hà Giang cũ) tổ chức", "huyện Đồng Văn", True),
    ("xã Lũng Cú (huyện Đồng Văn, tỉnh Hà Giang cũ) tổ chức", "xã Lũng Cú", False),
    ("Hội Cựu chiến binh tỉnh Gia Lai (khu vực tỉnh Bình Định cũ) họp", "tỉnh Bình Định", True),
    ("Hội Cựu chiến binh tỉnh Gia Lai (khu vực tỉnh Bình Định cũ) họp", "tỉnh Gia Lai", False),
    ("các cấp Hội ở tỉnh Bình Định (cũ) đã", "tỉnh Bình Định", True),
    ("các cấp Hội ở tỉnh Bình Định trước sáp nhập đã", "tỉnh Bình Định", True),
    ("UBND tỉnh Bình Định (Hội nghị cũ) họp", "tỉnh Bình Định", False),
    ("đến tỉnh Bình Định, nơi có nhiều đồ cũ", "tỉnh Bình Định", False),
])
def test_a_place_named_as_it_was_before_a_merger(text, place, former):
    from pipeline.extract.places import places_of
    from pipeline.rules import Rules

    start = text.index(place)
    assert Rules.default().compiled(places_of).is_former(text, start, start + len(place)) is former


def test_an_article_after_the_merger_gets_the_new_province_not_the_old_one_it_names_more(out_2025):
    doc = _documents(out_2025)["tuyen_quang_nha_dai_doan_ket_2025.txt"]
    assert (doc["province"], doc["province_2025"]) == ("Tuyên Quang", "Tuyên Quang")
    mentions = [m for m in write.read(out_2025, "mentions").to_pylist() if m["doc_id"] == doc["doc_id"]]
    old = [m for m in mentions if m["label"] == "LOCATION" and m["normalized"] == "Hà Giang"]
    assert len(old) == 3 and all(dict(m["details"])["former"] == "true" for m in old)  # named, and marked
    bodies = {m["normalized"] for m in mentions if m["label"] == "AGENCY"}
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Tuyên Quang" in bodies
    assert not any("Hà Giang" in b for b in bodies)


# ------------------------------------------------------------------ a body named with a merged province

def test_a_body_named_with_a_merged_province_is_one_agency_of_the_new_province(out_2025):
    """"Hội Cựu chiến binh tỉnh Gia Lai (khu vực tỉnh Bình Định cũ)", then "Hội CCB tỉnh" twice, in an
    article whose title and body name the old province more often than the new one."""
    doc = _documents(out_2025)["gia_lai_ccb_so_ket_2025.txt"]
    assert (doc["province"], doc["province_2025"]) == ("Gia Lai", "Gia Lai")
    mentions = [m for m in write.read(out_2025, "mentions").to_pylist()
                if m["doc_id"] == doc["doc_id"] and m["label"] == "AGENCY"]
    provincial = {m["entity_id"] for m in mentions if m["text"].startswith(("Hội Cựu chiến binh tỉnh", "Hội CCB tỉnh"))}
    assert len(provincial) == 1
    agency = next(a for a in write.read(out_2025, "agencies").to_pylist() if a["agency_id"] in provincial)
    assert (agency["name"], agency["province"], agency["province_2025"]) == (
        "Hội Cựu chiến binh tỉnh Gia Lai", "Gia Lai", "Gia Lai")
    assert not any("Bình Định" in (m["normalized"] or "") for m in mentions)


# ------------------------------------------------------------------ a commune directly under a province

@pytest.mark.parametrize("units, on, province", [
    ([("commune", "Quy Nhơn Nam")], "2025-09-27", "Gia Lai"),    # a ward created by the reform
    ([("commune", "Lũng Cú")], "2024-11-14", "Hà Giang"),         # the same commune, before ...
    ([("commune", "Lũng Cú")], "2025-09-12", "Tuyên Quang"),      # ... and after 1 July 2025
    ([("commune", "Lũng Cú")], None, None),                       # undated: the eras disagree
    ([("district", "Mường Tè")], None, "Lai Châu"),               # districts exist before only
    ([("commune", "Lũng Cú"), ("commune", "Quy Nhơn Nam")], "2025-09-27", None),  # two provinces
    ([("commune", "Tân Phú")], "2024-01-01", None),               # a name many provinces have
])
def test_the_province_of_named_communes(units, on, province):
    from datetime import date

    assert admin2025.province_of_units(units, date.fromisoformat(on) if on else None) == province


@pytest.mark.parametrize("name, province, today", [
    ("quy_nhon_nam_ra_mat_mo_hinh_2025.txt", "Gia Lai", "Gia Lai"),
    ("dong_van_lung_cu_2024.txt", "Hà Giang", "Tuyên Quang"),
])
def test_an_article_naming_only_communes_gets_their_province_of_its_time(out_2025, name, province, today):
    doc = _documents(out_2025)[name]
    assert (doc["province"], doc["province_2025"]) == (province, today)
