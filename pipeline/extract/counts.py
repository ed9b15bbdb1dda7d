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
from dataclasses import dataclass, replace
from typing import Any

from .. import numwords
from ..rules import Rules, builder
from .context import Context
from .overlap import Claims
from .places import places_of
from .text import ABBREVIATION, Sentence, Span, alternation, mention_id

_DIGITS = re.compile(r"(?<![\w/.,\-])(?:\d{1,3}(?:\.\d{3})+|\d+)(?![\w%/]|[.,]\d|\s*%)")
_KINDS = ("number_word", "classifier", "model", "award_cue", "recipient", "not_unit", "unit", "award_unit",
          "ordinal_marker", "needs_unit", "multiplier", "money", "gift", "handing", "not_cue", "body_unit")


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
        # (an army unit's number is its name: "Sư đoàn 312", the heads agencies.jsonl names by number)
        markers = alternation(list(self.words["ordinal_marker"]) + [r["head"] for r in rules.records("agencies")
                                                              if r.get("names") == "number"], case_first=False)
        # "thứ 10", "lớp 6", "mức độ 3, 4": a number (or the next of a list) right after a marker
        self.not_before = re.compile(rf"(?:(?<!\w)(?:{markers})|[#№-])\s*(?:\d+\s*(?:,|và)\s*)*$")
        legal = [r["kind"] for r in rules.records("legal_kinds")]
        self.capital_units = frozenset([w for w in self.words["award_unit"] if w[:1].isupper()] + legal
                                       + list(self.words["body_unit"]))
        self.long_awards = frozenset(w for w in self.words["award_unit"] if " " in w and w[:1].islower())
        # "26 đơn vị có học sinh đoạt giải": what has the recipients is none of them
        recipients = alternation(list(self.words["recipient"]), case_first=False) or r"(?!x)x"
        self.holder_re = re.compile(rf"\s+có\s+(?:[\d.]+\s+)?(?:{recipients})(?!\w)")
        self.two_syllables = frozenset(w for k in ("recipient", "unit") for w in self.words[k] if len(w.split()) == 2)
        self.multipliers = {w: int(v) for w, v in self.words["multiplier"].items() if v}
        self.money = frozenset(self.words["money"])
        longest_first = sorted(self.words["award_cue"], key=len, reverse=True)
        cues = "|".join(map(re.escape, longest_first)) or r"(?!x)x"
        # a word a cue opens that is no commendation: "trao đổi" (to exchange) is no "trao"
        not_cue = "|".join(map(re.escape, sorted(self.words["not_cue"], key=len, reverse=True))) or r"(?!x)x"
        not_cue = rf"(?!(?:{not_cue})(?!\w))"
        self.cue_re = re.compile(rf"(?<!\w){not_cue}(?:{cues})(?!\w)")
        # a cue that commends what it names next ("khen thưởng 12 mô hình"): models commended are recipients
        # (recognising one, "công nhận", is not commending it)
        commend = "|".join(re.escape(c) for c in longest_first if "công nhận" not in c) or r"(?!x)x"
        self.commends_re = re.compile(rf"(?<!\w){not_cue}(?:{commend})(?:\s+[^\s\d.,;:]+){{0,2}}\s+$")
        # "trao quyết định", "tặng quà": what is handed over is no commendation, whoever receives it
        handing = alternation(self.words["handing"], case_first=False) or r"(?!x)x"
        gifts = alternation(self.words["gift"], case_first=False) or r"(?!x)x"
        self.gift_re = re.compile(rf"(?<!\w)(?:{handing})\s+(?:[\d.]+\s+)?(?:{gifts})(?!\w)", re.IGNORECASE)
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


_OPENING, _CLOSING = ("“", '"', "«"), ("”", '"', "»")


