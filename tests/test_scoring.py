"""The scorer's matching rules (FORMAT.md, "How it is scored"), floors and pinning."""
from __future__ import annotations

import json

import pytest

from pipeline.evaluate import Score, match, post, relaxed, same_role
from pipeline.scorecard import check_floors, pin
from pipeline.scoring import score, split, violations


def role(name, title, agency=None, **kw):
    return {"name": name, "title": title, "agency": agency, **kw}


def test_either_title_may_be_a_prefix_of_the_others_post():
    assert same_role(role("A", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh X"), role("A", "Phó Chủ tịch UBND tỉnh"))
    assert same_role(role("A", "Phó Chủ tịch"), role("A", "Phó Chủ tịch Thường trực", "Hội Nông dân"))
    assert not same_role(role("A", "Phó Chủ tịch"), role("B", "Phó Chủ tịch"))
    assert not same_role(role("A", "Chủ tịch", "Ủy ban nhân dân"), role("A", "Phó Chủ tịch", "Ủy ban nhân dân"))


def test_the_head_of_a_board_written_either_way_is_one_post():
    board = role("A", "Trưởng Ban", "Ban Tổ chức Trung ương")
    of_committee = role("A", "Trưởng Ban Tổ chức", "Ban Chấp hành Trung ương")
    assert post("Trưởng Ban", "Ban Tổ chức Trung ương") == post("Trưởng Ban Tổ chức", "Trung ương")
    assert same_role(board, of_committee) and same_role(of_committee, board)
    assert not same_role(role("A", "Phó Trưởng Ban", "Ban Tổ chức Trung ương"), of_committee)


def test_abbreviations_inside_a_title_are_their_expansion():
    assert same_role(role("A", "Ủy viên Ban Chấp hành Trung ương Đảng"), role("A", "Ủy viên BCH T.Ư Đảng"))
    assert same_role(role("A", "Ủy viên BCH TW Đảng"), role("A", "Ủy viên Ban Chấp hành Trung ương Đảng"))


def test_relaxed_agency_spans_need_sixty_percent_of_the_longer():
    assert relaxed("Sở Tài nguyên và Môi trường", "Sở Tài nguyên và Môi trường tỉnh Lào Cai")
    assert not relaxed("Sở Y tế", "Sở Y tế tỉnh Thừa Thiên Huế")
    assert relaxed("UBND  tỉnh", "ubnd tỉnh")


def test_optional_gold_items_count_neither_way_and_duplicates_merge():
    s = Score()
    gold = [{"name": "A"}, {"name": "B", "optional": True}, {"name": "C", "optional": True}]
    match(s, "d", gold, ["A", "A", "B", "X"], lambda g, p: g["name"] == p, str)
    assert (s.tp, s.fp, s.fn) == (1, 1, 0) and s.false_positives == ["d: X"]


def test_exact_pairs_are_matched_before_relaxed_ones():
    s = Score()
    gold = [role("A", "Phó Chủ tịch"), role("A", "Phó Chủ tịch Thường trực")]
    pred = [role("A", "Phó Chủ tịch Thường trực"), role("A", "Phó Chủ tịch")]
    match(s, "d", gold, pred, same_role, str, exact=lambda g, p: g["title"] == p["title"])
    assert (s.tp, s.fp, s.fn) == (2, 0, 0)
    greedy = Score()
    match(greedy, "d", gold, pred, lambda g, p: p["title"].startswith(g["title"]), str)
    assert greedy.tp == 1  # the greedy reading takes the longer title for the first gold item


def _gold(**kw):
    return {"source_file": "a.txt", "title": "T", "province": None, "published_date": None, "event_date": None,
            "authors": [], **kw}


def _pred(**kw):
    base = {"document": {"title": "T", "province": None, "published_date": None, "event_date": None, "authors": []},
            "mentions": [], "persons": [], "roles": [], "agency_mentions": [], "locations": [], "dates": [],
            "periods": [], "counts": [], "legal_refs": [], "events": []}
    return {"a.txt": {**base, **kw}}


def test_a_post_whose_gold_agency_is_null_is_not_scored_for_its_agency():
    gold = [_gold(persons=[{"name": "A", "roles": [{"title": "Thứ trưởng", "agency": None},
                                                    {"title": "Giám đốc", "agency": "Sở Y tế tỉnh X"}]}])]
    pred = _pred(roles=[role("A", "Thứ trưởng", "Bộ Y tế"), role("A", "Giám đốc", "Sở Y tế tỉnh X")])
    facts = score(gold, pred)["facts"]
    assert (facts["role"]["tp"], facts["role_agency"]["tp"], facts["role_agency"]["fp"]) == (2, 1, 0)


def test_must_not_extract_is_the_listed_text_not_any_piece_of_it():
    mentions = [{"label": "PERSON", "text": "quận Nguyễn Văn A", "normalized": "quận Nguyễn Văn A"},
                {"label": "COUNT", "text": "2 tổ chức", "normalized": "2"}]
    must_not = [{"label": "PERSON", "text": "quận Nguyễn Văn A"}, {"label": "PERSON", "text": "Nguyễn Văn"},
                {"label": "COUNT", "text": "2 tổ chức"}, {"label": "AGENCY", "text": "2 tổ chức"}]
    assert len(violations("a.txt", must_not, mentions)) == 2


def test_the_held_out_part_is_every_nth_file_by_name():
    golds = [{"source_file": f"{c}.txt"} for c in "hgfedcba"]
    tune, held = split(golds, 4)
    assert [g["source_file"] for g in held] == ["d.txt", "h.txt"] and len(tune) == 6


def test_pinning_refuses_to_lower_a_floor_unless_told(tmp_path):
    report = {"facts": {"person": {"f1": 0.876}}, "fields": {"title": {"correct": 9, "total": 10}},
              "must_not_extract_violations": [], "missing_documents": []}
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"facts": {"person": 0.9}, "fields": {"title": 9}}))
    assert pin(report, floors) == ["person: 0.9 -> 0.87"]
    assert json.loads(floors.read_text())["facts"]["person"] == 0.9
    assert pin(report, floors, allow_lower=True) == []
    pinned = json.loads(floors.read_text())
    assert pinned == {"facts": {"person": 0.87}, "fields": {"title": 9}, "max_violations": 0}
    assert check_floors(report, pinned) == []
    assert check_floors(report, {"facts": {"person": 0.88}}) == ["person F1 0.876 < 0.88"]


@pytest.mark.parametrize("gold_unit, pred_unit, ok", [("tập thể", "tập thể", True), ("xã, phường", "xã", True),
                                                      ("cá nhân", "tập thể", False)])
def test_count_units_match_by_prefix(gold_unit, pred_unit, ok):
    gold = [_gold(counts=[{"value": 5, "unit": gold_unit, "category": "award"}])]
    pred = _pred(counts=[{"value": 5, "unit": pred_unit, "category": "award"}])
    assert score(gold, pred)["facts"]["count"]["tp"] == ok


def test_a_place_written_several_ways_is_one_gold_place():
    gold = [_gold(locations=["Hải Phòng", "thành phố Hải Phòng", "TP.Hải Phòng", "TP.HCM", "Thủ đô"])]
    pred = _pred(locations=["Hải Phòng", "Hồ Chí Minh", "Hà Nội"])
    facts = score(gold, pred)["facts"]["location"]
    assert (facts["tp"], facts["fp"], facts["fn"]) == (3, 0, 0)
