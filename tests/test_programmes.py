"""Cooperation programmes (issue 17): extraction on the seeds and on press releases of our own
(tests/programmes, gold in tests/programmes_gold), one id across documents, the scoring rules,
the tables' invariants and `vnpress programmes`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SEEDS
from pipeline import write
from pipeline.cli import main
from pipeline.evaluate import Score, load_predictions
from pipeline.programme_ids import resolve
from pipeline.programme_scoring import FACTS, score_programmes, with_programmes
from pipeline.rules import Rules, RulesError
from pipeline.runner import run
from pipeline.scorecard import check_floors
from pipeline.scoring import load_golds, score

OWN = ROOT / "tests" / "programmes"
OWN_GOLD = ROOT / "tests" / "programmes_gold"


@pytest.fixture(scope="module")
def own_programmes(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("own_programmes")
    assert run([OWN], out, engine="serial", workers=1).n_failed == 0
    return out


def _lives(out: Path) -> list[dict]:
    return write.read(out, "programme_lives").to_pylist()


def _programme_ids(out: Path, source_file: str) -> set[str]:
    docs = {d["doc_id"]: d["source_file"] for d in write.read(out, "documents").to_pylist()}
    return {p["programme_id"] for p in write.read(out, "programmes").to_pylist() if docs[p["doc_id"]] == source_file}


# ------------------------------------------------------------------ extraction, scored

def test_our_own_press_releases_meet_their_floors(own_programmes):
    report = score(load_golds(OWN_GOLD), with_programmes(load_predictions(own_programmes), own_programmes),
                   facts=FACTS, fields=False)
    floors = json.loads((ROOT / "tests" / "programmes_floors.json").read_text(encoding="utf-8"))
    assert check_floors(report, floors) == [], {f: s["misses"] + s["false_positives"] for f, s in report["facts"].items()}
    # the same through `vnpress eval --facts` (what `make eval` runs); an unknown fact type is refused
    args = ["eval", "--gold", str(OWN_GOLD), "--out", str(own_programmes), "--facts", ",".join(FACTS)]
    result = CliRunner().invoke(main, args + ["--floors", str(ROOT / "tests" / "programmes_floors.json")],
                                catch_exceptions=False)
    assert result.exit_code == 0 and "programme_party" in result.output and "person " not in result.output
    assert CliRunner().invoke(main, args[:-1] + ["programme,persons"]).exit_code == 2


def test_what_is_not_an_instrument_gives_no_programme(own_programmes, own_out):
    """An emulation pledge (giao ước thi đua) and two bodies organising one contest together are no
    instrument; neither is a programme named only in the related-news list (tests/docs)."""
    assert _programme_ids(own_programmes, "quang_binh_giao_uoc.txt") == set()
    for related_news_only in ("ca_mau_nong_dan.txt", "hcm_mttq_tong_ket.txt"):
        assert _programme_ids(own_out, related_news_only) == set()
    assert _programme_ids(own_out, "nghe_an_ky_ket.txt")  # the same words in the article are one


def test_actions_and_their_days(own_programmes):
    docs = {d["doc_id"]: d["source_file"] for d in write.read(own_programmes, "documents").to_pylist()}
    actions = {}
    for a in write.read(own_programmes, "programme_actions").to_pylist():
        actions.setdefault(docs[a["doc_id"]], set()).add((a["action"], a["date"] and a["date"].isoformat()))
    assert actions["binh_duong_duoc_ky_ket.txt"] == {("signed", "2022-06-12")}  # "được ký kết ngày 12/6/2022"
    assert actions["ha_tinh_ke_hoach_lien_tich.txt"] == {("cited", None)}     # "Thực hiện Kế hoạch liên tịch số …,"
    assert actions["thai_binh_nghi_quyet_lien_tich.txt"] == {("reviewed", "2024-05-16"), ("cited", None)}  # a draft
    assert actions["vinh_long_hop_tac_dao_tao.txt"] == {("signed", "2024-05-15")}  # "ký kết hợp tác": no noun


# ------------------------------------------------------------------ one programme across documents

def test_a_programme_signed_in_one_seed_and_cited_in_another_has_one_id(seed_out):
    """Seed 001 signs the Chương trình phối hợp 2021–2025 of the Ủy ban MTTQ and the Sở TNMT of Cần
    Thơ; seed 000 cites it by number as the Ban Thường trực's: one programme_id."""
    cited, signed = _programme_ids(seed_out, "000_0e3de3854a50d443.txt"), _programme_ids(seed_out,
                                                                                          "001_f0aadb7306309570.txt")
    [shared] = cited & signed
    [life] = [p for p in _lives(seed_out) if p["programme_id"] == shared]
    assert (life["start_year"], life["end_year"], life["number"], life["n_documents"]) == (2021, 2025,
                                                                                          "06/CTrPH-MTTQ-STNMT", 2)
    assert life["signed"].isoformat() == "2020-12-22" and life["life"][-1].endswith("000_0e3de3854a50d443.txt")
    assert len(signed) == 2  # the programme reviewed at the same conference is another one


