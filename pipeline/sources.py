"""Inputs -> items: one item per document, whatever the container.

* ``.txt``, ``.html``/``.htm``: one file, one document;
* ``.jsonl``/``.ndjson``, ``.csv``, ``.parquet``: crawler dumps, one document per row, with a text
  column and optional url, title, date (the crawl date) and source columns (names configurable);
* ``.zip``, ``.tar.gz``/``.tgz``: archives of any of these.

Each item names where it came from (``dump.jsonl#12``, ``pages.zip!a/b.html``) and is read in
bounded memory: dumps row by row, archives member by member, each checked against the size limit.
A container that cannot be opened is one item with an error, so every input is accounted for.
"""
from __future__ import annotations

import csv
import io
import json
import tarfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from .config import Settings
from .errors import IngestError

ROW_FORMATS = (".jsonl", ".ndjson", ".csv", ".parquet")
ARCHIVES = (".zip", ".tar.gz", ".tgz")
FILE_FORMATS = (".txt", ".html", ".htm")
SUFFIXES = FILE_FORMATS + ROW_FORMATS + ARCHIVES


@dataclass
class Item:
    source_path: str
    source_file: str
    fmt: str = "txt"                 # txt, html, row
    data: bytes | None = None
    text: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)   # url, title, crawl_date, source
    error: IngestError | None = None
    n_bytes: int = 0


def suffix_of(name: str) -> str:
    lowered = name.lower()
    return next((s for s in sorted(SUFFIXES, key=len, reverse=True) if lowered.endswith(s)), "")


def _failed(path: str, error: IngestError) -> Item:
    return Item(path, Path(path.split("!")[-1].split("#")[0]).name, error=error)


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _row_item(container: str, index: int, row: dict[str, Any], settings: Settings) -> Item:
    name = f"{Path(container.split('!')[-1]).name}#{index}"
    path = f"{container}#{index}"
    cols = settings.columns
    text = row.get(cols["text"])
    if not isinstance(text, str) or not text.strip():
        return _failed(path, IngestError("empty", f"row {index} has no text in column {cols['text']!r}"))
    if len(text.encode("utf-8", "surrogatepass")) > settings.max_file_bytes:
        return _failed(path, IngestError("too_large", f"row {index} text exceeds {settings.max_file_bytes} bytes"))
    meta = {"url": row.get(cols["url"]), "title": row.get(cols["title"]),
            "crawl_date": _parse_date(row.get(cols["date"])), "source": row.get(cols["source"])}
    return Item(path, name, "row", text=text, meta={k: v for k, v in meta.items() if v}, n_bytes=len(text))


def _rows(name: str, handle: io.BufferedIOBase) -> Iterator[dict[str, Any] | IngestError]:
    suffix = suffix_of(name)
    if suffix in (".jsonl", ".ndjson"):
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield IngestError("bad_format", f"line {number} is not JSON ({exc})")
                continue
            yield row if isinstance(row, dict) else IngestError("bad_format", f"line {number} is not an object")
    elif suffix == ".csv":
        csv.field_size_limit(1 << 28)
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="strict", newline="")
        try:
            yield from csv.DictReader(text)
        except (csv.Error, UnicodeDecodeError) as exc:
            yield IngestError("bad_format", f"CSV cannot be read further: {exc}")
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            for batch in pq.ParquetFile(handle).iter_batches(batch_size=256):
                yield from batch.to_pylist()
        except Exception as exc:  # pyarrow raises several types for a broken file
            yield IngestError("bad_format", f"Parquet cannot be read: {exc}")


def _from_bytes(path: str, name: str, data: bytes, settings: Settings) -> Iterator[Item]:
    """One item per document in a file's bytes (a member of an archive, or a file on disk)."""
    suffix = suffix_of(name)
    if suffix in FILE_FORMATS:
        fmt = "html" if suffix in (".html", ".htm") else "txt"
        yield Item(path, Path(name).name, fmt, data=data, n_bytes=len(data))
    elif suffix in ROW_FORMATS:
        yield from _dump(path, io.BytesIO(data), name, settings)
    else:
        yield _failed(path, IngestError("bad_format", f"unsupported file type {Path(name).suffix or name!r}"))


def _dump(path: str, handle, name: str, settings: Settings) -> Iterator[Item]:
    index = -1
    for index, row in enumerate(_rows(name, handle)):
        if isinstance(row, IngestError):
            yield _failed(f"{path}#{index}", row)
        else:
            yield _row_item(path, index, row, settings)
    if index < 0:
        yield _failed(path, IngestError("empty", "dump with no rows"))


def _archive(path: Path, settings: Settings) -> Iterator[Item]:
    suffix = suffix_of(path.name)
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    if not info.is_dir():
                        yield from _member(path, info.filename, info.file_size, lambda i=info: archive.read(i),
                                           settings)
        else:
            with tarfile.open(path, "r:gz") as archive:
                for member in archive:  # streaming: members in archive order
                    if member.isfile():
                        yield from _member(path, member.name, member.size,
                                           lambda m=member: archive.extractfile(m).read(), settings)
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as exc:
        yield _failed(str(path), IngestError("bad_format", f"archive cannot be read: {exc}"))


def _member(archive: Path, name: str, size: int, read, settings: Settings) -> Iterator[Item]:
    path = f"{archive}!{name}"
    if suffix_of(name) not in FILE_FORMATS + ROW_FORMATS:
        yield _failed(path, IngestError("bad_format", f"unsupported file type in archive: {name!r}"))
    elif size > settings.max_file_bytes and suffix_of(name) in FILE_FORMATS:
        yield _failed(path, IngestError("too_large", f"member of {size} bytes exceeds {settings.max_file_bytes}"))
    else:
        yield from _from_bytes(path, name, read(), settings)


def iter_items(path: Path, settings: Settings = Settings()) -> Iterator[Item]:
    """Every document an input file holds, in a deterministic order."""
    suffix = suffix_of(path.name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield _failed(str(path), IngestError("unreadable", f"cannot read: {exc.strerror or exc}"))
        return
    if suffix in ARCHIVES:
        yield from _archive(path, settings)
    elif suffix in ROW_FORMATS:
        try:
            with path.open("rb") as handle:
                yield from _dump(str(path), handle, path.name, settings)
        except OSError as exc:
            yield _failed(str(path), IngestError("unreadable", f"cannot read: {exc.strerror or exc}"))
    elif size > settings.max_file_bytes:
        yield _failed(str(path), IngestError("too_large", f"file of {size} bytes exceeds the limit of "
                                                          f"{settings.max_file_bytes}"))
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield _failed(str(path), IngestError("unreadable", f"cannot read: {exc.strerror or exc}"))
            return
        yield from _from_bytes(str(path), path.name, data, settings)
