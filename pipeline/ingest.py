"""Files -> :class:`Document`: decode, normalise, split into blocks and give each block a kind.

Nothing is dropped: every non-empty line of the page becomes (part of) a block, and
boilerplate is labelled, not removed. The classification rules live in
``lexicons/block_rules.jsonl``; only the structural rules (title = first article line,
caption = short unterminated line or a line under an image, trailing name line = byline)
are code.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

from . import credits
from .config import Settings
from .dategrammar import is_date_line, page_date
from .decode import decode_bytes
from .errors import IngestError
from .normalize import normalize_text
from .rules import Rules, builder
from .sources import Item, iter_items, read_file, suffix_of

ARTICLE_KINDS = frozenset({"title", "body", "caption"})


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
    url: str | None = None
    crawl_date: date | None = None
    source_format: str = "txt"
    source_encoding: str | None = None  # "tcvn3", "vni": converted from a legacy font encoding
    warnings: list[str] = field(default_factory=list)   # repaired on the way in (bad bytes replaced …)

    def load(self, rules: Rules | None = None) -> "Document":
        return self


# ---------------------------------------------------------------- blocks

@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    rest: bool
    shape: str | None
    why: str
    image: bool


_SHAPES = {"no_lowercase": lambda line, rules: not any(ch.islower() for ch in line), "date_line": is_date_line}


@builder
def block_rules(rules: Rules) -> tuple[_Rule, ...]:
    """``block_rules.jsonl``, compiled; the first rule whose pattern (and shape) fits a line gives its kind."""
    return tuple(_Rule(r["kind"], re.compile(r["pattern"], 0 if r.get("case") else re.IGNORECASE), bool(r.get("rest")),
                       r.get("shape"), r["why"], bool(r.get("image"))) for r in rules.records("block_rules"))


def _classify(line: str, rules: Rules) -> _Rule | None:
    line = re.sub(r"^[•·▪►●◦‣]+\s*", "", line)  # "• Lượt xem: 5547": the page's list mark, not the line's words
    for rule in rules.compiled(block_rules):
        if rule.pattern.search(line) and (rule.shape is None or _SHAPES[rule.shape](line, rules)):
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


_CREDIT_SPLIT = re.compile(r"\s+[-–—]\s+")


def _is_credit_line(line: str) -> bool:
    """A trailing signature: a name, or a name and where the writer works ("Văn Long – Trung tâm
    Văn hóa huyện", "Thanh Hà - TTXVN")."""
    if _is_name_line(line):
        return True
    first, *rest = _CREDIT_SPLIT.split(line, maxsplit=1)
    return bool(rest) and _is_name_line(first) and rest[0][:1].isupper() and len(rest[0].split()) <= 12 \
        and not rest[0].endswith(_TERMINAL)


def _merge_broken_lines(text: str, spans: list[tuple[int, int]], rules: Rules) -> list[tuple[int, int]]:
    """Join a line that ends in a connector word ("và", "của") with the line after it."""
    connectors = set(rules.words("connectors"))
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


_OUTSIDE = _Rule("boilerplate", re.compile(""), True, None, "outside the article (page text around it)", False)
_TOP_LIST = _Rule("boilerplate", re.compile(""), False, None,
                  "a page's list above the article's first paragraph (a menu or a ticker, not the end of the article)", False)
_PARAGRAPH_WORDS = 15


def _paragraph(line: str) -> bool:
    """A line of running text: a sentence or more, ended by its punctuation."""
    return len(line.split()) >= _PARAGRAPH_WORDS and line.endswith(_TERMINAL)


def split_blocks(text: str, article_end: int | None = None, rules: Rules | None = None) -> list[Block]:
    """Blocks with their kind; offsets index ``text``. Lines from ``article_end`` on (the page text
    around an extracted article) are boilerplate. A related-news heading ends the article, except
    one right under the headline with paragraphs after it (a portal's "TIN NỔI BẬT:" ticker): that
    list runs only to the first paragraph."""
    rules = rules or Rules.default()
    labelled: list[tuple[int, int, str, str, bool]] = []
    pending: list[tuple[int, int]] = []
    rest: _Rule | None = None
    top: _Rule | None = None  # inside a list above the first paragraph
    lines = list(_lines(text))
    n_article = 0  # article lines so far (the first is the headline)
    ticker_dates: list[int] = []  # date lines inside that list

    def flush():
        for start, end in _merge_broken_lines(text, pending, rules):
            labelled.append((start, end, "", "", False))
        pending.clear()

    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        if article_end is not None and start >= article_end:
            rest = rest or _OUTSIDE
        if top and _paragraph(line):
            top = None
            for k in ticker_dates[:-1]:  # the items' dates; the last one before the lead is the page's
                a, b, *_ = labelled[k]
                labelled[k] = (a, b, _TOP_LIST.kind, _TOP_LIST.why, False)
        rule = rest or _classify(line, rules) or top
        if rule is None:
            pending.append((start, end))
            n_article += 1
            continue
        if rule.rest and rule is not _OUTSIDE and n_article == 1 and any(_paragraph(text[a:b]) for a, b in lines[i + 1:]):
            rule = top = _TOP_LIST
        flush()
        if top and rule.kind == "dateline":
            ticker_dates.append(len(labelled))
        labelled.append((start, end, rule.kind, rule.why, rule.image))
        if rule.rest:
            rest = rule
    flush()
    return _photo_credits(text, _assign_article_kinds(text, labelled, rules), rules)


def _assign_article_kinds(text: str, labelled: list[tuple[int, int, str, str, bool]], rules: Rules) -> list[Block]:
    article = [i for i, (_, _, kind, _, _) in enumerate(labelled) if not kind]
    title_at = article[0] if article else None
    byline_at = None
    if len(article) > 2:
        s, e = labelled[article[-1]][:2]
        if _is_credit_line(text[s:e]) or credits.is_credit(text[s:e], rules):
            byline_at = article[-1]
        elif (glued := credits.glued_credit(text[s:e], rules)) is not None:  # "… vững mạnh. L.B"
            cut = s + len(text[s:s + glued].rstrip())
            labelled[article[-1]:article[-1] + 1] = [(s, cut, "", "", False),
                                                      (s + glued, e, "byline", "a signature after the last sentence", False)]
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


def _photo_credits(text: str, blocks: list[Block], rules: Rules) -> list[Block]:
    """Photo credits inside a paragraph ("Ảnh: TTXVN.", "(ảnh: Trung Kiên)") become blocks of their
    own, boilerplate: no fact is taken from a credit."""
    out: list[Block] = []
    for b in blocks:
        spans = credits.photo_credits(b.text, rules) if b.kind in ("body", "caption") else []
        at = 0
        for start, end in spans:
            if b.text[at:start].strip():
                out.append(_piece(text, b, at, start, b.kind, b.rule))
            out.append(_piece(text, b, start, end, "boilerplate", "a photo credit inside a paragraph"))
            at = end
        out.append(_piece(text, b, at, len(b.text), b.kind, b.rule) if spans else b)
    return [Block(i, b.kind, b.start, b.end, b.text, b.rule) for i, b in enumerate(out) if b.text]


def _piece(text: str, b: Block, start: int, end: int, kind: str, why: str) -> Block:
    piece = b.text[start:end]
    lead = len(piece) - len(piece.lstrip())
    begin, finish = b.start + start + lead, b.start + start + len(piece.rstrip())
    return Block(b.idx, kind, begin, finish, text[begin:finish], why)


# ---------------------------------------------------------------- page metadata

_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\bvà\b|\s[-–]\s)\s*")


