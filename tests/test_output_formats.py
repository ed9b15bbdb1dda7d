"""`query`, `stats` and `show` give data (csv, tsv, json, jsonl) as well as terminal tables."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SEEDS
from pipeline import write
from pipeline.cli import main


def _invoke(*args, code=0):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_query_gives_csv_when_piped_and_never_cuts_text(seed_out):
    out = _invoke("query", "select doc_id, title, text, authors from documents order by doc_id", "--out", seed_out)
    rows = list(csv.DictReader(io.StringIO(out)))
    documents = pd.read_parquet(seed_out / "documents").sort_values("doc_id")
    assert [r["doc_id"] for r in rows] == documents.doc_id.tolist()
    assert [r["text"] for r in rows] == documents.text.tolist()  # whole texts, line breaks and all
    assert [json.loads(r["authors"]) for r in rows] == [list(a) for a in documents.authors]
    assert max(len(r["text"]) for r in rows) > 1000


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_query_as_json_keeps_types(seed_out, fmt):
    sql = "select doc_id, event_date, authors, text from documents order by doc_id"
    out = _invoke("query", sql, "--out", seed_out, "--format", fmt)
    rows = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
    documents = pd.read_parquet(seed_out / "documents").sort_values("doc_id")
    assert [r["event_date"] for r in rows] == [d.isoformat() if d else None for d in documents.event_date]
    assert [r["authors"] for r in rows] == [list(a) for a in documents.authors]
    assert [r["text"] for r in rows] == documents.text.tolist()


def test_query_as_tsv_round_trips_maps_and_tabs(seed_out):
    out = _invoke("query", "select mention_id, details, text || chr(9) || 'x' as t from mentions "
                  "where details is not null order by mention_id", "--out", seed_out, "--format", "tsv")
    rows = list(csv.DictReader(io.StringIO(out), dialect="excel-tab"))
    mentions = write.read(seed_out, "mentions").to_pylist()
    expected = sorted((m for m in mentions if m["details"]), key=lambda m: m["mention_id"])
    assert [json.loads(r["details"]) for r in rows] == [dict(m["details"]) for m in expected]
    assert [r["t"] for r in rows] == [m["text"] + "\tx" for m in expected]


def test_query_table_format_draws_a_table(seed_out):
    out = _invoke("query", "select full_name from persons", "--out", seed_out, "--format", "table")
    assert "full_name" in out and "┃" in out


def test_stats_as_data_counts_every_table(seed_out):
    rows = list(csv.DictReader(io.StringIO(_invoke("stats", "--out", seed_out, "--format", "csv"))))
    per_table = {r["name"]: int(r["count"]) for r in rows if r["group"] == "rows per table"}
    assert per_table["tokens"] == len(pd.read_parquet(seed_out / "tokens"))
    labels = {r["name"]: int(r["count"]) for r in rows if r["group"] == "mentions per label"}
    assert labels == pd.read_parquet(seed_out / "mentions").label.value_counts().to_dict()


def test_show_as_data_lists_every_fact(seed_out):
    name = "001_f0aadb7306309570.txt"
    [doc] = json.loads(_invoke("show", name, "--out", seed_out, "--format", "json"))
    doc_id = doc["doc_id"]
    for table in ("dates", "periods", "counts", "legal_refs", "events"):
        frame = pd.read_parquet(seed_out / table)
        assert sorted(x["text"] for x in doc[table]) == sorted(frame[frame.doc_id == doc_id].text), table
    roles = pd.read_parquet(seed_out / "roles")
    assert {(p["person_id"], p["title"]) for p in doc["persons"] if p["title"]} == \
        set(zip(roles[roles.doc_id == doc_id].person_id, roles[roles.doc_id == doc_id].title))
    rows = list(csv.DictReader(io.StringIO(_invoke("show", name, "--out", seed_out, "--format", "csv"))))
    assert sum(r["fact"] == "date" for r in rows) == len(doc["dates"]) > 0
    assert {r["doc_id"] for r in rows} == {doc_id}


def test_show_lists_every_document_of_a_shared_file_name(tmp_path):
    for folder, seed in (("a", "000_0e3de3854a50d443.txt"), ("b", "001_f0aadb7306309570.txt")):
        (tmp_path / "in" / folder).mkdir(parents=True)
        shutil.copy(SEEDS / seed, tmp_path / "in" / folder / "ban-tin.txt")
    out = tmp_path / "out"
    _invoke("run", tmp_path / "in", "--out", out, "--engine", "serial", "--quiet")
    shown = json.loads(_invoke("show", "ban-tin.txt", "--out", out, "--format", "json"))
    assert sorted(d["source_path"].rsplit("/", 2)[-2] for d in shown) == ["a", "b"]
    table = _invoke("show", "ban-tin.txt", "--out", out)
    assert "2 documents named 'ban-tin.txt'" in table and table.count("ban-tin.txt  (") == 2


@pytest.mark.parametrize("command", [["stats"], ["query", "select 1"], ["report"], ["show", "x.txt"],
                                     ["query", "select 1", "--format", "csv"]])
def test_a_folder_without_tables_says_so(tmp_path, command):
    out = _invoke(*command, "--out", tmp_path, code=1)
    assert "no tables in" in out and "vnpress run" in out
