"""Text normalisation: Unicode NFC, one tone-mark convention, spaces, dashes, line ends.

Every function here is idempotent (``f(f(x)) == f(x)``), which the property tests check.

Tone-mark convention: the *traditional* placement used by most provincial portals and by
the gold annotations: in an open syllable ending in ``oa``, ``oe`` or ``uy`` the tone sits
on the first vowel ("hòa", "khỏe", "Ủy", "thủy"). Pages written in the "new" placement
("hoà", "khoẻ", "Uỷ", "thuỷ") are folded to it so that both spellings are the same word.
After ``q`` the ``u`` is part of the consonant ("quý", "quỳ"), so nothing moves there.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Tone marks as combining characters (NFD): grave, acute, hook above, tilde, dot below.
_TONES = "\u0300\u0301\u0309\u0303\u0323"

# A syllable-final "oa"/"oe"/"uy" whose *second* vowel carries the tone (new placement).
_NEW_PLACEMENT = re.compile(
    r"(?<![qQ\w])(\w*?)([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\w)"
)
_PAIRS = {"o": "ae", "u": "y"}
# what every such syllable contains: a text without it has nothing to move (found at C speed)
_NEW_PAIR = re.compile(r"[oOuU][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?!\w)")

# Characters that look like a space but are not one, and zero-width ones to drop.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"), " ")
_DROP = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Hyphen-like characters become "-", dash-like ones the en dash "–".
_DASHES = {
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2212\ufe63\uff0d"), "-"),
    **dict.fromkeys(map(ord, "\u2014\u2015\ufe58"), "–"),
}
_TABLE = {**_SPACES, **_DROP, **_DASHES}
_TABLED = re.compile("[" + re.escape("".join(map(chr, _TABLE))) + "]")


def _move_tone(match: re.Match[str]) -> str:
    prefix, first, second = match.group(1), match.group(2), match.group(3)
    decomposed = unicodedata.normalize("NFD", second)
    base, marks = decomposed[0], decomposed[1:]
    if base.lower() not in _PAIRS[first.lower()]:
        return match.group(0)
    if prefix and prefix[-1] in "qQ":  # "quý": the u belongs to the consonant
        return match.group(0)
    tone = "".join(m for m in marks if m in _TONES)
    return prefix + unicodedata.normalize("NFC", first + tone) + base


def fold_tone_placement(text: str) -> str:
    """Move the tone of syllable-final oa/oe/uy onto the first vowel ("hoá" -> "hóa")."""
    return _NEW_PLACEMENT.sub(_move_tone, text) if _NEW_PAIR.search(text) else text


def normalize_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize_text(text: str) -> str:
    """The full normalisation every document goes through before anything indexes it."""
    # Drop zero-width characters before composing: "A\u200b\u0300" must become "À".
    text = normalize_line_ends(text)
    text = unicodedata.normalize("NFC", text.translate(_TABLE) if _TABLED.search(text) else text)
    while True:  # moving a tone can leave a stray combining mark to compose: repeat to a fixed point
        moved = fold_tone_placement(text)
        if moved == text:  # nothing moved: the text is composed already
            return text
        folded = unicodedata.normalize("NFC", moved)
        if folded == text:
            return text
        text = folded


@lru_cache(maxsize=1 << 16)
def fold_for_match(text: str) -> str:
    """Comparison key: normalised, case-folded, whitespace and dashes collapsed (cached: lexicon
    lookups fold the same few thousand strings over and over)."""
    text = normalize_text(text).casefold()
    text = re.sub(r"\s*[-–]\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()
