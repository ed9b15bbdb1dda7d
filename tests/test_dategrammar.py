"""One date grammar: the page's date line (ingest) and dates in the text (extract) read alike."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.dategrammar import is_date_line, page_date
from pipeline.ingest import build_document
from pipeline.rules import Rules


@pytest.mark.parametrize("line, when, only_a_date", [
    ("Thứ Hai, 15/07/2023 10:30", date(2023, 7, 15), True),
    ("(21.03.2020 10:05)", date(2020, 3, 21), True),
    ("thứ hai, 14 10 2019 09:12", date(2019, 10, 14), True),
    ("ngày 22 tháng 12 năm 2020", date(2020, 12, 22), True),
    ("10:05 AM GMT+7, CN 05-01-2025", date(2025, 1, 5), True),
    ("Ngày đăng: 30/10/2017", date(2017, 10, 30), False),
    ("Chiều ngày 11/4/2019, tại Hội trường", date(2019, 4, 11), False),
    ("Số: 35/BC-HĐND", None, False),
    ("31/02/2020", None, False),
])
def test_a_page_date_line(line, when, only_a_date):
    rules = Rules.default()
    assert page_date(line, rules) == when
    assert is_date_line(line, rules) == only_a_date


def test_the_page_date_line_gives_the_published_date_and_year_less_dates_their_year():
    doc = build_document("Hội nghị tổng kết\n\nthứ hai, 14 10 2019 09:12\n\nSáng 12/10, Hội Nông dân tỉnh tổ chức "
                         "hội nghị tổng kết.", "t.txt")
    assert [b.kind for b in doc.blocks] == ["title", "dateline", "body"]
    assert doc.published_date == date(2019, 10, 14)
