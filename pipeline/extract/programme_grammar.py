"""The words of cooperation instruments (``lexicons/programmes.jsonl``) compiled, and the
lists of bodies that name an instrument's parties: "giữa A và B", "với A, B và C", "hai đơn vị A và
B", a sentence's subject ("A phối hợp với B tổ chức …"), a body's own short name in brackets.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..normalize import fold_for_match as fold
from ..rules import Rules, builder
from .context import Context
from .text import CAP_WORD, Sentence, Span, alternation, bounded

MAX_SUBJECT_GAP = 3    # words between the end of a subject list and what it does (fillers aside)


class ProgrammeGrammar:
    """The patterns of ``programmes.jsonl``."""

    def __init__(self, rules: Rules):
        by: dict[str, list] = defaultdict(list)
        for r in rules.records("programmes"):
            by[r["type"]].append(r)
        words = {t: [r["word"] for r in rs] for t, rs in by.items()}

        def alt(kind: str) -> str:
            return alternation(words.get(kind, []), case_first=False) or r"(?!x)x"

        self.instruments = {fold(r["word"]): r for r in by["instrument"]}
        self.actions = {fold(r["word"]): r for r in by["action"]}
        self.instrument_re = bounded(alt("instrument"))
        self.action_re = bounded(alt("action"))
        numerals = alternation([r["word"] for r in rules.records("number_words")
                                if r["role"] == "digit" and 2 <= r["value"] <= 9 and "lead" in r["contexts"]],
                               case_first=False)
        number = rf"(?:\d{{1,2}}|{numerals})"
        self.collective_re = bounded(rf"{number}\s+(?:{alt('collective')})")
        self.between_re = bounded(alt("between"))
        self.with_re = bounded(alt("with"))
        # between two bodies of a list: connectors, and the level and place a name ends with after its
        # abbreviation ("Hội Liên hiệp Phụ nữ (LHPN) thành phố và Sở Tư pháp")
        levels = alternation([r["word"] for r in rules.records("levels")], case_first=False)
        place = rf"(?:{levels})(?:\s+{CAP_WORD})*"
        link = rf"(?:\s|[,&()\-–]|(?<![\w&])(?:{alt('link')}|{place})(?![\w&]))*"
        self.link_re = re.compile(link)
        # a group named before its members: "với các tổ chức chính trị - xã hội, đoàn thể cấp thành phố ("
        self.group_re = re.compile(rf"{link}(?:các|những)\s[^;:.()]{{0,80}}\(\s*", re.IGNORECASE)
        # what a subject goes on to do; an instrument's words may be its verb ("A và B thỏa thuận hợp tác")
        self.does_re = re.compile(rf"(?:\s|[,()\-–]|(?<![\w&])(?:{alt('filler')})(?![\w&]))*"
                                  rf"(?<![\w&])(?:{alt('organise')}|{alt('action')}|{alt('instrument')})(?![\w&])",
                                  re.IGNORECASE)
        self.venue_re = re.compile(rf"(?<![\w&])(?:{alt('venue')})\s*$", re.IGNORECASE)
        self.reported_re = re.compile(rf"(?<![\w&])(?:{alt('reported')})\s*$", re.IGNORECASE)
        self.enumeration_re = re.compile(rf"(?<![\w&])(?:{alt('enumeration')})\s*:", re.IGNORECASE)
        self.duration_re = re.compile(rf"(?<![\w&]){number}\s+(?:{alt('duration')})\s*$", re.IGNORECASE)
        self.not_yet_re = re.compile(rf"(?<![\w&])(?:{alt('not_yet')})\s+$", re.IGNORECASE)
        self.one_event_re = re.compile(rf"\s+(?:{alt('one_event')})(?![\w&])", re.IGNORECASE)
        self.passive_re = bounded(rf"(?:{alt('passive')})\s+(?P<verb>{alt('action')})")
        # the instrument as the basis of what the sentence reports: "Thực hiện Kế hoạch liên tịch số …, Sở …
        # tổ chức …" (opening the sentence), "… trong khuôn khổ Chương trình phối hợp …" (anywhere)
        self.basis_re = re.compile(rf"\W*(?:{alt('basis')})\s+", re.IGNORECASE)
        self.framework_re = re.compile(rf"(?<![\w&])(?:{alt('framework')})\s+$", re.IGNORECASE)
        self.year_re = re.compile(r"(?<![\w/])(?:năm|tháng\s+\d{1,2}\s*[/.\-])\s*(?:19|20)\d{2}(?!\d)", re.IGNORECASE)


@builder
def grammar_of(rules: Rules) -> ProgrammeGrammar:
    return ProgrammeGrammar(rules)


@dataclass(frozen=True)
class Party:
    start: int
    end: int
    agency_id: str
    parent_id: str | None


def outer(spans: list[Span]) -> list[Party]:
    """AGENCY spans not inside another one, as parties."""
    spans = sorted((s for s in spans if s.label == "AGENCY" and s.entity_id), key=lambda s: (s.start, -s.end))
    out: list[Party] = []
    reach = -1
    for s in spans:
        if s.end <= reach:
            continue
        reach = max(reach, s.end)
        out.append(Party(s.start, s.end, s.entity_id, s.attrs.get("parent_id")))
    return out


_NAMED = re.compile(rf"\s*\(\s*({CAP_WORD}(?:\s+{CAP_WORD}){{0,4}})\s*\)")


def defined_names(ctx: Context, items: list[Party]) -> list[Party]:
    """A body's own short name given after it ("Hãng Hàng không Quốc gia Việt Nam (Vietnam
    Airlines)") and its later uses, as that body (an upper-case abbreviation is already a mention
    of its own: ``bodies.py``)."""
    text = ctx.doc.text
    names: dict[str, Party] = {}
    starts = {p.start for p in items}
    for p in items:
        m = _NAMED.match(text, p.end)
        if m and m.start(1) not in starts:
            names.setdefault(m.group(1), p)
    if not names:
        return items
    pattern = bounded("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    covered = [(p.start, p.end) for p in items]
    found = list(items)
    for s in ctx.sentences:
        for m in pattern.finditer(s.text):
            a, b = s.start + m.start(), s.start + m.end()
            if not any(x <= a < y for x, y in covered):
                body = names[m.group()]
                found.append(Party(a, b, body.agency_id, body.parent_id))
    return sorted(found, key=lambda p: p.start)


def list_at(g: ProgrammeGrammar, text: str, base: int, items: list[Party], pos: int) -> list[Party]:
    """The bodies listed from document offset ``pos``: the first right there (or after a group
    named before its members), the next ones after connectors only."""
    out: list[Party] = []
    for item in items:
        if item.start < pos:
            continue
        gap = text[pos - base:item.start - base]
        if not (g.link_re.fullmatch(gap) or (not out and g.group_re.fullmatch(gap))):
            break
        out.append(item)
        pos = item.end
    return out


def subject(g: ProgrammeGrammar, s: Sentence, items: list[Party]) -> list[Party]:
    """The sentence's first list of bodies that goes on to do something: "A phối hợp với B tổ
    chức …", "A đã ký kết …" (a body right after "tại" is a place, not a subject)."""
    taken = -1
    for item in items:
        if item.start < taken:
            continue
        if g.venue_re.search(s.text[:item.start - s.start]):
            continue
        found = list_at(g, s.text, s.start, items, item.start)
        taken = found[-1].end
        after = s.text[taken - s.start:]
        m = g.does_re.match(after)
        if m and len(after[:m.start()].split()) <= MAX_SUBJECT_GAP:
            return found
    return []