def _unit(lex: CountWords, words: list[str], i: int) -> tuple[str, int] | None:
    """The counted noun starting at word ``i`` and the index after it."""
    if i < len(words) and words[i] in _OPENING and i + 1 < len(words) and words[i + 1][:1].isupper():
        close = next((k for k in range(i + 2, min(i + 8, len(words))) if words[k] in _CLOSING), None)
        if close is not None:  # "100 “Công nhân giỏi”": the title each of them was given
            return " ".join(words[i + 1:close]), close + 1
    if i >= len(words) or not words[i][:1].isalpha() or words[i] in lex["not_unit"]:
        return None
    if words[i][:1].isupper():  # a capitalised noun is a name, except awards, documents and bodies written short
        for k in (4, 3, 2, 1):  # "15 Giấy khen", "60 Người thợ trẻ giỏi", however underthesea split it
            if " ".join(words[i:i + k]) in lex.capital_units:
                return _tail(lex, words, " ".join(words[i:i + k]), i + k)
        if ABBREVIATION.fullmatch(words[i]) and words[i].isupper():  # "9 LĐLĐ cấp huyện", "1.535 CĐCS"
            return _tail(lex, words, words[i], i + 1)
        return None
    for k in (3, 2):  # "6 cờ thi đua", however underthesea split it
        if " ".join(words[i:i + k]) in lex.long_awards:
            return " ".join(words[i:i + k]), i + k
    unit, j = words[i], i + 1
    if j < len(words) and (glued := f"{unit} {words[j].split()[0]}") in lex.two_syllables and " " in words[j]:
        return glued, j + 1  # "3 nam sinh trường A": underthesea glued the noun's end to the next word
    if unit in lex["classifier"] and j < len(words) and words[j][:1].isalpha() and words[j][:1].islower():
        unit, j = f"{unit} {words[j]}", j + 1
    return _tail(lex, words, unit, j)


def _tail(lex: CountWords, words: list[str], unit: str, j: int) -> tuple[str, int]:
    """A list of levels is kept whole ("219 xã, phường, thị trấn"), and "cấp X" qualifies a body."""
    levels = lex.levels
    while unit.split(", ")[-1] in levels and j + 1 < len(words) and words[j] == "," and words[j + 1] in levels:
        unit, j = f"{unit}, {words[j + 1]}", j + 2
    if j + 1 < len(words) and words[j] == "cấp" and (unit.isupper() or unit[:1].isupper() and words[j + 1] in levels):
        unit, j = f"{unit} cấp {words[j + 1]}", j + 2
    return unit, j


def _category(lex: CountWords, unit: str, clause: str, head: str = "", before: str = "") -> str:
    """model, award or other. Recipients listed after the award's clause ("tặng giấy khen cho 5 tập
    thể; 7 đoàn viên") take its cue (``head``: the sentence before the list item); models a cue
    right ``before`` commends are recipients ("khen thưởng 12 mô hình")."""
    if any(unit.startswith(m) for m in lex["model"]):
        return "award" if lex.commends_re.search(before) else "model"
    if unit in lex["award_unit"]:
        return "award"
    lowered = lex.gift_re.sub(" ", (head + " " + clause).lower())
    if any(unit.startswith(r) for r in lex["recipient"]) and lex.cue_re.search(lowered):
        return "award"
    if unit[:1].isupper() and unit not in lex.capital_units and not unit.split()[0].isupper() \
            and lex.commends_re.search(before.lower()) and not any(unit.lower().startswith(g) for g in lex["gift"]):
        return "award"  # a title conferred right there: "khen thưởng 100 “Công nhân giỏi”"
    return "other"


_ITEM_START = re.compile(r"(?:;|:|\bgồm)\s*(?:\S+\s+){0,2}$")


def _list_head(text: str, start: int) -> str:
    """The sentence before a count that opens an item of a list ("…; 7 đoàn viên", "gồm 3 tập thể")."""
    return text[:start] if _ITEM_START.search(text, 0, start) else ""


