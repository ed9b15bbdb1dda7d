"""Inputs kept as where to read them until they are due (:class:`Ref`), and the run's spool of
items that cannot be read again cheaply (:class:`Spool`): a run over 100,000 inputs holds refs
and ids, not texts."""
from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from pathlib import Path

from .config import Settings
from .errors import IngestError
from .ingest import Document, read_item
from .rules import Rules
from .sources import Item, base_name


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
        return replace(self, doc_id=doc_id)

    def load(self, rules: Rules | None = None) -> Document:
        """The document, read again now with ``rules`` (the run's: given by the engine, so that a
        ref does not carry them)."""
        doc = read_item(self.item(), self.settings, rules)
        if self.doc_id is not None and doc.doc_id != self.doc_id:
            raise IngestError("changed", "the input changed while the run was going on; run again")
        return doc


def ref_of(item: Item, settings: Settings, spool: Spool) -> Ref:
    """Where to read ``item`` again: its file, or the spool (its text is written there now)."""
    if item.fs_path is not None:
        return Ref(item.source_path, settings, fs_path=item.fs_path, fmt=item.fmt, stat=item.stat)
    offset, length = spool.put(item)
    return Ref(item.source_path, settings, fmt=item.fmt, spool=str(spool.path), offset=offset, length=length)
