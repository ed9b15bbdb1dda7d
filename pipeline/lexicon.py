"""One loader for every data file under ``pipeline/lexicons``.

Two shapes, both one entry per line, ``#`` starting a comment line:

* ``*.txt``: a word list, one entry per line.
* ``*.jsonl``: one JSON object per line, checked against the keys the caller declares.

Entries are normalised with the same function as documents, so a lexicon written with
"Uỷ" matches a page written with "Ủy". A malformed line raises :class:`LexiconError`
naming ``file:line``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .normalize import normalize_text

LEXICON_DIR = Path(__file__).parent / "lexicons"


class LexiconError(ValueError):
    """A lexicon line that cannot be used; the message names file and line."""


@dataclass(frozen=True)
class Field:
    name: str
    type: type | tuple[type, ...] = str
    required: bool = True


def _lines(path: Path):
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path.name}: cannot read ({exc})") from exc
    for number, line in enumerate(raw.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, normalize_text(stripped)


def read_list(path: Path) -> tuple[str, ...]:
    """A word list; duplicates are an error since they usually hide a typo."""
    seen: dict[str, int] = {}
    for number, entry in _lines(path):
        if "\t" in entry:
            raise LexiconError(f"{path.name}:{number}: a word list takes one entry per line, found a tab")
        if entry in seen:
            raise LexiconError(f"{path.name}:{number}: duplicate of line {seen[entry]}: {entry!r}")
        seen[entry] = number
    return tuple(seen)


def read_records(path: Path, fields: tuple[Field, ...]) -> tuple[dict[str, Any], ...]:
    """JSONL records; unknown keys, missing required keys and wrong types are errors."""
    known = {f.name: f for f in fields}
    records = []
    for number, line in _lines(path):
        where = f"{path.name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{where}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise LexiconError(f"{where}: expected an object, got {type(record).__name__}")
        unknown = sorted(set(record) - set(known))
        if unknown:
            raise LexiconError(f"{where}: unknown key(s) {unknown}; allowed {sorted(known)}")
        for field in fields:
            if field.name not in record:
                if field.required:
                    raise LexiconError(f"{where}: missing key {field.name!r}")
                continue
            if not isinstance(record[field.name], field.type):
                raise LexiconError(f"{where}: {field.name!r} has the wrong type")
        records.append(record)
    return tuple(records)


# agencies.jsonl, read by the agency grammar and by ingest (a signature's "Báo …" is not a writer).
AGENCY_FIELDS = (
    Field("type"), Field("canonical", str, False), Field("forms", list, False), Field("scope", str, False),
    Field("head", str, False), Field("names", str, False), Field("form", str, False), Field("joins", bool, False),
    Field("keep", bool, False), Field("embeds_level", bool, False),
)


@cache
def word_list(name: str) -> tuple[str, ...]:
    return read_list(LEXICON_DIR / f"{name}.txt")


@cache
def records(name: str, fields: tuple[Field, ...]) -> tuple[dict[str, Any], ...]:
    return read_records(LEXICON_DIR / f"{name}.jsonl", fields)


def lexicon_digest() -> str:
    """Hash of every data file: part of the pipeline version, so a changed lexicon reprocesses."""
    digest = hashlib.sha256()
    for path in sorted(LEXICON_DIR.iterdir()):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