def _clause(text: str, start: int, end: int) -> str:
    left = max(text.rfind(";", 0, start), text.rfind(".", 0, start)) + 1
    right = min((i for i in (text.find(";", end), text.find(".", end)) if i >= 0), default=len(text))
    return text[left:right]


_GLUED = re.compile(r"((?:\d{1,3}(?:\.\d{3})+|\d+)) (\w.*)")   # "1.637 tác phẩm": one underthesea word
_RATIO = re.compile(r"(\d+)/(\d+)(?: (\w.*))?")                  # "24/28 doanh nghiệp": 24 are counted


def _number(lex: CountWords, words: list[str], i: int, first: bool) -> tuple[int | None, int, str | None]:
    """(value, index after the number, the unit glued to it) of a number at word ``i``."""
    word = words[i]
    if _DIGITS.fullmatch(word):
        value, end = int(word.replace(".", "")), i + 1
        if end < len(words) and (mult := lex.multipliers.get(words[end].lower())):
            if end + 1 < len(words) and words[end + 1] in lex.money:  # "120 tỷ đồng": money as printed
                return value, end + 2, f"{words[end]} {words[end + 1]}"
            return value * mult, end + 1, None  # "200 ngàn m2", "9 triệu người"
        if end + 1 < len(words) and words[end] == "/" and _DIGITS.fullmatch(words[end + 1]) \
                and value <= int(words[end + 1].replace(".", "")):
            return value, end + 2, None  # "572 / 986 ban": a ratio underthesea split, a of b counted
        return value, end, None
    if m := _GLUED.fullmatch(word):
        return int(m.group(1).replace(".", "")), i + 1, m.group(2)
    if (m := _RATIO.fullmatch(word)) and int(m.group(1)) <= int(m.group(2)):
        return int(m.group(1)), i + 1, m.group(3)  # the noun underthesea glued to it: "30/35 xã"
    if _spelled(lex, word) and (word[:1].islower() or first):  # "TƯ" is Trung ương, not four
        end = i + 1
        while end < len(words) and _spelled(lex, words[end]):
            end += 1
        return spelled_value([w for x in words[i:end] for w in x.split()]), end, None
    return None, i + 1, None


def find_counts(lex: CountWords, sentence: Sentence, tokens, taken: Claims) -> list[Count]:
    """Counts in one sentence; ``tokens`` are its words (document offsets), ``taken`` the spans of
    dates, periods, document numbers and places, whose digits are not counts."""
    base = sentence.start
    words = [sentence.text[a - base:b - base] for a, b in tokens]
    out = []
    numbers, letters = lex["number_word"], lex.first_letters
    i = 0
    # the words a count may start at (most words are none: skipped without the loop below)
    for at in [k for k, w in enumerate(words) if w[:1].isdigit() or (w[:1].lower() in letters
                                                                        and w.split(" ", 1)[0].lower() in numbers)]:
        if at < i:
            continue
        i = at
        head = words[i][:1]
        a, b = tokens[i]
        before = sentence.text[max(0, a - base - 40):a - base]  # a marker is a short word just before
        if _inside_a_number(before):  # "1/5.000": a token cut inside a number is no number of its own
            i += 1
            continue
        first = i == 0 or not words[i - 1][:1].isalnum()
        spelled = not head.isdigit()
        value, number_end, glued = _number(lex, words, i, first) if not taken.covers(a) else (None, i + 1, None)
        if value is not None and (lex.not_before.search(before) or _in_name(words, i, first) or _quoted(before)
                                  or (not spelled and len(words[i]) == 4 and 1900 <= value <= 2100)):
            value = None  # an ordinal, an identifier, a year, a name's number ("Licogi 14")
        unit = None if value is None else (glued, number_end) if glued else _unit(lex, words, number_end)
        if unit and spelled and words[i].lower().split()[0] in lex["needs_unit"] and not any(
                unit[0] == u or unit[0].startswith(u + " ") for u in lex["unit"]):
            unit = None  # "năm" is also a year, "một" an article: they count only known nouns
        if unit:
            end = tokens[unit[1] - 1][1]
            category = _breakdown_of(out, sentence.text, a - base, base) or _category(
                lex, unit[0], _clause(sentence.text, a - base, end - base), _list_head(sentence.text, a - base), before)
            if category == "award" and lex.holder_re.match(sentence.text, end - base) \
                    and not lex.commends_re.search(before):  # "khen thưởng 15 cá nhân có sáng kiến": commended
                category = "other"
            out.append(Count(a, end, sentence.text[a - base:end - base], sentence.idx, sentence.block_idx, value,
                             unit[0], category, "counts.spelled" if spelled else "counts.digits"))
            i = unit[1]
            continue
        i = max(i + 1, number_end if value is not None else i + 1)
    return out


