"""Numbered documents cited: "Quyết định số 1234/QĐ-UBND", "Luật Đất đai số 31/2024/QH15",
"Nghị quyết 18-NQ/TW", "Chương trình phối hợp số 03/CTrPH-MTTQ-SYT ngày 15/3/2022".

The kind is the nearest kind word before the number in its clause, else what the number's
code says (QĐ -> Quyết định, lexicons/legal_kinds.jsonl). The date is the first full date after
the number in the same clause ("… thông qua ngày 18/01/2024").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from .. import lexicon
from .dates import DateMention
from .text import UPPER, Sentence, alternation, bounded

_FIELDS = (lexicon.Field("kind"), lexicon.Field("codes", list))
_CODE = rf"[{UPPER}][\w&]*"
_NUMBER = re.compile(rf"(?<![\w/])\d{{1,5}}(?:/\d{{4}})?[/\-]{_CODE}(?:[/\-][{UPPER}0-9][\w&]*)*")


@dataclass
class LegalRef:
    start: int
    end: int
    text: str
    sent_idx: int
    block_idx: int
    number: str
    kind: str | None
    date: date | None


@cache
def _kinds():
    records = lexicon.records("legal_kinds", _FIELDS)
    codes = {code: r["kind"] for r in records for code in r["codes"]}
    return bounded(alternation([r["kind"] for r in records], exact=True)), codes


def _kind_from_code(number: str) -> str | None:
    _, codes = _kinds()
    for part in re.split(r"[/\-]", number)[1:]:
        for code in (part, part.rstrip("0123456789")):  # "QH14": a law of the 14th National Assembly
            if code in codes:
                return codes[code]
    return None


def find_legal_refs(sentence: Sentence, dates: list[DateMention]) -> list[LegalRef]:
    kind_re, _ = _kinds()
    out = []
    numbers = list(_NUMBER.finditer(sentence.text))
    for i, m in enumerate(numbers):
        clause_start = max(sentence.text.rfind(c, 0, m.start()) for c in (";", ".", ",")) + 1
        kinds = list(kind_re.finditer(sentence.text, clause_start, m.start()))
        kind = kinds[-1].group() if kinds else _kind_from_code(m.group())
        start = kinds[-1].start() if kinds else m.start()
        # the date belongs to this number up to the clause end or the next number
        stops = [sentence.text.find(";", m.end()), numbers[i + 1].start() if i + 1 < len(numbers) else -1]
        clause_end = min((x for x in stops if x >= 0), default=len(sentence.text))
        at, until = sentence.start + m.end(), sentence.start + clause_end
        when = next((d.value for d in dates if at <= d.start < until and d.year_source == "explicit"), None)
        out.append(LegalRef(sentence.start + start, sentence.start + m.end(), sentence.text[start:m.end()],
                            sentence.idx, sentence.block_idx, m.group(), kind, when))
    return out
