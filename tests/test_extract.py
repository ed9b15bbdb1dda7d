"""Extraction, pattern family by pattern family, on text written for the tests, then on our own
press releases in tests/docs/ (not seeds: the rules must generalise), then golden seed facts."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import check_golden
from pipeline import write
from pipeline.extract import extract
from pipeline.ingest import build_document, read_document
from pipeline.segment import segment

DOCS = Path(__file__).parent / "docs"


def facts(text: str):
    return extract(segment(build_document(text, "t.txt")))


def page(*paragraphs: str) -> str:
    return "\n\n".join(("Tiêu đề bài viết về hội nghị",) + paragraphs)


def labelled(found, label):
    return [m for m in found.rows["mentions"] if m["label"] == label]


def roles(found):
    names = {m["entity_id"]: m["normalized"] for m in labelled(found, "PERSON")}
    agencies = {m["entity_id"]: m["normalized"] for m in labelled(found, "AGENCY")}
    return {(names[r["person_id"]], r["title"], agencies.get(r["agency_id"])) for r in found.rows["roles"]}


# ------------------------------------------------------------------ persons and titles

def test_honorific_gives_name_and_gender():
    found = facts(page("Dự có bà Lê Thị Hồng Nhung và ông Phan Văn Mãi, anh Vi Văn Sáu cùng đồng chí Hà Văn Núi."))
    people = {(m["normalized"], (m["details"] or {}).get("gender")) for m in labelled(found, "PERSON")}
    assert people == {("Lê Thị Hồng Nhung", "female"), ("Phan Văn Mãi", "male"), ("Vi Văn Sáu", None),
                      ("Hà Văn Núi", None)}


def test_title_before_name_without_honorific():
    found = facts(page("Sáng 3/4, Phó Chủ tịch UBND tỉnh Kon Tum Nguyễn Văn Hòa làm việc với Bí thư Tỉnh ủy "
                       "Lê Quang Hưng."))
    assert roles(found) == {("Nguyễn Văn Hòa", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Kon Tum"),
                            ("Lê Quang Hưng", "Bí thư", "Tỉnh ủy Kon Tum")}


def test_appositive_chain_gives_one_role_per_title_and_borrows_the_agency():
    found = facts(page("Chủ trì có bà Đinh Thị Lan, Ủy viên Thường trực, Trưởng Ban Tuyên giáo Ủy ban MTTQ Việt Nam "
                       "tỉnh Yên Bái; ông Tạ Văn Long, Huyện ủy viên, Giám đốc Sở Y tế."))
    mttq = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Yên Bái"
    assert roles(found) == {("Đinh Thị Lan", "Ủy viên Thường trực", mttq),
                            ("Đinh Thị Lan", "Trưởng Ban Tuyên giáo", mttq),
                            ("Tạ Văn Long", "Huyện ủy viên", None),
                            ("Tạ Văn Long", "Giám đốc", "Sở Y tế tỉnh Yên Bái")}


def test_a_title_after_an_election_verb():
    found = facts(page("Bà Võ Thị Bé Năm tái đắc cử Chủ tịch Hội Chữ thập đỏ huyện Long Hồ; ông Lê Văn Bảy làm việc "
                       "với Sở Y tế."))
    assert roles(found) == {("Võ Thị Bé Năm", "Chủ tịch", "Hội Chữ thập đỏ huyện Long Hồ")}


def test_a_list_of_people_after_a_colon_and_titles_before_an_honorific():
    found = facts(page("Dự lễ có các đồng chí: Thái Thanh Quý, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy; Võ Thị Minh "
                       "Sinh, Chủ tịch Ủy ban MTTQ tỉnh Nghệ An. Tiếp đoàn có Phó Chủ tịch UBND tỉnh, đồng chí "
                       "Hoàng Quốc Khánh."))
    assert roles(found) == {("Thái Thanh Quý", "Ủy viên Trung ương Đảng", None),
                            ("Thái Thanh Quý", "Bí thư", "Tỉnh ủy Nghệ An"),
                            ("Võ Thị Minh Sinh", "Chủ tịch", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Nghệ An"),
                            ("Hoàng Quốc Khánh", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Nghệ An")}


def test_a_name_after_a_department_and_a_title_without_its_body():
    found = facts(page("Đoàn công tác của Bộ Tài nguyên và Môi trường do Thứ trưởng Lê Công Thành dẫn đầu làm việc "
                       "tại tỉnh Lào Cai. Giám đốc Sở Tài nguyên và Môi trường Nguyễn Hữu Thể báo cáo."))
    assert roles(found) == {("Lê Công Thành", "Thứ trưởng", "Bộ Tài nguyên và Môi trường"),
                            ("Nguyễn Hữu Thể", "Giám đốc", "Sở Tài nguyên và Môi trường tỉnh Lào Cai")}


def test_title_fragments_slogans_and_bylines_are_not_persons():
    found = facts(page("Ông Vũ Đức Tâm, Thành ủy viên, dự lễ phát động phong trào “Tuổi cao – Gương sáng”.",
                       "Tin, ảnh: Ngọc Anh"))
    assert [m["normalized"] for m in labelled(found, "PERSON")] == ["Vũ Đức Tâm"]


def test_foreign_names_do_not_break_the_pattern():
    found = facts(page("Tiếp bà Khamphao Ernthavanh - Đại sứ Lào và ông Dato’ Tan Yang Thai - Đại sứ Malaysia."))
    assert {m["normalized"] for m in labelled(found, "PERSON")} == {"Khamphao Ernthavanh", "Dato’ Tan Yang Thai"}


def test_namesakes_in_different_provinces_are_different_persons():
    a = facts(page("Ông Nguyễn Văn Hùng, Giám đốc Sở Xây dựng tỉnh Cà Mau phát biểu tại tỉnh Cà Mau."))
    b = facts(page("Ông Nguyễn Văn Hùng, Giám đốc Sở Xây dựng tỉnh Sơn La phát biểu tại tỉnh Sơn La."))
    c = facts(page("Ông Nguyễn Văn Hùng, Giám đốc Sở Xây dựng dự họp tại tỉnh Cà Mau."))
    ids = [labelled(f, "PERSON")[0]["entity_id"] for f in (a, b, c)]
    assert ids[0] != ids[1] and ids[0] == ids[2]


# ------------------------------------------------------------------ agencies

def test_abbreviation_defined_in_the_text_links_to_its_agency():
    found = facts(page("Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bến Tre (UBMTTQVN) và Sở Khoa học và "
                       "Công nghệ (KH&CN) ký kết. UBMTTQVN các huyện và Sở KH&CN sẽ triển khai."))
    ids = {}
    for m in labelled(found, "AGENCY"):
        ids.setdefault(m["text"], set()).add(m["entity_id"])
    assert ids["UBMTTQVN"] == ids["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bến Tre"] if \
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bến Tre" in ids else len(ids["UBMTTQVN"]) == 1
    assert ids["KH&CN"] == ids["Sở KH&CN"] == ids["Sở Khoa học và Công nghệ"]
    canonical = {m["text"]: m["normalized"] for m in labelled(found, "AGENCY")}
    assert canonical["UBMTTQVN"] == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bến Tre"
    assert canonical["Sở KH&CN"] == "Sở Khoa học và Công nghệ tỉnh Bến Tre"


def test_sub_unit_gets_its_parent():
    found = facts(page("Văn phòng Sở Nội vụ và Ban Phong trào cơ quan Ủy ban MTTQ tỉnh phối hợp tại tỉnh Hòa Bình."))
    by_text = {m["text"]: m for m in labelled(found, "AGENCY")}
    office = by_text["Văn phòng Sở Nội vụ"]
    assert office["normalized"] == "Văn phòng Sở Nội vụ tỉnh Hòa Bình"
    parent = dict(office["details"])["parent_id"]
    assert parent == next(m["entity_id"] for m in labelled(found, "AGENCY") if m["normalized"] == "Sở Nội vụ tỉnh Hòa Bình")
    assert by_text["Ban Phong trào cơ quan Ủy ban MTTQ tỉnh"]["normalized"] == \
        "Ban Phong trào Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hòa Bình"


def test_venue_is_not_an_agency_but_the_department_inside_is():
    found = facts(page("Hội nghị diễn ra tại Hội trường Sở Tài chính tỉnh Gia Lai."))
    assert [m["text"] for m in labelled(found, "AGENCY")] == ["Sở Tài chính tỉnh Gia Lai"]


def test_bare_department_belongs_to_the_article_province():
    found = facts(page("Sở Công Thương phối hợp với Hội Cựu chiến binh tổ chức tập huấn tại tỉnh Bắc Ninh."))
    assert {m["normalized"] for m in labelled(found, "AGENCY")} == {
        "Sở Công Thương tỉnh Bắc Ninh", "Hội Cựu chiến binh tỉnh Bắc Ninh"}


def test_no_agency_inside_a_title_or_a_document_number():
    found = facts(page("Ông Lý Văn Tám, Thành ủy viên, dự. Thực hiện Quyết định số 15/QĐ-UBND của tỉnh Bình Định."))
    assert labelled(found, "AGENCY") == []


def test_degrees_and_ranks_before_a_name():
    found = facts(page("Dự có ThS. Nguyễn Thị Lan Anh, PGS. TS Trần Văn Bình và Đại úy Phạm Văn Em."))
    assert {m["normalized"] for m in labelled(found, "PERSON")} == {
        "Nguyễn Thị Lan Anh", "Trần Văn Bình", "Phạm Văn Em"}


def test_names_of_bodies_take_the_lower_case_syllables_of_their_words():
    found = facts(page("Trung tâm Y tế huyện Mường Tè, Bệnh viện Đa khoa tỉnh và Trung tâm Văn hóa, Thể thao và "
                       "Truyền thông huyện phối hợp với Hội Đoàn kết Sư sãi yêu nước tỉnh Sóc Trăng."))
    texts = {m["text"] for m in labelled(found, "AGENCY")}
    assert {"Trung tâm Y tế huyện Mường Tè", "Bệnh viện Đa khoa tỉnh",
            "Trung tâm Văn hóa, Thể thao và Truyền thông huyện",
            "Hội Đoàn kết Sư sãi yêu nước tỉnh Sóc Trăng"} <= texts


def test_national_bodies_and_short_forms_of_places():
    found = facts(page("Sáng 3/4, Ủy ban MTTQ Việt Nam TP.HCM nhận Bằng khen của Trung ương Hội Nông dân Việt Nam; "
                       "Sở Y tế Hà Nội và Chi nhánh NHCSXH tỉnh cùng dự."))
    names = {m["text"]: m["normalized"] for m in labelled(found, "AGENCY")}
    assert names["Ủy ban MTTQ Việt Nam TP.HCM"] == "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hồ Chí Minh"
    assert names["Trung ương Hội Nông dân Việt Nam"] == "Hội Nông dân Việt Nam"  # its central level is the association
    assert names["Sở Y tế Hà Nội"] == "Sở Y tế thành phố Hà Nội"
    assert names["Chi nhánh NHCSXH tỉnh"].startswith("Ngân hàng Chính sách xã hội ")  # the branch is the bank's


def test_a_body_named_with_and_without_its_district_is_one_body():
    found = facts(page("UBND huyện Mường Tè và Hạt Kiểm lâm huyện tổ chức lễ. Phó Chủ tịch UBND huyện Lỳ Xá Hừ và "
                       "Bí thư Huyện ủy Mường Tè Lò Văn Chiến dự."))
    ids = {m["text"]: m["entity_id"] for m in labelled(found, "AGENCY")}
    assert ids["UBND huyện"] == ids["UBND huyện Mường Tè"]
    assert {m["normalized"] for m in labelled(found, "AGENCY") if m["text"] == "Hạt Kiểm lâm huyện"} == {
        "Hạt Kiểm lâm huyện Mường Tè"}
    assert roles(found) == {("Lỳ Xá Hừ", "Phó Chủ tịch", "Ủy ban nhân dân huyện Mường Tè"),
                            ("Lò Văn Chiến", "Bí thư", "Huyện ủy Mường Tè")}


def test_a_place_that_runs_on_into_a_name_is_not_a_place():
    found = facts(page("Dự có Phó Chủ tịch HĐND thành phố Phùng Thị Hồng Hà tại Hà Nội."))
    assert {m["normalized"] for m in labelled(found, "PERSON")} == {"Phùng Thị Hồng Hà"}
    assert "Phùng" not in {m["normalized"] for m in labelled(found, "LOCATION")}


# ------------------------------------------------------------------ dates

@pytest.mark.parametrize("text, expected", [
    ("Ngày 05/03/2023, hội nghị diễn ra.", (2023, 3, 5, None)),
    ("Sáng 7-8-2022, hội nghị diễn ra.", (2022, 8, 7, "sáng")),
    ("Ngày 09.10.2021, hội nghị diễn ra.", (2021, 10, 9, None)),
    ("Tối ngày 22 tháng 12 năm 2020, hội nghị diễn ra.", (2020, 12, 22, "tối")),
    ("Trong tháng 12/2020, hội nghị diễn ra.", (2020, 12, None, None)),
])
def test_date_formats(text, expected):
    (row,) = facts(page(text)).rows["dates"]
    assert (row["year"], row["month"], row["day"], row["part_of_day"]) == expected
    assert row["year_source"] == "explicit"


def test_a_ratio_is_not_a_date():
    assert facts(page("Đạt 3/4 chỉ tiêu đề ra trong năm.")).rows["dates"] == []


def _event(found):
    return next(r for r in found.rows["dates"] if r["kind"] == "event")


def test_year_from_the_publication_date_goes_back():
    found = facts("Tiêu đề hội nghị\n\nNgày đăng: 10/01/2024\n\nChiều 28/12, Hội nghị tổng kết diễn ra.")
    assert _event(found)["date"] == date(2023, 12, 28) and _event(found)["year_source"] == "published"
    assert found.event_date == date(2023, 12, 28)


def test_year_from_the_latest_full_date_goes_forward():
    found = facts(page("Sáng 9/2, hội nghị triển khai kế hoạch đã ban hành ngày 20/12/2023."))
    assert _event(found)["date"] == date(2024, 2, 9) and _event(found)["year_source"] == "full_date"


def test_a_cited_documents_date_bounds_the_year_from_below():
    found = facts(page("Sáng 9/2, hội nghị triển khai Kế hoạch số 12/KH-UBND ngày 20/12/2023."))
    assert _event(found)["date"] == date(2024, 2, 9) and _event(found)["year_source"] == "cited_date"
    found = facts(page("Sáng 9/2, hội nghị triển khai Kế hoạch số 12/KH-UBND ngày 20/12/2023; ông A sinh ngày "
                       "3/5/1970 và sẽ nghỉ hưu ngày 1/6/2030."))
    assert _event(found)["date"] == date(2024, 2, 9)


def test_a_document_whose_implementation_is_reviewed_is_old_and_gives_no_year():
    found = facts(page("Sáng 26/5, đoàn công tác kiểm tra việc thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 "
                       "của Bộ Chính trị tại tỉnh."))
    assert _event(found)["date"] is None and _event(found)["month"] == 5 and found.event_date is None
    found = facts(page("Chiều 14/1, hội nghị sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016."))
    assert _event(found)["date"] is None
    # one being trained on is recent: the next such day
    found = facts(page("Chiều 14/1, hội nghị tập huấn các nội dung của Kế hoạch phối hợp số 14/KH-MTTQ "
                       "ngày 28/12/2022."))
    assert _event(found)["date"] == date(2023, 1, 14)


def test_year_from_a_period_being_closed_and_one_opened():
    found = facts(page("Sáng 15/1, Hội nghị tổng kết chương trình giai đoạn 2019 – 2023 và ký kết giai đoạn "
                       "2024 – 2028."))
    assert _event(found)["date"] == date(2024, 1, 15) and _event(found)["year_source"] == "period_closed"
    found = facts(page("Chiều 20/12, Lễ ký kết chương trình phối hợp giai đoạn 2025 - 2030 diễn ra."))
    assert _event(found)["date"] == date(2024, 12, 20) and _event(found)["year_source"] == "period_opened"


def test_year_from_year_statements():
    found = facts(page("Sáng 10/2, Hội nghị đánh giá kết quả công tác năm 2022, triển khai nhiệm vụ năm 2023."))
    assert _event(found)["date"] == date(2023, 2, 10)


def test_year_from_the_nearest_full_date_a_deadline_or_an_old_law():
    found = facts(page("Chiều 17/12, hội nghị bàn việc hoàn thành kế hoạch trước ngày 31/12/2024."))
    assert _event(found)["date"] == date(2024, 12, 17)
    found = facts(page("Sáng 5/3, Lễ ký kết chương trình giai đoạn 2024 - 2028 thực hiện Luật ngày 20/6/2012."))
    assert _event(found)["date"] == date(2024, 3, 5) and _event(found)["year_source"] == "period_opened"


def test_interim_reviews():
    found = facts(page("Sáng 12/7, Hội nghị sơ kết 3 năm thực hiện Chương trình phối hợp giai đoạn 2020 - 2025."))
    assert _event(found)["date"] == date(2023, 7, 12)
    found = facts(page("Sáng 25-10, Hội nghị sơ kết giữa nhiệm kỳ 2021 – 2026 diễn ra."))
    assert _event(found)["date"] is None and _event(found)["month"] == 10
    found = facts(page("Sáng 12/7, Hội nghị sơ kết công tác 6 tháng đầu năm 2024."))
    assert _event(found)["date"] == date(2024, 7, 12)


@pytest.mark.parametrize("lead", ["(TTXVN) - Sáng 12/7", "ĐBP – Sáng 12/7", "Vào sáng 12/7", "Sáng nay (12/7)"])
def test_the_event_date_after_a_source_tag(lead):
    found = facts("Tiêu đề hội nghị\n\nNgày đăng: 15/07/2023\n\n" + lead + ", hội nghị diễn ra.")
    assert found.event_date == date(2023, 7, 12)


def test_coordinated_days_and_a_congress_that_opens_its_term():
    found = facts(page("Trong hai ngày 5 và 6/9/2024, Sở Văn hóa tổ chức Hội thảo."))
    assert {r["date"] for r in found.rows["dates"]} == {date(2024, 9, 5), date(2024, 9, 6)}
    assert found.event_date == date(2024, 9, 5)
    found = facts(page("Ngày 15/5, Hội Chữ thập đỏ huyện tổ chức Đại hội đại biểu lần thứ VI, nhiệm kỳ 2022 - 2027."))
    assert found.event_date == date(2022, 5, 15)


def test_no_evidence_leaves_the_year_unknown():
    found = facts(page("Chiều 14/1, hội nghị tập huấn diễn ra tại tỉnh Tây Ninh."))
    row = _event(found)
    assert (row["date"], row["year"], row["month"], row["day"], row["year_source"]) == (None, None, 1, 14, None)
    assert found.event_date is None


# ------------------------------------------------------------------ periods, counts, legal references, events

def test_periods_in_every_dash():
    found = facts(page("Giai đoạn 2021 – 2025, nhiệm kỳ 2019-2024, thời kỳ 2016—2020 và Kế hoạch năm 2023."))
    assert {(p["start_year"], p["end_year"]) for p in found.rows["periods"]} == {
        (2021, 2025), (2019, 2024), (2016, 2020), (2023, 2023)}


def test_counts_number_words_coordination_and_categories():
    found = facts(page("Xây dựng 1.200 mô hình, hai mươi lăm hộ được hỗ trợ; 05 tập thể và 08 cá nhân được "
                       "tặng Giấy khen; ba cơ quan phối hợp."))
    got = {(c["value"], c["unit"], c["category"]) for c in found.rows["counts"]}
    assert got == {(1200, "mô hình", "model"), (25, "hộ", "other"), (5, "tập thể", "award"),
                   (8, "cá nhân", "award"), (3, "cơ quan", "other")}


def test_awards_written_with_capitals_are_counted():
    found = facts(page("Giám đốc trao 15 Giấy khen cho các tập thể; tặng 3 Bằng khen; 5 Sở cùng tham gia."))
    assert {(c["value"], c["unit"], c["category"]) for c in found.rows["counts"]} == {
        (15, "Giấy khen", "award"), (3, "Bằng khen", "award")}


def test_ordinals_identifiers_years_percentages_are_not_counts():
    found = facts(page("Kỳ họp thứ 10 thông qua tiêu chí số 17, lần thứ 25 năm 2024, đạt 95% dân số, "
                       "phòng, chống COVID-19 và một số mô hình."))
    assert found.rows["counts"] == []


def test_legal_references_with_kind_and_date():
    found = facts(page("Theo Quyết định số 1234/QĐ-UBND ngày 02/3/2024, Nghị quyết 35-NQ/TW và "
                       "Luật Đất đai số 31/2024/QH15 được thông qua ngày 18/01/2024."))
    refs = {r["number"]: (r["kind"], r["date"]) for r in found.rows["legal_refs"]}
    assert refs == {"1234/QĐ-UBND": ("Quyết định", date(2024, 3, 2)), "35-NQ/TW": ("Nghị quyết", None),
                    "31/2024/QH15": ("Luật", date(2024, 1, 18))}


def test_events_of_the_lead():
    found = facts(page("Sáng 5/5/2024, Sở Y tế tổ chức Hội nghị sơ kết theo hình thức trực tuyến và ký kết kế hoạch."))
    assert {(e["type"], e["format"]) for e in found.rows["events"]} == {("Hội nghị sơ kết", "trực tuyến"),
                                                                          ("Ký kết", None)}


def test_nothing_is_taken_from_boilerplate():
    found = facts("Tiêu đề\n\nNội dung chính của bài.\n\nTin liên quan\n\nNgày 20/11, Chủ tịch UBND tỉnh Hoàng "
                  "Văn An chủ trì Hội nghị giai đoạn 2021 - 2025 theo Quyết định số 1/QĐ-UBND.")
    assert all(not found.rows[t] for t in ("dates", "periods", "counts", "legal_refs", "events", "roles"))


# ------------------------------------------------------------------ our own press releases

def test_own_document_quang_ngai():
    doc = read_document(DOCS / "quang_ngai_hoi_lhpn.txt")
    found = extract(segment(doc))
    assert found.province == "Quảng Ngãi" and doc.authors == ["Minh Châu"]
    assert found.event_date == date(2024, 1, 12)
    assert roles(found) == {("Võ Thị Mai", "Tỉnh ủy viên", None),
                            ("Võ Thị Mai", "Chủ tịch", "Hội Liên hiệp Phụ nữ tỉnh Quảng Ngãi"),
                            ("Trần Phước Hiền", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
                            ("Đặng Văn Minh", "Chủ tịch", "Ủy ban nhân dân tỉnh Quảng Ngãi")}
    lhpn = {m["entity_id"] for m in labelled(found, "AGENCY") if "LHPN" in m["text"] or "Phụ nữ" in m["text"]}
    assert len(lhpn) == 1
    assert {(c["value"], c["category"]) for c in found.rows["counts"]} == {
        (45, "model"), (1200, "other"), (25, "other"), (12, "award"), (20, "award")}
    assert [r["number"] for r in found.rows["legal_refs"]] == ["123/QĐ-UBND"]


def test_own_document_without_year_evidence():
    doc = read_document(DOCS / "dien_bien_tap_huan.txt")
    found = extract(segment(doc))
    assert found.province == "Điện Biên" and found.event_date is None and doc.authors == ["Thu Hà"]
    assert roles(found) == {("Lò Văn Pùng", "Phó Chủ tịch", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Điện Biên")}
    assert {(c["value"], c["unit"]) for c in found.rows["counts"]} == {(150, "cán bộ"), (3, "chuyên đề")}


def test_own_document_with_boilerplate_and_abbreviations():
    doc = read_document(DOCS / "nghe_an_ky_ket.txt")
    found = extract(segment(doc))
    assert found.province == "Nghệ An" and found.event_date == date(2023, 11, 20)
    assert roles(found) == {("Hoàng Quốc Việt", "Giám đốc", "Sở Tài nguyên và Môi trường tỉnh Nghệ An"),
                            ("Nguyễn Văn Đệ", "Chủ tịch", "Hội Nông dân tỉnh Nghệ An")}
    sotn = {m["entity_id"] for m in labelled(found, "AGENCY") if "TN&MT" in m["text"] or "Tài nguyên" in m["text"]}
    assert len(sotn) == 1
    assert "Nguyễn Đức Trung" not in {m["normalized"] for m in labelled(found, "PERSON")}
    assert {(p["start_year"], p["end_year"]) for p in found.rows["periods"]} == {(2023, 2028)}
    assert {(c["value"], c["unit"]) for c in found.rows["counts"]} == {(2, "bên"), (10, "mô hình"), (2, "đơn vị")}


# ------------------------------------------------------------------ seeds: golden fact tables

def test_golden_facts_of_the_seeds(seed_out, update_golden):
    docs = {d["doc_id"]: d["source_file"] for d in write.read(seed_out, "documents").to_pylist()}
    persons = {p["person_id"]: p for p in write.read(seed_out, "persons").to_pylist()}
    agencies = {a["agency_id"]: a for a in write.read(seed_out, "agencies").to_pylist()}
    for doc_id, name in docs.items():
        def rows(table, *cols):
            return sorted([[r[c] for c in cols] for r in write.read(seed_out, table).to_pylist() if r["doc_id"] == doc_id],
                          key=str)
        check_golden(f"{name}.facts", {
            "roles": sorted([[persons[r["person_id"]]["full_name"], r["title"],
                              agencies.get(r["agency_id"], {}).get("name")]
                             for r in write.read(seed_out, "roles").to_pylist() if r["doc_id"] == doc_id], key=str),
            "mentions": rows("mentions", "label", "text", "normalized"),
            "dates": rows("dates", "text", "date", "month", "day", "kind", "year_source"),
            "periods": rows("periods", "text", "start_year", "end_year"),
            "counts": rows("counts", "text", "value", "unit", "category"),
            "legal_refs": rows("legal_refs", "number", "kind", "date"),
            "events": rows("events", "type", "date", "format"),
            "programmes": _programmes(seed_out, doc_id, agencies),
        }, update_golden)


def _programmes(out, doc_id: str, agencies: dict) -> list:
    """Each programme of the document: kind, period, number, party names, (action, date) pairs."""
    def of(table):
        return [r for r in write.read(out, table).to_pylist() if r["doc_id"] == doc_id]
    parties, actions = of("programme_parties"), of("programme_actions")
    return sorted([[p["kind"], p["start_year"], p["end_year"], p["number"], p["text"],
                    sorted(agencies[x["agency_id"]]["name"] for x in parties if x["mention_id"] == p["mention_id"]),
                    sorted([a["action"], str(a["date"])] for a in actions if a["mention_id"] == p["mention_id"])]
                   for p in of("programmes")], key=str)


def test_output_invariants(seed_out):
    """Offsets index the text; every id referenced exists; nothing comes from boilerplate."""
    texts = {d["doc_id"]: d["text"] for d in write.read(seed_out, "documents").to_pylist()}
    kinds = {(b["doc_id"], b["block_idx"]): b["kind"] for b in write.read(seed_out, "blocks").to_pylist()}
    for table in ("blocks", "sentences", "tokens", "mentions"):
        for r in write.read(seed_out, table).to_pylist():
            assert texts[r["doc_id"]][r["char_start"]:r["char_end"]] == r["text"], (table, r)
    persons = {p["person_id"] for p in write.read(seed_out, "persons").to_pylist()}
    agencies = {a["agency_id"]: a for a in write.read(seed_out, "agencies").to_pylist()}
    for r in write.read(seed_out, "roles").to_pylist():
        assert r["person_id"] in persons and (r["agency_id"] is None or r["agency_id"] in agencies)
    assert all(a["parent_id"] is None or a["parent_id"] in agencies for a in agencies.values())
    for m in write.read(seed_out, "mentions").to_pylist():
        if m["block_idx"] is not None:
            assert kinds[(m["doc_id"], m["block_idx"])] != "boilerplate"
        if m["label"] in ("PERSON", "AGENCY"):
            assert m["entity_id"] in (persons if m["label"] == "PERSON" else agencies)
