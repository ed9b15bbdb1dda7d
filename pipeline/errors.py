"""The project's own exceptions, and the reason codes of the ``errors`` table.

The README's list of reasons and the ``errors.reason`` column's meaning in ``schemas.py`` are
checked against ``REASONS`` by a test: the three say the same.
"""
from __future__ import annotations

# reason code -> what it means (README "Inputs" lists the same codes)
REASONS: dict[str, str] = {
    "empty": "no text (an empty file, a blank row, a page without visible text)",
    "binary": "binary content (NUL bytes, control characters)",
    "undecodable": "not text in any encoding we read",
    "legacy_encoding": "text typed in the TCVN3 (ABC) or VNI font encodings",
    "mojibake": "UTF-8 read as Latin-1 that could not be repaired",
    "too_large": "larger than --max-bytes",
    "line_too_long": "a line over the line limit: not a press release",
    "bad_format": "a container, row or field that cannot be read (broken JSON, CSV, archive, a field of the "
                  "wrong type)",
    "unreadable": "a file or folder that cannot be read (permissions, I/O error)",
    "duplicate": "same content as another input (skipped)",
    "crash": "a document that killed its worker process",
}


class IngestError(Exception):
    """An input that cannot become a document; ``reason`` is one of ``REASONS``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class RunError(Exception):
    """A run that could not do what was asked; the message is one line, ``exit_code`` what the
    command exits with."""

    exit_code = 2


class PreflightError(RunError):
    """Found before any document is read: rules, ``--out``, inputs."""

    exit_code = 2


class LockedError(RunError):
    """Another command holds the output folder."""

    exit_code = 3
