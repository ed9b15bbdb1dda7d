"""Files -> :class:`Document`: decode, normalise, split into blocks and give each block a kind.

Nothing is dropped: every non-empty line of the page becomes (part of) a block, and
boilerplate is labelled, not removed. The classification rules live in
``lexicons/block_rules.jsonl``; only the structural rules (title = first article line,
caption = short unterminated line or a line under an image, trailing name line = byline)
are code.
"""
from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from . import lexicon
from .config import Settings
from .normalize import normalize_text

NUL = b"\x00"
ARTICLE_KINDS = frozenset({"title", "body", "caption"})


class IngestError(Exception):
    """An input that cannot become a document; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Block:
    idx: int
    kind: str
    start: int
    end: int
    text: str
    rule: str = ""


@dataclass
class Document:
    doc_id: str
    source_file: str
    source_path: str
    text: str
    blocks: list[Block]
    title: str | None = None
    published_date: date | None = None
    authors: list[str] = field(default_factory=list)
    content_sha256: str = ""
    n_bytes: int = 0


# ---------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16/32; anything else is an IngestError."""
    if not data.strip():
        raise IngestError("empty", "empty file (no text)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise IngestError("undecodable", f"{encoding} BOM but undecodable byte at {exc.start}") from exc
    if NUL in data:
        raise IngestError("binary", f"binary content (NUL byte at offset {data.index(NUL)})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError("undecodable", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") from exc
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise IngestError("binary", f"binary content ({controls} control characters)")
    return text


# ---------------------------------------------------------------- blocks

@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    rest: bool
    shape: str | None
    why: str
    image: bool


_RULE_FIELDS = (
    lexicon.Field("kind"), lexicon.Field("pattern"), lexicon.Field("why"),
    lexicon.Field("rest", bool, False), lexicon.Field("shape", str, False), lexicon.Field("case", bool, False),
    lexicon.Field("image", bool, False),
)
_SHAPES = {"no_lowercase": lambda line: not any(ch.islower() for ch in line)}


@cache
def block_rules() -> tuple[_Rule, ...]:
    rules = []
    for record in lexicon.records("block_rules", _RULE_FIELDS):
        flags = 0 if record.get("case") else re.IGNORECASE
        shape = record.get("shape")
        if shape is not None and shape not in _SHAPES:
            raise lexicon.LexiconError(f"block_rules.jsonl: unknown shape {shape!r}")
        rules.append(_Rule(record["kind"], re.compile(record["pattern"], flags), bool(record.get("rest")),
                           shape, record["why"], bool(record.get("image"))))
    return tuple(rules)


def _classify(line: str) -> _Rule | None:
    for rule in block_rules():
        if rule.pattern.search(line) and (rule.shape is None or _SHAPES[rule.shape](line)):
            return rule
    return None


def _lines(text: str):
    """(start, end) of every non-blank line, stripped of surrounding white space."""
    for match in re.finditer(r"[^\n]+", text):
        stripped = match.group().strip()
        if stripped:
            start = match.start() + match.group().index(stripped)
            yield start, start + len(stripped)


_TERMINAL = tuple(".!?…;:\"”’»)")
_NAME_LINE = re.compile(r"^(?:[A-ZÀ-Ỹ][^\s\d.,;:!?()]*\s+){0,4}[A-ZÀ-Ỹ][^\s\d.,;:!?()]*$")
_CAPTION_MAX = 300


def _is_name_line(line: str) -> bool:
    return bool(_NAME_LINE.match(line)) and all(w[0].isupper() for w in line.split())


def _merge_broken_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a line that ends in a connector word ("và", "của") with the line after it."""
    connectors = set(lexicon.word_list("connectors"))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev_start, prev_end = merged[-1]
            last_word = text[prev_start:prev_end].rsplit(None, 1)[-1].lower()
            if last_word in connectors and text[start:start + 1].isalnum():
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def split_blocks(text: str) -> list[Block]:
    """Blocks with their kind; offsets index ``text``."""
    labelled: list[tuple[int, int, str, str, bool]] = []
    pending: list[tuple[int, int]] = []
    rest: _Rule | None = None

    def flush():
        for start, end in _merge_broken_lines(text, pending):
            labelled.append((start, end, "", "", False))
        pending.clear()

    for start, end in _lines(text):
        line = text[start:end]
        rule = rest or _classify(line)
        if rule is None:
            pending.append((start, end))
            continue
        flush()
        labelled.append((start, end, rule.kind, rule.why, rule.image))
        if rule.rest:
            rest = rule
    flush()
    return _assign_article_kinds(text, labelled)


def _assign_article_kinds(text: str, labelled: list[tuple[int, int, str, str, bool]]) -> list[Block]:
    article = [i for i, (_, _, kind, _, _) in enumerate(labelled) if not kind]
    title_at = article[0] if article else None
    byline_at = None
    if len(article) > 2:
        s, e = labelled[article[-1]][:2]
        if _is_name_line(text[s:e]):
            byline_at = article[-1]
    blocks = []
    for idx, (start, end, kind, why, _) in enumerate(labelled):
        line = text[start:end]
        if not kind:
            after_image = idx > 0 and labelled[idx - 1][4]
            if idx == title_at:
                kind, why = "title", "first article line"
            elif idx == byline_at:
                kind, why = "byline", "trailing name line"
            elif after_image or (len(line) <= _CAPTION_MAX and not line.endswith(_TERMINAL)):
                kind, why = "caption", "under an image" if after_image else "short unterminated line"
            else:
                kind, why = "body", "paragraph"
        blocks.append(Block(idx, kind, start, end, line, why))
    return blocks


# ---------------------------------------------------------------- page metadata

_FULL_DATE = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\bvà\b|\s[-–]\s)\s*")


def published_date(blocks: list[Block]) -> date | None:
    for block in blocks:
        if block.kind == "dateline" and (m := _FULL_DATE.search(block.text)):
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
    return None


def authors(blocks: list[Block]) -> list[str]:
    names: list[str] = []
    for block in blocks:
        if block.kind != "byline":
            continue
        value = block.text.split(":", 1)[1] if ":" in block.text else block.text
        names.extend(n.strip(" .") for n in _AUTHOR_SPLIT.split(value) if n.strip(" ."))
    return names


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_document(raw_text: str, source_path: str, n_bytes: int = 0) -> Document:
    text = normalize_text(raw_text)
    if not text.strip():
        raise IngestError("empty", "no text after normalisation")
    blocks = split_blocks(text)
    sha = content_id(text)
    title = next((b.text for b in blocks if b.kind == "title"), None)
    return Document(
        doc_id=sha[:16], source_file=Path(source_path).name, source_path=source_path, text=text,
        blocks=blocks, title=title, published_date=published_date(blocks), authors=authors(blocks),
        content_sha256=sha, n_bytes=n_bytes,
    )


def read_document(path: Path, settings: Settings = Settings()) -> Document:
    """Read one file; raises IngestError with a specific reason when it cannot be used."""
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise IngestError("too_large", f"file of {size} bytes exceeds the limit of {settings.max_file_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError("unreadable", f"cannot read: {exc.strerror or exc}") from exc
    return build_document(decode_bytes(data), str(path), len(data))


def discover(inputs: list[Path], settings: Settings = Settings()) -> list[Path]:
    """Every input file under the given files/folders, sorted for a deterministic order."""
    found: set[Path] = set()
    for item in inputs:
        if item.is_dir():
            found.update(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in settings.suffixes)
        else:
            found.add(item)
    return sorted(found)
