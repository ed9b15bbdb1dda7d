"""Regex building blocks shared by every rule: phrases from rule entries, word boundaries, the
letters Vietnamese writes in upper case. No package imports: ingest and the extractors use it."""
from __future__ import annotations

import re
from typing import Iterable


def phrase_pattern(phrase: str, *, case_first: bool = True, exact: bool = False) -> str:
    """Regex for a lexicon phrase: any white space between words; the first letter keeps its case
    (a capitalised head is what makes "Hội" an agency and "hội" a meeting), the rest folds case
    unless ``exact``."""
    words = phrase.split()
    # a dash between words is any dash, with or without spaces ("Lao động - Thương binh", "Lao động–TB")
    body = "".join((r"\s*[-–—]\s*" if w in "-–—" else ("" if i == 0 or words[i - 1] in "-–—" else r"\s+") + re.escape(w))
                   for i, w in enumerate(words))
    if exact:
        return body
    if case_first and body and words[0][:1].isalpha():
        first, rest = body[0], body[1:]
        return f"{first}(?i:{rest})" if rest else first
    return f"(?i:{body})"


def alternation(phrases: Iterable[str], **kw) -> str:
    """Longest phrases first so the regex prefers "Ủy ban MTTQ Việt Nam" to "Ủy ban MTTQ". A long
    alternation opens with the letters its phrases can start with, and its phrases are grouped by
    their first letter ("S(?:ở Y tế|ở|…)|B(?:ộ …)"): where the text has none of those letters the
    regex moves on at once, and elsewhere it tries one letter's phrases, not all of them (the same
    matches in the same order of preference, a fraction of the time)."""
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    if len(unique) < _FIRST_LETTERS_FROM or not all(p[:1].isalnum() and _plain_case(p[0]) for p in unique):
        return "|".join(phrase_pattern(p, **kw) for p in unique)
    groups: dict[str, tuple[str, list[str]]] = {}  # first letter -> (its pattern, the rests), in order
    for p in unique:
        pattern, c = phrase_pattern(p, **kw), p[0]
        if kw.get("exact") or (kw.get("case_first", True) and c.isalpha()):
            key, first, rest = c, c, pattern[1:]   # "S(?i:ở Y tế)": the first letter as written
        else:
            body = pattern[len("(?i:"):-1]          # "(?i:sở y tế)"
            key, first, rest = c.lower(), f"(?i:{c})", f"(?i:{body[1:]})" if len(body) > 1 else ""
        groups.setdefault(key, (first, []))[1].append(rest)
    exact = "".join(sorted(key for key, (first, _) in groups.items() if first == key))
    folded = "".join(sorted(key for key, (first, _) in groups.items() if first != key))
    # case-blind letters are also what the regex folds to them ("s" is also "ſ", "k" the Kelvin sign)
    blind = f"|(?i:[{re.escape(folded)}])" if folded else ""
    body = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.values())
    return f"(?=[{re.escape(exact + folded + folded.upper())}]{blind})(?:{body})"


def _plain_case(c: str) -> bool:
    """A letter whose case the regex folds as ``str.lower`` does (not "ſ", "İ", "ẞ")."""
    return len(c.lower()) == 1 and len(c.upper()) == 1 and c.lower() == c.casefold() == c.upper().lower()


_FIRST_LETTERS_FROM = 8  # phrases


def bounded(pattern: str) -> re.Pattern[str]:
    """Compile with word boundaries that also work next to "&", "/" and "."."""
    return re.compile(rf"(?<![\w&])(?:{pattern})(?![\w&])")


def squash(text: str) -> str:
    """White space runs -> one space: how a phrase is written in a canonical value."""
    return " ".join(text.split())


def _upper_letters() -> str:
    ranges = [(0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)]
    return "".join(chr(c) for a, b in ranges for c in range(a, b) if chr(c).isupper())


UPPER = _upper_letters()
# A capitalised word: "Lào", "Kỹ", "Dato’"; and an upper-case abbreviation: "TNMT", "TN&MT", "GD-ĐT".
CAP_WORD = rf"[{UPPER}][\w’']*"
ABBREVIATION = re.compile(rf"[{UPPER}][{UPPER}0-9&\-.]*[{UPPER}0-9]")
