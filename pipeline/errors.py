"""The project's own exceptions."""
from __future__ import annotations


class IngestError(Exception):
    """An input that cannot become a document; ``reason`` is a short machine-readable code
    (empty, binary, undecodable, legacy_encoding, viqr, mojibake, too_large, line_too_long,
    unreadable, bad_format)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
