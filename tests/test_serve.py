"""`vnpress serve`: the SQLite copy of a real run, Datasette over it (in process and in Chromium)."""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from itertools import combinations
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import ROOT, SEEDS, browser_flags
from pipeline import write
from pipeline.cli import main
from pipeline.runner import run
from pipeline.serve import build_database, datasette


def _copy(seed_out: Path, target: Path) -> Path:
    shutil.copytree(seed_out, target, symlinks=True)  # the links are relative: the copy is self-standing
    (target / "vnpress.db").unlink(missing_ok=True)
    return target


@pytest.fixture(scope="module")
def served(seed_out, tmp_path_factory) -> Path:
    """A copy of the seed run (serve writes vnpress.db into the tables folder)."""
    return _copy(seed_out, tmp_path_factory.mktemp("served") / "out")


@pytest.fixture(scope="module")
def db(served) -> Path:
    path, built = build_database(served)
    assert built
    return path


def _pages(db: Path, *paths: str) -> list:
    """GET each path from a Datasette over ``db`` (in process); JSON for .json paths, else HTML."""
    ds = datasette(db)

    async def fetch():
        await ds.invoke_startup()
        out = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            out.append(response.json() if ".json" in path else response.text)
        return out
    return asyncio.run(fetch())


def _tilde(value: str) -> str:
    return value.replace(":", "~3A")


def test_the_copy_holds_every_table_with_keys_and_links(db, served):
    con = sqlite3.connect(db)
    snapshot = write.current_snapshot(served)
    for folder in sorted(p for p in snapshot.iterdir() if p.is_dir()):
        n = con.execute(f'select count(*) from "{folder.name}"').fetchone()[0]
        assert n == pq.read_metadata(folder / "part-0.parquet").num_rows, folder.name
    assert con.execute("select count(*) from runs").fetchone()[0] == len(set(pd.read_parquet(served / "runs").run_id))
    assert con.execute("pragma foreign_key_check").fetchall() == [], "every id a row points at exists"
    links = {t: {(r[3], r[2]) for r in con.execute(f'pragma foreign_key_list("{t}")')}
             for t in ("roles", "mentions", "agencies", "dates")}
    assert {("person_id", "persons"), ("agency_id", "agencies"), ("doc_id", "documents"),
            ("mention_id", "mentions")} <= links["roles"]
    assert {("person_id", "persons"), ("agency_id", "agencies"), ("doc_id", "documents")} <= links["mentions"]
    assert ("parent_id", "agencies") in links["agencies"] and ("mention_id", "mentions") in links["dates"]
    documents = pd.read_parquet(served / "documents").set_index("doc_id")
    for doc_id, authors, event_date in con.execute("select doc_id, authors, event_date from documents"):
        assert json.loads(authors) == list(documents.authors[doc_id])
        expected = documents.event_date[doc_id]
        assert event_date == (expected.isoformat() if expected else None)


def test_rebuilt_only_when_the_tables_change(seed_out, tmp_path):
    out = _copy(seed_out, tmp_path / "out")
    first, built = build_database(out)
    inode = first.stat().st_ino
    assert built and build_database(out) == (first, False) and first.stat().st_ino == inode
    run([SEEDS, ROOT / "tests" / "docs" / "nghe_an_ky_ket.txt"], out, engine="serial", workers=1)
    again, built = build_database(out)
    assert built and again.stat().st_ino != inode
    n = sqlite3.connect(again).execute("select count(*) from documents").fetchone()[0]
    assert n == write.count_rows(out, "documents") == 6


def _signing_pairs(out: Path) -> dict[tuple[str, str], int]:
    """Top-level agencies named together in documents reporting a signing, computed with pandas."""
    events, mentions = pd.read_parquet(out / "events"), pd.read_parquet(out / "mentions")
    agencies = pd.read_parquet(out / "agencies").set_index("agency_id")
    signing = set(events[events.type.str.contains("ký kết", case=False)].doc_id)
    named = mentions[(mentions.label == "AGENCY") & mentions.doc_id.isin(signing)]
    pairs: dict[tuple[str, str], int] = {}
    for _, group in named.groupby("doc_id"):
        ids = sorted({a for a in group.entity_id if a in agencies.index and pd.isna(agencies.parent_id[a])})
        for a, b in combinations(ids, 2):
            key = (agencies.name[a], agencies.name[b])
            pairs[key] = pairs.get(key, 0) + 1
    return pairs


def test_canned_queries_answer_from_the_tables(db, served):
    posts, signing, awards, awards_2025 = _pages(db, "/vnpress/who_held_which_post.json?_shape=array&person=",
                                                 "/vnpress/which_bodies_sign_with_which.json?_shape=array",
                                                 "/vnpress/awards_per_province.json?_shape=array",
                                                 "/vnpress/awards_per_province_2025.json?_shape=array")
    roles = pd.read_parquet(served / "roles")
    assert sorted((r["doc_id"], r["person_id"], r["title"]) for r in posts) == \
        sorted(zip(roles.doc_id, roles.person_id, roles.title))
    expected = _signing_pairs(served)
    assert expected and {(r["agency"], r["with_agency"]): r["documents"] for r in signing} == expected
    counts = pd.read_parquet(served / "counts").merge(pd.read_parquet(served / "documents"), on="doc_id")
    awarded = counts[counts.category == "award"].groupby("province").value.sum().to_dict()
    assert {r["province"]: r["commended"] for r in awards if r["commended"]} == awarded
    awarded_2025 = counts[counts.category == "award"].groupby("province_2025").value.sum().to_dict()
    assert {r["province"]: r["commended"] for r in awards_2025 if r["commended"]} == awarded_2025


