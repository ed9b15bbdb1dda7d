"""Inputs -> items: one item per document, whatever the container.

* ``.txt``, ``.html``/``.htm``: one file, one document;
* ``.jsonl``/``.ndjson``, ``.csv``, ``.parquet``: crawler dumps, one document per row, with a text
  column and optional url, title, date (the crawl date) and source columns (names configurable);
* ``.zip``, ``.tar.gz``/``.tgz``: archives of any of these.

Each item names where it came from (``dump.jsonl#12``, ``pages.zip!a/b.html``) and is read in
bounded memory: a file on disk is not read here at all (``read_file`` reads it when it is
due), dumps are read row by row and archives member by member, each row and member checked
against ``--max-bytes`` as it is read (never after reading it whole). A container, member or
row that cannot be read is one item with an error and the rest goes on, so every input is
accounted for.

Names are kept bytes-safe: a file name that is not UTF-8 stays a ``str`` with surrogate escapes
(``os.fsdecode``) to open it, and is stored as ``shown(name)``, with ``\\xNN`` for those bytes.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
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
_COMPOUND = tuple(s for s in SUFFIXES if s.count(".") > 1)  # ".tar.gz": more than the last dot's part
_CHUNK = 1 << 20


def shown(name: str | os.PathLike) -> str:
    """A name as stored and printed: bytes that are not UTF-8 (surrogate escapes) as ``\\xNN``."""
    name = os.fspath(name)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass
class Item:
    source_path: str                 # where it came from, as stored (``shown``)
    source_file: str
    fmt: str = "txt"                 # txt, html, row
    data: bytes | None = None
    text: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)   # url, title, crawl_date, source
    error: IngestError | None = None
    n_bytes: int = 0
    sha256: str | None = None        # of the raw bytes (file, member, row): to find the input again
    fs_path: str | None = None       # a file on disk, read when due (``read_file``)
    stat: tuple[int, ...] | None = None  # its size, mtime, ctime, inode (``stat_key``) when listed


def stat_key(info: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is unchanged without reading it (rsync's quick check, stricter): size,
    modification and change times, inode."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def suffix_of(name: str) -> str:
    lowered = name.lower()
    compound = next((s for s in _COMPOUND if lowered.endswith(s)), None)
    if compound:
        return compound
    dot = lowered.rfind(".")
    return lowered[dot:] if dot >= 0 and lowered[dot:] in SUFFIXES else ""


def base_name(source_path: str) -> str:
    """The input's own name: ``a.zip!b/c.txt`` -> ``c.txt``, ``d.jsonl#3`` -> ``d.jsonl#3``."""
    inner = source_path.rsplit("!", 1)[-1]
    return inner.rsplit("/", 1)[-1].rsplit(os.sep, 1)[-1]


def _failed(path: str, error: IngestError, n_bytes: int = 0, sha256: str | None = None) -> Item:
    return Item(path, Path(path.split("!")[-1].split("#")[0]).name, error=error, n_bytes=n_bytes, sha256=sha256)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str) -> tuple[int, str | None]:
    """Size and sha256 of a file, read in chunks (a container is hashed once, only when it failed)."""
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return 0, None
    return size, digest.hexdigest()


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _valid_text(value: Any, column: str, index: int) -> str | None:
    """A text field: a string of Unicode scalars, or None; anything else is an IngestError."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise IngestError("bad_format", f"row {index}: column {column!r} holds {type(value).__name__} "
                                        f"{str(value)[:40]!r}, not text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise IngestError("bad_format", f"row {index}: column {column!r} holds a lone surrogate at "
                                        f"character {exc.start} (not Unicode text)") from None
    return value


def _row_item(container: str, index: int, row: dict[str, Any], raw: bytes | None, settings: Settings) -> Item:
    name = f"{base_name(container)}#{index}"
    path = f"{container}#{index}"
    sha = _sha(raw) if raw is not None else None
    cols = settings.columns
    try:
        text = _valid_text(row.get(cols["text"]), cols["text"], index)
        meta = {key: _valid_text(row.get(cols[key]), cols[key], index) for key in ("url", "title", "source")}
        crawled = row.get(cols["date"])
        if crawled is not None and not isinstance(crawled, date):
            crawled = _valid_text(crawled, cols["date"], index)
    except IngestError as exc:
        return _failed(path, exc, len(raw or b""), sha)
    if not text or not text.strip():
        return _failed(path, IngestError("empty", f"row {index} has no text in column {cols['text']!r}"),
                       len(raw or b""), sha)
    size = len(text.encode("utf-8"))
    if size > settings.max_file_bytes:
        return _failed(path, IngestError("too_large", f"row {index} text exceeds {settings.max_file_bytes} bytes"),
                       size, sha)
    meta["crawl_date"] = _parse_date(crawled)
    return Item(path, name, "row", text=text, meta={k: v for k, v in meta.items() if v}, n_bytes=size, sha256=sha)


def _bounded_lines(handle, limit: int) -> Iterator[tuple[bytes | None, int]]:
    """Lines of at most ``limit`` bytes; a longer one is skipped (read on in chunks, never
    held whole) and given as ``(None, its length)``."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while chunk := handle.readline(_CHUNK):
                size += len(chunk)
                if chunk.endswith(b"\n"):
                    break
            yield None, size
        else:
            yield line, len(line)


