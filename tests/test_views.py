"""What people read: the HTML report (also in a real browser), the notebook, the terminal views."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, browser_flags
from pipeline.cli import main


@pytest.fixture(scope="module")
def report(seed_out) -> Path:
    result = CliRunner().invoke(main, ["report", "--out", str(seed_out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return seed_out / "report.html"


def test_report_is_self_contained_with_charts_and_highlights(report, gold):
    page = report.read_text(encoding="utf-8")
    assert page.count("<svg") >= 6
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?:", page), "the report must not fetch"
    for name in ("Corpus overview", "Documents per province", "Persons, titles and agencies"):
        assert name in page
    assert "Trần Ngọc Hà" in page and '<div class="spans"' in page  # displaCy's span style draws the mentions
    for g in gold.values():
        assert g["title"].split()[0] in page


def test_report_loads_in_a_real_browser(report, tmp_path):
    flags = browser_flags(tmp_path)
    shot = tmp_path / "report.png"
    subprocess.run(flags + [f"--screenshot={shot}", report.as_uri()], check=True, capture_output=True, timeout=120)
    assert shot.stat().st_size > 20_000 and shot.read_bytes()[:4] == b"\x89PNG"
    dom = subprocess.run(flags + ["--dump-dom", report.as_uri()], check=True, capture_output=True, text=True,
                         timeout=120).stdout
    assert "vnpress report" in dom and "Corpus overview" in dom and "Nguyễn Thúy Hằng" in dom


def test_notebook_runs_top_to_bottom(seed_out):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    os.environ["VNPRESS_OUT"] = str(seed_out)
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        del os.environ["VNPRESS_OUT"]
    outputs = "".join(o.get("data", {}).get("text/plain", "") for c in notebook.cells if c.cell_type == "code"
                      for o in c.outputs)
    assert "Phó Chủ tịch" in outputs and "model" in outputs and "chair_sentence" in outputs


def test_show_prints_a_documents_persons_with_titles(seed_out):
    result = CliRunner().invoke(main, ["show", "001_f0aadb7306309570.txt", "--out", str(seed_out)],
                                catch_exceptions=False)
    assert result.exit_code == 0
    for name, title in (("Đỗ Thanh Thảo", "Giám đốc"), ("Nguyễn Thúy Hằng", "Phó Chủ tịch"),
                        ("Cao Thị Minh Thảo", "Phó Giám đốc")):
        assert re.search(rf"{name}.*{title}", result.output), name
    missing = CliRunner().invoke(main, ["show", "nope.txt", "--out", str(seed_out)])
    assert missing.exit_code == 1 and "no document" in missing.output


def test_stats_and_query(seed_out):
    stats = CliRunner().invoke(main, ["stats", "--out", str(seed_out)], catch_exceptions=False)
    assert "mentions" in stats.output and "PERSON" in stats.output
    query = CliRunner().invoke(main, ["query", "select count(*) as n from persons", "--out", str(seed_out)],
                               catch_exceptions=False)
    assert re.search(r"\b6\b", query.output)
    bad = CliRunner().invoke(main, ["query", "select * from nowhere", "--out", str(seed_out)])
    assert bad.exit_code == 1 and "query failed" in bad.output