def test_any_table_the_snapshot_gains_is_copied_and_programme_parties_answer_who_signs(seed_out, tmp_path):
    """A later issue adds programme tables; the copy and the signing query use them when present."""
    out = _copy(seed_out, tmp_path / "out")
    snapshot = write.current_snapshot(out)
    mentions = pd.read_parquet(out / "mentions")
    agencies = pd.read_parquet(out / "agencies")
    top = set(agencies[agencies.parent_id.isna()].agency_id)
    doc_id, group = next((d, g) for d, g in mentions[mentions.label == "AGENCY"].groupby("doc_id")
                         if len(set(g.entity_id) & top) >= 2)
    parties = sorted(set(group.entity_id) & top)[:2]
    tables = {"programmes": pa.table({"doc_id": [doc_id], "programme_id": ["g:1"], "kind": ["Chương trình phối hợp"],
                                      "start_year": [2021], "end_year": [2025]}),
              "programme_parties": pa.table({"doc_id": [doc_id] * 2, "programme_id": ["g:1"] * 2,
                                             "agency_id": parties})}
    for name, table in tables.items():
        (snapshot / name).mkdir()
        pq.write_table(table, snapshot / name / "part-0.parquet")
    db, _ = build_database(out)
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from programme_parties").fetchone()[0] == 2
    links = {(r[3], r[2]) for r in con.execute('pragma foreign_key_list("programme_parties")')}
    assert {("agency_id", "agencies"), ("doc_id", "documents")} <= links
    [row] = _pages(db, "/vnpress/which_bodies_sign_with_which.json?_shape=array")[0]
    names = agencies.set_index("agency_id").name
    assert {row["agency"], row["with_agency"]} == {names[p] for p in parties}
    assert row["programmes"] == 1 and row["periods"] == "2021–2025"


def test_row_pages_link_across_tables_and_tables_have_facets_and_descriptions(db, served):
    roles = pd.read_parquet(served / "roles")
    role = roles[roles.agency_id.notna()].iloc[0]
    persons = pd.read_parquet(served / "persons").set_index("person_id")
    person, agency, roles_page, mentions, document = _pages(
        db, f"/vnpress/persons/{_tilde(role.person_id)}", f"/vnpress/agencies/{_tilde(role.agency_id)}",
        "/vnpress/roles", "/vnpress/mentions.json?_size=0", f"/vnpress/documents/{role.doc_id}")
    assert persons.full_name[role.person_id] in person
    assert f'/vnpress/roles?person_id={role.person_id}' in person and "from person_id in roles" in person
    assert f'/vnpress/roles?agency_id={role.agency_id}' in agency and "from agency_id in mentions" in agency
    assert f'<a href="/vnpress/persons/{_tilde(role.person_id)}">{persons.full_name[role.person_id]}</a>' in roles_page
    assert "from doc_id in roles" in document and "from doc_id in mentions" in document
    facet = {r["value"]: r["count"] for r in mentions["facet_results"]["label"]["results"]}
    assert facet == pd.read_parquet(served / "mentions").label.value_counts().to_dict()  # a default facet
    assert "full name without honorific" in _pages(db, "/vnpress/persons")[0]  # column descriptions
    title_word = pd.read_parquet(served / "documents").title.iloc[0].split()[1]
    found = _pages(db, f"/vnpress/documents.json?_search={title_word}&_shape=array")[0]
    assert found and all(title_word.lower() in (d["title"] + d["text"]).lower() for d in found)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_answers_in_a_real_browser(served, tmp_path):
    flags = browser_flags(tmp_path)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--out", str(served), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}/vnpress"
        for _ in range(120):
            try:
                urllib.request.urlopen(base, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"vnpress serve did not answer: {server.stdout.read1().decode()}")
        roles = pd.read_parquet(served / "roles")
        person_id = roles.person_id.value_counts().index[0]
        name = pd.read_parquet(served / "persons").set_index("person_id").full_name[person_id]
        pages = {"serve_person": f"{base}/persons/{_tilde(person_id)}",
                 "serve_facets": f"{base}/mentions?_facet=normalized&_facet=doc_id&label=AGENCY"}
        for shot, url in pages.items():
            png = tmp_path / f"{shot}.png"
            subprocess.run(flags + [f"--screenshot={png}", url], check=True, capture_output=True, timeout=120)
            assert png.stat().st_size > 20_000 and png.read_bytes()[:4] == b"\x89PNG"
            if os.environ.get("VNPRESS_SCREENSHOTS"):  # refresh the pictures in docs/
                shutil.copy(png, Path(os.environ["VNPRESS_SCREENSHOTS"]) / png.name)
        dom = subprocess.run(flags + ["--dump-dom", pages["serve_person"]], check=True, capture_output=True,
                             text=True, timeout=120).stdout
        assert name in dom and "Links from other tables" in dom and "from person_id in roles" in dom
        facets = subprocess.run(flags + ["--dump-dom", pages["serve_facets"]], check=True, capture_output=True,
                                text=True, timeout=120).stdout
        assert "facet-info" in facets and "AGENCY" in facets
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_build_only_and_help(served):
    result = CliRunner().invoke(main, ["serve", "--out", str(served), "--build-only"], catch_exceptions=False)
    assert result.exit_code == 0 and "vnpress.db" in result.output
