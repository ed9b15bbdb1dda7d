"""Shared fixtures: one pipeline run over the seeds per test session (models load once)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
GOLD = ROOT / "tests" / "gold"
GOLDEN = ROOT / "tests" / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from the current output")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def seed_out(tmp_path_factory) -> Path:
    """The seeds run once through the whole pipeline (serial engine)."""
    from pipeline.runner import run

    out = tmp_path_factory.mktemp("seed_out")
    summary = run([SEEDS], out, engine="serial", workers=1)
    assert summary.n_failed == 0
    return out


@pytest.fixture(scope="session")
def own_out(tmp_path_factory) -> Path:
    """Our own press releases (tests/docs) run once through the whole pipeline (serial engine)."""
    from pipeline.runner import run

    out = tmp_path_factory.mktemp("own_out")
    assert run([ROOT / "tests" / "docs"], out, engine="serial", workers=1).n_failed == 0
    return out


@pytest.fixture(scope="session")
def seed_docs():
    from pipeline.ingest import read_document

    return {p.name: read_document(p) for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    return {p.stem + ".txt": json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}


def check_golden(name: str, value, update: bool) -> None:
    """Compare ``value`` with tests/golden/<name>.json; --update-golden rewrites it for review."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(value, ensure_ascii=False, indent=1, default=str) + "\n"
    if update or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path.name} was missing and has been written: review and commit it")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), f"differs from {path.name}"


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """A scratch copy of the seeds, free to mutate."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


def browser_flags(tmp_path: Path, size: str = "1200,1600") -> list[str]:
    """Headless Chromium with a fresh profile and nothing reaching for the network; skips the test
    when there is no Chromium (apt-get install chromium; .ci/run installs it)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium); .ci/run installs it")
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={size}"]
