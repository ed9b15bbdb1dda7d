"""The project's own exceptions, and the reason codes of the ``errors`` table.

The README's list of reasons and the ``errors.reason`` column's meaning in ``schemas.py`` are
checked against ``REASONS`` by a test: the three say the same.
"""
from __future__ import annotations

# reason code -> what it means (README "Inputs" lists the same codes)
REASONS: dict[str, str] = {
    "empty": "no text (an empty file, a blank row, a page without visible text)",
    "binary": "binary content (NUL bytes, control characters)",
    "undecodable": "not text in any encoding we read (UTF-8 with mostly bad bytes, random bytes)",
    "legacy_encoding": "text typed in the TCVN3 (ABC) or VNI font encodings that could not be converted "
                       "(it does not read as Vietnamese after conversion); the message names which",
    "viqr": "Vietnamese typed in VIQR (ASCII with tone marks as punctuation: Vie^.t Nam), not converted",
    "mojibake": "UTF-8 read as Latin-1 that could not be repaired",
    "bad_bytes": "warning: UTF-8 with a few bytes that are not UTF-8, read with U+FFFD in their place",
    "too_large": "larger than --max-bytes (a file, an archive member, a dump row, a CSV field)",
    "line_too_long": "a line over the line limit: not a press release",
    "bad_format": "a container, member, row or field that cannot be read (broken JSON, CSV, archive, a bad CRC, "
                  "a field of the wrong type or with lone surrogates)",
    "unreadable": "a file or folder that cannot be read (permissions, I/O error)",
    "changed": "the input changed between being read and being processed (run again)",
    "vanished": "the input was deleted between being read and being processed",
    "extract_error": "an exception in a stage (ingest, segment, extract): the message has its type and text",
    "timeout": "reading or processing it took longer than --doc-timeout",
    "crash": "it killed its worker process (the message names the signal: SIGSEGV, SIGKILL …)",
    "duplicate": "same content as another input (skipped)",
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
