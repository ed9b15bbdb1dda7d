"""The rules object: every file declared and loaded, every kind of bad value reported as
file:line, users' folders added to the package's."""
from __future__ import annotations

import pytest

from pipeline.extract import extract
from pipeline.ingest import build_document
from pipeline.process import load_rules
from pipeline.rules import PACKAGE_DIR, SPECS, Rules, RulesError
from pipeline.segment import segment


def test_every_file_in_lexicons_is_declared_and_loads():
    shipped = {p.name for p in PACKAGE_DIR.iterdir() if p.is_file()}
    assert shipped == set(SPECS)
    rules = load_rules()
    for name, spec in SPECS.items():
        entries = rules.words(name[:-4]) if spec.word_list else rules.records(name[:-6])
        assert entries, f"{name} holds no entry"
    assert all(e.where.startswith("titles.jsonl:") for e in rules.records("titles"))


def _overlay(tmp_path, name: str, *lines: str):
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("# my province's rules\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("name, line, message", [
    ("honorifics.jsonl", '{"word": "cụ", "colour": "red"}', "unknown key"),
    ("honorifics.jsonl", '{"gender": "male"}', "missing key 'word'"),
    ("honorifics.jsonl", '{"word": 3, "gender": null}', "'word' has the wrong type"),
    ("honorifics.jsonl", '{"word": "cụ"', "not JSON"),
    ("honorifics.jsonl", '["cụ"]', "expected an object"),
    ("honorifics.jsonl", '{"word": "cụ", "gender": "mail"}', "'gender' is 'mail'; allowed"),
    ("events.jsonl", '{"kind": "nouns", "word": "Lễ hội"}', "'kind' is 'nouns'"),
    ("year_cues.jsonl", '{"cue": "bế mạc", "role": "closed"}', "'role' is 'closed'"),
    ("levels.jsonl", '{"word": "thôn", "canonical": "thôn", "rank": "hamlet"}', "'rank' is 'hamlet'"),
    ("block_rules.jsonl", '{"kind": "banner", "pattern": "x", "why": "y"}', "'kind' is 'banner'"),
    ("block_rules.jsonl", '{"kind": "boilerplate", "pattern": "(unclosed", "why": "y"}', "not a valid regular expression"),
    ("agencies.jsonl", '{"type": "head", "head": "Tổng đội", "scope": "any"}', "a 'head' entry needs 'names'"),
    ("agencies.jsonl", '{"type": "subunit", "form": "Tổ", "names": "both"}', "a 'subunit' entry takes no ['names']"),
    ("agencies.jsonl", '{"type": "org", "canonical": "Ủy ban nhân dân", "forms": ["UB"], "scope": "local"}',
     "duplicate of agencies.jsonl:"),
    ("titles.jsonl", '{"title": "Giám đốc"}', "duplicate of titles.jsonl:"),
    ("titles.jsonl", '{"title": "Trưởng đoàn", "of": []}', "'of' is an empty list"),
    ("number_words.jsonl", '{"word": "chục", "role": "digit"}', "a 'digit' entry needs 'value'"),
    ("number_words.jsonl", '{"word": "chục", "role": "dozen", "value": 10}', "'role' is 'dozen'"),
    ("counts.jsonl", '{"kind": "unit", "word": "hộ", "value": 3}', "a 'unit' entry takes no ['value']"),
    ("surnames.txt", "Nguyễn", "duplicate of surnames.txt:"),
    ("surnames.txt", "Rahlan\tRơ", "found a tab"),
])
def test_a_bad_value_is_reported_with_its_file_and_line(tmp_path, name, line, message):
    folder = _overlay(tmp_path, name, line)
    with pytest.raises(RulesError) as caught:
        Rules.load([folder])
    assert any(p.startswith(f"{folder}/{name}:2: ") and message in p for p in caught.value.problems), \
        caught.value.problems