def _breakdown_of(found: list[Count], text: str, at: int, base: int) -> str | None:
    """In brackets right after a count, a count breaks it down and is of its kind: "55 mô hình (29
    tập thể, 26 cá nhân) là mô hình …" counts models."""
    opening = text.rfind("(", 0, at)
    if opening < 0 or ")" in text[opening:at] or not _BREAKDOWN.fullmatch(text, opening + 1, at):
        return None  # the brackets open with the count, or a count after one of them ("(… 29 tập thể, 26 cá nhân)")
    return next((c.category for c in found if c.end - base == len(text[:opening].rstrip())), None)


_BREAKDOWN = re.compile(r"\s*(?:gồm\s+|trong đó\s+)?(?:[\d.]+\s+[^\W\d]+(?:\s+[^\W\d]+)?\s*[,;]\s*)*")


def _inside_a_number(before: str) -> bool:
    return bool(before) and (before[-1].isdigit() or before[-1] in "./,-" and before[-2:-1].isdigit())


def _quoted(before: str) -> bool:
    """A number opening a quoted name is part of it: the "3 không" campaign, mô hình “4 cùng”."""
    return before.rstrip().endswith(("“", '"', "«")) or before.endswith(("“", '"'))


def _in_name(words: list[str], i: int, first: bool) -> bool:
    """A number right after a capitalised word inside the sentence belongs to that name ("Licogi
    14", "Quân khu 2"), except after an award or a level word."""
    prev = words[i - 1] if i else ""
    opens = i < 2 or not words[i - 2][:1].isalnum()  # "Qua 8 lần", "Sau 3 ngày": the sentence's first word
    return not first and not opens and prev[:1].isupper() and prev.replace(" ", "").isalpha() and not prev.isupper()


def find(ctx: Context, taken: Claims) -> list[Count]:
    """Counts of every sentence; a sentence that only goes on listing what the one before
    awarded ("A có 40 học sinh được nhận bằng khen. B có 20 học sinh, C có 34 học sinh.") awards it too."""
    lex = ctx.rules.compiled(count_words)
    out: list[Count] = []
    awarded: set[str] = set()
    for s in ctx.sentences:
        found = find_counts(lex, s, ctx.tokens.get(s.idx, ()), taken)
        if awarded and len(found) > 1 and all(c.category == "other" and c.unit in awarded for c in found) \
                and _enumerates(s, found):
            found = [replace(c, category="award") for c in found]
        awarded = {c.unit for c in found if c.category == "award"}
        out += found
    return out


_ITEM_HAS = re.compile(r"[,;]?\s*(?:và\s+)?[^,;.:()]{1,80}?\s+có\s+$")  # ", Trường Y có "
_END = re.compile(r"\s*[.…;]?\s*$")


def _enumerates(s: Sentence, found: list[Count]) -> bool:
    """The sentence is nothing but a list of "<name> có <count>" items."""
    pos = 0
    for c in found:
        if not _ITEM_HAS.fullmatch(s.text, pos, c.start - s.start):
            return False
        pos = c.end - s.start
    return bool(_END.fullmatch(s.text, pos))
