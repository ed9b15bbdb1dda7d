"""Vietnamese number words -> integers: "một trăm sáu mươi mốt" 161, "ba trăm linh năm" 305,
"hai nghìn rưỡi" 2500, "1,2 triệu" 1200000.

The words and where each may stand are data (``lexicons/number_words.jsonl``); this module is the
grammar. A number is groups of up to three digits joined by multipliers (nghìn/ngàn, triệu, tỷ),
read from the largest multiplier down. Inside a group:

* hundreds: a digit and "trăm"; in a later group "không trăm" ("một nghìn không trăm linh năm");
* tens: "mười" (10-19) or a digit 2-9 and "mươi"; no tens: "linh"/"lẻ" before the unit;
* the unit after the tens has its own spellings: "mốt" (1), "tư" (4), "lăm"/"nhăm" (5); "năm"
  after "mười"/"mươi" is the noun "year" ("mười năm" is ten years, not 15);
* spoken short forms: one digit after "trăm" or a multiplier is its tenth ("một trăm hai" 120,
  "hai nghìn tư" 2400), "rưỡi" its half ("một trăm rưỡi" 150, "một triệu rưỡi" 1500000).

Anything else is not a number (None), never a guess: "hai năm" (two years) is not 25 and not 7.
Digits before a multiplier use the Vietnamese decimal comma and thousands dot ("1,2 triệu",
"1.200 tỷ"); a value that is not a whole number is None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Sequence

from .rules import Rules, builder

_ROLES = frozenset({"digit", "ten", "tens", "zero", "hundred", "multiplier", "half"})
_CONTEXTS = frozenset({"lead", "after_ten", "after_tens", "after_zero", "short", "zero_hundreds"})
_DIGITS = re.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")


@dataclass(frozen=True)
class _Word:
    role: str
    value: int = 0
    contexts: frozenset[str] = frozenset()


@builder
def number_words(rules: Rules) -> dict[str, _Word]:
    """``number_words.jsonl`` (roles and contexts are checked by the rules' declaration)."""
    return {r["word"]: _Word(r["role"], r.get("value", 0), frozenset(r.get("contexts") or ())) for r in
            rules.records("number_words")}


def _words() -> dict[str, _Word]:
    return Rules.default().compiled(number_words)


def vocabulary() -> frozenset[str]:
    """Every word that can be part of a spelled-out number."""
    return frozenset(_words())


def value(words: Sequence[str]) -> int | None:
    """The integer the words spell (tokens may hold several syllables: "mươi lăm"), else None."""
    ws = [w for word in words for w in word.lower().split()]
    if not ws:
        return None
    if _DIGITS.fullmatch(ws[0]):
        return _digits_times(ws)
    if any(w not in _words() for w in ws):
        return None
    n = _number(ws, lead=True)
    return n or None


def read(text: str) -> int | None:
    """``value`` of a whitespace-separated string."""
    return value(text.split())


def _digit(word: str, context: str) -> int | None:
    w = _words().get(word)
    return w.value if w and w.role == "digit" and context in w.contexts else None


def _role(word: str) -> str:
    return _words()[word].role


def _number(ws: list[str], lead: bool) -> int | None:
    """A whole number; ``lead``: it starts the number (so no "không trăm")."""
    multipliers = [_words()[w].value for w in ws if _role(w) == "multiplier"]
    if not multipliers:
        return _group(ws, lead)
    top = max(multipliers)
    i = next(k for k, w in enumerate(ws) if _role(w) == "multiplier" and _words()[w].value == top)
    head = _number(ws[:i], lead) if i else None
    if not head or (head >= 1000 and top < max(w.value for w in _words().values())):
        return None  # "hai nghìn triệu" is not how a number is said; "một nghìn tỷ" is
    tail = _tail(ws[i + 1:], top)
    return None if tail is None else head * top + tail


def _tail(ws: list[str], top: int) -> int | None:
    """What follows a multiplier: the smaller groups, or a short form of them."""
    if not ws:
        return 0
    if len(ws) == 1 and _role(ws[0]) in ("half", "digit"):
        short = 5 if _role(ws[0]) == "half" else _digit(ws[0], "short")
        return None if short is None else short * top // 10
    if _role(ws[0]) == "zero":  # "một nghìn linh năm" 1005, "một triệu lẻ năm nghìn" 1005000
        rest = _digit(ws[1], "after_zero") if len(ws) == 2 else _number(ws[1:], lead=True)
        return rest if rest and rest < top // 10 else None
    if top > 1000 and not any(_role(w) == "multiplier" for w in ws):
        return None  # "hai triệu năm trăm": 2 000 500 or 2 500 000? Said both ways: not a number
    rest = _number(ws, lead=False)
    return rest if rest and rest < top else None


def _group(ws: list[str], lead: bool) -> int | None:
    """1-999: hundreds, tens, unit."""
    hundreds = [k for k, w in enumerate(ws) if _role(w) == "hundred"]
    if not hundreds:
        return _tens(ws)
    i = hundreds[0]
    if len(hundreds) > 1 or i != 1:
        return None
    h = _digit(ws[0], "lead")
    if h is None and not lead:
        h = _digit(ws[0], "zero_hundreds")
    rest = ws[2:]
    if h is None:
        return None
    if not rest:
        r = 0
    elif len(rest) == 1 and _role(rest[0]) in ("half", "digit"):
        short = 5 if _role(rest[0]) == "half" else _digit(rest[0], "short")
        r = None if short is None or h == 0 else short * 10
    elif _role(rest[0]) == "zero":
        r = _digit(rest[1], "after_zero") if len(rest) == 2 else None
    else:
        r = _tens(rest)
        r = r if r is None or r >= 10 else None
    return None if r is None or h * 100 + r == 0 else h * 100 + r


def _tens(ws: list[str]) -> int | None:
    """1-99: "ba", "mười", "mười lăm", "hai mươi", "hai mươi mốt"."""
    first = _words()[ws[0]]
    if len(ws) == 1:
        return 10 if first.role == "ten" else _digit(ws[0], "lead")
    if first.role == "ten":
        unit = _digit(ws[1], "after_ten") if len(ws) == 2 else None
        return None if unit is None else 10 + unit
    tens = _digit(ws[0], "lead")
    if tens is None or tens < 2 or _role(ws[1]) != "tens" or len(ws) > 3:
        return None
    unit = _digit(ws[2], "after_tens") if len(ws) == 3 else 0
    return None if unit is None else tens * 10 + unit


def _digits_times(ws: list[str]) -> int | None:
    """ "1,2 triệu", "56 nghìn", "1.200 tỷ", "2 triệu rưỡi"; bare digits are their value."""
    try:
        number = Decimal(ws[0].replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None
    words = _words()
    rest, half = ws[1:], False
    if rest and rest[-1] in words and words[rest[-1]].role == "half":
        rest, half = rest[:-1], True
    if any(w not in words or words[w].role != "multiplier" for w in rest) or (half and not rest):
        return None
    for w in rest:
        number *= words[w].value
    if half:
        number += words[rest[-1]].value // 2
    return int(number) if number == number.to_integral_value() and number > 0 else None