Row = tuple[dict[str, Any] | IngestError, bytes | None]


def _jsonl_rows(handle, limit: int) -> Iterator[Row]:
    number = 0
    for line, size in _bounded_lines(handle, limit):
        number += 1
        if line is None:
            yield IngestError("too_large", f"line {number} of {size} bytes exceeds the limit of {limit}"), None
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield IngestError("bad_format", f"line {number} is not JSON ({exc})"), line
            continue
        yield (row if isinstance(row, dict) else IngestError("bad_format", f"line {number} is not an object")), line


def _csv_rows(handle, limit: int) -> Iterator[Row]:
    csv.field_size_limit(max(limit, 1024))
    lines = (line.decode("utf-8-sig" if i == 0 else "utf-8") if line is not None else None
             for i, (line, _) in enumerate(_bounded_lines(handle, limit)))
    pending: list[str] = []

    def text_lines():
        for line in lines:
            if line is None:
                raise IngestError("too_large", f"a CSV line exceeds the limit of {limit} bytes")
            pending.append(line)
            yield line

    reader = csv.DictReader(text_lines())
    while True:
        pending.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except IngestError as exc:
            yield IngestError(exc.reason, f"{exc}; the rest of the CSV cannot be read reliably"), None
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            # a field over the limit, or broken quoting: where the next record starts is unknown
            reason = "too_large" if "field limit" in str(exc) else "bad_format"
            yield IngestError(reason, f"CSV cannot be read further: {exc}"), None
            return
        yield row, "".join(pending).encode("utf-8")


def _parquet_rows(handle) -> Iterator[Row]:
    import pyarrow.parquet as pq

    try:
        for batch in pq.ParquetFile(handle).iter_batches(batch_size=64):
            for row in batch.to_pylist():
                yield row, None
    except Exception as exc:  # pyarrow raises several types for a broken file
        yield IngestError("bad_format", f"Parquet cannot be read further: {exc}"), None


def _rows(name: str, handle, settings: Settings) -> Iterator[Row]:
    suffix = suffix_of(name)
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl_rows(handle, settings.max_file_bytes)
    elif suffix == ".csv":
        yield from _csv_rows(handle, settings.max_file_bytes)
    elif suffix == ".parquet":
        yield from _parquet_rows(handle)


def _dump(path: str, handle, name: str, settings: Settings) -> Iterator[Item]:
    index = -1
    try:
        for index, (row, raw) in enumerate(_rows(name, handle, settings)):
            if isinstance(row, IngestError):
                yield _failed(f"{path}#{index}", row, len(raw or b""), _sha(raw) if raw else None)
            else:
                yield _row_item(path, index, row, raw, settings)
    except (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError, ValueError) as exc:
        # the container broke under the dump (a bad CRC, a truncated stream)
        yield _failed(f"{path}#{index + 1}", IngestError("bad_format", f"dump cannot be read after row "
                                                                       f"{index}: {exc}"))
        return
    if index < 0:
        yield _failed(path, IngestError("empty", "dump with no rows"))


