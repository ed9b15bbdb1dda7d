"""The dev set: real articles from other outlets (``../shared/devset``, owned by their newspapers,
read in place and never copied here) scored against their answer keys, with floors of their own.
Skipped where the dev set is absent."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.runner import run
from pipeline.scorecard import check_floors
from pipeline.scoring import evaluate

ROOT = Path(__file__).parent.parent
DEVSET = ROOT.parent / "shared" / "devset"


@pytest.mark.slow
@pytest.mark.skipif(not (DEVSET / "gold").is_dir(), reason="no dev set at ../shared/devset")
def test_the_dev_set_meets_its_floors(tmp_path):
    out = tmp_path / "out"
    summary = run([DEVSET / "texts"], out, engine="serial", workers=1)
    assert summary.n_failed == 0
    report = evaluate(DEVSET / "gold", out, holdout_every=4)
    assert check_floors(report, json.loads((ROOT / "tests" / "dev_floors.json").read_text())) == []