def test_every_problem_is_listed_at_once_and_unknown_files_are_named(tmp_path):
    folder = _overlay(tmp_path, "titles.jsonl", '{"title": "Giám đốc"}', '{"titel": "Phó Giám đốc"}')
    (folder / "title.jsonl").write_text("{}", encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        Rules.load([folder])
    problems = caught.value.problems
    assert len(problems) == 4  # the duplicate, the unknown and the missing key of line 3, the unknown file
    assert any("title.jsonl: not a rules file" in p for p in problems)
    assert any(p.startswith(f"{folder}/titles.jsonl:3: unknown key") for p in problems)


def test_a_rule_that_loads_but_cannot_work_fails_before_any_document(tmp_path):
    folder = _overlay(tmp_path, "place_aliases.jsonl", '{"alias": "Sài Gòn", "name": "Sai Gon"}')
    with pytest.raises(RulesError, match=r"place_aliases\.jsonl:2: 'Sài Gòn' names 'Sai Gon', not a province"):
        load_rules([folder])


def test_a_users_title_and_body_are_found_with_their_provenance(tmp_path):
    text = ("Tiêu đề bài viết\n\nSáng 3/4, Chính trị viên Bộ đội Biên phòng tỉnh Lào Cai Nguyễn Văn Minh dự họp cùng "
            "Đồn Biên phòng Bát Xát.")
    base = extract(segment(build_document(text, "t.txt")))
    assert not [m for m in base.rows["mentions"] if m["label"] == "TITLE"]
    folder = _overlay(tmp_path, "titles.jsonl", '{"title": "Chính trị viên"}')
    (folder / "agencies.jsonl").write_text(
        '{"type": "org", "canonical": "Bộ đội Biên phòng", "forms": ["Bộ đội Biên phòng", "BĐBP"], "scope": "any"}\n',
        encoding="utf-8")
    rules = load_rules([folder])
    assert rules.digest != Rules.default().digest
    found = extract(segment(build_document(text, "t.txt", rules=rules)), rules)
    titles = [m for m in found.rows["mentions"] if m["label"] == "TITLE"]
    assert [(t["text"], t["rule"]) for t in titles] == [("Chính trị viên", f"{folder}/titles.jsonl:2")]
    agencies = {m["normalized"]: m["rule"] for m in found.rows["mentions"] if m["label"] == "AGENCY"}
    assert agencies["Bộ đội Biên phòng tỉnh Lào Cai"] == f"{folder}/agencies.jsonl:1"
    assert [r["title"] for r in found.rows["roles"]] == ["Chính trị viên"]


def test_a_bad_rules_folder_stops_the_run_before_any_document_and_leaves_the_tables(seed_out, tmp_path):
    import shutil

    from click.testing import CliRunner

    from pipeline.cli import main

    out = tmp_path / "out"
    shutil.copytree(seed_out, out, symlinks=True)
    published = (out / "current").resolve()
    before = sorted(p.name for p in published.rglob("*"))
    folder = _overlay(tmp_path, "titles.jsonl", '{"title": "Giám đốc"}')
    (folder / "events.jsonl").write_text('{"kind": "noun", "word": "Lễ", "qualifer": "x"}\n', encoding="utf-8")
    corpus = seed_out.parent / "missing"  # not read: the rules are checked first
    corpus.mkdir(exist_ok=True)
    result = CliRunner().invoke(main, ["run", str(corpus), "--out", str(out), "--rules", str(folder)])
    assert result.exit_code == 2
    assert f"{folder}/titles.jsonl:2: duplicate of titles.jsonl:" in result.output
    assert f"{folder}/events.jsonl:1: unknown key(s) ['qualifer']" in result.output
    assert "Traceback" not in result.output
    assert (out / "current").resolve() == published and sorted(p.name for p in published.rglob("*")) == before
    # Merged with issue 11 (a failed run leaves its runs row and nothing else): one more row, failed, nothing read.
    from pipeline import write

    runs = write.read(out, "runs").to_pylist()
    assert len(runs) == len(write.read(seed_out, "runs")) + 1
    assert (runs[-1]["outcome"], runs[-1]["n_input"], runs[-1]["published"]) == ("failed", 0, False)
    assert f"{folder}/events.jsonl:1: unknown key(s) ['qualifer']" in runs[-1]["message"]


def test_a_settings_file_names_rules_folders_relative_to_itself(tmp_path):
    from pipeline.config import SettingsError, from_file

    _overlay(tmp_path, "titles.jsonl", '{"title": "Chính trị viên"}')
    settings = tmp_path / "vnpress.toml"
    settings.write_text('rules = ["mine"]\nmax_failed_fraction = 0.1\n', encoding="utf-8")
    loaded = from_file(settings)
    assert loaded.rules == (str(tmp_path / "mine"),) and loaded.max_failed_fraction == 0.1
    assert any(t["title"] == "Chính trị viên" for t in load_rules(loaded.rules).records("titles"))
    settings.write_text('rule = ["mine"]\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting"):
        from_file(settings)


def test_show_why_names_the_rule_behind_every_mention(seed_out):
    import csv
    import io

    from click.testing import CliRunner

    from pipeline import write
    from pipeline.cli import main

    result = CliRunner().invoke(main, ["show", "001_f0aadb7306309570.txt", "--out", str(seed_out), "--why",
                                       "--format", "csv"], catch_exceptions=False)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    mentions = write.read(seed_out, "mentions").to_pylist()
    assert len(rows) == sum(1 for m in mentions if m["doc_id"] == rows[0]["doc_id"])
    assert all(r["rule"] for r in rows)
    titles = [r for r in rows if r["label"] == "TITLE"]
    assert titles and all(r["rule"].startswith("titles.jsonl:") for r in titles)
    share = sum(1 for m in mentions if m["rule"]) / len(mentions)
    assert share >= 0.95


def test_a_long_alternation_matches_what_its_plain_form_matches():
    """The leading set of first letters (patterns.alternation) only skips positions: every match of
    the plain "|"-joined phrases is found, none other, over a whole seed and every kind of case."""
    import re
    from pathlib import Path

    from pipeline.patterns import alternation, bounded, phrase_pattern

    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(Path("corpus/seeds").glob("*.txt")))
    rules = load_rules()
    phrases = [r["title"] for r in rules.records("titles")] + [w for w in rules.words("surnames")]
    for kw in ({}, {"case_first": False}, {"exact": True}):
        plain = "|".join(phrase_pattern(p, **kw) for p in sorted(set(phrases), key=lambda p: (-len(p), p)))
        fast = alternation(phrases, **kw)
        assert fast != plain and fast.startswith("(?=[")
        for target in (text, text.lower(), text.upper()):
            assert [m.span() for m in bounded(fast).finditer(target)] == \
                [m.span() for m in bounded(plain).finditer(target)]
        assert bounded(fast).search(text)
    # letters the regex folds unlike str.lower ("ſ" is "s", the Kelvin sign "k") are still found
    odd = ["sở", "kho", "ia", "ba", "ca", "da", "ea", "ga"]
    plain = "|".join(phrase_pattern(p, case_first=False) for p in sorted(set(odd), key=lambda p: (-len(p), p)))
    found = [m.group() for m in bounded(alternation(odd, case_first=False)).finditer("ſở \u212aho İa Ba")]
    assert found == [m.group() for m in bounded(plain).finditer("ſở \u212aho İa Ba")] and "ſở" in found
    assert alternation(["ſa"] + odd, case_first=False) == "|".join(
        phrase_pattern(p, case_first=False) for p in sorted(set(["ſa"] + odd), key=lambda p: (-len(p), p)))


def test_rules_loaded_again_in_one_process_follow_an_edited_file(tmp_path):
    """A long-lived process (a notebook, a Dask worker) that loads the rules again reuses what it
    parsed only while every file's bytes are the same: an edit of the same size is seen at once."""
    folder = _overlay(tmp_path, "titles.jsonl", '{"title": "Chính trị viên"}')
    first = load_rules([folder])
    assert load_rules([folder]) is first
    (folder / "titles.jsonl").write_text('{"title": "Chính trị viêN"}\n', encoding="utf-8")
    edited = load_rules([folder])
    assert edited is not first and edited.digest != first.digest
    assert "Chính trị viêN" in [t["title"] for t in edited.records("titles")]