def test_signed_reviewed_and_cited_in_three_documents_is_one_programme_whatever_the_order(own_programmes, tmp_path):
    files = ["ha_giang_ky_ket.txt", "ha_giang_so_ket.txt", "ha_giang_tap_huan.txt"]
    [pid] = set.union(*(_programme_ids(own_programmes, f) for f in files))
    [life] = [p for p in _lives(own_programmes) if p["programme_id"] == pid]
    assert [step.split(":")[0] for step in life["life"]] == ["2022-03-18 signed", "2024-04-20 reviewed",
                                                             "---------- cited"]
    # the review alone has no number; added to a corpus that already holds the signing, it gets its id
    out = tmp_path / "out"
    run([OWN / "ha_giang_so_ket.txt"], out, engine="serial", workers=1)
    alone = _programme_ids(out, "ha_giang_so_ket.txt")
    assert alone != {pid}
    run([OWN / "ha_giang_so_ket.txt", OWN / "ha_giang_tap_huan.txt", OWN / "ha_giang_ky_ket.txt"], out,
        engine="serial", workers=1)
    assert _programme_ids(out, "ha_giang_so_ket.txt") == {pid} == _programme_ids(out, "ha_giang_ky_ket.txt")


def test_a_number_settles_it(tmp_path):
    """Same kind, parties and period but two numbers: two instruments; a document with neither
    number then names no one of them."""
    body = ("Ngày 5/3/2024, Hội Nông dân tỉnh Yên Bái và Sở Tư pháp tỉnh Yên Bái tổ chức Lễ ký kết Chương "
            "trình phối hợp số {n}/CTrPH-HND-STP giai đoạn 2024 – 2028.\n")
    (tmp_path / "in").mkdir()
    for i, n in enumerate(("01", "02", None)):
        text = body.format(n=n) if n else body.replace(" số {n}/CTrPH-HND-STP", "")
        (tmp_path / "in" / f"d{i}.txt").write_text(f"Yên Bái: ký kết chương trình phối hợp\n\n{text}", encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "in"], out, engine="serial", workers=1)
    ids = [_programme_ids(out, f"d{i}.txt") for i in range(3)]
    assert all(len(x) == 1 for x in ids) and len(set.union(*ids)) == 3