def _bounded_read(handle, limit: int, what: str) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise IngestError("too_large", f"{what} exceeds the limit of {limit} bytes")
    return data


def _member(archive: str, name: str, open_member, settings: Settings) -> Iterator[Item]:
    """One member, streamed: a dump row by row, a page up to ``--max-bytes`` (a declared size
    in the archive's header proves nothing, so the limit is checked on the bytes read)."""
    path = f"{archive}!{shown(name)}"
    suffix = suffix_of(name)
    if suffix not in FILE_FORMATS + ROW_FORMATS:
        yield _failed(path, IngestError("bad_format", f"unsupported file type in archive: {shown(name)!r}"))
        return
    try:
        with open_member() as handle:
            if suffix in ROW_FORMATS:
                yield from _dump(path, handle, name, settings)
                return
            data = _bounded_read(handle, settings.max_file_bytes, "member")
    except IngestError as exc:
        yield _failed(path, exc)
        return
    except (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError, ValueError, RuntimeError) as exc:
        yield _failed(path, IngestError("bad_format", f"member cannot be read: {exc}"))
        return
    fmt = "html" if suffix in (".html", ".htm") else "txt"
    yield Item(path, Path(shown(name)).name, fmt, data=data, n_bytes=len(data), sha256=_sha(data))


def _archive(path: Path, settings: Settings) -> Iterator[Item]:
    shown_path = shown(path)
    suffix = suffix_of(path.name)
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    if not info.is_dir():
                        yield from _member(shown_path, info.filename, lambda i=info: archive.open(i), settings)
        else:
            with tarfile.open(path, "r:gz") as archive:
                for member in archive:  # streaming: members in archive order
                    if member.isfile():
                        yield from _member(shown_path, member.name, lambda m=member: archive.extractfile(m),
                                           settings)
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError) as exc:
        size, sha = file_sha256(str(path))
        yield _failed(shown_path, IngestError("bad_format", f"archive cannot be read (further): {exc}"), size, sha)


def read_file(item: Item, settings: Settings) -> bytes:
    """The bytes of a file on disk, at most ``--max-bytes``; raises IngestError (``vanished``,
    ``unreadable``, ``too_large``)."""
    try:
        with open(item.fs_path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > settings.max_file_bytes:
                raise IngestError("too_large", f"file of {size} bytes exceeds the limit of {settings.max_file_bytes}")
            return _bounded_read(handle, settings.max_file_bytes, "file")
    except FileNotFoundError:
        raise IngestError("vanished", "the file was deleted while the run was going on") from None
    except OSError as exc:
        raise IngestError("unreadable", f"cannot read: {exc.strerror or exc}") from None


def iter_items(path: Path, settings: Settings = Settings()) -> Iterator[Item]:
    """Every document an input file holds, in a deterministic order. A file of one document is
    not read here: its item carries the path (``fs_path``), read by ``read_file``."""
    suffix = suffix_of(path.name)
    where = shown(path)
    try:
        info = path.stat()
        size = info.st_size
    except OSError as exc:
        yield _failed(where, IngestError("unreadable", f"cannot read: {exc.strerror or exc}"))
        return
    if suffix in ARCHIVES:
        yield from _archive(path, settings)
    elif suffix in ROW_FORMATS:
        try:
            with path.open("rb") as handle:
                yield from _dump(where, handle, path.name, settings)
        except OSError as exc:
            yield _failed(where, IngestError("unreadable", f"cannot read: {exc.strerror or exc}"))
    elif suffix in FILE_FORMATS:
        fmt = "html" if suffix in (".html", ".htm") else "txt"
        yield Item(where, shown(path.name), fmt, n_bytes=size, fs_path=str(path), stat=stat_key(info))
    else:
        yield _failed(where, IngestError("bad_format", f"unsupported file type {path.suffix!r}"))
