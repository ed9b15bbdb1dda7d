"""Legacy font encodings: files typed in TCVN3 (ABC) and VNI become the documents their Unicode
originals are; what TCVN3 cannot say (capitals with a tone mark) is restored where it can be
known; VIQR and text that does not read as Vietnamese once converted are errors with a reason.

The legacy files are made here from our own documents by tests/legacy_encode.py (written from the
published layouts, not from the converter's tables)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from legacy_encode import to_tcvn3, to_viqr, to_vni
from pipeline import legacy, write
from pipeline.decode import decode_bytes
from pipeline.errors import IngestError
from pipeline.extract import extract
from pipeline.ingest import read_document
from pipeline.normalize import normalize_text
from pipeline.runner import run
from pipeline.segment import segment

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seeds" / "001_f0aadb7306309570.txt"
OWN = sorted((ROOT / "tests" / "docs").glob("*.txt")) + sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
ENCODERS = {"tcvn3": to_tcvn3, "vni": to_vni}
VOWELS = "aăâeêioôơuưy"
LETTERS = [unicodedata.normalize("NFC", v + t) for v in VOWELS + VOWELS.upper()
           for t in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")] + ["đ", "Đ"]


def _facts(doc):
    found = extract(segment(doc))
    mentions = found.rows["mentions"]
    persons = {(m["normalized"], (m["details"] or {}).get("gender")) for m in mentions if m["label"] == "PERSON"}
    agencies = {m["normalized"] for m in mentions if m["label"] == "AGENCY"}
    names = {m["entity_id"]: m["normalized"] for m in mentions if m["label"] in ("PERSON", "AGENCY")}
    roles = {(names[r["person_id"]], r["title"], names.get(r["agency_id"])) for r in found.rows["roles"]}
    return persons, agencies, roles


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_seed_001_typed_in_a_legacy_font_is_the_same_document(tmp_path, encoding):
    original = read_document(SEED)
    path = tmp_path / SEED.name
    path.write_bytes(ENCODERS[encoding](SEED.read_text(encoding="utf-8")))
    converted = read_document(path)
    assert converted.source_encoding == encoding and original.source_encoding is None
    persons, agencies, roles = _facts(converted)
    assert persons and agencies and roles
    assert (persons, agencies, roles) == _facts(original)
    assert converted.text == original.text  # its capitals with a tone mark are all restorable


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_our_documents_round_trip(encoding):
    """VNI gives every letter back; TCVN3 every letter but capitals with a tone mark inside a
    sentence, which come back in lower case (README, Known limits)."""
    for path in OWN:
        text = normalize_text(path.read_text(encoding="utf-8"))
        decoded = decode_bytes(ENCODERS[encoding](text))
        assert getattr(decoded, "source_encoding", None) == encoding, path.name
        back = normalize_text(decoded)
        assert len(back) == len(text), path.name
        for i, (want, got) in enumerate(zip(text, back)):
            if want != got:
                assert encoding == "tcvn3" and got == want.lower() and legacy._lost_capital(got), (path.name, i)
                assert text[:i].rstrip()[-1:] not in ("", ".", "!", "?", "\n"), (path.name, i)  # not a sentence start


def test_every_vietnamese_letter_converts():
    vni = legacy.convert(to_vni(" ".join(LETTERS)).decode("cp1252"), "vni").split()
    assert vni == LETTERS
    tcvn3 = legacy.convert(to_tcvn3(" ".join(LETTERS)).decode("cp1252"), "tcvn3").split()
    assert tcvn3 == [ch.lower() if legacy._lost_capital(ch.lower()) else ch for ch in LETTERS]


def test_the_vni_letters_missing_from_viparse():
    """ẳ/Ẳ (a + ú) and ỵ/Ỵ (one character, î/Î) are converted (lexicons/legacy_letters.jsonl)."""
    text = "Chẳng ai quỵ ngã; CHẲNG AI QUỴ NGÃ; Kỵ binh"
    assert legacy.convert(to_vni(text).decode("cp1252"), "vni") == text


def test_what_tcvn3_capitals_get_back():
    text = ("CHUNG TAY ỦNG HỘ PHÒNG, CHỐNG DỊCH\n\nỦy ban nhân dân tỉnh họp. Ở xã, bà Lê Ánh Hồng dự Hội nghị "
            "TỔNG KẾT với Ủy ban Mặt trận Tổ quốc Việt Nam, các ủy ban của Quốc hội và Ủy viên Ban Thường vụ.")
    back = legacy.convert(to_tcvn3(text).decode("cp1252"), "tcvn3")
    assert back.split("\n")[0] == "CHUNG TAY ỦNG HỘ PHÒNG, CHỐNG DỊCH"                 # a line in capitals
    assert "Ủy ban nhân dân tỉnh họp. Ở xã" in back                                    # sentence starts
    assert "Hội nghị TỔNG KẾT" in back                                                 # a word in capitals
    assert "với Ủy ban Mặt trận" in back and "và Ủy viên Ban" in back                  # tcvn3_capitals.jsonl
    assert "các ủy ban của" in back                                                    # a common noun stays
    assert "bà Lê ánh Hồng" in back                                                    # not knowable: a name


def test_legacy_looking_text_that_does_not_read_as_vietnamese_stays_an_error():
    data = "Lor\xb5m ips\xb8m dol\xb6r sit\xb7 am\xb9t cons\xa8ct adip\xa9sc elit\xae".encode("latin-1")
    with pytest.raises(IngestError) as info:
        decode_bytes(data)
    assert info.value.reason == "legacy_encoding" and "TCVN3" in str(info.value)


@pytest.mark.parametrize("word, ok", [
    ("người", True), ("khuyến", True), ("quốc", True), ("gì", True), ("Đắk", True), ("nghiêng", True),
    ("ààà", False), ("xáyz", False), ("âđ", False), ("hoặcc", False), ("ạă", False),
])
def test_vietnamese_syllables(word, ok):
    assert legacy.is_syllable(word) is ok


def test_viqr_gets_its_own_error(tmp_path):
    path = tmp_path / "viqr.txt"
    path.write_text(to_viqr(SEED.read_text(encoding="utf-8")), encoding="utf-8")  # its dashes too
    with pytest.raises(IngestError) as info:
        read_document(path)
    assert info.value.reason == "viqr" and "VIQR" in str(info.value)


@pytest.mark.parametrize("text", [
    "The office didn't say. We'll see, e.g. at www.example.org: it's the report's 3rd page. " * 5,
    "Hoi nghi tong ket cong tac Mat tran nam 2024 tai thanh pho Can Tho, cac dai bieu da thao luan. " * 5,
])
def test_plain_ascii_is_not_viqr(text):
    assert not legacy.looks_viqr(text)
    assert decode_bytes(text.encode()) == text


def test_the_documents_table_says_where_the_text_came_from(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "vni.txt").write_bytes(to_vni(SEED.read_text(encoding="utf-8")))
    (inputs / "own.txt").write_bytes(OWN[0].read_bytes())
    summary = run([inputs], tmp_path / "out", engine="serial")
    assert summary.n_failed == 0
    got = {d["source_file"]: d["source_encoding"] for d in write.read(tmp_path / "out", "documents").to_pylist()}
    assert got == {"vni.txt": "vni", "own.txt": None}


@pytest.mark.parametrize("data, encoding", [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam. Héi nghÞ tæng kÕt".encode("latin-1"), "tcvn3"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Hoäi nghò toång keát".encode("latin-1"), "vni"),
])
def test_a_short_official_phrase_typed_by_hand(data, encoding):
    """The bytes a real .VnTime / VNI-Times file holds, typed here byte by byte, not by our encoder."""
    text = decode_bytes(data)
    assert text.source_encoding == encoding
    assert normalize_text(text) == "Cộng hòa xã hội chủ nghĩa Việt Nam. Hội nghị tổng kết"


@pytest.mark.parametrize("table", ["viscii", "vps"])
def test_another_legacy_encoding_is_not_converted_as_tcvn3_or_vni(table):
    """Seed 001 in VISCII or VPS (made with viparse's tables for them, which vnpress does not use):
    neither of our tables makes Vietnamese of it, so it stays an error, not a garbled document."""
    from viparse.normalize.encodings import get_charmap

    to_legacy = {letter: legacy_seq for legacy_seq, letter in get_charmap(table).pairs}
    text = unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))
    data = "".join(to_legacy.get(ch, ch) for ch in text).encode("latin-1", errors="replace")
    with pytest.raises(IngestError) as info:
        decode_bytes(data)
    assert info.value.reason == "legacy_encoding"