_CITY_DATE = re.compile(r"^[^\d,;.:]{1,25},\s*ngày\s")  # "Hà Nội, ngày 27-09-2020"
_TOP = 3  # blocks


def published_date(blocks: list[Block], rules: Rules) -> date | None:
    """The first date line's date; a date with its city only when the page has no other (on a portal
    it is the site's clock, above the article's own date line)."""
    own = [b for b in blocks if b.kind == "dateline" and not _CITY_DATE.match(b.text)]
    city = [b for b in blocks if b.kind == "dateline" and _CITY_DATE.match(b.text) and b.idx <= _TOP]
    # (lower down, a city's date signs a notice the article quotes)
    return next((d for b in own + city if (d := page_date(b.text, rules))), None)


def authors(blocks: list[Block], rules: Rules | None = None) -> list[str]:
    """The writers named by the byline blocks (``credits.authors``), in order, each once."""
    rules = rules or Rules.default()
    names: list[str] = []
    for block in blocks:
        if block.kind != "byline":
            continue
        # (the colon of a web address is no label's: "Theo http://…" credits a source)
        value = block.text.split(":", 1)[1] if ":" in block.text and "://" not in block.text else block.text
        if credits.is_source(value, rules):  # "Theo MIC": a source, no writer
            continue
        found = credits.authors(value.strip(), rules) or _named_writers(value, rules)
        names.extend(n for n in found if n not in names)
    return names


def _named_writers(value: str, rules: Rules) -> list[str]:
    """"Thanh Hà - Minh Anh" are two writers; "Văn Long – Trung tâm Văn hóa huyện", "Hà An - TTXVN"
    a writer and where they work."""
    people = [part for part in _CREDIT_SPLIT.split(value.strip())
              if _is_name_line(part.strip(" .")) and not part.strip(" .").isupper() and not _is_body(part, rules)]
    if not people and not value.strip(" .").isupper() and not credits.is_source(value, rules):
        people = [value]  # "PV", "TTXVN": a desk, not a writer
    return [n.strip(" .") for part in people for n in _AUTHOR_SPLIT.split(part) if n.strip(" .")]


@builder
def body_words(rules: Rules) -> re.Pattern[str]:
    """The first words of a body's name ("Báo", "Đài", "Trung tâm", "UBND"), from the agency grammar."""
    words = set()
    for r in rules.records("agencies"):
        words.update(r.get("forms") or [])
        words.update(w for w in (r.get("head"), r.get("form")) if w)
    return re.compile("(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)")


