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
from typing import Any

from .. import numwords
from ..rules import Rules, builder
from .context import Context
from .overlap import Claims
from .places import places_of
from .text import Sentence, Span, alternation, mention_id

_DIGITS = re.compile(r"(?<![\w/.,\-])(?:\d{1,3}(?:\.\d{3})+|\d+)(?![\w%/]|[.,]\d|\s*%)")
_KINDS = ("number_word", "classifier", "model", "award_cue", "recipient", "not_unit", "unit", "award_unit",
          "ordinal_marker")


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
    rule: str = "counts.digits"

    def span(self) -> Span:
        return Span("COUNT", self.start, self.end, self.text, self.sent_idx, self.block_idx,
                    normalized=str(self.value), rule=self.rule)

    def row(self, doc_id: str) -> dict[str, Any]:
        return {"doc_id": doc_id, "mention_id": mention_id(doc_id, "COUNT", self.start, self.end),
                "value": self.value, "unit": self.unit, "category": self.category, "text": self.text}


class CountWords:
    """The counting words of ``counts.jsonl``, by kind."""

    def __init__(self, rules: Rules):
        self.words: dict[str, dict[str, Any]] = {k: {} for k in _KINDS}
        for r in rules.records("counts"):
            self.words[r["kind"]][r["word"]] = r.get("value")
        self.first_letters = frozenset(w[0] for w in self.words["number_word"])
        markers = alternation(self.words["ordinal_marker"], case_first=False)
        self.not_before = re.compile(rf"(?:(?<!\w)(?:{markers})|[#№-])\s*$")
        self.cue_res = [re.compile(rf"(?<!\w){re.escape(c)}(?!\w)") for c in self.words["award_cue"]]
        self.levels = rules.compiled(places_of).gaz.levels

    def __getitem__(self, kind: str) -> dict[str, Any]:
        return self.words[kind]


@builder
def count_words(rules: Rules) -> CountWords:
    return CountWords(rules)


def spelled_value(words: list[str]) -> int | None:
    """"hai" -> 2, "một trăm sáu mươi mốt" -> 161, "ba trăm linh năm" -> 305: see ``pipeline.numwords``."""
    return numwords.value(words)


def _spelled(lex: CountWords, word: str) -> bool:
    """A word made of number words only (underthesea may join them: "mươi lăm", "một trăm")."""
    numbers = lex["number_word"]
    return word[:1].lower() in lex.first_letters and all(w in numbers for w in word.lower().split())


def _unit(lex: CountWords, words: list[str], i: int) -> tuple[str, int] | None:
    """The counted noun starting at word ``i`` and the index after it."""
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
    levels = lex.levels
    while unit.split(", ")[-1] in levels and j + 1 < len(words) and words[j] == "," and words[j + 1] in levels:
        unit, j = f"{unit}, {words[j + 1]}", j + 2
    return unit, j


def _category(lex: CountWords, unit: str, clause: str) -> str:
    if any(unit.startswith(m) for m in lex["model"]):
        return "model"
    if unit in lex["award_unit"]:
        return "award"
    lowered = clause.lower()
    if any(unit.startswith(r) for r in lex["recipient"]) and any(c.search(lowered) for c in lex.cue_res):
        return "award"
    return "other"


def _clause(text: str, start: int, end: int) -> str:
    left = max(text.rfind(";", 0, start), text.rfind(".", 0, start)) + 1
    right = min((i for i in (text.find(";", end), text.find(".", end)) if i >= 0), default=len(text))
    return text[left:right]


def find_counts(lex: CountWords, sentence: Sentence, tokens, taken: Claims) -> list[Count]:
    """Counts in one sentence; ``tokens`` are its words (document offsets), ``taken`` the spans of
    dates, periods and document numbers, whose digits are not counts."""
    base = sentence.start
    words = [sentence.text[a - base:b - base] for a, b in tokens]
    out = []
    i = 0
    while i < len(words):
        head = words[i][:1]
        if not head.isdigit() and head.lower() not in lex.first_letters:  # the common case, cheaply
            i += 1
            continue
        a, b = tokens[i]
        number_end, value = i + 1, None
        before = sentence.text[max(0, a - base - 40):a - base]  # a marker is a short word just before
        if _DIGITS.fullmatch(words[i]) and not taken.covers(a):
            if not lex.not_before.search(before) and not (len(words[i]) == 4 and 1900 <= int(words[i]) <= 2100):
                value = int(words[i].replace(".", ""))
        elif _spelled(lex, words[i]):
            while number_end < len(words) and _spelled(lex, words[number_end]):
                number_end += 1
            value = spelled_value([w for word in words[i:number_end] for w in word.split()])
        unit = _unit(lex, words, number_end) if value is not None else None
        spelled = not words[i][:1].isdigit()
        if unit and spelled and not any(unit[0] == u or unit[0].startswith(u + " ") for u in lex["unit"]):
            unit = None  # a spelled-out number counts only known nouns ("năm" is also "year")
        if unit and not (spelled and lex.not_before.search(before)):
            end = tokens[unit[1] - 1][1]
            out.append(Count(a, end, sentence.text[a - base:end - base], sentence.idx, sentence.block_idx, value,
                             unit[0], _category(lex, unit[0], _clause(sentence.text, a - base, end - base)),
                             "counts.spelled" if spelled else "counts.digits"))
            i = unit[1]
            continue
        i = max(i + 1, number_end if value is not None else i + 1)
    return out


def find(ctx: Context, taken: Claims) -> list[Count]:
    lex = ctx.rules.compiled(count_words)
    return [c for s in ctx.sentences for c in find_counts(lex, s, ctx.tokens.get(s.idx, ()), taken)]
