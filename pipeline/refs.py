"""Inputs kept as where to read them until they are due (:class:`Ref`), and the run's spool of
items that cannot be read again cheaply (:class:`Spool`): a run over 100,000 inputs holds refs
and ids, not texts."""
from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .errors import IngestError
from .ingest import Document, read_item
from .rules import Rules
from .sources import Item, base_name, stat_key


class Spool:
    """Items that cannot be read again cheaply (a dump's rows, an archive's members), written to
    one scratch file as they are read, so a run holds where each is, not its text."""

    def __init__(self, path: Path):
        self.path = path
        self._file = None
        self._offset = 0

    def put(self, item: Item) -> tuple[int, int]:
        if self._file is None:
            self._file = open(self.path, "wb")
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(data)
        where = (self._offset, len(data))
        self._offset += len(data)
        return where

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        try:
            self.path.unlink()
        except OSError:
            pass


@dataclass(frozen=True, slots=True)
class Ref:
    """An input item kept as where to read it, until it is due: a file on disk (``fs_path``) or
    an item in the run's spool. A run over 100,000 inputs holds refs and ids, not texts. Read
    again later, an input whose content changed in between is an error (``changed``), never
    silently other content."""
    source_path: str
    settings: Settings
    fs_path: str | None = None
    fmt: str = "txt"
    spool: str | None = None
    offset: int = 0
    length: int = 0
    doc_id: str | None = None
    stat: tuple[int, ...] | None = None   # a file's ``sources.stat_key`` when it was listed

    def item(self) -> Item:
        if self.spool is None:
            return Item(self.source_path, base_name(self.source_path), self.fmt, fs_path=self.fs_path)
        with open(self.spool, "rb") as f:
            f.seek(self.offset)
            return pickle.loads(f.read(self.length))

    def with_id(self, doc_id: str) -> "Ref":
        return Ref(self.source_path, self.settings, fs_path=self.fs_path, fmt=self.fmt, spool=self.spool,
                   offset=self.offset, length=self.length, doc_id=doc_id, stat=self.stat)  # replace() is slow

    def load(self, rules: Rules | None = None) -> Document:
        """The document, read again now with ``rules`` (the run's: given by the engine, so that a
        ref does not carry them), unless this process read it moments ago and the file has not
        changed since it was listed (``remember``)."""
        global _recent_chars
        if (doc := _recent.pop(self._key(), None)) is not None:
            _recent_chars -= len(doc.text)
            if doc.doc_id == self.doc_id:
                return doc
        doc = read_item(self.item(), self.settings, rules)
        if self.doc_id is not None and doc.doc_id != self.doc_id:
            raise IngestError("changed", "the input changed while the run was going on; run again")
        return doc


    def _key(self) -> tuple | None:
        """What the document read from this ref is known by: the spool place of a spooled item, the
        file's stat now (size, times, inode) if it is still the one listed; None when it is not."""
        if self.spool is not None:
            return (self.spool, self.offset)
        try:
            now = stat_key(os.stat(self.fs_path)) if self.fs_path else None
        except OSError:
            return None
        return (self.fs_path, now) if now is not None and now == self.stat else None

    def remember(self, doc: Document) -> None:
        """Keep the document just read (an input's ingest), so that processing it soon after in the
        same process does not read, decode and split it again: a few MB at most, oldest kept (the
        order items are processed in), and never for a file changed since it was listed."""
        global _recent_chars
        key = self._key()
        if key is not None and _recent_chars + len(doc.text) <= RECENT_CHARS:
            _recent[key] = doc
            _recent_chars += len(doc.text)


# Documents read by this process and not yet processed (``Ref.remember``), at most RECENT_CHARS of text.
RECENT_CHARS = 2_000_000
_recent: dict[tuple, Document] = {}
_recent_chars = 0


def forget_recent() -> None:
    """Drop the documents kept (a run's end: the next run reads its inputs afresh)."""
    global _recent_chars
    _recent.clear()
    _recent_chars = 0


def ref_of(item: Item, settings: Settings, spool: Spool) -> Ref:
    """Where to read ``item`` again: its file, or the spool (its text is written there now)."""
    if item.fs_path is not None:
        return Ref(item.source_path, settings, fs_path=item.fs_path, fmt=item.fmt, stat=item.stat)
    offset, length = spool.put(item)
    return Ref(item.source_path, settings, fmt=item.fmt, spool=str(spool.path), offset=offset, length=length)