def test_ids_resolve_over_the_corpus():
    """resolve(): parties are compared as the bodies they belong to; an unnumbered instrument takes
    the id of the one number known for its key, and keeps its own when two are."""
    parents = {"a:ban": "a:uy_ban"}
    rows = [{"doc_id": d, "mention_id": f"{d}:P", "kind": "Chương trình phối hợp", "start_year": 2021,
             "end_year": 2025, "number": n} for d, n in (("d1", "06/CTrPH"), ("d2", None), ("d3", None))]
    parties = [{"doc_id": "d1", "mention_id": "d1:P", "agency_id": "a:ban"},
               {"doc_id": "d1", "mention_id": "d1:P", "agency_id": "a:so"},
               {"doc_id": "d2", "mention_id": "d2:P", "agency_id": "a:uy_ban"},
               {"doc_id": "d2", "mention_id": "d2:P", "agency_id": "a:so"},
               {"doc_id": "d3", "mention_id": "d3:P", "agency_id": "a:so"}]
    ids = resolve(rows, parties, parents)
    assert ids[("d1", "d1:P")] == ids[("d2", "d2:P")] != ids[("d3", "d3:P")]
    other = rows + [{**rows[0], "doc_id": "d4", "mention_id": "d4:P", "number": "07/CTrPH"}]
    ids = resolve(other, parties + [{**p, "doc_id": "d4", "mention_id": "d4:P"} for p in parties[:2]], parents)
    assert len({ids[("d1", "d1:P")], ids[("d2", "d2:P")], ids[("d4", "d4:P")]}) == 3
    assert resolve(rows, parties, parents) == resolve(rows[::-1], parties[::-1], parents)


# ------------------------------------------------------------------ the tables

def test_programme_rows_point_at_what_exists(seed_out, own_programmes):
    for out in (seed_out, own_programmes):
        mentions = {m["mention_id"]: m for m in write.read(out, "mentions").to_pylist()}
        agencies = {a["agency_id"] for a in write.read(out, "agencies").to_pylist()}
        programmes = write.read(out, "programmes").to_pylist()
        keys = {(p["doc_id"], p["mention_id"]): p["programme_id"] for p in programmes}
        assert programmes and all(mentions[p["mention_id"]]["label"] == "PROGRAMME" for p in programmes)
        assert all(mentions[p["mention_id"]]["text"] == p["text"] for p in programmes)
        for table in ("programme_parties", "programme_actions"):
            for row in write.read(out, table).to_pylist():
                assert keys[(row["doc_id"], row["mention_id"])] == row["programme_id"], table
                assert table != "programme_parties" or row["agency_id"] in agencies
        assert {p["programme_id"] for p in _lives(out)} == set(keys.values())


def test_every_programme_has_an_action(own_programmes):
    actions = {(a["doc_id"], a["mention_id"]) for a in write.read(own_programmes, "programme_actions").to_pylist()}
    assert all((p["doc_id"], p["mention_id"]) in actions for p in write.read(own_programmes, "programmes").to_pylist())


# ------------------------------------------------------------------ scoring (FORMAT.md)

def _prog(period, parties, actions=(), **kw):
    return {"kind": "chương trình phối hợp", "period": {"start": period[0], "end": period[1]} if period else None,
            "parties": parties, "actions": [{"action": a, "date": d} for a, d in actions], **kw}


def _pred(period, parties, actions=()):
    return {"kind": "chương trình phối hợp", "period": {"start": period[0], "end": period[1]} if period else None,
            "parties": [{"name": p, "forms": [p]} for p in parties], "actions": list(actions)}


def _scores(doc, predicted):
    scores = {f: Score() for f in FACTS}
    score_programmes("d.txt", doc, predicted, scores)
    return {f: (s.tp, s.fp, s.fn) for f, s in scores.items()}


def test_a_programme_is_found_by_its_period_and_half_its_parties():
    doc = {"programmes": [_prog((2021, 2025), ["Sở Y tế tỉnh X", "Hội Nông dân tỉnh X", "Tỉnh đoàn X"],
                                [("signed", "2021-03-02")])],
           "agencies": [{"canonical": "Sở Y tế tỉnh X", "mentions": ["Sở Y tế"]}]}
    found = _scores(doc, [_pred((2021, 2025), ["Sở Y tế", "Tỉnh đoàn X", "Công an tỉnh X"],
                                [("signed", "2021-03-02"), ("reviewed", None)])])
    assert found == {"programme": (1, 0, 0), "programme_party": (2, 1, 1), "programme_action": (1, 1, 0)}
    one_of_three = _scores(doc, [_pred((2021, 2025), ["Sở Y tế tỉnh X"])])
    assert one_of_three["programme"] == (0, 1, 1) and one_of_three["programme_party"] == (0, 0, 0)
    assert _scores(doc, [_pred(None, ["Sở Y tế tỉnh X", "Tỉnh đoàn X"])])["programme"] == (0, 1, 1)


