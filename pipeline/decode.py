"""Bytes -> text, for the encodings Vietnamese pages and official files still arrive in.

In order:

1. a byte-order mark: UTF-8, UTF-16 or UTF-32;
2. UTF-8 (most pages); text in it that is mojibake (UTF-8 once read as Windows-1252/Latin-1:
   "Tá»•ng") is repaired with ftfy, a maintained library for exactly this;
3. Windows-1258, the Vietnamese code page (it writes tones as combining marks, which NFC later
   composes), when the result reads as Vietnamese;
4. otherwise an ``IngestError``. Text typed in the legacy TCVN3 (ABC) or VNI font encodings is
   recognised by the characters those fonts put where Vietnamese letters should be and converted
   by ``legacy.from_legacy`` (which also recognises VIQR, and keeps as an error what does not
   read as Vietnamese once converted).
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from .errors import IngestError
from .legacy import from_legacy

NUL = b"\x00"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Letters only Vietnamese uses, outside Latin-1 (so that legacy text read as Latin-1 has none of
# them), and the combining tone marks Windows-1258 writes.
_VIETNAMESE = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
# TCVN3 (ABC) fonts put Vietnamese letters on Latin-1 code points ("Hµ Néi" for "Hà Nội"); these
# symbols stand for the most frequent ones (à á ả ã ạ ă â đ ê ô ơ ư, ì ò ộ …) and never occur in
# Vietnamese prose.
_TCVN3 = re.compile("[µ¸¶·¹¨©®ª«¬\xad×]")
# VNI fonts write a base letter followed by mark characters ("Vieät Nam", "Haø Noäi").
_VNI = re.compile("[aeiouyAEIOUYdD][øùúûõïäëåéèöôòóâáàãñÕÙÛÚØÏÄËÅÉÈÖÔÒÓÂÁÀÃÑ]")
_MOJIBAKE = re.compile("(?:á»|áº|Ã[\u00a0-\u00bf]|Ä[\u0080-\u00bf‘’]|Æ°|Æ¡)")


def _alphabet() -> frozenset[str]:
    """Every letter Vietnamese writes, with its marks (precomposed), plus ASCII for loanwords."""
    vowels = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels + vowels.upper() for t in tones}
    return frozenset(letters | set("đĐ") | {chr(c) for c in range(128) if chr(c).isalpha()})


_ALPHABET = _alphabet()


def _reads_as_vietnamese(text: str) -> bool:
    """Nearly every word with a non-ASCII letter is spelt with Vietnamese letters only (text in a
    legacy font decoded as Windows-1258 is full of "ä", "ø", "û" …)."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if not w.isascii()]
    if len(words) < 3:
        return False
    valid = sum(1 for w in words if all(ch in _ALPHABET for ch in w))
    return valid / len(words) >= 0.9


_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _vietnamese_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return len(_VIETNAMESE.findall(text)) / letters if letters else 0.0


_LEGACY_WORD = re.compile("[A-Za-z\u00a0-\u00ff]+")


def _syllabic(text: str) -> bool:
    """Text in a legacy font is Vietnamese syllables: short words of ASCII letters with a high
    byte or two in them. Random high bytes are not."""
    words = [w for w in _LEGACY_WORD.findall(text) if not w.isascii()]
    if len(words) < 3:
        return False
    shaped = sum(1 for w in words
                 if len(w) <= 8 and any(c.isascii() for c in w) and sum(not c.isascii() for c in w) <= 3)
    return shaped / len(words) >= 0.8


def suspected_legacy(text: str) -> str | None:
    """"TCVN3 (ABC)" or "VNI" when the text reads as typed in that font encoding, else None.
    TCVN3 is tried first: its symbols (µ ¸ ¶ …) never occur in VNI text, while TCVN3 text has
    many vowel + accented-letter pairs that look like VNI's."""
    head = text[:5000]  # plainly Unicode Vietnamese is told at once, from the first lines
    if _vietnamese_share(head) > 0.05:
        return None
    letters = len(_LETTER.findall(text)) or 1
    if _vietnamese_share(text) > 0.02 or not _syllabic(text):
        return None
    if len(_TCVN3.findall(text)) / letters > 0.02:
        return "TCVN3 (ABC)"
    if len(_VNI.findall(text)) / letters > 0.03:
        return "VNI"
    return None


def repair_mojibake(text: str) -> str:
    """UTF-8 that was read as Windows-1252/Latin-1 and saved again, put right by ftfy."""
    if not _MOJIBAKE.search(text):
        return text
    import ftfy

    fixed = ftfy.fix_encoding(text)
    if _MOJIBAKE.search(fixed):
        raise IngestError("mojibake", "text garbled by a wrong encoding (UTF-8 read as Latin-1) that could "
                                      "not be repaired")
    return fixed


def _check_text(text: str) -> str:
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise IngestError("binary", f"binary content ({controls} control characters)")
    text = repair_mojibake(text)
    return from_legacy(text, suspected_legacy(text))


def _few_bad_bytes(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few damaged bytes (valid multi-byte letters far outnumber the bad bytes, which
    text in another encoding never gives): the text with U+FFFD for them, and how many."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127) - text.count("\ufffd")
    return (text, bad) if bad and good >= 10 * bad else None


def decode_bytes(data: bytes, warnings: list[str] | None = None) -> str:
    """Decode one input; raises IngestError with a specific reason when it cannot be read. What
    was repaired on the way (bytes replaced) is appended to ``warnings``."""
    if not data.strip():
        raise IngestError("empty", "empty file (no text)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding))
            except UnicodeDecodeError as exc:
                raise IngestError("undecodable", f"{encoding} BOM but undecodable byte at {exc.start}") from exc
    if NUL in data:
        raise IngestError("binary", f"binary content (NUL byte at offset {data.index(NUL)})")
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if repaired := _few_bad_bytes(data):
        text, bad = repaired
        if warnings is not None:
            warnings.append(f"{bad} byte{'s' if bad > 1 else ''} that are not UTF-8 replaced by U+FFFD (the first "
                            f"at offset {first_bad})")
        return _check_text(text)
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        text = ""
    if text and _reads_as_vietnamese(text) and _vietnamese_share(text) > 0.02:
        return _check_text(text)
    legacy = suspected_legacy(data.decode("latin-1"))
    if legacy:
        return from_legacy(data.decode("latin-1"), legacy)
    raise IngestError("undecodable", f"not UTF-8 (byte 0x{data[first_bad]:02x} at offset {first_bad}) "
                                     "nor Vietnamese Windows-1258")
