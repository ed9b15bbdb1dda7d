"""Unicode -> the legacy encodings, for the tests: how a press office's TCVN3 or VNI file of one of
our documents would look. Written from the published layouts (TCVN 5712:1993 VN3 and VNI-Windows),
not from the converter's tables, so a wrong entry on either side fails the round trip.
"""
from __future__ import annotations

import unicodedata

TONES = {"\u0300": 0, "\u0309": 1, "\u0303": 2, "\u0301": 3, "\u0323": 4}  # grave, hook, tilde, acute, dot

# TCVN3 (VN3): one byte per lower-case toned vowel, in the order grave, hook, tilde, acute, dot.
_TCVN3_TONED = {
    "a": "B5 B6 B7 B8 B9", "ă": "BB BC BD BE C6", "â": "C7 C8 C9 CA CB",
    "e": "CC CE CF D0 D1", "ê": "D2 D3 D4 D5 D6", "i": "D7 D8 DC DD DE",
    "o": "DF E1 E2 E3 E4", "ô": "E5 E6 E7 E8 E9", "ơ": "EA EB EC ED EE",
    "u": "EF F1 F2 F3 F4", "ư": "F5 F6 F7 F8 F9", "y": "FA FB FC FD FE",
}
_TCVN3_BASE = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
               "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE}


def _split(ch: str) -> tuple[str, int | None]:
    """A letter -> (its letter without tone, NFC; tone index or None)."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = next((TONES[c] for c in decomposed if c in TONES), None)
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return bare, tone


def to_tcvn3(text: str) -> bytes:
    """Bytes of ``text`` typed in a .VnTime font; a capital with a tone mark has no code and is typed
    with the lower-case one (the .VnTimeH font draws it as a capital)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        bare, tone = _split(ch)
        if tone is not None:
            out.append(int(_TCVN3_TONED[bare.lower()].split()[tone], 16))
        elif ch in _TCVN3_BASE:
            out.append(_TCVN3_BASE[ch])
        else:
            out += ch.encode("cp1252")
    return bytes(out)


# VNI-Windows: base letter, then a mark byte (lower case / capital).
_VNI_TONE = ["øØ", "ûÛ", "õÕ", "ùÙ", "ïÏ"]
_VNI_HAT_TONE = ["àÀ", "åÅ", "ãÃ", "áÁ", "äÄ"]     # circumflex with a tone, one byte
_VNI_BREVE_TONE = ["èÈ", "úÚ", "üÜ", "éÉ", "ëË"]   # breve with a tone, one byte
_VNI_I = ["ìÌ", "æÆ", "óÓ", "íÍ", "òÒ"]            # i with a tone: one character
_VNI_SINGLE = {"ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö", "đ": "ñ", "Đ": "Ñ"}


def _vni_letter(ch: str) -> str:
    bare, tone = _split(ch)
    upper = int(bare.isupper())
    low = bare.lower()
    if low == "i" and tone is not None:
        return _VNI_I[tone][upper]
    if low == "y" and tone == 4:
        return "îÎ"[upper]
    if low in ("â", "ê", "ô"):
        base = "aeo"["âêô".index(low)]
        return (base.upper() if upper else base) + (_VNI_HAT_TONE[tone][upper] if tone is not None else "âÂ"[upper])
    if low == "ă":
        return ("A" if upper else "a") + (_VNI_BREVE_TONE[tone][upper] if tone is not None else "êÊ"[upper])
    head = _VNI_SINGLE.get(bare, bare)
    return head + (_VNI_TONE[tone][upper] if tone is not None else "")


def to_vni(text: str) -> bytes:
    """Bytes of ``text`` typed in a VNI-Times font."""
    return "".join(_vni_letter(ch) if ch.isalpha() else ch for ch in unicodedata.normalize("NFC", text)).encode("cp1252")


_VIQR_HAT = {"â": "a^", "ê": "e^", "ô": "o^", "ă": "a(", "ơ": "o+", "ư": "u+", "đ": "dd"}


def to_viqr(text: str) -> str:
    """``text`` in VIQR: marks typed as ASCII after the letter ("Vie^.t Nam")."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        bare, tone = _split(ch)
        base = _VIQR_HAT.get(bare.lower(), bare.lower())
        base = base[0].upper() + base[1:] if bare.isupper() else base
        out.append(base + ("`?~'."[tone] if tone is not None else ""))
    return "".join(out)
