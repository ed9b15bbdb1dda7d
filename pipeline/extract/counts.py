"""Counts: a number (digits, "05", "1.200", or spelled out: "hai", "hai mươi lăm") and the noun it
counts, with a category: model ("161 mô hình"), award (collectives, individuals … that are
commended: "05 tập thể và 08 cá nhân được khen thưởng") or other.

The counted noun is the next underthesea word ("mô hình", "tập thể"); a classifier takes the
word after it too ("3 cuộc giám sát"); a list of levels is kept whole ("219 xã, phường, thị
trấn"). Not counts: ordinals and identifiers ("thứ 10", "số 17"), years, percentages, numbers
inside dates, periods and document numbers, "COVID-19".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lexicon, numwords
from . import places
from .text import Sentence

_FIELDS = (lexicon.Field("kind"), lexicon.Field("word"), lexicon.Field("value", int, False))
_DIGITS = re.compile(r"(?<![\w/.,\-])(?:\d{1,3}(?:\.\d{3})+|\d+)(?![\w%/]|[.,]\d|\s*%)")
_NOT_BEFORE = re.compile(r"(?:\b(?:thứ|số|khóa|kỳ|lần|khoản|điều|mục|chương|phần|tập|tầng|km)|[#№-])\s*$", re.IGNORECASE)


@dataclass
class Count:
    start: int
    end: int
    text: str
    sent_idx: int
    block_idx: int
    value: int
    unit: str
    category: str


@cache
def _lexicon() -> dict[str, dict]:
    out: dict[str, dict] = {k: {} for k in ("number_word", "classifier", "model", "award_cue", "recipient",
                                            "not_unit", "unit", "award_unit")}
    for r in lexicon.records("counts", _FIELDS):
        if r["kind"] not in out:
            raise lexicon.LexiconError(f"counts.jsonl: unknown kind {r['kind']!r}")
        out[r["kind"]][r["word"]] = r.get("value")
    return out


def spelled_value(words: list[str]) -> int | None:
    """"hai" -> 2, "một trăm sáu mươi mốt" -> 161, "ba trăm linh năm" -> 305: see ``pipeline.numwords``."""
    return numwords.value(words)


def _spelled(word: str) -> bool:
    """A word made of number words only (underthesea may join them: "mươi lăm", "một trăm")."""
    numbers = _lexicon()["number_word"]
    return word[:1].lower() in _first_letters() and all(w in numbers for w in word.lower().split())


@cache
def _first_letters() -> frozenset[str]:
    return frozenset(w[0] for w in _lexicon()["number_word"])


def _unit(words: list[str], i: int) -> tuple[str, int] | None:
    """The counted noun starting at word ``i`` and the index after it."""
    lex = _lexicon()
    if i >= len(words) or not words[i][:1].isalpha() or words[i] in lex["not_unit"]:
        return None
    if words[i][:1].isupper():  # a capitalised noun is a name, except the awards ("15 Giấy khen")
        for award in lex["award_unit"]:
            if award[:1].isupper() and words[i] == award:  # one underthesea word
                return award, i + 1
            parts = award.split()
            if award[:1].isupper() and words[i:i + len(parts)] == parts:  # split by underthesea
                return award, i + len(parts)
        return None
    unit, j = words[i], i + 1
    if unit in lex["classifier"] and j < len(words) and words[j][:1].isalpha() and words[j][:1].islower():
        unit, j = f"{unit} {words[j]}", j + 1
    levels = places.gazetteer().levels
    while unit.split(", ")[-1] in levels and j + 1 < len(words) and words[j] == "," and words[j + 1] in levels:
        unit, j = f"{unit}, {words[j + 1]}", j + 2
    return unit, j


def _category(unit: str, clause: str) -> str:
    lex = _lexicon()
    if any(unit.startswith(m) for m in lex["model"]):
        return "model"
    if unit in lex["award_unit"]:
        return "award"
    lowered = clause.lower()
    if any(unit.startswith(r) for r in lex["recipient"]) and any(
            re.search(rf"(?<!\w){re.escape(c)}(?!\w)", lowered) for c in lex["award_cue"]):
        return "award"
    return "other"


def _clause(text: str, start: int, end: int) -> str:
    left = max(text.rfind(";", 0, start), text.rfind(".", 0, start)) + 1
    right = min((i for i in (text.find(";", end), text.find(".", end)) if i >= 0), default=len(text))
    return text[left:right]


def find_counts(sentence: Sentence, tokens: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[Count]:
    """Counts in one sentence; ``tokens`` are its words (document offsets), ``taken`` the spans of
    dates, periods and document numbers, whose digits are not counts."""
    lex = _lexicon()
    base = sentence.start
    words = [sentence.text[a - base:b - base] for a, b in tokens]
    first_letters = _first_letters()
    out = []
    i = 0
    while i < len(words):
        head = words[i][:1]
        if not head.isdigit() and head.lower() not in first_letters:  # the common case, cheaply
            i += 1
            continue
        a, b = tokens[i]
        number_end, value = i + 1, None
        if _DIGITS.fullmatch(words[i]) and not any(x <= a < y for x, y in taken):
            before = sentence.text[:a - base]
            if not _NOT_BEFORE.search(before) and not (len(words[i]) == 4 and 1900 <= int(words[i]) <= 2100):
                value = int(words[i].replace(".", ""))
        elif _spelled(words[i]):
            while number_end < len(words) and _spelled(words[number_end]):
                number_end += 1
            value = spelled_value([w for word in words[i:number_end] for w in word.split()])
        unit = _unit(words, number_end) if value is not None else None
        spelled = not words[i][:1].isdigit()
        if unit and spelled and not any(unit[0] == u or unit[0].startswith(u + " ") for u in lex["unit"]):
            unit = None  # a spelled-out number counts only known nouns ("năm" is also "year")
        if unit and not (spelled and _NOT_BEFORE.search(sentence.text[:a - base])):
            end = tokens[unit[1] - 1][1]
            out.append(Count(a, end, sentence.text[a - base:end - base], sentence.idx, sentence.block_idx, value,
                             unit[0], _category(unit[0], _clause(sentence.text, a - base, end - base))))
            i = unit[1]
            continue
        i = max(i + 1, number_end if value is not None else i + 1)
    return out