def _is_body(part: str, rules: Rules) -> bool:
    return rules.compiled(body_words).match(part.strip()) is not None


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_document(raw_text: str, source_path: str, n_bytes: int = 0, *, source_file: str | None = None,
                   article_end: int | None = None, meta: dict | None = None,
                   max_line_chars: int = Settings.max_line_chars, rules: Rules | None = None) -> Document:
    rules = rules or Rules.default()
    text = normalize_text(raw_text)
    if not text.strip():
        raise IngestError("empty", "no text after normalisation")
    longest = max(len(line) for line in text.split("\n"))
    if longest > max_line_chars:
        raise IngestError("line_too_long", f"a line of {longest} characters (limit {max_line_chars}): "
                                           "not a press release, or a file without line breaks")
    if article_end is not None:  # normalisation may shorten the text before the boundary
        article_end = len(normalize_text(raw_text[:article_end]))
    blocks = split_blocks(text, article_end, rules)
    sha = content_id(text)
    meta = meta or {}
    title = meta.get("title") or next((b.text for b in blocks if b.kind == "title"), None)
    return Document(
        doc_id=sha[:16], source_file=source_file or Path(source_path).name, source_path=source_path, text=text,
        blocks=blocks, title=normalize_text(title) if title else None,
        published_date=published_date(blocks, rules) or meta.get("published"),
        authors=authors(blocks, rules) or list(meta.get("authors") or []),
        content_sha256=sha, n_bytes=n_bytes, url=meta.get("url"), crawl_date=meta.get("crawl_date"),
        source_format=meta.get("format", "txt"), source_encoding=meta.get("source_encoding"),
    )


def read_item(item: Item, settings: Settings = Settings(), rules: Rules | None = None) -> Document:
    """One item -> its document; raises IngestError with a specific reason when it cannot be used.
    A file on disk is read now (``item.data``, ``n_bytes`` and ``sha256`` are then set)."""
    if item.error is not None:
        raise item.error
    if item.text is None and item.data is None and item.fs_path is not None:
        item.data = read_file(item, settings)
        item.n_bytes, item.sha256 = len(item.data), hashlib.sha256(item.data).hexdigest()
    warnings: list[str] = []
    text = item.text if item.text is not None else decode_bytes(item.data or b"", warnings)
    meta = {**item.meta, "format": item.fmt, "source_encoding": getattr(text, "source_encoding", None)}
    article_end = None
    if item.fmt == "html" or (item.fmt == "row" and text.lstrip()[:1] == "<" and "</" in text):
        from .htmlpage import parse

        page = parse(text)
        text, article_end = page.text, page.article_end
        meta.update({"published": page.published, "authors": page.authors, "format": "html"})
        meta.setdefault("title", page.title)
    elif item.fmt == "row" and meta.get("title") and not text.lstrip().startswith(meta["title"]):
        text = f"{meta['title']}\n\n{text}"  # the dump's title column is the headline
    doc = build_document(text, item.source_path, item.n_bytes, source_file=item.source_file,
                         article_end=article_end, meta=meta, max_line_chars=settings.max_line_chars, rules=rules)
    doc.warnings = warnings
    return doc


def read_document(path: Path, settings: Settings = Settings(), rules: Rules | None = None) -> Document:
    """Read a one-document file (.txt, .html)."""
    items = list(iter_items(path, settings))
    if len(items) != 1:
        raise IngestError("bad_format", f"{path} holds {len(items)} documents; use iter_items")
    return read_item(items[0], settings, rules)


def discover(inputs: list[Path], settings: Settings = Settings(), on_error=None) -> list[Path]:
    """Every input file under the given files/folders, sorted for a deterministic order. A
    folder that cannot be listed is passed to ``on_error(path, exc)`` (``rglob`` would skip it
    silently, and its documents would look removed)."""
    found: set[Path] = set()

    def failed(exc: OSError) -> None:
        if on_error is None:
            raise exc
        on_error(exc.filename if isinstance(exc.filename, str) else os.fsdecode(exc.filename), exc)

    for item in inputs:
        if item.is_dir():
            for path in _files_under(os.fspath(item), failed):
                if suffix_of(path.rpartition(os.sep)[2]) in settings.suffixes:
                    found.add(Path(path))
        else:
            found.add(item)
    return sorted(found, key=lambda path: path.parts)  # Path's own order, without its slow __lt__


def _files_under(top: str, failed) -> Iterator[str]:
    """The files under ``top`` (and links to files) as ``os.walk`` lists them, links to folders not
    followed, a folder that cannot be listed to ``failed(exc)``; no ``stat`` per file but links'."""
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            entries = os.scandir(folder)
        except OSError as exc:
            failed(exc)
            continue
        with entries:
            try:
                for entry in entries:
                    if _is_dir(entry):
                        if not entry.is_symlink():
                            folders.append(entry.path)
                    elif entry.is_file():
                        yield entry.path
            except OSError as exc:  # the listing broke off
                failed(exc)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