def test_optional_programmes_and_unannotated_files_count_neither_way():
    doc = {"programmes": [_prog(None, ["Sở Y tế tỉnh X"], [("signed", None)], optional=True)]}
    assert _scores(doc, [_pred(None, ["Sở Y tế tỉnh X"], [("cited", None)])]) == {f: (0, 0, 0) for f in FACTS}
    assert _scores({"source_file": "d.txt"}, [_pred(None, ["Sở Y tế tỉnh X"])]) == {f: (0, 0, 0) for f in FACTS}


def test_dates_without_a_year_are_compared_as_month_and_day():
    doc = {"programmes": [_prog(None, ["Sở Y tế tỉnh X"], [("launched", "--10-09")])]}
    assert _scores(doc, [_pred(None, ["Sở Y tế tỉnh X"], [("launched", "--10-09")])])["programme_action"] == (1, 0, 0)
    assert _scores(doc, [_pred(None, ["Sở Y tế tỉnh X"], [("launched", None)])])["programme_action"] == (0, 1, 1)


# ------------------------------------------------------------------ rules and the command line

def test_an_instrument_of_ones_own_is_a_rule(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "programmes.jsonl").write_text(
        '{"type": "instrument", "word": "quy chế liên ngành"}\n', encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "Kon Tum: ký kết quy chế liên ngành\n\nNgày 3/4/2024, Sở Y tế tỉnh Kon Tum và Công an tỉnh Kon Tum ký kết "
        "Quy chế liên ngành giai đoạn 2024 – 2026.\n", encoding="utf-8")
    run([tmp_path / "in"], tmp_path / "plain", engine="serial", workers=1)
    assert write.read(tmp_path / "plain", "programmes").num_rows == 0
    rules = Rules.load([tmp_path / "rules"])
    run([tmp_path / "in"], tmp_path / "own", engine="serial", workers=1, rules=rules)
    [p] = write.read(tmp_path / "own", "programmes").to_pylist()
    assert (p["kind"], p["start_year"], p["end_year"]) == ("quy chế liên ngành", 2024, 2026)
    (tmp_path / "rules" / "programmes.jsonl").write_text('{"type": "instrument", "action": "ended"}\n', encoding="utf-8")
    with pytest.raises(RulesError) as bad:
        Rules.load([tmp_path / "rules"])
    assert any("programmes.jsonl:1" in p for p in bad.value.problems)


def test_vnpress_programmes_lists_each_programmes_life(own_programmes):
    text = CliRunner().invoke(main, ["programmes", "--out", str(own_programmes), "--party", "Sở Tư pháp tỉnh Hà Giang"],
                              catch_exceptions=False, terminal_width=200).output
    assert text.count("chương trình phối hợp 2022–2026 (03/CTrPH-HND-STP)") == 1 and "1 programme(s)" in text
    for day, action, source in (("2022-03-18", "signed", "ha_giang_ky_ket.txt"),
                                ("2024-04-20", "reviewed", "ha_giang_so_ket.txt"),
                                ("no day", "cited", "ha_giang_tap_huan.txt")):
        assert any(day in line and action in line and source in line for line in text.splitlines()), action
    data = json.loads(CliRunner().invoke(main, ["programmes", "--out", str(own_programmes), "--format", "json"],
                                         catch_exceptions=False).output)
    assert len(data) == len(_lives(own_programmes)) and all(p["actions"] for p in data)
    rows = CliRunner().invoke(main, ["programmes", "--out", str(own_programmes), "--format", "csv"],
                              catch_exceptions=False).output.splitlines()
    assert rows[0].startswith("programme_id,title,kind") and len(rows) - 1 == sum(len(p["actions"]) for p in data)
    assert CliRunner().invoke(main, ["programmes", "--out", str(SEEDS)]).exit_code == 1  # no tables there
