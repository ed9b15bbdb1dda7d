"""Habits of real press writing (issue: extraction that holds on articles nobody here wrote), one
test per habit, on sentences written for the tests."""
from __future__ import annotations

from pipeline.extract import extract
from pipeline.ingest import build_document
from pipeline.segment import segment


def doc(*paragraphs: str):
    return build_document("\n\n".join(paragraphs), "t.txt")


def facts(*paragraphs: str):
    return extract(segment(doc(*paragraphs)))


def labelled(found, label):
    return [m for m in found.rows["mentions"] if m["label"] == label]


# ------------------------------------------------------------------ bylines and credits

def test_a_signature_glued_to_the_last_sentence_is_the_byline():
    d = doc("Hội nghị tổng kết công tác Hội", "Sáng 5/3, Hội Nông dân tỉnh Yên Bái tổ chức hội nghị.",
            "Hội nghị đã biểu dương các tập thể có thành tích xuất sắc. Minh Khôi")
    assert d.authors == ["Minh Khôi"] and d.blocks[-1].kind == "byline"
    assert d.blocks[-2].text.endswith("xuất sắc.")
    for last, writers in (("… vững mạnh. H.T", ["H.T"]), ("cho biết./. Thu Trang/VOV - Hà Nội", ["Thu Trang"]),
                          ("các mẹ... Lê Văn Nam (TTXVN)", ["Lê Văn Nam"]), ("thực hiện./. Theo VGP", []),
                          ("đạt kết quả. K.L T.M.H", ["K.L", "T.M.H"])):
        assert doc("Tiêu đề", "Sáng 5/3, Hội Nông dân tỉnh tổ chức hội nghị.", "Nội dung " + last).authors == writers


def test_notes_and_outlets_in_a_signature_line_are_not_writers():
    d = doc("Tiêu đề", "Sáng 5/3, Hội Nông dân tỉnh tổ chức hội nghị.", "Nội dung hội nghị.",
            "Hoài Thu (tổng hợp) - Trường Giang")
    assert d.authors == ["Hoài Thu", "Trường Giang"]


def test_photo_credits_are_never_authors_agencies_or_persons():
    found = facts("Tiêu đề", "Sáng 5/3, Hội Nông dân tỉnh Yên Bái tổ chức hội nghị. Ảnh: TTXVN. Sau đó (ảnh: Minh "
                  "Quân) đoàn đi thăm mô hình.", "Nội dung.", "Tin, ảnh: Ngọc Hà")
    texts = {m["text"] for m in found.rows["mentions"] if m["label"] in ("AGENCY", "PERSON")}
    assert not {"TTXVN", "Minh Quân"} & texts
    assert doc("Tiêu đề", "Sáng 5/3, hội nghị.", "Ảnh: Minh Quân", "Nội dung.", "Tin, ảnh: Ngọc Hà").authors == ["Ngọc Hà"]


# ------------------------------------------------------------------ the article's province

def test_a_national_body_meeting_in_a_city_gives_no_province():
    found = facts("Hội nghị tập huấn nghiệp vụ", "Sáng 12/6, tại Đà Nẵng, Bộ Giáo dục và Đào tạo tổ chức hội nghị tập "
                  "huấn cho cán bộ quản lý các tỉnh.", "Đại biểu tỉnh Quảng Nam phát biểu.")
    assert found.province is None


def test_the_bodies_of_the_lead_give_the_province_not_the_venue_or_a_visitors_home():
    assert facts("Trồng cây", "Sáng 8/2, UBND quận Hoàn Kiếm phát động Tết trồng cây tại công viên.").province == "Hà Nội"
    assert facts("Khen thưởng", "Sáng 3/4, UBND tỉnh Nghệ An khen thưởng hai nông dân (Yên Thành, Thanh Hóa).",
                 "Đoàn đã thăm tỉnh Thanh Hóa.").province == "Nghệ An"
    assert facts("Kỷ niệm", "Sáng 8/7, tại Trung tâm Hội nghị tỉnh Bắc Giang, Công ty CP Sông Đà 9 tổ chức lễ kỷ "
                 "niệm 20 năm thành lập.").province == "Bắc Giang"


def test_a_place_that_is_also_a_persons_name_needs_its_level_word():
    found = facts("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                  "Sáng 5/3, Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Yên Bái tổ chức hội nghị tại Thành phố Hồ Chí Minh.")
    assert [m["text"] for m in labelled(found, "LOCATION") if "Hồ Chí Minh" in m["text"]] == ["Thành phố Hồ Chí Minh"]
    assert found.province == "Yên Bái"
