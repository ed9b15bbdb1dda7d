import codecs
from datetime import date

import pytest

from conftest import check_golden
from pipeline.decode import decode_bytes
from pipeline.errors import IngestError
from pipeline.ingest import build_document, split_blocks

SAMPLE = "Tiêu đề bài viết\n\nNgày 5/6, Sở Tài nguyên và Môi trường tổ chức hội nghị.\n"


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
    lambda s: s.encode("utf-16"),  # with BOM
    lambda s: s.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]),
    lambda s: s.encode("utf-32"),
    lambda s: s.replace("\n", "\r\n").encode("utf-8"),
    lambda s: s.replace("\n", "\r").encode("utf-8"),
], ids=["utf8", "utf8-bom", "utf16", "utf16-be", "utf32", "crlf", "cr"])
def test_encodings_and_line_ends_give_the_same_document(encode):
    reference = build_document(SAMPLE, "a.txt")
    doc = build_document(decode_bytes(encode(SAMPLE)), "a.txt")
    assert doc.text == reference.text
    assert doc.doc_id == reference.doc_id
    assert [b.kind for b in doc.blocks] == ["title", "body"]


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"  \n\r\n ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Le comité a présenté son rapport à la réunion.".encode("latin-1"), "undecodable"),
    (bytes(range(1, 32)) * 20, "binary"),
], ids=["empty", "blank", "png", "latin1-french", "controls"])
def test_bad_bytes_raise_a_specific_reason(data, reason):
    with pytest.raises(IngestError) as info:
        decode_bytes(data)
    assert info.value.reason == reason


def test_related_news_list_and_everything_after_it_is_boilerplate(seed_docs):
    doc = seed_docs["003_ef8b622715d9b1e3.txt"]
    start = next(i for i, b in enumerate(doc.blocks) if b.text == "Có thể bạn quan tâm")
    assert all(b.kind == "boilerplate" for b in doc.blocks[start:])
    assert all(b.kind != "boilerplate" for b in doc.blocks[:start] if not b.text.endswith(".JPG"))
    assert {b.text for b in doc.blocks if b.text.endswith(".JPG")} == {f"{i}.JPG" for i in range(1, 6)}
    assert all(b.kind == "boilerplate" for b in doc.blocks if b.text.endswith(".JPG"))
    assert doc.blocks[-1].text == "fb yt zl tw"


def test_banner_is_boilerplate_and_trailing_name_is_a_byline(seed_docs):
    doc = seed_docs["000_0e3de3854a50d443.txt"]
    assert doc.blocks[0].kind == "boilerplate" and doc.blocks[0].text.startswith("CHUNG TAY")
    assert doc.blocks[1].kind == "title"
    assert doc.blocks[-1].kind == "byline" and doc.blocks[-1].text == "Hà Giang"
    assert doc.authors == ["Hà Giang"]


def test_dateline_gives_the_published_date(seed_docs):
    doc = seed_docs["004_a65872c78abefae6.txt"]
    assert str(doc.published_date) == "2017-10-30"
    assert [b.kind for b in doc.blocks[:2]] == ["title", "dateline"]
    assert doc.authors == ["Thanh Hồng"]


def test_captions_are_recognised(seed_docs, gold):
    for name, doc in seed_docs.items():
        captions = {" ".join(b.text.split()) for b in doc.blocks if b.kind == "caption"}
        assert captions == set(gold[name]["captions"]), name


def test_broken_caption_line_is_joined(seed_docs):
    doc = seed_docs["002_a8fcd52fd345e871.txt"]
    caption = next(b for b in doc.blocks if b.kind == "caption")
    assert caption.text.startswith("Bà") and "Kỹ thuật ký kết" in caption.text
    assert doc.text[caption.start:caption.end] == caption.text


def test_titles_authors_and_boilerplate_match_the_gold(seed_docs, gold):
    for name, doc in seed_docs.items():
        g = gold[name]
        assert doc.title == g["title"], name
        assert doc.authors == g["authors"], name
        boiler = {b.text for b in doc.blocks if b.kind in ("boilerplate", "dateline")}
        assert set(g["boilerplate"]) <= boiler, name


