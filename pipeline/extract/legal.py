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
from typing import Any

from ..rules import Rules, builder
from .context import Context
from .dates import DateMention
from .text import UPPER, Sentence, Span, alternation, bounded, mention_id

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
    rule: str = "legal.number"

    def span(self) -> Span:
        return Span("LEGAL_REF", self.start, self.end, self.text, self.sent_idx, self.block_idx,
                    normalized=self.number, rule=self.rule)

    def row(self, doc_id: str) -> dict[str, Any]:
        return {"doc_id": doc_id, "mention_id": mention_id(doc_id, "LEGAL_REF", self.start, self.end),
                "number": self.number, "kind": self.kind, "date": self.date, "text": self.text}


class LegalKinds:
    def __init__(self, rules: Rules):
        records = rules.records("legal_kinds")
        self.codes = {code: r for r in records for code in r["codes"]}
        self.kinds = {r["kind"]: r for r in records}
        self.kind_re = bounded(alternation([r["kind"] for r in records], exact=True))
        bare = alternation([r["kind"] for r in records if r.get("bare_number")], case_first=False)
        # "Nghị quyết 04 về …", "quyết định 3800 (năm 2018)", "Chỉ thị số 08, 12", "Văn bản số 754/2020"
        self.bare_re = bounded(rf"(?P<kind>{bare})\s+(?:số\s+)?(?P<n>\d{{1,5}}(?:/(?:19|20)\d\d)?(?![\d/\-]|[.,]\d))"
                               rf"(?P<more>(?:\s*(?:,|và)\s*\d{{1,5}}(?![\d/\-]|[.,]\d))*)")
        nouns = [r["word"] for r in rules.records("counts") if r["kind"] in ("unit", "recipient", "classifier")]
        self.counted_re = re.compile(rf"\s+(?:{alternation(nouns, case_first=False)})(?!\w)")
        sf = rules.records("short_forms")
        self.official = {short: r["code"] for r in sf if r.get("code") for short in r["short"]}

    def official_number(self, number: str) -> str:
        """A number in its official form: "59-NQ/TƯ" -> "59-NQ/TW"."""
        return re.sub(r"[^/\-]+", lambda m: self.official.get(m.group(), m.group()), number)

    def from_code(self, number: str):
        for part in re.split(r"[/\-]", number)[1:]:
            for code in (part, part.rstrip("0123456789")):  # "QH14": a law of the 14th National Assembly
                if code in self.codes:
                    return self.codes[code]
        return None


@builder
def legal_kinds(rules: Rules) -> LegalKinds:
    return LegalKinds(rules)


def find_legal_refs(k: LegalKinds, sentence: Sentence, dates: list[DateMention]) -> list[LegalRef]:
    out = []
    numbers = list(_NUMBER.finditer(sentence.text))
    for i, m in enumerate(numbers):
        clause_start = max(sentence.text.rfind(c, 0, m.start()) for c in (";", ".", ",")) + 1
        kinds = list(k.kind_re.finditer(sentence.text, clause_start, m.start()))
        coded = None if kinds else k.from_code(m.group())
        kind = kinds[-1].group() if kinds else coded["kind"] if coded else None
        where = k.kinds[kinds[-1].group()].where if kinds else coded.where if coded else "legal.number"
        start = kinds[-1].start() if kinds else m.start()
        # the date belongs to this number up to the clause end or the next number
        stops = [sentence.text.find(";", m.end()), numbers[i + 1].start() if i + 1 < len(numbers) else -1]
        clause_end = min((x for x in stops if x >= 0), default=len(sentence.text))
        at, until = sentence.start + m.end(), sentence.start + clause_end
        when = next((d.value for d in dates if at <= d.start < until and d.year_source == "explicit"), None)
        out.append(LegalRef(sentence.start + start, sentence.start + m.end(), sentence.text[start:m.end()],
                            sentence.idx, sentence.block_idx, k.official_number(m.group()), kind, when, where))
    taken = [(r.start - sentence.start, r.end - sentence.start) for r in out]
    for m in k.bare_re.finditer(sentence.text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        kind = m.group("kind")
        entry = next(e for e in k.kinds.values() if e["kind"].lower() == " ".join(kind.split()).lower())
        # "Quyết định 15 cá nhân": a count after the word, not a document's number; but "Kết luận số 24
        # ngày 5/6/2012" is one ("số" written, or the document's date right after it)
        numbered = "số" in m.group()[:m.start("n") - m.start()].split()
        if "/" in m.group("n") and not numbered:
            continue  # "Văn bản số 754/2020": a number and its year, only where "số" says it is one
        if not numbered and k.counted_re.match(sentence.text, m.end()) \
                and not any(d.start - sentence.start <= m.end() + 1 <= d.end - sentence.start for d in dates):
            continue
        numbers = [(m.start("n"), m.end("n"))] + [(m.start("more") + x.start(), m.start("more") + x.end())
                                                  for x in re.finditer(r"\d+", m.group("more"))]
        for i, (a, b) in enumerate(numbers):
            start = m.start() if i == 0 else a
            when = next((d.value for d in dates if d.year_source == "explicit"  # "Kết luận số 24 ngày 5/6/2012"
                         and 0 <= d.start - sentence.start - b <= 1), None)
            out.append(LegalRef(sentence.start + start, sentence.start + b, sentence.text[start:b], sentence.idx,
                                sentence.block_idx, sentence.text[a:b], entry["kind"], when, "legal.bare_number"))
    return out


def find(ctx: Context, dates: list[DateMention]) -> list[LegalRef]:
    k = ctx.rules.compiled(legal_kinds)
    by_sentence: dict[int, list[DateMention]] = {}
    for d in dates:
        by_sentence.setdefault(d.sent_idx, []).append(d)
    return [r for s in ctx.sentences for r in find_legal_refs(k, s, by_sentence.get(s.idx, []))]
