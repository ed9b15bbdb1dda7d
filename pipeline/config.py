"""Run settings: one frozen object, defaults here, overlaid by a settings file, then the CLI."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

INPUT_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".ndjson", ".csv", ".parquet", ".zip", ".tar.gz", ".tgz")
DUMP_COLUMNS = {"text": "text", "url": "url", "title": "title", "date": "date", "source": "source"}


@dataclass(frozen=True)
class Settings:
    max_file_bytes: int = 20 * 1024 * 1024
    # A press release's paragraphs are a few thousand characters; a longer line is a broken file.
    max_line_chars: int = 200_000
    columns: dict[str, str] = field(default_factory=lambda: dict(DUMP_COLUMNS))
    suffixes: tuple[str, ...] = field(default=INPUT_SUFFIXES)
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    batch_size: int = 16
    # A file whose size, times and inode are those it had when the published snapshot was made is
    # not read again (rsync's quick check); False reads every input (--checksum).
    quick_check: bool = True
    # A document taking longer than this (seconds) to read or process is stopped: a `timeout` error.
    doc_timeout: float = 300.0
    # A run does not publish (and exits 1) when more than this fraction of the inputs due failed
    # (0 = any failure).
    max_failed_fraction: float = 0.0
    # ... nor when it would mark removed (or drop) more than this fraction of the published documents.
    max_removed_fraction: float = 0.5
    # Snapshots kept after a publish (at least the new one and the one it replaced), for restore.
    keep_snapshots: int = 2
    # Folders of the user's own rules, added to the package's (same file names and formats).
    rules: tuple[str, ...] = ()


class SettingsError(ValueError):
    """A settings file that cannot be used."""


def from_file(path: Path, base: Settings = Settings()) -> Settings:
    """``base`` overlaid by a TOML settings file (keys are Settings' fields; ``rules`` folders are
    relative to the file)::

        rules = ["rules/lao_cai"]
        max_failed_fraction = 0.05
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read the settings ({exc})") from exc
    known = {f.name: f for f in fields(Settings)}
    if unknown := sorted(set(data) - set(known)):
        raise SettingsError(f"{path}: unknown setting(s) {unknown}; allowed {sorted(known)}")
    if "rules" in data:
        if not isinstance(data["rules"], list) or not all(isinstance(r, str) for r in data["rules"]):
            raise SettingsError(f"{path}: 'rules' must be a list of folders")
        data["rules"] = tuple(str((path.parent / r)) for r in data["rules"])
    if "suffixes" in data:
        data["suffixes"] = tuple(data["suffixes"])
    return replace(base, **data)