def test_blocks_of_a_made_up_page():
    text = ("https://example.vn/img/a.png\nTỈNH ĐOÀN TỔ CHỨC HỘI THI!\nHội thi tin học trẻ\n"
            "Sáng 3/5, Tỉnh đoàn tổ chức hội thi.\nanh1.png\nCác thí sinh dự thi\n"
            "Bài và ảnh: Lê Văn An\nTin liên quan\nHội thi năm trước đã diễn ra.\n")
    kinds = [(b.kind, b.text) for b in split_blocks(text)]
    assert kinds == [
        ("boilerplate", "https://example.vn/img/a.png"), ("boilerplate", "TỈNH ĐOÀN TỔ CHỨC HỘI THI!"),
        ("title", "Hội thi tin học trẻ"), ("body", "Sáng 3/5, Tỉnh đoàn tổ chức hội thi."),
        ("boilerplate", "anh1.png"), ("caption", "Các thí sinh dự thi"), ("byline", "Bài và ảnh: Lê Văn An"),
        ("boilerplate", "Tin liên quan"), ("boilerplate", "Hội thi năm trước đã diễn ra."),
    ]


def test_golden_documents_and_blocks(seed_docs, update_golden):
    for name, doc in seed_docs.items():
        check_golden(f"{name}.blocks", {
            "doc_id": doc.doc_id, "title": doc.title, "published_date": doc.published_date,
            "authors": doc.authors,
            "blocks": [[b.kind, b.start, b.end, b.text] for b in doc.blocks],
        }, update_golden)


@pytest.mark.parametrize("line, published", [
    ("Thứ Hai, 15/07/2023 10:30", date(2023, 7, 15)),
    ("10:30 | 15/07/2023", date(2023, 7, 15)),
    ("Thứ sáu, ngày 15 tháng 7 năm 2023", date(2023, 7, 15)),
    ("Thứ 4, 18/12/2024, 09:15 (GMT+7)", date(2024, 12, 18)),
])
def test_an_unlabelled_date_line_is_the_page_date(line, published):
    doc = build_document(f"Tiêu đề tin\n\n{line}\n\nSáng 12/7, hội nghị diễn ra tại tỉnh.\n", "x.txt")
    assert [b.kind for b in doc.blocks] == ["title", "dateline", "body"] and doc.published_date == published


@pytest.mark.parametrize("signature, authors", [
    ("Văn Long – Trung tâm Văn hóa, Thể thao và Truyền thông huyện", ["Văn Long"]),
    ("Thanh Hà - Minh Anh", ["Thanh Hà", "Minh Anh"]),
    ("Thanh Tùng - Báo Sóc Trăng", ["Thanh Tùng"]),
    ("Hà An - TTXVN", ["Hà An"]),
    ("PV", []),
])
def test_a_signature_names_the_writers_not_their_workplace(signature, authors):
    doc = build_document("Tiêu đề tin\n\nSáng 12/7, hội nghị diễn ra tại tỉnh.\n\nĐoạn thứ hai của bài.\n\n"
                         f"{signature}\n", "x.txt")
    assert doc.blocks[-1].kind == "byline" and doc.authors == authors


def test_discover_lists_a_tree_as_os_walk_would(tmp_path):
    """Links to files count, links to folders are not followed, a broken link and an unknown
    suffix are not inputs; the order is by path parts ("a/b/…" before "a-c/…")."""
    import os

    from pipeline.ingest import discover

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a-c").mkdir()
    for name in ("a/b/x.TXT", "a-c/y.txt", "a/z.tar.gz", "a/notes.md", "a/b/trang.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "a" / "b", tmp_path / "link_to_folder")
    os.symlink(tmp_path / "a" / "b" / "x.TXT", tmp_path / "link.txt")
    os.symlink(tmp_path / "missing.txt", tmp_path / "broken.txt")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a/b/trang.html", "a/b/x.TXT", "a/z.tar.gz", "a-c/y.txt", "link.txt"]


def test_page_furniture_behind_a_list_mark_is_boilerplate():
    doc = build_document("UBND huyện họp phiên thường kỳ tháng 6\n\n  • Lượt xem: 5547 lượt xem\n\n"
                         "Sáng 3/7, UBND huyện tổ chức phiên họp thường kỳ tháng 6 với 25 đại biểu dự.\n\n"
                         "• Các đại biểu thảo luận 12 nội dung.", "t.txt")
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds["• Lượt xem: 5547 lượt xem"] == "boilerplate"
    assert kinds["• Các đại biểu thảo luận 12 nội dung."] != "boilerplate"  # a list mark alone says nothing
