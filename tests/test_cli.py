import json

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import GOLD, ROOT
from pipeline.cli import main
from pipeline.schemas import SNAPSHOT_TABLES, TABLES


def _invoke(*args, code=0):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_every_command_has_help_with_an_example():
    for name, command in main.commands.items():
        out = _invoke(name, "--help").output
        assert "Example" in out, name
    assert "Example" in _invoke("--help").output


def test_run_writes_every_table_readable_by_pandas_and_duckdb(corpus_dir, tmp_path):
    import duckdb

    out = tmp_path / "out"
    result = _invoke("run", corpus_dir, "--out", out, "--engine", "serial")
    assert "5 inputs = 5 processed + 0 skipped + 0 failed (accounted for)" in result.output
    for name in TABLES:
        frame = pd.read_parquet(out / name)
        assert list(frame.columns) == list(TABLES[name].names), name
    con = duckdb.connect()
    assert con.execute(f"select count(*) from '{out}/documents/*.parquet'").fetchone()[0] == 5


def test_bad_inputs_land_in_errors_and_the_rest_goes_on(corpus_dir, tmp_path):
    (corpus_dir / "empty.txt").write_bytes(b"")
    (corpus_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    # TCVN3-looking bytes that do not read as Vietnamese once converted
    (corpus_dir / "legacy.txt").write_bytes("Lor\xb5m ips\xb8m dol\xb6r sit\xb7 am\xb9t cons\xa8ct".encode("latin-1"))
    (corpus_dir / "sub").mkdir()
    (corpus_dir / "sub" / "copy.txt").write_bytes((corpus_dir / "000_0e3de3854a50d443.txt").read_bytes())
    out = tmp_path / "out"
    # 3 of the 8 inputs due failed: more than --max-failed (0), so nothing is published (exit 1)
    result = _invoke("run", corpus_dir, "--out", out, "--engine", "serial", code=1)
    assert "3 failed" in result.output and "NOT PUBLISHED" in result.output and "--max-failed 0.38" in result.output
    assert not (out / "current").exists()
    errors = pd.read_parquet(out / "errors")
    reasons = dict(zip(errors.source_path.map(lambda p: p.rsplit("/", 1)[-1]), errors.reason))
    assert reasons == {"empty.txt": "empty", "image.txt": "binary", "legacy.txt": "legacy_encoding", "copy.txt": "duplicate"}
    runs = pd.read_parquet(out / "runs")
    assert runs.iloc[0][["n_input", "n_new", "n_skipped", "n_failed", "outcome"]].tolist() == [9, 5, 1, 3, "refused"]
    # a looser threshold publishes the same batch, exit 0: every input accounted for
    _invoke("run", corpus_dir, "--out", out, "--engine", "serial", "--max-failed", "0.5")
    documents = pd.read_parquet(out / "documents")
    last = pd.read_parquet(out / "errors").query(f"run_id == '{pd.read_parquet(out / 'runs').run_id.max()}'")
    assert len(documents) + len(last) == 9


def test_rerun_over_unchanged_input_publishes_nothing(corpus_dir, tmp_path):
    out = tmp_path / "out"
    _invoke("run", corpus_dir, "--out", out, "--engine", "serial")
    snapshot = (out / "current").resolve()
    result = _invoke("run", corpus_dir, "--out", out, "--engine", "serial")
    assert "0 processed + 5 skipped" in result.output and "nothing changed" in result.output
    assert (out / "current").resolve() == snapshot


def test_eval_prints_scores_beside_the_baseline(seed_out, tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"fields": {"title": 5}}))
    result = _invoke("eval", "--gold", GOLD, "--out", seed_out, "--floors", floors)
    assert "underthesea ner" in result.output and "person" in result.output
    assert "title              5/5" in result.output
    report = json.loads((seed_out / "eval.json").read_text())
    assert report["baseline"]["person"]["tp"] > 0


def test_eval_fails_below_a_floor(seed_out, tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"facts": {"legal_ref": 1.01}}))
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--out", str(seed_out), "--floors",
                                       str(floors), "--no-baseline"])
    assert result.exit_code == 1 and "BELOW FLOOR" in result.output


def test_project_floors_are_met(seed_out):
    _invoke("eval", "--gold", GOLD, "--out", seed_out, "--floors", ROOT / "tests" / "eval_floors.json",
            "--no-baseline")


def test_own_documents_meet_their_floors(own_out):
    """Our own press releases (tests/docs, not seeds) scored against their gold (tests/docs_gold):
    the check that rules generalise beyond the five seeds."""
    docs = sorted((ROOT / "tests" / "docs").glob("*.txt"))
    golds = sorted((ROOT / "tests" / "docs_gold").glob("*.json"))
    assert [p.stem for p in docs] == [p.stem for p in golds], "every own document has its gold"
    _invoke("eval", "--gold", ROOT / "tests" / "docs_gold", "--out", own_out, "--floors",
            ROOT / "tests" / "docs_floors.json", "--no-baseline")


def test_data_dictionary_is_up_to_date():
    from pipeline.dictionary import render

    committed = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert committed == render() + "\n", "docs/tables.md is stale: run `vnpress dictionary`"
