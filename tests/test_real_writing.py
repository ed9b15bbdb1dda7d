"""Habits of real press writing (issue: extraction that holds on articles nobody here wrote), one
test per habit, on sentences written for the tests."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract import bodies, extract
from pipeline.ingest import build_document
from pipeline.segment import segment


def doc(*paragraphs: str):
    return build_document("\n\n".join(paragraphs), "t.txt")


def facts(*paragraphs: str):
    return extract(segment(doc(*paragraphs)))


def labelled(found, label):
    return [m for m in found.rows["mentions"] if m["label"] == label]


def sorted_roles(found):
    """(person, title, agency) of every role, sorted."""
    names, bodies = names_and_bodies(found)
    return sorted((names[r["person_id"]], r["title"], bodies.get(r["agency_id"])) for r in found.rows["roles"])


def names_and_bodies(found):
    """Persons' and bodies' mention texts by entity id (a role names both by id)."""
    return ({m["entity_id"]: m["text"] for m in labelled(found, "PERSON")},
            {m["entity_id"]: m["normalized"] for m in labelled(found, "AGENCY")})


# ------------------------------------------------------------------ bylines and credits

def test_the_pages_furniture_after_the_signature_and_its_date_lines():
    d = doc("Hội nghị tổng kết công tác Hội", "Ngày: 05.03.2024", "Sáng 5/3, Hội Nông dân tỉnh Yên Bái tổ chức hội nghị.",
            "Hội nghị đã biểu dương các tập thể có thành tích xuất sắc.", "Minh Khôi", "Số lần đọc:120")
    assert d.authors == ["Minh Khôi"] and d.published_date == date(2024, 3, 5)
    d = doc("Hội nghị tổng kết công tác Hội", "admin gửi vào T4, 2024-03-06 10:15", "Sáng 5/3, Hội Nông dân tỉnh tổ "
            "chức hội nghị.", "Hội nghị đã biểu dương các tập thể có thành tích xuất sắc.", "Minh Khôi", "Tin xem nhiều",
            "Hội Nông dân huyện ra quân làm đường", "Video")
    assert d.authors == ["Minh Khôi"] and d.published_date == date(2024, 3, 6)
    assert [b.kind for b in d.blocks][-3:] == ["boilerplate"] * 3
    # a sentence about something sent, a subheading that is a word of a portal's menus
    d = doc("Tiêu đề", "Sáng 5/3, Hội tổ chức hội nghị.", "Tiêu điểm", "Đơn gửi vào 15/3 sẽ được xem xét trước.",
            "Minh Khôi")
    assert d.published_date is None and d.authors == ["Minh Khôi"] and d.blocks[-2].kind == "body"
    # a source credited by its web address names no writer
    d = doc("Hội nghị tổng kết công tác Hội", "Sáng 5/3, Hội Nông dân tỉnh tổ chức hội nghị tổng kết.",
            "Hội nghị đã biểu dương các tập thể có thành tích xuất sắc.", "Theo http://hoinongdan.example.vn")
    assert d.authors == []


def test_a_news_ticker_under_the_headline_does_not_end_the_article():
    d = doc("Họp tổng kết Khối thi đua năm 2023", "TIN NỔI BẬT:", "Cổng thông tin điện tử Sở", "Thi đua khen thưởng",
            "(15:32 | 22/01/2024)", "Chiều ngày 19/01/2024, Khối thi đua các phòng, ban trực thuộc Sở Nội vụ tỉnh tổ chức "
            "họp tổng kết phong trào thi đua năm 2023.", "Hội nghị đã biểu dương các tập thể có thành tích xuất sắc.",
            "Minh Khôi")
    assert [b.kind for b in d.blocks] == ["title", "boilerplate", "boilerplate", "boilerplate", "dateline", "body",
                                          "body", "byline"]
    assert d.published_date == date(2024, 1, 22) and d.authors == ["Minh Khôi"]
    # the dates of the ticker's items are not the page's: the last date line before the lead is
    d = doc("Hội nghị tổng kết công tác Hội", "TIN NỔI BẬT:", "Hội Nông dân huyện ra quân làm đường", "08/11/2024",
            "15/11/2024 09:00", "Sáng 14/11, Hội Nông dân tỉnh tổ chức hội nghị tổng kết công tác Hội và phong trào "
            "nông dân năm 2024.", "Minh Khôi")
    assert d.published_date == date(2024, 11, 15) and [b.kind for b in d.blocks][3:5] == ["boilerplate", "dateline"]
    # a share bar inside the article is one line of furniture, not its end
    d = doc("Hội nghị tổng kết", "Sáng 5/3, Hội Nông dân tỉnh tổ chức hội nghị tổng kết công tác năm 2024 tại hội "
            "trường.", "Chia sẻ bài viết", "Hội nghị đã biểu dương 12 tập thể có thành tích xuất sắc trong năm.", "Minh Khôi")
    assert [b.kind for b in d.blocks] == ["title", "body", "boilerplate", "body", "byline"]
    # the same heading after the article's first lines ends it
    d = doc("Hội nghị tổng kết", "Chiều ngày 19/01, Sở Nội vụ tỉnh tổ chức họp tổng kết phong trào thi đua năm 2023.",
            "Tin nổi bật", "Ngày 20/01, Hội Nông dân tỉnh tổ chức hội nghị tổng kết công tác Hội và phong trào nông dân.")
    assert [b.kind for b in d.blocks][-2:] == ["boilerplate", "boilerplate"]


def test_share_and_comment_sections_after_the_signature_are_not_the_article():
    for tail in (["Chia sẻ bài viết", "BÌNH LUẬN"], ["Trả lời", "Email của bạn sẽ không được hiển thị công khai. Các "
                 "trường bắt buộc được đánh dấu *"], ["Viết bình luận mới", "Các tin khác", "Xem thêm >>"],
                 ["Chia sẻ bài viết", "LƯU Ý: Báo sẽ biên tập ý kiến của bạn đọc trước khi xuất bản.",
                  "Gửi file đính kèm không quá 10MB", "Quay lên trên"]):
        d = doc("Hội nghị tổng kết công tác Hội", "Sáng 5/3, Hội Nông dân tỉnh Yên Bái tổ chức hội nghị tổng kết.",
                "Hội nghị đã biểu dương các tập thể có thành tích xuất sắc.", "MINH KHÔI", *tail)
        assert d.authors == ["MINH KHÔI"], tail
        assert {b.kind for b in d.blocks[-len(tail):]} == {"boilerplate"}
    # an article sentence that opens with the same words is the article's
    d = doc("Tiêu đề", "Trả lời ý kiến cử tri, ông Lê Văn Nam cho biết huyện đã bố trí kinh phí sửa đường.")
    assert d.blocks[-1].kind == "body"


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


def test_a_post_in_a_national_body_makes_no_national_article_and_a_missions_seat_no_province():
    found = facts("Bí thư Tỉnh ủy tiếp Đại sứ", "Sáng 5/3, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Lê Văn An tiếp ông "
                  "John Smith, Tổng lãnh sự Hoa Kỳ tại TP.HCM.", "Tổng lãnh sự Hoa Kỳ tại TP.HCM cảm ơn tỉnh.",
                  "Hiện tỉnh Tây Ninh có 5 dự án của Hoa Kỳ.")
    assert found.province == "Tây Ninh"
    assert {r["title"]: r["agency_id"] is not None for r in found.rows["roles"]}["Bí thư"]
    agencies = [m["text"] for m in labelled(found, "AGENCY")]
    assert "Tỉnh ủy" in agencies and "Trung ương Đảng" not in agencies
    # the national post alone still makes a national article of a national body's own meeting
    assert facts("Hội nghị", "Sáng 5/3, Ban Tuyên giáo Trung ương tổ chức hội nghị tại TP.HCM.").province is None


def test_a_place_that_is_also_a_persons_name_needs_its_level_word():
    found = facts("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                  "Sáng 5/3, Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Yên Bái tổ chức hội nghị tại Thành phố Hồ Chí Minh.")
    assert [m["text"] for m in labelled(found, "LOCATION") if "Hồ Chí Minh" in m["text"]] == ["Thành phố Hồ Chí Minh"]
    assert found.province == "Yên Bái"


def test_a_foreign_name_opens_an_item_of_a_list_of_comrades():
    found = facts("Hội đàm", "Ngày 25-12, hai tỉnh hội đàm. Các đồng chí: Lê Văn An, Bí thư Tỉnh ủy tỉnh Điện Biên; "
                  "Sisouk Vongphachanh, Ủy viên Ban Chấp hành Trung ương Đảng Nhân dân Cách mạng Lào, Bí thư, "
                  "Tỉnh trưởng tỉnh Champasak; Oudomxay Province, đồng chủ trì.")
    names = {m["text"] for m in labelled(found, "PERSON")}
    assert {"Lê Văn An", "Sisouk Vongphachanh"} <= names and "Oudomxay Province" not in names
    bodies = {m["normalized"] for m in labelled(found, "AGENCY")}
    assert "Ban Chấp hành Trung ương Đảng Nhân dân Cách mạng Lào" in bodies and "Ban Chấp hành Trung ương Đảng" not in bodies


def test_a_lead_with_no_gathering_reports_the_ceremony_its_verb_names():
    found = facts("Hợp tác truyền thông", "Ngày 12-10, Tỉnh đoàn Hà Giang và Đoàn Thanh niên Bộ Ngoại giao "
                  "đã ký kết chương trình hợp tác.")
    assert [e["type"] for e in found.rows["events"]] == ["Lễ ký kết"]
    # a verb in a side clause, not done, or passive is no ceremony of the lead
    for lead in ("Sở Tư pháp triển khai các nội dung đã ký kết với Hội Luật gia tỉnh.",
                 "UBND tỉnh kiểm tra các công trình chuẩn bị khánh thành vào dịp 2/9.",
                 "Nhà văn hóa xã vừa được khánh thành."):
        assert facts("Tiêu đề bài viết", lead).rows["events"] == [], lead


def test_a_date_after_a_lone_dash_opens_the_lead_and_talks_are_a_gathering():
    found = facts("Hai tỉnh hội đàm", "- Ngày 12-10, Tỉnh đoàn Hà Giang và Đoàn Thanh niên Bộ Ngoại giao "
                  "tổ chức hội đàm.")
    assert [d["kind"] for d in found.rows["dates"]] == ["event"]
    assert [e["type"] for e in found.rows["events"]] == ["Hội đàm"]


# ------------------------------------------------------------------ places

def test_a_party_committee_names_its_place_and_a_commune_the_gazetteer_lacks_is_still_one():
    found = facts("Hội nghị", "Sáng 5/3, Thành ủy Bảo Lộc, Huyện ủy Di Linh và Đảng ủy xã Nghĩa Vị họp tại xã Đắk N’Rung.",
                  "Chủ tịch UBND xã Lê Văn An phát biểu.")
    places = [m["text"] for m in labelled(found, "LOCATION")]
    assert places == ["Bảo Lộc", "Di Linh", "xã Nghĩa Vị", "xã Đắk N’Rung"], places
    bodies = [m["normalized"] for m in labelled(found, "AGENCY")]
    assert {"Thành ủy Bảo Lộc", "Huyện ủy Di Linh", "Đảng ủy xã Nghĩa Vị"} <= set(bodies)
    assert "Ủy ban nhân dân xã Lê Văn An" not in bodies and found.province == "Lâm Đồng"


def test_a_headline_or_lead_that_opens_with_the_district_that_acts_names_it():
    found = facts("Yên Thành tổ chức hội nghị quán triệt", "Sáng ngày 30/3, Yên Thành tổ chức hội nghị.")
    assert [m["text"] for m in labelled(found, "LOCATION")] == ["Yên Thành", "Yên Thành"] and found.province == "Nghệ An"
    # the bodies of "the district" are that district's, its Huyện ủy too
    found = facts("Yên Thành tổ chức hội nghị quán triệt", "Sáng ngày 30/3, Yên Thành tổ chức hội nghị. Dự có đồng chí "
                  "Lê Văn Nam, Bí thư huyện ủy, Chủ tịch HĐND huyện.")
    assert {m["normalized"] for m in labelled(found, "AGENCY")} == {"Huyện ủy Yên Thành",
                                                                     "Hội đồng nhân dân huyện Yên Thành"}
    # two districts named: "the district" is neither
    found = facts("Yên Thành tổ chức hội nghị", "Sáng 30/3, Yên Thành tổ chức hội nghị với huyện Đô Lương; Bí thư huyện "
                  "ủy Lê Văn Nam dự.")
    assert "Huyện ủy" in {m["normalized"] for m in labelled(found, "AGENCY")}
    # a body of another level, or written plural, is not that district's
    found = facts("Yên Thành tổ chức hội nghị", "Sáng 30/3, Yên Thành tổ chức hội nghị; Bí thư Thị ủy Lê Văn Nam và "
                  "Ban Thường vụ các Huyện ủy dự.")
    assert {"Thị ủy", "Huyện ủy"} <= {m["normalized"] for m in labelled(found, "AGENCY")}
    found = facts("Tân Biên: Tập huấn công tác bảo vệ môi trường", "Sáng 5/3, Hội Nông dân huyện tổ chức tập huấn.")
    assert found.province == "Tây Ninh"
    # a person's name, or a district name inside the sentence, is no opening district
    assert labelled(facts("Tiêu đề", "Sáng 5/3, Lê Văn An phát biểu tại hội nghị."), "LOCATION") == []


def test_a_broadcasters_field_abbreviated_is_the_same_body():
    found = facts("Ký kết", "Sáng 5/3, Đài PT-TH tỉnh Hà Tĩnh ký kết với Sở Y tế.", "Đài Phát thanh - Truyền hình tỉnh "
                  "Hà Tĩnh sẽ tuyên truyền.")
    bodies = {m["text"]: m["entity_id"] for m in labelled(found, "AGENCY")}
    assert bodies["Đài PT-TH tỉnh Hà Tĩnh"] == bodies["Đài Phát thanh - Truyền hình tỉnh Hà Tĩnh"]


def test_a_headline_in_capitals_names_no_body_by_its_case():
    found = facts("TÂN LẬP TỔ CHỨC TRIỂN KHAI CÔNG TÁC CHUẨN BỊ ĐẠI HỘI ĐẢNG CÁC CẤP", "Sáng 26/8, Đảng ủy xã tổ chức hội nghị.")
    assert [m["text"] for m in labelled(found, "AGENCY")] == ["Đảng ủy xã"]


def test_a_foreign_province_after_our_level_word_is_a_place_but_no_province_of_ours():
    found = facts("Hội đàm", "Ngày 5/3, lãnh đạo tỉnh Quảng Trị hội đàm với Tỉnh trưởng tỉnh Savannakhet và tỉnh "
                  "Salavan; tỉnh Kon Tum dự.")
    places = {m["text"]: m["rule"] for m in labelled(found, "LOCATION")}
    assert places["tỉnh Savannakhet"] == places["tỉnh Salavan"] == "places.foreign_province"
    assert places["tỉnh Kon Tum"] != "places.foreign_province"  # written without marks, still ours


def test_places_that_share_one_level_word_are_each_a_place_and_each_a_body():
    found = facts("Giám sát nông thôn mới", "Ngày 1/7, Thường trực HĐND tỉnh Trà Vinh giám sát tại Ủy ban nhân dân các "
                  "huyện Cầu Kè, Tiểu Cần và Cầu Ngang.", "Đoàn đến các xã Hòa Lợi, Phong Thạnh của huyện Cầu Kè.")
    places = [m["text"] for m in labelled(found, "LOCATION")]
    assert {"huyện Cầu Kè", "Tiểu Cần", "Cầu Ngang", "xã Hòa Lợi", "Phong Thạnh"} <= set(places)
    bodies = {m["text"]: m["normalized"] for m in labelled(found, "AGENCY")}
    assert bodies["Tiểu Cần"] == "Ủy ban nhân dân huyện Tiểu Cần" and bodies["Cầu Ngang"] == "Ủy ban nhân dân huyện Cầu Ngang"
    assert bodies["Ủy ban nhân dân các huyện Cầu Kè"] == "Ủy ban nhân dân huyện Cầu Kè"
    # a name of another rank, or one that runs on into a person's, ends the list
    found = facts("Tiêu đề", "Sáng 2/3, UBND huyện Yên Thành, Nghệ An và huyện Đô Lương, Hà Văn Nam dự họp.")
    assert "Nghệ An" not in {m["text"] for m in labelled(found, "AGENCY")}

def test_names_listed_after_their_level_words_and_a_colon_are_each_a_place():
    found = facts("Tiêu đề", "Đoàn làm việc với UBND các huyện, thành phố: Cầu Kè, Trà Cú, Nguyễn Văn An; điểm cầu tại "
                  "các xã: Hòa Lợi, Phong Thạnh và Long Sơn Mới.")
    places = {m["text"]: (m["details"] or {}).get("rank") for m in labelled(found, "LOCATION")}
    assert {"Cầu Kè": "district", "Trà Cú": "district", "Hòa Lợi": "commune", "Phong Thạnh": "commune"}.items() \
        <= places.items(), places
    assert "Nguyễn Văn An" not in places  # the list ends at a name that is no unit of those levels
    # a commune the gazetteer lacks, whose second syllable is also a family name
    assert [m["text"] for m in labelled(facts("Tiêu đề", "Mô hình tự quản ở xã Bình Hồ... Người dân hưởng ứng."),
                                         "LOCATION")] == ["xã Bình Hồ"]


def test_a_steering_committee_is_named_by_its_topic_and_a_national_one_makes_a_national_article():
    found = facts("Tiêu đề", "Sáng 5/4, Ban Chỉ đạo Tuần lễ về Phòng, chống thiên tai (PCTT) Trung ương tổ chức cuộc họp. "
                  "Tham dự có Phó Chủ tịch UBND tỉnh Quảng Bình Lê Văn Nam.")
    bodies = {m["text"]: m["normalized"] for m in labelled(found, "AGENCY")}
    assert bodies["Ban Chỉ đạo Tuần lễ về Phòng, chống thiên tai (PCTT) Trung ương"] == \
        "Ban Chỉ đạo Tuần lễ về Phòng, chống thiên tai Trung ương"
    assert found.province is None  # a guest's body says nothing when a national body organises
    # written short later in the article, it is the same committee
    found = facts("Tiêu đề", "Sáng 5/4, Ban Chỉ đạo Tuần lễ về Phòng, chống thiên tai Trung ương họp.", "Ông Lê Văn Nam, "
                  "Phó Trưởng ban thường trực Ban chỉ đạo Trung ương, cho biết Ban chỉ đạo sẽ kiểm tra.")
    assert len({m["entity_id"] for m in labelled(found, "AGENCY")}) == 1
    found = facts("Tiêu đề", "Ban Chỉ đạo Tổng điều tra dân số năm 2029 tỉnh Nghệ An họp; Ban Chỉ đạo 135 quốc gia dự.")
    assert {m["normalized"] for m in labelled(found, "AGENCY")} >= {"Ban Chỉ đạo Tổng điều tra dân số năm 2029 tỉnh Nghệ An",
                                                                     "Ban Chỉ đạo 135 quốc gia"}
    found = facts("Tiêu đề", "Ban Chỉ đạo 35 và Ban Chỉ đạo Chương trình mục tiêu quốc gia tỉnh Quảng Trị họp; Ban Chỉ "
                  "đạo Quốc gia về chuyển đổi số làm việc với UBND tỉnh Bình Phước.")
    assert {m["text"] for m in labelled(found, "AGENCY")} >= {"Ban Chỉ đạo 35", "Ban Chỉ đạo Quốc gia"}
    # what follows is no topic: a verb and its object, a list of bodies, nothing that ends a name
    for text in ("Ban Chỉ đạo họp với các sở tỉnh Lào Cai.", "Ban Chỉ đạo, Ban Tổ chức tỉnh Lào Cai họp.",
                 "Ban Chỉ đạo kiểm tra huyện Bảo Thắng."):
        assert {m["text"] for m in labelled(facts("Tiêu đề", text), "AGENCY")} & {"Ban Chỉ đạo", "Ban Chỉ đạo tỉnh"}, text


def test_a_district_written_with_its_province_after_a_comma():
    found = facts("Tiêu đề", "Sáng 5/3, Bộ Nông nghiệp tặng bằng khen cho hai nông dân (Thuận Thành, Bắc Ninh) và một "
                  "hợp tác xã ở Gio Linh, Quảng Trị; ông Lê Văn Tám (Thuận Thành, Quảng Trị) dự.")
    districts = [m["text"] for m in labelled(found, "LOCATION") if (m["details"] or {}).get("rank") == "district"]
    assert districts == ["Thuận Thành", "Gio Linh"], districts  # not a district of the province written after it


def test_a_district_named_bare_after_a_locative_and_a_province_after_an_abbreviation():
    found = facts("Tiêu đề", "Sáng 5/3, các em sống tại Dương Kinh được Sở TNMT Hà Nội và CATP Hà Nội thăm hỏi; "
                  "đoàn đến Nguyễn Văn Linh; ông Lê Hà Nam dự; Thủ tướng công nhận xã đảo Thạnh An.")
    places = [m["normalized"] for m in labelled(found, "LOCATION")]
    assert places == ["Dương Kinh", "Hà Nội", "Hà Nội", "Thạnh An"], places


def test_a_province_ending_a_bodys_name_is_named_but_not_a_persons_given_name():
    found = facts("Tiêu đề", "Sáng 5/3, Trường CĐ Nghề Đà Nẵng ký kết với Trường THPT Nguyễn Thái Bình và Công ty "
                  "Cổ phần Nguyễn Văn Long An.")
    places = {m["normalized"]: m["rule"] for m in labelled(found, "LOCATION")}
    assert places == {"Đà Nẵng": "places.ending_body"}, places


def test_regions_are_places_in_any_case_and_never_the_articles_province():
    found = facts("Tiêu đề", "Nông dân các tỉnh đồng bằng Sông Cửu Long phấn khởi; vùng ĐBSCL và Tây Nguyên cần "
                  "nước, Đông Nam Bộ cũng vậy.")
    places = [(m["normalized"], (m["details"] or {}).get("rank")) for m in labelled(found, "LOCATION")]
    assert places == [("Đồng bằng sông Cửu Long", "region")] * 2 + [("Tây Nguyên", "region"),
                                                                   ("Đông Nam Bộ", "region")], places
    assert found.province is None
    # a direction is no region, nor is a region's name inside a longer word or a person's name
    assert labelled(facts("Tiêu đề", "Gió mùa Tây Bắc về; ĐBSCLX họp; đi hướng tây nam bộ đội biên phòng đón; ông "
                          "Nguyễn Văn Tây Nguyên dự."), "LOCATION") == []


def test_units_listed_in_brackets_after_their_level_word_are_places_and_no_bodies():
    found = facts("Tiêu đề", "Sáng 5/3, HĐND huyện Ứng Hòa giám sát 3 xã (Cao Thành, Trường Thịnh, Phù Lưu) và huyện "
                  "(cũ) Mỹ Đức.")
    places = {m["normalized"]: (m["details"] or {}).get("rank") for m in labelled(found, "LOCATION")}
    assert {"Cao Thành": "commune", "Trường Thịnh": "commune", "Phù Lưu": "commune"}.items() <= places.items(), places
    assert [m["normalized"] for m in labelled(found, "AGENCY")] == ["Hội đồng nhân dân huyện Ứng Hòa"]
    assert "cũ" not in " ".join(places)
    # abbreviations in brackets, and a district with its province, are no list of units
    found = facts("Tiêu đề", "Trạm Y tế xã (TYT) được đầu tư; lũ làm 2 xã (Kỳ Sơn, Nghệ An) bị cô lập.")
    places = {m["normalized"]: (m["details"] or {}).get("rank") for m in labelled(found, "LOCATION")}
    assert "TYT" not in places and places.get("Nghệ An") == "province", places


def test_a_title_in_quotes_is_what_is_counted_and_a_document_number_with_its_year():
    assert counted("Vinh danh 100 “Công nhân giỏi”", "LĐLĐ thành phố tuyên dương 100 “Công nhân giỏi Thủ đô”; "
                   "mô hình “4 cùng” được nhân rộng.") == {(100, "Công nhân giỏi", "award"),
                                                          (100, "Công nhân giỏi Thủ đô", "award")}
    found = facts("Tiêu đề", "Tỉnh ủy có Văn bản số 754/2020 về thời gian đại hội; kế hoạch 5/2020 được triển khai.")
    assert [(r["number"], r["kind"]) for r in found.rows["legal_refs"]] == [("754/2020", "Văn bản")]


def test_a_number_before_an_adjective_is_a_slogan_not_a_count():
    found = facts("Tiêu đề", "Hội viên tham gia cuộc vận động Xây dựng gia đình 5 không 3 sạch, phong trào Phụ nữ 2 giỏi; "
                  "30 hộ giỏi được khen.")
    assert [(c["value"], c["unit"]) for c in found.rows["counts"]] == [(30, "hộ")]


def test_numbered_and_abbreviated_units_are_places_and_not_counts():
    found = facts("Tiêu đề", "Sáng 5/3, UBND Quận 3 phối hợp với UBND Q.Bình Thạnh tổ chức hội nghị tại phường 7.")
    places = {m["normalized"] for m in labelled(found, "LOCATION")}
    assert {"quận 3", "Bình Thạnh", "phường 7"} <= places
    assert not found.rows["counts"]
    assert not facts("Tiêu đề", "Sáng 5/3, đoàn đến tỉnh 2 lần.").rows["mentions"] or \
        "tỉnh 2" not in {m["text"] for m in facts("Tiêu đề", "Sáng 5/3, đoàn đến tỉnh 2 lần.").rows["mentions"]}


def test_a_dash_in_a_name_is_any_dash():
    found = facts("Tiêu đề", "Sáng 5/3, Sở Lao động – Thương binh và Xã hội tỉnh Bà Rịa–Vũng Tàu tổ chức hội nghị.")
    agencies = {m["normalized"] for m in labelled(found, "AGENCY")}
    assert "Sở Lao động - Thương binh và Xã hội tỉnh Bà Rịa - Vũng Tàu" in agencies


# ------------------------------------------------------------------ counts

def test_models_commended_are_recipients_and_a_breakdown_in_brackets_is_of_its_counts_kind():
    found = facts("Dân vận khéo", "Huyện công nhận 47 mô hình (31 tập thể, 16 cá nhân) là mô hình “Dân vận khéo” "
                  "tiêu biểu, đồng thời đề nghị UBND huyện khen thưởng 12 mô hình.",
                  "Đến nay, 60 tập thể và 130 cá nhân đã được nhận Giải thưởng Kovalevskaia.",
                  "Tỉnh tặng bằng khen cho 12 tập thể (5 xã, 7 trường).")
    kinds = [(c["value"], c["category"]) for c in found.rows["counts"]]
    assert kinds == [(47, "model"), (31, "model"), (16, "model"), (12, "award"), (60, "award"), (130, "award"),
                     (12, "award"), (5, "award"), (7, "award")], kinds

def counted(*paragraphs):
    return {(c["value"], c["unit"], c["category"]) for c in facts(*paragraphs).rows["counts"]}


def test_numbers_that_are_not_counts():
    got = counted("Tiêu đề", "Sáng 5/3, Công ty CP Sông Đà 9 tổ chức lễ đón nhận Huân chương cho học sinh lớp 6 năm "
                  "học mới; ông Nguyễn Văn A, 56 tuổi, đạt mức độ 3, 4 từ tháng 5 đến nay.")
    assert not got, got
    # a map's scale is no count of what it maps
    assert not counted("Tiêu đề", "Sáng 5/3, UBND tỉnh duyệt quy hoạch tỷ lệ 1/5.000 khu đô thị mới."), "scale"


def test_counts_real_pages_write():
    got = counted("Tiêu đề", "Năm qua, toàn tỉnh có 24/28 doanh nghiệp tham gia, trồng 200 ngàn m2 cây xanh, giải "
                  "ngân 120 tỷ đồng; tặng 6 cờ thi đua và Bằng khen cho hai lão nông, 3 nam sinh; 9 LĐLĐ cấp "
                  "huyện và 1.535 CĐCS báo cáo; ban hành 3 Nghị định.")
    assert {(24, "doanh nghiệp", "other"), (200000, "m2", "other"), (120, "tỷ đồng", "other"),
            (6, "cờ thi đua", "award"), (2, "lão nông", "award"), (3, "nam sinh", "award"),
            (9, "LĐLĐ cấp huyện", "other"), (1535, "CĐCS", "other"), (3, "Nghị định", "other")} <= got, got
    # what is handed over is no commendation: a decision, a gift
    handed = counted("Tiêu đề", "Năm 2018, Đoàn trao quyết định trưởng thành đoàn cho 03 đoàn viên; trao 100 suất quà "
                     "cho 100 học sinh; tặng Bằng khen cho 5 tập thể.")
    assert {(3, "đoàn viên", "other"), (100, "học sinh", "other"), (5, "tập thể", "award")} <= handed, handed
    # a noun whose last syllable underthesea glued to the next word ("nam sinh trường" -> "nam" + "sinh trường")
    assert (3, "nam sinh", "award") in counted("Tiêu đề", "Ngày 2/5, Sở đã gặp mặt, khen thưởng 3 nam sinh trường THCS "
                                               "Tân Hải vì đã cứu bạn.")
    # a sentence that only goes on listing what the one before awarded; not one that says more
    listed = facts("Tiêu đề", "Trường A có 12 học sinh được nhận bằng khen. Trường B có 9 học sinh, Trường C có 7 học "
                   "sinh.", "Năm nay Trường D có 30 học sinh, Trường E có 25 học sinh dự thi.")
    assert [(c["value"], c["category"]) for c in listed.rows["counts"]] == [(12, "award"), (9, "award"), (7, "award"),
                                                                           (30, "other"), (25, "other")]
    assert (15, "cá nhân", "award") in counted("Tiêu đề", "Hội đã khen thưởng 15 cá nhân có sáng kiến hay.")
    # a word the cue opens that commends no one
    assert (2, "đơn vị", "other") in counted("Tiêu đề", "Thời gian tới, hai đơn vị sẽ trao đổi thông tin định kỳ.")
    # what has the recipients is none of them
    held = counted("Tiêu đề", "Kết quả, 12 trường có học sinh đoạt giải Nhất; 7 tập thể có thành tích được tặng Bằng "
                   "khen.")
    assert {(12, "trường", "other"), (7, "tập thể", "award")} <= held, held


def test_ratios_split_by_the_tokenizer_grass_roots_bodies_and_verbs_after_a_number():
    found = facts("Tiêu đề", "Kết quả xếp loại: 572/986 ban công tác Mặt trận xuất sắc, 377/986 đạt mạnh; 66/164 "
                  "Mặt trận cấp xã đạt xuất sắc. Có 12 Chi hội được biểu dương.")
    got = {(c["value"], c["unit"]) for c in found.rows["counts"]}
    assert {(572, "ban"), (66, "Mặt trận cấp xã"), (12, "Chi hội")} <= got and not any(u == "đạt" for _, u in got), got
    assert not facts("Tiêu đề", "Quận 2 Tổ chức hội nghị.").rows["counts"]
    found = facts("Tiêu đề", "Có 30/35 xã hoàn thành, 5 chưa hoàn thành; 120 tham gia hội thi.")
    assert [(c["value"], c["unit"]) for c in found.rows["counts"]] == [(30, "xã")]


# ------------------------------------------------------------------ the year of a year-less date

def event_of(*paragraphs):
    found = facts(*paragraphs)
    return found.event_date, next((d["year_source"] for d in found.rows["dates"] if d["kind"] == "event"), None)


def test_evidence_for_the_year_anywhere_in_the_article():
    assert event_of("Đại hội Hội Nông dân tỉnh", "Ngày 24/5, Hội Nông dân tỉnh Yên Bái tổ chức Đại hội.",
                    "Đại hội bầu Ban Chấp hành nhiệm kỳ 2017 - 2022.")[0] == date(2017, 5, 24)
    # beyond the lead, a period in background about other work is no evidence: the year stays unknown
    assert event_of("Tập huấn điều tra", "Sáng 23/5, Cục Thống kê tỉnh tổ chức tập huấn nghiệp vụ điều tra.",
                    "Cuộc điều tra phục vụ việc đánh giá nhiệm vụ phát triển kinh tế giai đoạn 2016 – 2020.")[0] is None


def test_the_year_in_the_events_own_name_and_an_anniversary():
    assert event_of("Tết trồng cây Xuân Đinh Dậu 2017", "Sáng 8/2, quận Hoàn Kiếm phát động Tết trồng cây.") == \
        (date(2017, 2, 8), "event_name")
    assert event_of("Tiêu đề", 'Sáng ngày 4-2, UBND quận Thanh Khê phát động "Tết trồng cây" năm 2017.') == \
        (date(2017, 2, 4), "event_name")  # a quoted name closing before its year
    assert event_of("Kỷ niệm 35 năm thành lập", "Sáng 8/7, Công ty A kỷ niệm 35 năm thành lập.",
                    "Công ty được thành lập năm 1982.")[0] == date(2017, 7, 8)
    # a full date of the company's history, years from the anniversary, is no anchor
    assert event_of("Tiêu đề", "Sáng 9/5, Công ty A tổ chức lễ kỷ niệm 15 năm thành lập.", "Công ty được thành lập "
                    "năm 2002. Ngày 3/10/2009, công ty được cấp phép mở rộng.") == (date(2017, 5, 9), "event_name")
    # the day of the celebration itself tells no founding
    assert event_of("Tiêu đề", "Ngày 10/10/2024, Công ty A tổ chức kỷ niệm 30 năm thành lập.", "Chiều 9/10, công ty "
                    "trao quà.") == (date(2024, 10, 10), "explicit")
    # the founding told by the day a clause opens with, and a decision cited after it: still the anniversary
    assert event_of("Tiêu đề", "Sáng 9/5, Công ty A tổ chức lễ kỷ niệm 15 năm thành lập.", "Chặng đường phát triển "
                    "Ngày 3/5/2002, Bộ Công Thương ban hành Quyết định 12/2002/QĐ-BCT thành lập Công ty A. Ngày "
                    "3/10/2009, Thủ tướng ban hành Quyết định 88/QĐ-TTg.") == (date(2017, 5, 9), "event_name")
    # a year the body dates from, in the title line, is no year of the event
    assert event_of("Chiều 27/4, tại Lễ ra mắt BCH Chi hội Luật gia cơ quan Sở Tư pháp, ông Lê Văn Nam, Giám đốc Sở "
                    "nhấn mạnh, Chi hội được thành lập từ năm 2018 đến nay đã tập hợp đông đảo hội viên.",
                    "Nội dung.")[0] is None


def test_a_review_of_the_years_of_a_period_that_reach_its_end_closes_it():
    # "kết quả N năm triển khai": a review, though "triển khai" alone opens a period
    assert event_of("Tiêu đề", "Ngày 2/4, UBND tỉnh Đồng Tháp tổ chức hội nghị đánh giá kết quả 5 năm triển khai thực "
                    "hiện Đề án phát triển du lịch giai đoạn 2015 - 2020.") == (date(2021, 4, 2), "period_closed")
    # N years that do not reach the end close the Nth year, and an interim review ("sơ kết") is never the whole
    assert event_of("Tiêu đề", "Sáng 10/12, Sở Tư pháp sơ kết 3 năm thực hiện Đề án giai đoạn 2020 - 2025.")[0] == \
        date(2022, 12, 10)
    assert event_of("Tiêu đề", "Ngày 10/12, Sở Tư pháp sơ kết 4 năm thực hiện Đề án giai đoạn 2021 - 2025.")[0] == \
        date(2024, 12, 10)


def test_a_day_named_relative_to_the_page_and_an_anniversary_span():
    # "Sáng nay 1/7" is the event (brackets or not); the span of an anniversary is no event, its end the year
    assert event_of("Tiêu đề", "Sáng nay 1/7, Bộ Công an tổ chức lễ kỷ niệm 60 năm Ngày truyền thống lực lượng "
                    "(3/7/1957-3/7/2017).") == (date(2017, 7, 1), "full_date")
    assert event_of("Tiêu đề", "Hôm qua (5/3), UBND tỉnh họp; tỷ lệ 3/4 số xã đạt chuẩn.")[0] is None  # no year


def test_two_months_of_a_year_are_two_months_and_anchor_the_year():
    found = facts("Tiêu đề", "Vòng cá nhân diễn ra từ ngày 5/3 đến ngày 16/4; vòng đồng đội trong hai tháng 4-5/2017.")
    got = [(d["day"], d["month"], d["year"]) for d in found.rows["dates"]]
    assert got == [(5, 3, 2017), (16, 4, 2017), (None, 4, 2017), (None, 5, 2017)], got


def test_births_plans_and_dates_that_take_effect_are_no_anchors():
    assert event_of("Tiêu đề", "Sáng 28/4, Bộ Tài nguyên và Môi trường họp báo.",
                    "Sự cố xảy ra vào tháng 1/2021; luật có hiệu lực thi hành kể từ ngày 1/1/2022.")[0] == date(2021, 4, 28)
    assert event_of("Tiêu đề", "Sáng 28/4, Hội Cựu chiến binh gặp mặt ông A, sinh ngày 2/9/1950.")[0] is None


def test_an_article_announcing_an_event_dates_it_by_its_first_day():
    assert event_of("Tổ chức Hội thi tìm hiểu pháp luật năm 2025", "Tỉnh đoàn tổ chức Hội thi tìm hiểu pháp luật năm "
                    "2025.", "Vòng sơ khảo sẽ diễn ra từ ngày 10/4 đến ngày 20/5 tại các huyện.")[0] == date(2025, 4, 10)
    # a day something else happens on is not the event's
    assert event_of("Tổ chức Hội thi tìm hiểu pháp luật năm 2025", "Tỉnh đoàn tổ chức Hội thi tìm hiểu pháp luật năm "
                    "2025.", "Hạn đăng ký là ngày 10/4.")[0] is None


def test_a_date_range_gives_both_days_and_a_date_not_opening_the_lead_can_be_the_event():
    found = facts("Tiêu đề", "Hội đồng làm việc trong hai ngày 2-3.6.2017 và từ 12-14/5.")
    assert {(d["day"], d["month"]) for d in found.rows["dates"]} >= {(2, 6), (3, 6), (12, 5), (14, 5)}
    assert event_of("Tiêu đề", "Nhằm góp phần phát triển du lịch, ngày 29-6-2017 tại TP Hồ Chí Minh, UBND thành phố "
                    "ký kết chương trình hợp tác.")[0] == date(2017, 6, 29)


def test_legal_references_with_a_bare_number_and_in_their_official_form():
    found = facts("Tiêu đề", "Thực hiện Nghị quyết 04 về tăng cường, quyết định 3800 (năm 2018), Chỉ thị số 08, 12 "
                  "và Nghị quyết số 59-NQ/TƯ ngày 5/8/2020; Quyết định 15 cá nhân được khen.")
    assert [r["number"] for r in found.rows["legal_refs"]] == ["59-NQ/TW", "04", "3800", "08", "12"]
    assert [(c["value"], c["unit"]) for c in found.rows["counts"]] == [(15, "cá nhân")]
    # a bare number then "ngày": the document's date, not a count of days ("số" written, or a date)
    dated = facts("Tiêu đề", "Đoàn kiểm tra việc thực hiện Kết luận số 37 ngày 2/3/2015 của Ban Bí thư và quyết định "
                  "số 91 ngày 9/9/2009; Kết luận 45 ngày 1/4/2016.")
    assert [(r["number"], r["date"]) for r in dated.rows["legal_refs"]] == [
        ("37", date(2015, 3, 2)), ("91", date(2009, 9, 9)), ("45", date(2016, 4, 1))] and not dated.rows["counts"]


def test_names_listed_after_one_honorific_may_each_say_where_they_are_from():
    found = facts("Khen thưởng", "Ông Đặng Hữu Lợi (huyện Cẩm Mỹ) và Lê Sơn Bình (huyện Định Quán) nhận bằng khen.")
    assert [m["text"] for m in labelled(found, "PERSON")] == ["Đặng Hữu Lợi", "Lê Sơn Bình"]


def test_what_the_habits_above_must_not_take():
    # an address is no list of districts; a province after a party body is a province
    found = facts("Tiêu đề", "Hội Nông dân huyện Gio Linh, Quảng Trị tổ chức hội nghị; Tỉnh ủy Lào Cai dự.")
    assert {m["normalized"] for m in labelled(found, "AGENCY")} == {"Hội Nông dân huyện Gio Linh", "Tỉnh ủy Lào Cai"}
    assert "Quảng Trị" in [m["text"] for m in labelled(found, "LOCATION")]
    # the team a decision sets up is no review of the decision: it still dates the visit
    found = facts("Tiêu đề", "Sáng 12/3, Đoàn kiểm tra theo Quyết định số 123-QĐ/TU ngày 20/2/2024 làm việc với huyện.")
    assert found.event_date == date(2024, 3, 12)
    # a bracket that is no breakdown, and participants, keep their kind
    found = facts("Tiêu đề", "Huyện xây dựng 45 mô hình (thu hút 1.200 hội viên tham gia). Giải có 16 đội tham gia, 3 đội "
                  "nhận giải thưởng.")
    assert [(c["value"], c["category"]) for c in found.rows["counts"]][:3] == [(45, "model"), (1200, "other"), (16, "other")]


def test_the_two_days_of_a_range_in_one_month_have_one_year():
    found = facts("Tiêu đề", "05/03/2024 | 07:14", "Hội phát động hưởng ứng Tuần lễ áo dài từ ngày 1 đến 8-3; "
                  "đợt trước kéo dài từ ngày 25 đến 28/2.")
    assert [d["date"] for d in found.rows["dates"] if d["kind"] != "published"] == \
        [date(2024, 3, 1), date(2024, 3, 8), date(2024, 2, 25), date(2024, 2, 28)]


def test_the_first_day_of_a_range_takes_the_year_written_for_its_last():
    found = facts("Tiêu đề", "Từ ngày 24/6 đến 6/7/2021, 14 xã tổ chức kỳ họp thứ nhất HĐND xã, nhiệm kỳ 2021 - 2026; "
                  "đợt nghỉ từ 28/12 đến 3/1/2022.")
    assert [d["date"] for d in found.rows["dates"]] == [date(2021, 6, 24), date(2021, 7, 6), date(2021, 12, 28),
                                                        date(2022, 1, 3)]
    assert found.event_date == date(2021, 6, 24)


def test_a_sites_clock_and_hotline_are_furniture_and_a_counter_after_the_date_line_is_no_text():
    page = ("HĐND huyện giám sát", "Hà Nội, ngày 27-09-2020", "Đường dây nóng: 0912011882 - (024) 39364407Chủ nhật, "
            "01/10/2023 10:33 GMT+7", "14/07/2020 07:24 | 0", "Sáng 13/7, HĐND huyện Ứng Hòa giám sát. Hotline: người "
            "dân phản ánh qua số 1022.")
    assert doc(*page).published_date == date(2020, 7, 14)  # the page's own date line, not the site's clock
    found = facts(*page)
    assert found.event_date == date(2020, 7, 13)
    assert not labelled(found, "COUNT")  # not "33 GMT", "0", "1022"
    assert "Hà Nội" not in {m["text"] for m in labelled(found, "LOCATION")}
    # a press release's own date with its city is the page's date; a hotline inside a paragraph is text
    release = doc("THÔNG CÁO BÁO CHÍ", "Hà Nội, ngày 05-03-2024", "Sáng nay, Bộ Y tế họp báo. Hotline: người dân "
                  "phản ánh qua số 1022.")
    assert release.published_date == date(2024, 3, 5)
    assert [b.kind for b in release.blocks] == ["title", "dateline", "body"]


def test_a_day_still_to_come_is_its_next_occurrence_and_an_anniversarys_span_is_no_event_date():
    found = facts("Giám sát việc hỗ trợ người dân", "THỨ TƯ, 03/06/2020 08:03", "Trong tháng 6, Thường trực HĐND tỉnh "
                  "triển khai giám sát. Đợt giám sát sẽ kết thúc trước ngày 30.6.")
    assert [d["date"] for d in found.rows["dates"] if d["kind"] != "published"] == [date(2020, 6, 30)]
    found = facts("Giám sát", "THỨ TƯ, 03/06/2020 08:03", "Ngày 30/5, Thường trực HĐND tỉnh họp.")
    assert [d["date"] for d in found.rows["dates"] if d["kind"] != "published"] == [date(2020, 5, 30)]
    found = facts("Hưởng ứng Ngày Quốc tế Phụ nữ", "Hướng tới kỷ niệm 114 năm Ngày Quốc tế Phụ nữ (8/3/1910 - "
                  "8/3/2024), Hội LHPN huyện triển khai kế hoạch tổ chức chuỗi hoạt động.")
    assert found.event_date is None
    # a day in brackets after a word of time relative to the page is the lead's event, a holiday's is not;
    # "sắp xếp" and "chuẩn bị" say nothing of time; a day to come reported of an earlier day is the nearest
    for text, event in (("Vừa qua (ngày 2/6), Hội Nông dân tỉnh tổ chức hội nghị.", date(2020, 6, 2)),
                        ("Mới đây (ngày 30/5/2020), Hội Nông dân tỉnh tổ chức hội nghị.", date(2020, 5, 30)),
                        ("Hướng tới kỷ niệm Ngày Thương binh - Liệt sĩ (27/7), ngày 1/6, Hội Cựu chiến binh xã tổ "
                         "chức gặp mặt.", date(2020, 6, 1))):
        assert facts("Tin", "THỨ TƯ, 03/06/2020 08:03", text).event_date == event, text
    found = facts("Tin", "THỨ TƯ, 03/06/2020 08:03", "Ngày 28/5, UBND tỉnh cho biết sẽ khởi công dự án vào ngày 30/5.")
    assert [d["date"] for d in found.rows["dates"] if d["kind"] != "published"] == [date(2020, 5, 28), date(2020, 5, 30)]
    for text in ("Thực hiện chủ trương sắp xếp tổ chức bộ máy, ngày 1/3 Sở đi vào hoạt động.",
                 "Sở sẽ báo cáo kết quả thực hiện từ ngày 1/3 đến nay.", "Công tác chuẩn bị được triển khai từ ngày 1/3."):
        found = facts("Tin", "THỨ TƯ, 03/06/2020 08:03", text)
        assert [d["date"] for d in found.rows["dates"] if d["kind"] != "published"] == [date(2020, 3, 1)], text


# ------------------------------------------------------------------ titles and their bodies

def test_a_title_right_before_the_next_name_is_that_persons_and_the_earlier_ones_stay():
    found = facts("Trao giải", "Đồng chí Lê Văn Minh, Chủ tịch UB TW MTTQ Việt Nam, Chủ tịch Hội LHPN Việt Nam Trần Thị "
                  "Lan trao giải.")
    names, bodies = names_and_bodies(found)
    posts = sorted((names[r["person_id"]], bodies.get(r["agency_id"])) for r in found.rows["roles"])
    assert posts == [("Lê Văn Minh", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"),
                     ("Trần Thị Lan", "Hội Liên hiệp Phụ nữ Việt Nam")], posts

def test_titles_printed_in_lower_case_after_a_name_and_the_offices_of_a_district():
    found = facts("Hội nghị", "Dự có ông Lê Văn Khải – phó bí thư, chủ tịch UBND huyện Vĩnh Linh; bà Trần Thị Mơ, phó "
                  "giám đốc Sở Nội vụ tỉnh Quảng Trị; ông Hồ Văn Út, trưởng phòng Tài chính - Kế hoạch huyện.")
    names, bodies = names_and_bodies(found)
    posts = sorted((names[r["person_id"]], r["title"].lower(), bodies.get(r["agency_id"])) for r in found.rows["roles"])
    assert posts == [("Hồ Văn Út", "trưởng phòng", "Phòng Tài chính - Kế hoạch huyện Vĩnh Linh"),
                     ("Lê Văn Khải", "chủ tịch", "Ủy ban nhân dân huyện Vĩnh Linh"),
                     ("Lê Văn Khải", "phó bí thư", "Huyện ủy Vĩnh Linh"),
                     ("Trần Thị Mơ", "phó giám đốc", "Sở Nội vụ tỉnh Quảng Trị")], posts
    # a lower-case word after a name that is no title gives no role
    assert not facts("Tiêu đề", "Ông Lê Văn Khải, công nhân nhà máy, cho biết lương đã tăng.").rows["roles"]
    assert not facts("Tiêu đề", "Ông Võ Văn Út, trưởng họ Võ, cho biết.").rows["roles"]
    assert [r["title"] for r in facts("Tiêu đề", "Ông Lê Văn Khải, chủ tịch UBND xã, thường trực tại chốt kiểm "
                                      "soát.").rows["roles"]] == ["Chủ tịch"]

def test_titles_that_hold_their_bodys_name_and_schools_of_higher_education():
    found = facts("Hội nghị", "Dự có Thượng tá Lê Văn Khải, Phó Trưởng Công an huyện Vĩnh Linh; ông Hồ Văn Út, Chánh "
                  "Thanh tra tỉnh Quảng Trị; bà Trần Thị Mơ, Trưởng Đoàn đại biểu Quốc hội tỉnh Quảng Bình; ông Lê Văn "
                  "Nam, Hiệu trưởng Trường Đại học Sư phạm Huế.")
    names, bodies = names_and_bodies(found)
    posts = sorted((names[r["person_id"]], bodies.get(r["agency_id"])) for r in found.rows["roles"])
    assert posts == [("Hồ Văn Út", "Thanh tra tỉnh Quảng Trị"), ("Lê Văn Khải", "Công an huyện Vĩnh Linh"),
                     ("Lê Văn Nam", "Trường Đại học Sư phạm Huế"),
                     ("Trần Thị Mơ", "Đoàn đại biểu Quốc hội tỉnh Quảng Bình")], posts
    # with no place after it, the title names no body
    assert [r["agency_id"] for r in facts("Tiêu đề", "Ông Lê Văn Khải, Trưởng Công an, phát biểu.").rows["roles"]] == [None]


def test_a_councils_standing_board_is_a_body_and_a_word_of_a_name_is_no_head():
    found = facts("Ký kết", "Sáng 25/1, Thường trực HĐND huyện Lâm Bình và Ban Thường trực Ủy ban MTTQ huyện ký kết quy "
                  "chế phối hợp.", "Ông Lê Văn Nam, Phó Chủ tịch Thường trực HĐND huyện, phát biểu.")
    bodies = {m["normalized"] for m in labelled(found, "AGENCY")}
    assert {"Thường trực Hội đồng nhân dân huyện Lâm Bình", "Hội đồng nhân dân huyện Lâm Bình"} <= bodies
    assert [r["title"] for r in found.rows["roles"]] == ["Phó Chủ tịch Thường trực"]
    found = facts("Tiêu đề", "Dự có ông Lê Văn Nam, Phó Trưởng Ban Thanh niên Trường học Trung ương Đoàn.")
    assert "Ban Thanh niên Trường học Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh" in \
        {m["normalized"] for m in labelled(found, "AGENCY")}
    assert "Trường" not in {m["text"] for m in labelled(found, "AGENCY")}


def test_a_central_highlands_name_opens_with_y():
    found = facts("Ký kết", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Y Bih Niê phát biểu tại lễ ký kết.")
    assert [m["text"] for m in labelled(found, "PERSON")] == ["Y Bih Niê"]
    assert [r["title"] for r in found.rows["roles"]] == ["Chủ tịch"]
    assert not labelled(facts("Tiêu đề", "Giám đốc Sở Y tế tỉnh phát biểu."), "PERSON")


def test_names_a_plural_honorific_or_a_role_verb_lists_share_their_titles():
    found = facts("Đại hội", "Đồng chí Lê Văn Khải được bầu giữ chức Bí thư Huyện ủy Vĩnh Linh. Các đồng chí Trần Văn "
                  "Mơ và Hồ Văn Út được bầu làm Phó Bí thư Huyện ủy Vĩnh Linh.", "Hai đồng chí Lê Thị Na và Phan Văn "
                  "Tí, Phó Chủ tịch UBND huyện, dự.", "Các đồng chí Võ Văn Lợi và Đặng Văn Hòa dự họp.")
    names = {m["entity_id"]: m["text"] for m in labelled(found, "PERSON")}
    posts = sorted((names[r["person_id"]], r["title"]) for r in found.rows["roles"])
    assert posts == [("Hồ Văn Út", "Phó Bí thư"), ("Lê Thị Na", "Phó Chủ tịch"), ("Lê Văn Khải", "Bí thư"),
                     ("Phan Văn Tí", "Phó Chủ tịch"), ("Trần Văn Mơ", "Phó Bí thư")], posts
    assert {"Võ Văn Lợi", "Đặng Văn Hòa"} <= set(names.values())
    # bare titles joined by "và" are of the body named last
    found = facts("Đại hội", "Các đồng chí Lê Văn Hùng và Nguyễn Thị Mai được bầu làm Chủ tịch và Phó Chủ tịch Hội Cựu "
                  "chiến binh huyện.")
    names, bodies = names_and_bodies(found)
    assert sorted((names[r["person_id"]], r["title"], bodies[r["agency_id"]]) for r in found.rows["roles"]) == [
        ("Lê Văn Hùng", "Chủ tịch", "Hội Cựu chiến binh huyện"), ("Nguyễn Thị Mai", "Phó Chủ tịch", "Hội Cựu chiến binh huyện")]
    # titles joined by "và", as many as the names, are theirs in order
    found = facts("Đại hội", "Các đồng chí Lê Văn An và Trần Văn Bình được bầu làm Bí thư Huyện ủy và Chủ tịch UBND "
                  "huyện Anh Sơn.")
    names = {m["entity_id"]: m["text"] for m in labelled(found, "PERSON")}
    assert sorted((names[r["person_id"]], r["title"]) for r in found.rows["roles"]) == [("Lê Văn An", "Bí thư"),
                                                                                       ("Trần Văn Bình", "Chủ tịch")]


def test_a_meeting_organised_as_a_bare_hop_is_an_event():
    found = facts("Họp tổng kết Khối thi đua", "Chiều ngày 19/01/2024, Khối thi đua các phòng trực thuộc Sở Nội vụ tỉnh "
                  "tổ chức họp tổng kết phong trào thi đua năm 2023.")
    assert [e["type"] for e in found.rows["events"]] == ["Họp tổng kết"]
    assert not facts("Tiêu đề", "Sáng 5/3, Thường trực HĐND huyện họp với các ban.").rows["events"]


def test_a_gathering_a_later_sentence_names_is_the_articles_only_when_said_to_be_held():
    lead = "Tổng Liên đoàn Lao động Việt Nam ban hành hướng dẫn tuyên truyền năm 2018."
    caption = "Lễ ra mắt công đoàn cơ sở huyện Hoài Đức Về nội dung, công tác tuyên truyền cần đổi mới."
    assert facts("Coi trọng hiệu quả", lead, "Theo đó, tuyên truyền cần thiết thực.", caption).rows["events"] == []
    for held in ("Ngày 24/5, Đại hội đại biểu Hội Xuất bản khóa IV đã bầu Ban Chấp hành.",
                 "Công đoàn huyện tổ chức Đại hội đại biểu lần thứ V.", "Đại hội đại biểu lần thứ V đã diễn ra."):
        found = facts("Coi trọng hiệu quả", lead, "Theo đó, tuyên truyền cần thiết thực.", held)
        assert [e["type"] for e in found.rows["events"]] == ["Đại hội đại biểu"], held


def test_a_short_form_defined_inside_a_bodys_name_keeps_the_place_after_it():
    found = facts("Tiêu đề", "Chiều 14/9, Ủy ban nhân dân (UBND) huyện Đức Linh họp với Trung tâm Dịch vụ việc làm "
                  "(TTDVVL) tỉnh Bình Thuận. TTDVVL cho biết; UBND tỉnh chỉ đạo.")
    bodies = [(m["text"], m["normalized"]) for m in labelled(found, "AGENCY")]
    assert bodies == [("Ủy ban nhân dân (UBND) huyện Đức Linh", "Ủy ban nhân dân huyện Đức Linh"),
                      ("Trung tâm Dịch vụ việc làm (TTDVVL) tỉnh Bình Thuận", "Trung tâm Dịch vụ việc làm tỉnh Bình Thuận"),
                      ("TTDVVL", "Trung tâm Dịch vụ việc làm tỉnh Bình Thuận"),  # as defined, then as used
                      ("TTDVVL", "Trung tâm Dịch vụ việc làm tỉnh Bình Thuận"),
                      ("UBND tỉnh", "Ủy ban nhân dân tỉnh Bình Thuận")], bodies  # UBND is no short form of one body


def test_names_each_with_an_honorific_share_the_titles_after_them():
    found = facts("Tiêu đề", "Chiều 14/9, ông Ung Văn Thành và ông Lê Đình Trung, đại biểu Hội đồng nhân dân (HĐND) "
                  "huyện Đức Linh, tiếp xúc cử tri; bà Lê Thị Hoa và ông Trần Văn Bình, Chủ tịch và Phó Chủ tịch Hội "
                  "Nông dân huyện, dự; ông Lê Văn Nam và bà Đỗ Thị Mai dự.")
    roles = sorted_roles(found)
    council = "Hội đồng nhân dân huyện Đức Linh"
    assert roles == [("Lê Thị Hoa", "Chủ tịch", "Hội Nông dân huyện Đức Linh"),
                     ("Lê Đình Trung", "Đại biểu Hội đồng nhân dân", council),
                     ("Trần Văn Bình", "Phó Chủ tịch", "Hội Nông dân huyện Đức Linh"),
                     ("Ung Văn Thành", "Đại biểu Hội đồng nhân dân", council)], roles
    # a post with one holder is the last name's; as many titles as names are one each; a list with commas
    found = facts("Tiêu đề", "Bà Lê Thị Hoa và ông Phạm Văn Hùng, Chủ tịch UBND huyện Đức Linh, dự; ông Nguyễn Văn An "
                  "và ông Trần Văn Bình, Chủ tịch, Phó Chủ tịch UBND huyện Tánh Linh dự; ông Lê Văn Ánh, ông Trần Văn Bé "
                  "và ông Đỗ Văn Cường, Phó Chủ tịch UBND tỉnh, dự.")
    roles = sorted_roles(found)
    assert roles == [("Lê Văn Ánh", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Bình Thuận"),
                     ("Nguyễn Văn An", "Chủ tịch", "Ủy ban nhân dân huyện Tánh Linh"),
                     ("Phạm Văn Hùng", "Chủ tịch", "Ủy ban nhân dân huyện Đức Linh"),
                     ("Trần Văn Bé", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Bình Thuận"),
                     ("Trần Văn Bình", "Phó Chủ tịch", "Ủy ban nhân dân huyện Tánh Linh"),
                     ("Đỗ Văn Cường", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Bình Thuận")], roles


def test_a_leader_named_by_an_epithet_and_a_hero_are_persons_without_posts():
    found = facts("Tiêu đề", "Kỷ niệm 132 năm Ngày sinh Chủ tịch Hồ Chí Minh; vị Anh hùng dân tộc Trương Định sinh ra ở "
                  "Quảng Ngãi; học tập tư tưởng Hồ Chí Minh, Đoàn TNCS Hồ Chí Minh và Thành phố Hồ Chí Minh dự.")
    assert [m["text"] for m in labelled(found, "PERSON")] == ["Hồ Chí Minh", "Trương Định"]
    assert found.rows["roles"] == []


def test_bodies_named_in_sentence_case_up_to_their_level():
    found = facts("Tiêu đề", "Sáng 7/4, Trung tâm chính trị huyện Đô Lương và Trung tâm dịch vụ việc làm tỉnh tổ chức "
                  "Hội nghị tập huấn tỉnh tại Hội trường huyện.")
    assert [m["normalized"] for m in labelled(found, "AGENCY")] == ["Trung tâm chính trị huyện Đô Lương",
                                                                    "Trung tâm dịch vụ việc làm tỉnh Nghệ An"]
    for text in ("Trung tâm hành chính huyện Krông Pắc được quy hoạch.", "Ban nhạc thiếu nhi huyện Đức Linh biểu diễn.",
                 "Phòng họp trực tuyến huyện Cư M'gar được nâng cấp.", "Hội diễn văn nghệ quần chúng huyện Krông Pắc."):
        assert labelled(facts("Tiêu đề", text), "AGENCY") == [], text  # a place, a band, a room, a show


def test_a_body_of_every_unit_of_a_level_is_no_mention_and_a_party_organisation_is_a_body():
    found = facts("Tiêu đề", "Tại kỳ họp, HĐND các xã thông qua tờ trình; bầu cử đại biểu Quốc hội và HĐND các cấp; "
                  "HĐND 2 xã giám sát; UBND các huyện Cầu Kè, Tiểu Cần dự; Đảng bộ xã Vĩnh Phú tiến hành Đại hội; Hội "
                  "LHPN TX Cửa Lò dự.")
    assert [m["normalized"] for m in labelled(found, "AGENCY")] == [
        "Quốc hội", "Ủy ban nhân dân huyện Cầu Kè", "Ủy ban nhân dân huyện Tiểu Cần", "Đảng bộ xã Vĩnh Phú",
        "Hội Liên hiệp Phụ nữ thị xã Cửa Lò"]


@pytest.mark.parametrize("text, expected", [
    # an adverb of time before a role verb, "giữ chức vụ"
    ("Ông Đào Xuân Quí - Phó Bí thư Tỉnh ủy Kon Tum vừa được bầu giữ chức vụ Chủ tịch UBND tỉnh Kon Tum. HĐND đã bầu "
     "ông Nguyễn Văn Hùng - Bí thư Tỉnh ủy, giữ chức vụ Chủ tịch HĐND tỉnh Kon Tum.",
     [("Nguyễn Văn Hùng", "Bí thư", "Tỉnh ủy Kon Tum"), ("Nguyễn Văn Hùng", "Chủ tịch", "Hội đồng nhân dân tỉnh Kon Tum"),
      ("Đào Xuân Quí", "Chủ tịch", "Ủy ban nhân dân tỉnh Kon Tum"), ("Đào Xuân Quí", "Phó Bí thư", "Tỉnh ủy Kon Tum")]),
    # titles before a dash and an honorific; UVBTV spelt out, a Party post; "tái đắc cử chức"; Ban CHQS
    ("Chủ tịch LĐLĐ tỉnh Quảng Ngãi - ông Trần Quang Tòa và Chủ tịch LĐLĐ tỉnh Tiền Giang - ông Trương Văn Hiền ký kết. "
     "Đồng chí Nguyễn Thị Phương - UVBTV, Phó Chủ tịch HĐND huyện Mường Tè chủ trì. Ông Trịnh Minh Khoa tái đắc cử chức "
     "Phó Chủ tịch UBND xã Tân Kiều; ông Nguyễn Văn Trí, Chỉ huy trưởng Ban CHQS xã dự.",
     [("Nguyễn Thị Phương", "Phó Chủ tịch", "Hội đồng nhân dân huyện Mường Tè"),
      ("Nguyễn Thị Phương", "Ủy viên Ban Thường vụ", "Huyện ủy Mường Tè"),
      ("Nguyễn Văn Trí", "Chỉ huy trưởng", "Ban Chỉ huy Quân sự xã Tân Kiều"),
      ("Trương Văn Hiền", "Chủ tịch", "Liên đoàn Lao động tỉnh Tiền Giang"),
      ("Trần Quang Tòa", "Chủ tịch", "Liên đoàn Lao động tỉnh Quảng Ngãi"),
      ("Trịnh Minh Khoa", "Phó Chủ tịch", "Ủy ban nhân dân xã Tân Kiều")]),
    # a Party board written bare after its committee; the youth federation keeps "Việt Nam" at every level
    ("Dự có đồng chí Triệu Đức Long, Ủy viên BTV Huyện ủy, Trưởng Ban dân vận, Chủ tịch Ủy ban MTTQ huyện Chiêm Hóa; ông "
     "Bùi Văn Hoàng, Phó Chủ tịch Hội LHTN tỉnh Bắc Giang.",
     [("Bùi Văn Hoàng", "Phó Chủ tịch", "Hội Liên hiệp Thanh niên Việt Nam tỉnh Bắc Giang"),
      ("Triệu Đức Long", "Chủ tịch", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Chiêm Hóa"),
      ("Triệu Đức Long", "Trưởng Ban", "Ban Dân vận Huyện ủy Chiêm Hóa"),
      ("Triệu Đức Long", "Ủy viên", "Ban Thường vụ Huyện ủy Chiêm Hóa")]),
])
def test_posts_taken_by_a_verb_and_party_boards_written_bare(text, expected):
    assert sorted_roles(facts("Tiêu đề", text)) == expected


def test_second_review_former_holders_concurrent_posts_boards_and_centres():
    roles = sorted_roles(facts("Tiêu đề", "Ông Nguyễn Văn An và ông Lê Văn Bình, nguyên Chủ tịch UBND huyện Quỳ Hợp, dự; "
                               "ông Trần Văn Châu và ông Lê Văn Bảo, Ủy viên BTV Huyện ủy, Chủ tịch UBND huyện Nam Đàn, "
                               "dự; ông Hồ Văn Lâm, Phó Bí thư Huyện ủy Nam Đàn, Trưởng Ban Tổ chức hội thi phát biểu."))
    assert ("Nguyễn Văn An", "nguyên Chủ tịch", "Ủy ban nhân dân huyện Quỳ Hợp") in roles  # a former holder's seat
    assert [r for r in roles if r[0] == "Trần Văn Châu"] == []  # concurrent posts are the last name's
    assert ("Lê Văn Bảo", "Chủ tịch", "Ủy ban nhân dân huyện Nam Đàn") in roles
    assert not any("Ban Tổ chức Huyện ủy" in (r[2] or "") for r in roles)  # an event's organising board
    bodies = [m["normalized"] for m in labelled(facts("Tiêu đề", "Trung tâm hành chính công tỉnh Nghệ An tiếp nhận hồ "
                                                      "sơ; Bệnh viện đa khoa huyện Nam Đàn khám cho 20 người."), "AGENCY")]
    assert bodies == ["Trung tâm hành chính công tỉnh Nghệ An", "Bệnh viện đa khoa huyện Nam Đàn"]
    places = [m["normalized"] for m in labelled(facts("Tiêu đề", "Vùng Đông Nam Bộ tăng trưởng; tỉnh Quảng Bình có 2 "
                                                      "huyện (Quảng Ninh, Lệ Thủy) bị ngập."), "LOCATION")]
    assert {"Đông Nam Bộ", "Quảng Ninh", "Lệ Thủy"} <= set(places), places
    assert counted("Tiêu đề", "Đoàn đã tặng 50 “Túi an sinh” cho hộ nghèo.") == {(50, "Túi an sinh", "other")}
    notice = doc("Thông báo lịch tiếp dân", "Sáng 3/2, UBND huyện thông báo lịch tiếp công dân.", "Nội dung như sau.",
                 "Các hộ dân lưu ý.", "Hà Nội, ngày 01-02-2023")
    assert notice.published_date is None  # a quoted notice's signature low on the page is no page date


def test_councils_named_by_their_field_in_any_case():
    found = facts("Hội nghị", "Đồng chí Lê Văn Khải, Phó Chủ tịch Thường trực Hội đồng thi đua khen thưởng tỉnh, Bí thư "
                  "Đảng ủy, Phó Giám đốc Sở Nội vụ phát động phong trào.", "Hội đồng Thi đua - Khen thưởng Bộ Y tế và "
                  "Hội đồng Giáo dục quốc phòng và an ninh tỉnh họp.")
    bodies = {m["entity_id"]: m["normalized"] for m in labelled(found, "AGENCY")}
    assert {"Hội đồng Thi đua - Khen thưởng tỉnh", "Hội đồng Thi đua - Khen thưởng Bộ Y tế"} <= set(bodies.values())
    assert sorted((r["title"], bodies.get(r["agency_id"])) for r in found.rows["roles"]) == [
        ("Bí thư", "Đảng ủy Sở Nội vụ"), ("Phó Chủ tịch Thường trực", "Hội đồng Thi đua - Khen thưởng tỉnh"),
        ("Phó Giám đốc", "Sở Nội vụ")]


def test_army_units_are_named_by_their_number():
    found = facts("Ký kết", "Chiều 26/3, Hội Cựu chiến binh tỉnh Gia Lai và Sư đoàn 325 (Quân đoàn 2) tổ chức hội nghị.",
                  "Đại tá Lê Văn An, Phó Tư lệnh Quân khu 4 dự.")
    bodies = {m["entity_id"]: m["normalized"] for m in labelled(found, "AGENCY")}
    assert {"Sư đoàn 325", "Quân đoàn 2", "Quân khu 4"} <= set(bodies.values())
    assert [bodies.get(r["agency_id"]) for r in found.rows["roles"]] == ["Quân khu 4"]
    assert not any(c["value"] in (325, 2, 4) for c in found.rows["counts"])
    assert [c["value"] for c in facts("Tiêu đề", "Sư đoàn 312 tiếp nhận 200 chiến sĩ mới.").rows["counts"]] == [200]

def test_one_honorific_introduces_several_names_each_with_titles_and_a_party_body_in_lower_case():
    found = facts("Hội nghị quán triệt", "Sáng 30/3, huyện tổ chức hội nghị. Tới dự có đ/c Trần Văn Phúc - Bí thư huyện "
                  "ủy, Chủ tịch HĐND huyện, Phạm Quốc Huy – Phó Bí thư thường trực, Nguyễn Văn Thành – Chủ tịch UBND "
                  "huyện, các đồng chí trong Ban Thường vụ.")
    names, bodies = names_and_bodies(found)
    assert {"Trần Văn Phúc", "Phạm Quốc Huy", "Nguyễn Văn Thành"} <= set(names.values())
    assert len({r["person_id"] for r in found.rows["roles"]}) == 3
    assert {r["title"] for r in found.rows["roles"]} >= {"Bí thư", "Phó Bí thư thường trực", "Chủ tịch"}
    assert "Huyện ủy" in bodies.values()

def test_a_board_named_by_its_field_after_a_title_belongs_to_the_body_named_after_it():
    found = facts("Giám sát", "Ông Ngô Văn Hải, Trưởng ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh Hậu Giang làm "
                  "Trưởng đoàn.", "Bà Lê Thị Hoa, Trưởng ban Tuyên giáo Tỉnh ủy Nghệ An phát biểu.")
    bodies = {m["entity_id"]: m["normalized"] for m in labelled(found, "AGENCY")}
    posts = {bodies.get(r["agency_id"]) for r in found.rows["roles"] if r["title"] == "Trưởng ban"}
    assert posts == {"Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh Hậu Giang", "Ban Tuyên giáo Tỉnh ủy Nghệ An"}

def roles_of(*paragraphs):
    found = facts(*paragraphs)
    names = {m["entity_id"]: m["normalized"] for m in labelled(found, "PERSON")}
    bodies = {m["entity_id"]: m["normalized"] for m in labelled(found, "AGENCY")}
    return {(names[r["person_id"]], r["title"], bodies.get(r["agency_id"])) for r in found.rows["roles"]}


def test_bodies_after_titles_as_the_press_writes_them():
    got = roles_of("Tiêu đề", "Dự có ông Lê Văn Tám, Tổng biên tập báo Nông thôn Ngày nay; ông Trần Văn Chín, Chủ "
                   "tịch HĐQT kiêm Tổng giám đốc Công ty CP Sông Đà 9; bà Ngô Thị Mai, Chánh Văn phòng Sở Lao động – "
                   "TB&XH tỉnh Đắk Lắk; ông Đỗ Văn Mười, Phó chủ tịch Hội Chữ thập đỏ tỉnh Đắk Lắk.")
    assert {("Lê Văn Tám", "Tổng biên tập", "Báo Nông thôn Ngày nay"),
            ("Trần Văn Chín", "Chủ tịch HĐQT", "Công ty cổ phần Sông Đà 9"),
            ("Trần Văn Chín", "Tổng giám đốc", "Công ty cổ phần Sông Đà 9"),
            ("Ngô Thị Mai", "Chánh Văn phòng", "Sở Lao động - Thương binh và Xã hội tỉnh Đắk Lắk"),
            ("Đỗ Văn Mười", "Phó chủ tịch", "Hội Chữ thập đỏ tỉnh Đắk Lắk")} <= got, got


def test_a_title_takes_the_body_of_its_kind_named_earlier_in_the_article():
    got = roles_of("Tiêu đề", "Sáng 5/3, Trường Cao đẳng Nghề Yên Bái ký kết hợp tác với 20 doanh nghiệp.",
                   "Hiệu trưởng Nguyễn Văn Hải cho biết nhà trường sẽ mở thêm ngành.")
    assert ("Nguyễn Văn Hải", "Hiệu trưởng", "Trường Cao đẳng Nghề Yên Bái") in got, got


def test_a_body_written_bare_after_a_title_is_the_one_named_before():
    got = roles_of("Tiêu đề", "Sáng 9/3, Đoàn cơ sở Sở Tư pháp tỉnh Yên Bái tổ chức hội nghị tại Hội trường Sở Tư "
                   "pháp tỉnh Yên Bái.", "Dự có ông Lê Văn Tám - Phó Giám đốc Sở, Chủ tịch công đoàn cơ sở; bà Ngô "
                   "Thị Mai - Tổ trưởng tổ công đoàn Văn phòng Sở; anh Đỗ Văn Mười - Bí thư đoàn cơ sở.",
                   "Sau đó ông Trần Văn Chín, Chủ tịch HĐQT kiêm Tổng giám đốc Công ty CP Sông Đà 9 phát biểu. Ông "
                   "Phạm Văn Long - Ủy viên Ban Chấp hành Công đoàn cũng dự.")
    sở = "Sở Tư pháp tỉnh Yên Bái"
    assert {("Lê Văn Tám", "Phó Giám đốc", sở), ("Lê Văn Tám", "Chủ tịch", f"Công đoàn cơ sở {sở}"),
            ("Ngô Thị Mai", "Tổ trưởng", f"Tổ công đoàn Văn phòng {sở}"),
            ("Đỗ Văn Mười", "Bí thư", f"Đoàn cơ sở {sở}")} <= got, got
    # a unit of a host is never a national body of the same name ("Công đoàn" is no "Công đoàn Việt Nam"), and
    # it is the fuller unit the article writes ("công đoàn cơ sở" above)
    assert ("Phạm Văn Long", "Ủy viên Ban Chấp hành", "Công đoàn cơ sở Công ty cổ phần Sông Đà 9") in got, got
    # nothing bare after the title: no body is guessed
    alone = roles_of("Tiêu đề", "Sáng 9/3, Sở Tư pháp tỉnh Yên Bái họp. Ông Lê Văn Tám, Chủ tịch Hội Cựu chiến binh "
                     "tỉnh Yên Bái và ông Ngô Văn Hai, Chủ tịch cho biết.")
    assert ("Ngô Văn Hai", "Chủ tịch", None) in alone, alone


def test_a_party_post_written_with_a_peoples_committee_is_of_its_party_committee():
    got = roles_of("Tiêu đề", "Dự có ông Lê Văn Tám, Phó Bí thư - Chủ tịch UBND huyện Mường Tè; ông Lò Văn Chín, Bí thư "
                   "Đảng ủy, Chủ tịch UBND xã Pa Ủ; ông Ngô Văn Mười, Phó Bí thư Huyện ủy, Chủ tịch HĐND huyện Tam Đường; "
                   "bà Đỗ Thị Mai, Phó Bí thư Thành ủy, Chủ tịch Ủy ban MTTQ Việt Nam TP.HCM.")
    assert {("Lê Văn Tám", "Phó Bí thư", "Huyện ủy Mường Tè"), ("Lò Văn Chín", "Bí thư", "Đảng ủy xã Pa Ủ"),
            ("Ngô Văn Mười", "Phó Bí thư", "Huyện ủy Tam Đường"),
            # a city's name that is a person's on its own keeps its level word
            ("Đỗ Thị Mai", "Phó Bí thư", "Thành ủy Thành phố Hồ Chí Minh")} <= got, got
    # not a Party post: the title shares the next one's body as before
    assert ("Lê Văn Tám", "Phó Chủ tịch Thường trực", "Ủy ban nhân dân huyện Mường Tè") in roles_of(
        "Tiêu đề", "Ông Lê Văn Tám, Phó Chủ tịch Thường trực - Chủ tịch UBND huyện Mường Tè dự.")


def test_deputies_listed_after_their_principal_share_the_body():
    got = roles_of("Tiêu đề", "Sáng 5/3, Ban Chấp hành đã bầu ông Lê Văn Tám, Thứ trưởng Bộ Xây dựng làm Chủ tịch Hội "
                   "Kiến trúc sư Việt Nam khóa IX. Các Phó Chủ tịch gồm các ông: Ngô Văn Mười, Đỗ Văn Chín.",
                   "Nhiều đại biểu dự. Hội nghị bàn về quy hoạch. Sau đó, Phó Chủ tịch Lò Văn Tư phát biểu.")
    body = "Hội Kiến trúc sư Việt Nam"
    assert {("Lê Văn Tám", "Thứ trưởng", "Bộ Xây dựng"), ("Lê Văn Tám", "Chủ tịch", body),  # a title after a role verb
            ("Ngô Văn Mười", "Phó Chủ tịch", body), ("Đỗ Văn Chín", "Phó Chủ tịch", body)} <= got, got
    assert ("Lò Văn Tư", "Phó Chủ tịch", None) in got, got  # three sentences on: no longer the same body


def test_every_body_a_role_names_has_its_mention_however_titles_are_chained():
    from itertools import product
    titles = ["Ủy viên", "Ủy viên Ban Thường vụ", "Phó Bí thư", "Bí thư Đảng ủy", "Phó Bí thư Huyện ủy", "Phó Giám đốc Sở",
              "Chủ tịch công đoàn cơ sở"]
    last = ["Chủ tịch UBND huyện Tam Đường", "Chủ tịch UBND xã Pa Ủ", "Giám đốc Sở Y tế"]
    for a, b, c in product(titles, titles, last):
        found = facts("Tiêu đề", f"Sáng 5/3, Sở Y tế tỉnh Lai Châu họp. Dự có ông Lê Văn Tám, {a}, {b} - {c}.")
        named = {m["entity_id"] for m in labelled(found, "AGENCY")}
        assert all(r["agency_id"] in named for r in found.rows["roles"] if r["agency_id"]), (a, b, c)
        assert all((m["details"] or {}).get("parent_id", next(iter(named))) in named for m in labelled(found, "AGENCY"))


def test_a_unit_with_its_hosts_bare_head_anywhere_in_the_article():
    found = facts("Tiêu đề", "Sáng 5/3, Đoàn cơ sở Sở Tư pháp tỉnh Yên Bái sơn lại trụ sở cơ quan Văn phòng Sở; phòng họp "
                  "của Văn phòng cũng được sửa.")
    bodies = [(m["text"], m["normalized"]) for m in labelled(found, "AGENCY")]
    assert ("Văn phòng Sở", "Văn phòng Sở Tư pháp tỉnh Yên Bái") in bodies, bodies
    assert not any(text == "Văn phòng" for text, _ in bodies)  # a unit alone, away from a title: also a room


def test_a_numbered_list_under_a_heading_takes_the_heading_body():
    heading = "Đại hội đã bầu Ban Chấp hành Chi bộ Văn phòng Sở Nội vụ tỉnh Lào Cai nhiệm kỳ 2020 - 2025 gồm 03 đồng chí:"
    got = roles_of("Tiêu đề", "Sáng 9/3, Sở Nội vụ tỉnh Lào Cai tổ chức đại hội.", heading,
                   "1. Đồng chí Lê Văn Tám - Bí thư;", "2. Đồng chí Ngô Thị Mai - Phó Bí thư;",
                   "3. Đồng chí Đỗ Văn Mười - Ủy viên.")
    cell = "Chi bộ Văn phòng Sở Nội vụ tỉnh Lào Cai"  # a cell named by the body it sits in
    assert got == {("Lê Văn Tám", "Bí thư", cell), ("Ngô Thị Mai", "Phó Bí thư", cell),
                   ("Đỗ Văn Mười", "Ủy viên", f"Ban Chấp hành {cell}")}, got
    # a heading that lists no body's members ("… cho biết:", "… bổ nhiệm:") and a date opening a sentence: no body
    said = roles_of("Tiêu đề", "Ông Lê Văn Tám - Giám đốc Sở Nội vụ tỉnh Lào Cai cho biết:", "- Bà Ngô Thị Mai, Chủ tịch, "
                    "đã chỉ đạo.", "15/3, ông Đỗ Văn Mười, Chủ tịch, phát biểu.")
    assert {("Ngô Thị Mai", "Chủ tịch", None), ("Đỗ Văn Mười", "Chủ tịch", None)} <= said, said
    # no heading ending in ":" before the list: no body
    plain = roles_of("Tiêu đề", "Sáng 9/3, Sở Nội vụ tỉnh Lào Cai tổ chức đại hội.", "1. Đồng chí Lê Văn Tám - Bí thư;")
    assert plain == {("Lê Văn Tám", "Bí thư", None)}, plain


def test_a_noun_of_people_before_a_family_name_names_a_person():
    found = facts("Tiêu đề", "Sáng 5/3, cử tri Nguyễn Văn Lành (xã Thạnh Lộc) băn khoăn; hai nhà báo lão thành Phan "
                  "Tâm và Hà Minh, thành viên của Hội, dự; đại biểu Quốc hội và học sinh Trường THCS Tân Hải cũng dự; "
                  "Nghị quyết Đại hội đại biểu Đoàn TNCS Hồ Chí Minh tỉnh được quán triệt.")
    assert [m["normalized"] for m in labelled(found, "PERSON")] == ["Nguyễn Văn Lành", "Phan Tâm", "Hà Minh"]


def test_a_place_named_after_a_person_is_the_person_after_an_honorific():
    found = facts("Tiêu đề", "Sáng 9/3, ông Phạm Văn Hai, Chủ tịch UBND huyện Bình Chánh, thăm xã Phạm Văn Hai.")
    assert [m["text"] for m in labelled(found, "PERSON")] == ["Phạm Văn Hai"]


def test_a_head_of_a_department_named_by_its_field():
    got = roles_of("Tiêu đề", "Bà Lê Thị Hoa, Trưởng phòng Văn hóa - Thông tin huyện Yên Thành, ông Lê Văn Tám, Phó "
                   "Trưởng phòng Tài chính - Kế hoạch huyện Yên Thành và ông Hồ Văn Út, Trưởng phòng Tài chính - Hậu "
                   "cần huyện Yên Thành dự.")
    assert got == {("Lê Thị Hoa", "Trưởng phòng", "Phòng Văn hóa và Thông tin huyện Yên Thành"),
                   ("Lê Văn Tám", "Phó Trưởng phòng", "Phòng Tài chính - Kế hoạch huyện Yên Thành"),
                   ("Hồ Văn Út", "Trưởng phòng", None)}, got  # a field longer than the lexicon's: no guess


def test_a_prime_minister_is_of_the_government_the_article_names():
    assert roles_of("Tiêu đề", "Thay mặt Chính phủ, Phó Thủ tướng Trương Văn Bình biểu dương các gương điển hình.") == \
        {("Trương Văn Bình", "Phó Thủ tướng", "Chính phủ")}
    assert roles_of("Tiêu đề", "Phó Thủ tướng Trương Văn Bình biểu dương.") == {("Trương Văn Bình", "Phó Thủ tướng", None)}


def test_a_minister_named_with_the_sector_alone():
    got = roles_of("Tiêu đề", "Dự có Bộ trưởng Thông tin và Truyền thông Trương Minh Toàn và Thứ trưởng Y tế Nguyễn "
                   "Văn Hùng.")
    assert got == {("Trương Minh Toàn", "Bộ trưởng", "Bộ Thông tin và Truyền thông"),
                   ("Nguyễn Văn Hùng", "Thứ trưởng", "Bộ Y tế")}


def person_ids(*paragraphs):
    return {m["normalized"]: m["entity_id"] for m in labelled(facts(*paragraphs), "PERSON")}


def test_one_person_one_id_across_documents_and_namesakes_apart():
    in_yen_bai = person_ids("Tiêu đề", "Sáng 5/3, UBND tỉnh Yên Bái đón Bộ trưởng Bộ Y tế Đào Hồng Lan và ông "
                            "Nguyễn Văn Minh, Chủ tịch UBND tỉnh Nghệ An; ông Lê Văn Tư dự.")
    in_nghe_an = person_ids("Tiêu đề", "Sáng 9/4, UBND tỉnh Nghệ An họp. Dự có Bộ trưởng Đào Hồng Lan, ông Nguyễn "
                            "Văn Minh và ông Lê Văn Tư.")
    assert in_yen_bai["Đào Hồng Lan"] == in_nghe_an["Đào Hồng Lan"]          # a national post
    assert in_yen_bai["Nguyễn Văn Minh"] == in_nghe_an["Nguyễn Văn Minh"]    # a post of Nghệ An, wherever named
    assert in_yen_bai["Lê Văn Tư"] != in_nghe_an["Lê Văn Tư"]                # namesakes with nothing in common


def test_an_elliptical_list_of_bodies_shares_the_place_of_its_last():
    found = facts("Tiêu đề", "Sáng 8/2, Quận ủy, HĐND- UBND- UBMTTQ quận Đống Đa phát động Tết trồng cây cùng Bộ "
                  "Tài nguyên và Môi trường, Sở Y tế, UBND huyện Gia Lâm.")
    bodies = {m["text"]: m["normalized"] for m in labelled(found, "AGENCY")}
    assert bodies["HĐND"] == "Hội đồng nhân dân quận Đống Đa" and bodies["UBND"] == "Ủy ban nhân dân quận Đống Đa"
    assert bodies["Quận ủy"] == "Quận ủy Đống Đa"
    assert bodies["Bộ Tài nguyên và Môi trường"] == "Bộ Tài nguyên và Môi trường"
    assert bodies["Sở Y tế"] == "Sở Y tế thành phố Hà Nội"  # a Sở is no district's


def test_names_of_bodies_as_real_pages_write_them():
    found = facts("Tiêu đề", "Sáng 5/3, Bộ Tài nguyên - Môi trường làm việc với Nhà máy Giấy Lee & Man Hậu Giang; "
                  "đại biểu Quốc hội TP Cần Thơ trồng cây bàng Đài Loan; đoàn đến Singapore.",
                  "Lễ ra mắt Liên đoàn Lao động huyện Gia Lâm Về nội dung hội nghị.")
    bodies = {m["normalized"] for m in labelled(found, "AGENCY")}
    assert {"Bộ Tài nguyên và Môi trường", "Nhà máy Giấy Lee & Man Hậu Giang", "Quốc hội",
            "Liên đoàn Lao động huyện Gia Lâm"} <= bodies, bodies
    assert not any(b.startswith("Đài") for b in bodies)
    # an online paper, and an inspectorate or a cell named by the body it sits in
    cells = {m["normalized"] for m in labelled(facts("Tiêu đề", "Theo Báo điện tử Dân Việt, Thanh tra Bộ Xây dựng và Chi "
                                                     "đoàn Trung tâm Y tế huyện Gia Lâm đã vào cuộc."), "AGENCY")}
    assert {"Báo điện tử Dân Việt", "Thanh tra Bộ Xây dựng", "Chi đoàn Trung tâm Y tế huyện Gia Lâm"} <= cells, cells
    # what a body manages is no body: "chế độ BHXH" is insurance, "BHXH tỉnh" the agency
    insured = {m["normalized"] for m in labelled(facts("Tiêu đề", "Công nhân được hưởng các chế độ như BHXH, BHYT; BHXH "
                                                       "tỉnh Yên Bái kiểm tra."), "AGENCY")}
    assert insured == {"Bảo hiểm xã hội tỉnh Yên Bái"}, insured
    college = {m["normalized"] for m in labelled(facts("Tiêu đề", "Trường CĐ Nghề Yên Bái tuyển sinh."), "AGENCY")}
    assert college == {"Trường Cao đẳng Nghề Yên Bái"}, college
    assert "Singapore" in {m["normalized"] for m in labelled(found, "LOCATION")}


def test_events_named_by_what_is_done():
    def types(*paragraphs):
        return [e["type"] for e in facts(*paragraphs).rows["events"]]
    assert types("Tiêu đề", "Sáng 1/4, UBND quận 3 tổ chức tổng kết công tác năm 2020 và ra mắt dịch vụ mới.") == \
        ["Hội nghị tổng kết", "Ra mắt"]
    assert types("Tiêu đề", "Sáng 28/4, tại Trung tâm Hội nghị tỉnh, Bộ Y tế tổ chức cuộc họp báo thường kỳ.") == \
        ["Họp báo thường kỳ"]
    # how it is held is its format, never part of its type
    found = facts("Tiêu đề", "Sáng 5/3, Bộ Y tế tổ chức Hội nghị trực tuyến sơ kết công tác phòng dịch.")
    assert [(e["type"], e["format"]) for e in found.rows["events"]] == [("Hội nghị sơ kết", "trực tuyến")]


def test_gatherings_of_the_same_day_what_is_organised_and_what_a_headline_reports():
    def types(*paragraphs):
        return [e["type"] for e in facts(*paragraphs).rows["events"]]
    # a later paragraph on another gathering of that day; not the same one continuing
    assert types("Tiêu đề", "Sáng 10/5, Sở Y tế tổ chức Hội nghị triển khai công tác năm 2024.",
                 "Cùng ngày, Sở Y tế cũng tổ chức họp báo về kết quả tiêm chủng.") == ["Hội nghị triển khai", "Họp báo"]
    assert types("Tiêu đề", "Sáng 10/5, Sở Y tế tổ chức Hội nghị triển khai công tác năm 2024.",
                 "Chiều cùng ngày, hội nghị thảo luận tại tổ.") == ["Hội nghị triển khai"]
    # gatherings named in an opening phrase are its setting: the event is what the body organises
    assert types("Tiêu đề", "Trong chuỗi hoạt động chào mừng Lễ kỷ niệm 30 năm thành lập, Đại hội thi đua lần thứ "
                 "III, Hội Nông dân tỉnh đã tổ chức trao Giải thưởng Bông lúa vàng cho 12 hội viên.") == ["Lễ trao giải"]
    assert types("Tiêu đề", "Ngày 2/8, Ban Chỉ đạo đã tiến hành sơ kết 2 năm thực hiện Đề án.") == ["Hội nghị sơ kết"]
    assert types("Tiêu đề", "Ngày 2/8, Ban Chỉ đạo đã tiến hành đánh giá việc thực hiện Đề án.") == []
    # a task given to others is no meeting held, a gathering talked about or held at every level is none
    assert types("Tiêu đề", "Ban Thường vụ yêu cầu các cơ sở Hội tổ chức sơ kết 5 năm thực hiện Chỉ thị.") == []
    assert types("Tiêu đề", "Các cấp Hội đẩy mạnh tuyên truyền Đại hội Hội Nông dân tỉnh lần thứ X.") == []
    assert types("Đại hội Đảng bộ các cấp: Phát huy dân chủ", "Công tác chuẩn bị cần chu đáo, đúng quy định.") == []
    # "buổi tiếp" + whom; an exam
    assert types("Tiêu đề", "Chiều 5/6, Chủ tịch UBND tỉnh chủ trì buổi tiếp ông Kim Min-su, Tổng Lãnh sự Hàn Quốc.") \
        == ["Buổi tiếp"]
    assert types("Tiêu đề", "Tỉnh sẽ bàn thêm tại buổi tiếp theo của Thường trực.") == []
    assert types("Tiêu đề", "Năm nay tỉnh có 40 học sinh đoạt giải.", "Kỳ thi chọn học sinh giỏi cấp tỉnh diễn ra ngày "
                 "5/1.") == ["Kỳ thi"]
    # a headline's own activity when no gathering opens the article; not an exhortation
    assert types("HĐND huyện Ea Kar giám sát công tác giảm nghèo", "Theo báo cáo, huyện có 320 hộ nghèo.",
                 "Tại buổi làm việc, đoàn đề nghị xã rà soát danh sách.") == ["Giám sát"]
    assert types("Tăng cường giám sát an toàn thực phẩm", "Theo báo cáo, huyện có 32 cơ sở vi phạm.") == []
    # what a reviewer's sentences showed: a meeting for cadres "các cấp", names that hold a directive's
    # words, "trao đổi", plans and the same meeting on the same day, a gathering named after "tại"
    assert types("Tiêu đề", "Sáng 5/3, Liên đoàn Lao động tỉnh tổ chức Hội nghị tập huấn cho cán bộ Công đoàn các "
                 "cấp.") == ["Hội nghị tập huấn"]
    assert types("Tiêu đề", "Sáng 5/3, Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh tổ chức sơ kết.") == \
        ["Hội nghị sơ kết"]
    assert types("Tiêu đề", "Sáng 5/3, Hội Nông dân tỉnh tổ chức trao đổi kinh nghiệm sản xuất.") == []
    for later in ("Cùng ngày, UBND huyện ban hành kế hoạch tổ chức Đại hội Thể dục thể thao.",
                  "Cùng ngày, UBND huyện yêu cầu các xã tổ chức hội nghị sơ kết trước ngày 30/4.",
                  "Cùng ngày, Hội nghị cũng tiến hành tổng kết công tác thi đua.",
                  "Cùng ngày, năm 1975, quân dân tỉnh tổ chức Lễ mít tinh."):
        assert types("Tiêu đề", "Sáng 5/3, Sở Y tế tổ chức Hội nghị triển khai công tác.", later) == \
            ["Hội nghị triển khai"], later
    assert types("Tiêu đề", "Sáng 5/3, tại Hội nghị tổng kết công tác năm 2023, UBND tỉnh đã tổ chức trao Bằng khen "
                 "cho 20 tập thể.") == ["Hội nghị tổng kết"]
    assert types("Giám sát chặt chẽ dịch bệnh trên đàn gia súc", "Theo báo cáo, huyện có 32 ổ dịch.") == []
    assert types("Camera giám sát giúp giảm tai nạn", "Theo báo cáo, huyện có 32 camera.") == []
    assert types("Tiêu đề", "Sở GD&ĐT họp bàn các giải pháp nâng cao chất lượng Kỳ thi tốt nghiệp.") == []
    # a digest of several items: its opening sentence is the lead, nothing is taken from deep inside
    assert types("Tin hoạt động Hội ngày 9.3", "Trong tuần, nhiều cơ sở Hội thăm hỏi hội viên. NGHỆ AN- Hội Nông dân "
                 "tỉnh hỗ trợ 200 hộ. HÀ TĨNH- Tại buổi làm việc đầu tiên sau Tết, các hội viên nhận quà.") == []


def test_acting_and_former_holders_foreign_names_and_bodies():
    found = facts("Tiêu đề", "Dự có bà Khamphao Ernthavanh Sysomphone, nguyên Chủ tịch Hội Phụ nữ Lào; ông Lê Văn A, "
                  "Quyền Giám đốc Sở Y tế tỉnh Yên Bái; đại diện Chính phủ Nhật Bản và Đại sứ quán Hàn Quốc.")
    assert {m["normalized"] for m in labelled(found, "PERSON")} == {"Khamphao Ernthavanh Sysomphone", "Lê Văn A"}
    assert {r["title"] for r in found.rows["roles"]} == {"nguyên Chủ tịch", "Quyền Giám đốc"}
    assert {"Hội Liên hiệp Phụ nữ Lào", "Chính phủ Nhật Bản", "Đại sứ quán Hàn Quốc"} <= \
        {m["normalized"] for m in labelled(found, "AGENCY")}


def test_a_count_in_tens_of_thousands():
    assert counted("Tiêu đề", "Mặt trận đã tiếp nhận 3 vạn ý kiến; hơn 2 vạn hội viên tham gia.") == \
        {(30000, "ý kiến", "other"), (20000, "hội viên", "other")}


def test_slogans_and_recipients_listed_after_the_award():
    got = counted("Tiêu đề", "UBND tỉnh tặng giấy khen cho 5 tập thể; 7 đoàn viên được biểu dương. Phong trào “3 "
                  "không” có 12 xã tham gia.")
    assert got == {(5, "tập thể", "award"), (7, "đoàn viên", "award"), (12, "xã", "other")}


def test_a_digest_of_several_places_has_no_province_and_no_main_event():
    found = facts("Tin các địa phương", "NGHỆ AN- Sáng ngày 4-2-2024, UBND TP Vinh phát động Tết trồng cây.",
                  "HÀ TĨNH- Sáng 6-2, UBND TP Hà Tĩnh tổ chức lễ ra quân.")
    assert found.province is None and found.event_date is None
    # items of one day ("Sáng cùng ngày", datelines in capitals with tone marks): that day is the event date
    same = facts("Nhiều địa phương ra quân trồng cây", "ĐÀ NẴNG- Sáng ngày 4-2-2024, UBND quận Thanh Khê phát động Tết "
                 "trồng cây.", "QUẢNG NGÃI- Sáng cùng ngày, UBND TP Quảng Ngãi tổ chức lễ ra quân.")
    assert same.province is None and same.event_date == date(2024, 2, 4)
    # the second dateline glued after a caption and its photographer, in the same sentence
    glued = facts("Nhiều địa phương ra quân trồng cây", "ĐÀ NẴNG- Sáng ngày 4-2-2024, UBND quận Thanh Khê phát động "
                  "Tết trồng cây.", "Trồng cây tại trường. Minh Tâm QUẢNG NGÃI- Sáng cùng ngày, UBND TP Quảng Ngãi "
                  "tổ chức lễ ra quân. HĐND - UBND xã dự.")
    assert glued.event_date == date(2024, 2, 4)
    one = facts("Tiêu đề", "NGHỆ AN- Sáng ngày 4-2-2024, UBND TP Vinh phát động Tết trồng cây.")
    assert one.province == "Nghệ An" and one.event_date == date(2024, 2, 4)


def test_names_listed_after_one_honorific_are_persons_and_no_body():
    found = facts("Tiêu đề", "Tỉnh Đoàn tặng bằng khen cho các em Lê Văn Hùng, Đỗ Thị Hoa, Phạm Trường Sơn (học "
                  "sinh lớp 9). Sau đó, ông Hà Văn Tâm và Ngô Minh Đức, Chủ tịch UBND xã, phát biểu.")
    persons = {m["normalized"] for m in labelled(found, "PERSON")}
    assert {"Lê Văn Hùng", "Đỗ Thị Hoa", "Phạm Trường Sơn", "Hà Văn Tâm"} <= persons
    assert "Ngô Minh Đức" not in {m["normalized"] for m in labelled(found, "PERSON") if m["rule"] == "persons.honorific_list"}
    assert not any("Trường Sơn" in m["normalized"] for m in labelled(found, "AGENCY"))


def test_a_province_in_a_streets_name_is_no_location():
    found = facts("Tiêu đề", "Sáng 5/3, UBND quận 9 ra quân dọn dẹp Xa lộ Hà Nội và phố Huế, cùng đoàn của thành "
                  "phố Hà Nội và tỉnh Đồng Nai.")
    places = [m["normalized"] for m in labelled(found, "LOCATION")]
    assert "Huế" not in places and places.count("Hà Nội") == 1 and "Đồng Nai" in places
    found = facts("Tiêu đề", "Công ty từng thi công thủy điện Tuyên Quang và nhiệt điện Vĩnh Tân; lãnh đạo tỉnh Bình "
                  "Thuận thăm công trường.")
    assert [m["normalized"] for m in labelled(found, "LOCATION")] == ["Bình Thuận"]


def test_a_caption_glued_to_its_sentence_ends_the_name_at_the_opener():
    found = facts("Tiêu đề", "Chủ tịch UBND tỉnh Lê Văn Sáng phát biểu. Bà Hoàng Thị Lan Qua 2 năm thực hiện, "
                  "huyện đã xây dựng 12 mô hình.")
    assert {m["normalized"] for m in labelled(found, "PERSON")} == {"Lê Văn Sáng", "Hoàng Thị Lan"}


def test_a_name_a_body_trades_under_defined_in_brackets_is_the_body_after_a_title():
    got = roles_of("Tiêu đề", "Ngày 29-6, UBND tỉnh Khánh Hòa và Tổng công ty Cảng hàng không Việt Nam (Vietnam "
                   "Airports) ký thỏa thuận hợp tác.", "Ông Lê Văn Hải, Tổng Giám đốc Vietnam Airports cho biết thêm.")
    assert ("Lê Văn Hải", "Tổng Giám đốc", "Tổng công ty Cảng hàng không Việt Nam") in got, got
    # a place written in brackets (tone marks or not) or a word of the page is no name of the body
    found = facts("Tiêu đề", "Sáng 5/3, Công an huyện Chư Prông (Gia Lai) tổ chức hội nghị. Sở Y tế (Video) dự.",
                  "Tại Gia Lai, xem Video. Ông Lê Văn Hải, Phó Chủ tịch Gia Lai cho biết thêm.")
    assert {m["text"] for m in labelled(found, "AGENCY")} == {"Công an huyện Chư Prông", "Sở Y tế"}
    assert [r["agency_id"] for r in found.rows["roles"]] == [None]
    # nor a country in English or one word that may be a label of the page
    found = facts("Tiêu đề", "Bộ Ngoại giao (Vietnam) và Bộ Y tế (Infographic) họp.", "Vietnam Airlines bay thêm.")
    assert {m["text"] for m in labelled(found, "AGENCY")} == {"Bộ Ngoại giao", "Bộ Y tế"}


def test_a_board_of_the_party_centre_is_a_body_of_its_own():
    got = roles_of("Tiêu đề", "Dự có đồng chí Phó Trưởng Ban dân vận Trung ương Đảng Hà Văn Tâm; ông Lê Văn Hải, "
                   "Ủy viên BCH Trung ương Đảng, Trưởng Ban Kinh tế TW Đảng; ông Ngô Văn Đức, Chủ nhiệm Ủy ban Kiểm tra "
                   "Trung ương Đảng.")
    assert {("Hà Văn Tâm", "Phó Trưởng Ban", "Ban Dân vận Trung ương"),
            ("Lê Văn Hải", "Trưởng Ban", "Ban Kinh tế Trung ương"),
            ("Ngô Văn Đức", "Chủ nhiệm", "Ủy ban Kiểm tra Trung ương")} <= got, got
    # the Central Committee itself, written in full or short, stays what it is
    assert ("Lê Văn Hải", "Ủy viên Ban Chấp hành", "Ban Chấp hành Trung ương Đảng") in got, got
    # a central body the lexicon names is that body, written with "Trung ương Đảng" or not
    found = facts("Tiêu đề", "Theo kết luận của Ban Bí thư T.Ư Đảng, các cấp thực hiện.", "Ban Bí thư chỉ đạo.")
    assert {m["entity_id"] for m in labelled(found, "AGENCY")} == {bodies.agency_id("Ban Bí thư")}


def test_a_title_whose_body_is_named_with_its_parent_after_of_then_the_name():
    got = roles_of("Tiêu đề", "Tham dự có Phó Chủ nhiệm Ủy ban Văn hóa, Giáo dục, Thanh niên, Thiếu niên và Nhi đồng "
                   "của Quốc hội Trần Văn Hưng; ông Lê Văn Hải, Chủ tịch UBND tỉnh.")
    assert ("Trần Văn Hưng", "Phó Chủ nhiệm", "Ủy ban Văn hóa, Giáo dục, Thanh niên, Thiếu niên và Nhi đồng") in got, got


def test_a_photo_caption_inside_a_portal_article_is_article_text():
    from pipeline.htmlpage import _densest
    counter = "".join(f"<tr><td>{d}</td></tr>" for d in "2432781")
    page = f"""<html><body><table><tr><td><table><tr><td>SỐ LƯỢT TRUY CẬP</td></tr>{counter}</table></td></tr>
    <tr><td><div>Ban Dân tộc HĐND tỉnh giám sát dự án</div><br><div><p>Sáng 10/9, Ban Dân tộc HĐND tỉnh Đắk Nông làm
    việc với Chi cục Phát triển nông thôn về các dự án ổn định dân cư.</p><table><tr><td><img src="/a/1.jpg"/></td>
    </tr><tr><td><p>Ông Trần Văn Bình, Phó trưởng Chi cục Phát triển nông thôn giải trình</p></td></tr></table>
    <p>Toàn tỉnh còn 12 dự án đang đầu tư dở dang, cần bố trí thêm vốn để hoàn thành.</p></div></td></tr></table>
    </body></html>"""
    heading, paragraphs = _densest(page)
    assert heading == "Ban Dân tộc HĐND tỉnh giám sát dự án"
    assert paragraphs[1] == "Ông Trần Văn Bình, Phó trưởng Chi cục Phát triển nông thôn giải trình"
    assert len(paragraphs) == 3 and paragraphs[2].startswith("Toàn tỉnh")
    # a share bar or a list of related articles beside a photo links elsewhere: no caption
    linked = page.replace("<p>Toàn tỉnh", '<div><a href="/s"><img src="/i.png"/>Chia sẻ</a></div><div><img src="/x.jpg"/>'
                          '<ul><li><a href="/r">Sáng 3/8, UBND tỉnh Gia Lai khởi công dự án</a></li></ul></div><p>Toàn tỉnh')
    assert _densest(linked)[1] == paragraphs


def test_the_bloc_committees_of_a_province_are_bodies_however_written():
    found = facts("Tiêu đề", "Đoàn viên học tập Nghị quyết Đại hội Đoàn TNCS Hồ Chí Minh Khối Các cơ quan tỉnh Yên Bái.",
                  "Thực hiện văn bản của Đoàn khối các cơ quan tỉnh và Đảng ủy Khối Doanh nghiệp tỉnh Yên Bái.")
    bodies_ = {m["text"]: m["entity_id"] for m in labelled(found, "AGENCY")}
    assert bodies_["Đoàn TNCS Hồ Chí Minh Khối Các cơ quan tỉnh Yên Bái"] == bodies_["Đoàn khối các cơ quan tỉnh"]
    assert "Đảng ủy Khối Doanh nghiệp tỉnh Yên Bái" in bodies_


def test_a_works_says_what_it_makes_in_lower_case_before_its_name():
    found = facts("Tiêu đề", "Nhà máy xi măng Bỉm Sơn và Xí nghiệp thi công cơ giới số 7 được khen; Hợp tác xã dịch vụ "
                  "nông nghiệp Tân Phú có 200 thành viên. Nhà máy đã đi vào hoạt động Quý 2.")
    assert {m["text"] for m in labelled(found, "AGENCY")} == {
        "Nhà máy xi măng Bỉm Sơn", "Xí nghiệp thi công cơ giới số 7", "Hợp tác xã dịch vụ nông nghiệp Tân Phú"}
    assert {m["text"] for m in labelled(facts("Tiêu đề", "Nhà máy thủy điện Sơn La phát điện."), "AGENCY")} == \
        {"Nhà máy thủy điện Sơn La"}
    # only what works make: a verb, an object or a person after the head is no name
    for sentence in ("Nhà máy hoạt động ổn định Tháng 5.", "Hợp tác xã bầu ông Nguyễn Văn An.", "Nhà máy nằm ở Bình "
                     "Dương.", "Hợp tác xã nông nghiệp ở xã Tân Phú.", "Hợp tác xã thuê kho số 5.", "Nhà máy sản xuất "
                     "linh kiện Samsung tuyển thêm.", "Xí nghiệp nhận Bằng khen."):
        assert not [m for m in labelled(facts("Tiêu đề", sentence), "AGENCY") if m["text"].startswith(
            ("Nhà máy", "Hợp tác xã", "Xí nghiệp"))], sentence


def test_titles_set_off_after_a_name_its_title_introduced_are_the_persons():
    got = roles_of("Tiêu đề", "Phó Thủ tướng Trương Văn Bình, Trưởng Ban Chỉ đạo 127 quốc gia chủ trì hội nghị.",
                   "Dự có Bộ trưởng Bộ Y tế Lê Văn Hải, Giám đốc Sở Y tế Ngô Văn Đức và các đại biểu.")
    assert ("Trương Văn Bình", "Trưởng Ban Chỉ đạo", "Ban Chỉ đạo 127 quốc gia") in got
    # titles followed by another name, or by a capitalised word that may start one, are not the first person's
    assert not {r for r in got if r[0] == "Lê Văn Hải" and r[1] != "Bộ trưởng"}


def test_a_dash_joins_two_capitalised_parts_of_one_name_not_two_bodies():
    found = facts("Tiêu đề", "Đài Phát thanh - Truyền hình tỉnh Nghệ An và Trung tâm Văn hóa - Thể thao huyện Gia Lâm "
                  "phối hợp; Sở Y tế - Sở Tài chính dự; Trung tâm Y tế huyện - Nguyễn Văn An phát biểu.")
    assert {m["text"] for m in labelled(found, "AGENCY")} >= {
        "Đài Phát thanh - Truyền hình tỉnh Nghệ An", "Trung tâm Văn hóa - Thể thao huyện Gia Lâm", "Sở Y tế",
        "Sở Tài chính", "Trung tâm Y tế huyện"}
    assert not any("Nguyễn" in m["text"] for m in labelled(found, "AGENCY"))


# ------------------------------------------------------------------ one body, named several ways

def _ids_by_text(*paragraphs):
    return {m["text"]: m["entity_id"] for m in labelled(facts(*paragraphs), "AGENCY")}


def test_a_council_written_bare_is_the_one_the_article_names_with_a_two_word_level():
    ids = _ids_by_text("Sáng 5/7, Hội đồng nhân dân thành phố Hải Phòng khai mạc kỳ họp thứ tư.",
                       "Các đại biểu Hội đồng nhân dân đã thảo luận tổ.")
    assert ids["Hội đồng nhân dân"] == ids["Hội đồng nhân dân thành phố Hải Phòng"]
    two = _ids_by_text("Hội đồng nhân dân thành phố Hải Phòng và Hội đồng nhân dân tỉnh Quảng Ninh họp liên tịch.",
                       "Các đại biểu Hội đồng nhân dân đã thảo luận tổ.")
    assert len(set(two.values())) == 3  # two councils named: the bare one is neither


def test_a_head_and_initials_are_the_body_the_article_spells_out():
    ids = _ids_by_text("Đài Tiếng nói Việt Nam và UBND tỉnh Gia Lai ký kết chương trình phối hợp.",
                       "Lãnh đạo Đài TNVN phát biểu tại buổi lễ.")
    assert ids["Đài TNVN"] == ids["Đài Tiếng nói Việt Nam"]


def test_an_association_at_its_central_level_is_the_association():
    ids = _ids_by_text("Trung ương Hội Cựu chiến binh Việt Nam tổ chức hội nghị tổng kết.",
                       "Hội Cựu chiến binh Việt Nam có hơn 3 triệu hội viên.",
                       "Hội Cựu chiến binh Việt Nam thành phố Hải Phòng báo cáo tham luận.")
    assert ids["Trung ương Hội Cựu chiến binh Việt Nam"] == ids["Hội Cựu chiến binh Việt Nam"]
    assert ids["Hội Cựu chiến binh Việt Nam thành phố Hải Phòng"] != ids["Hội Cựu chiến binh Việt Nam"]
