"""Cooperation instruments between bodies: "Chương trình phối hợp … giai đoạn 2021 – 2025 giữa A
và B", who the parties are, and what the article reports happening to each (signed, reviewed,
launched, cited) on which day. The words are data (``lexicons/programmes.jsonl``).

Per instrument noun of an article sentence (a *mention*):

* its **action**: the action verb nearest before the noun in its clause ("Lễ ký kết Chương trình
  phối hợp", "triển khai các chuyên đề … của Chương trình phối hợp"), or a passive one after it
  ("Quy chế … được ban hành"); "qua 3 năm triển khai" is the programme's age, not an action;
* its **number** (the document number right after it, from ``legal.py``) and its **period** (the
  first period after it, up to the next instrument, the clause's end or another document's name;
  a single year only for a signing: "đánh giá kết quả Chương trình phối hợp năm 2023" dates the
  work reviewed);
* its **parties**: the bodies listed after "giữa" (or after "hai đơn vị"); otherwise its
  counterparts ("với B") and the sentence's subject: the first list of bodies that goes on to do
  something ("A phối hợp với B tổ chức Hội nghị tổng kết …", "A đã ký kết …"); a body right after
  "tại" is a place;
* the **date** of its action: a full date of its sentence before the verb, else the article's event
  date; none for an activity listed in a report ("như: …; Hoạt động ký kết …") or a clause dated
  only by a year.

Mentions are then one instrument per number, and per kind and period; a mention with neither is
the same instrument as the one of its kind with the same action, else the nearest named before
it (else after it). An instrument's parties are those of its mentions (a sub-unit and its parent
both named: the parent); one with counterparts only gets the article's principal party, one with
none the subject of the article's lead. Implementation ("thực hiện") counts only when nothing
else happens to the instrument, and "cited" only when it is merely named.
"""
from __future__ import annotations

from bisect import bisect_left

import re
from typing import Any

from ..normalize import fold_for_match as fold
from ..programme_ids import programme_id
from .context import Context
from .dates import Dated, DateMention
from .legal import LegalRef, legal_kinds
from .programme_clusters import Action, Mention, Programme, actions, all_parties, cluster, principal
from .programme_grammar import Party, ProgrammeGrammar, defined_names, grammar_of, list_at, outer, subject
from .text import Sentence, Span, mention_id, squash

CLAUSE_BREAKS = ",;:"
MAX_VERB_GAP = 90      # characters between an action verb and its noun ("triển khai các chuyên đề về … của")
MAX_DATE_GAP = 12      # characters between a passive verb and its date ("được ký kết vào ngày 12/6")


# ------------------------------------------------------------------ one sentence's mentions

def _clause_start(text: str, pos: int, floor: int = 0) -> int:
    return max([floor] + [text.rfind(c, 0, pos) + 1 for c in CLAUSE_BREAKS])


def _scope_end(text: str, start: int, stops: list[int]) -> int:
    ends = [i for i in (text.find(c, start) for c in ";:") if i >= 0] + [p for p in stops if p >= start]
    return min(ends, default=len(text))


def _verb_before(g: ProgrammeGrammar, text: str, floor: int, noun: int) -> re.Match | None:
    """The action verb nearest before the noun in its clause. Verbs written one after another
    ("triển khai thực hiện") are one; after a duration ("sơ kết 3 năm thực hiện …", "qua 3 năm triển
    khai …") they tell the programme's age, and the verb before the duration is the action."""
    window_start = max(_clause_start(text, noun, floor), noun - MAX_VERB_GAP)
    verbs = list(g.action_re.finditer(text, window_start, noun))
    weak = None
    while verbs:
        verb = verbs.pop()
        first = verb
        while verbs and not text[verbs[-1].end():first.start()].strip():
            first = verbs.pop()
        if g.duration_re.search(text[:first.start()]):
            continue
        if not g.actions[fold(squash(verb.group()))].get("weak"):
            return verb
        weak = weak or verb  # "sơ kết 6 tháng đầu năm thực hiện …": the review, if there is one before
    return weak


def _action_day(g: ProgrammeGrammar, ctx: Context, s: Sentence, at: int, dates: list[DateMention],
                event: tuple, after: int | None = None) -> tuple:
    """(date, month, day) of an action whose verb starts at sentence offset ``at``; a passive verb
    ending at ``after`` may be dated right after it ("được ký kết ngày 12/6/2022")."""
    if after is not None:
        near = [d for d in dates if d.sent_idx == s.idx and 0 <= d.start - s.start - after <= MAX_DATE_GAP and d.day]
        if near:
            return (near[0].value, near[0].month, near[0].day)
    before = s.text[:at]
    if g.reported_re.search(before) or (ctx.block_kinds[s.block_idx] == "body" and g.enumeration_re.search(before)):
        return (None, None, None)
    own = [d for d in dates if d.sent_idx == s.idx and d.start - s.start < at and d.day and d.month]
    if own:
        d = own[-1]
        return (d.value, d.month, d.day)
    if g.year_re.search(before[_clause_start(before, len(before)):]) or g.year_re.search(before[:40]):
        return (None, None, None)  # "Năm 2019, hai bên đã ký kết …": known only to its year
    return event


def _mentions_of(g: ProgrammeGrammar, ctx: Context, s: Sentence, items: list[Party], dated: Dated,
                 refs: list[LegalRef], event: tuple, dates: list | None = None) -> list[Mention]:
    """``dates``: the dates of sentence ``s`` (all of the document's when None)."""
    dates = dated.dates if dates is None else dates
    text = s.text
    # "Kế hoạch phối hợp tổ chức Lễ hội …": one body's plan for one event, no instrument between bodies
    nouns = [n for n in g.instrument_re.finditer(text) if not g.one_event_re.match(text, n.end())]
    if not nouns:
        return []
    kinds_re = ctx.rules.compiled(legal_kinds).kind_re
    other_docs = [m.start() for m in kinds_re.finditer(text)]
    doer = subject(g, s, items)
    collective, unnamed = [], False
    for c in g.collective_re.finditer(text):
        named = list_at(g, text, s.start, items, s.start + c.end())
        collective += named
        unnamed = unnamed or not named
    if (by_sentence := ctx.memo.get("periods_by_sentence")) is None:  # (one pass: a long document has thousands)
        by_sentence = ctx.memo["periods_by_sentence"] = {}
        for p in dated.periods:
            by_sentence.setdefault(p.sent_idx, []).append(p)
    periods = by_sentence.get(s.idx, [])
    out: list[Mention] = []
    listed: list[list[Party]] = []   # each mention's "giữa …" list
    verbs: list[int] = []            # where each mention's action verb (else its noun) starts
    for i, noun in enumerate(nouns):
        entry = g.instruments[fold(squash(noun.group()))]
        prev_end = nouns[i - 1].end() if i else 0
        stops = [n.start() for n in nouns[i + 1:]] + [p for p in other_docs if p > noun.end() + 1]
        end = _scope_end(text, noun.end(), stops)
        # the action
        action, verb = None, None
        if g.framework_re.search(text[:noun.start()]) or g.basis_re.fullmatch(text[:noun.start()]):
            action = Action("cited", False, text[:noun.end()].lstrip())
        elif entry.get("action"):
            action = Action(entry["action"], False, noun.group(),
                            _action_day(g, ctx, s, noun.start(), dates, event))
        elif verb := _verb_before(g, text, prev_end, noun.start()):
            a = g.actions[fold(squash(verb.group()))]
            if g.not_yet_re.search(text[:verb.start()]):  # "đề nghị … sớm ký kết Quy chế …": not done yet
                action = Action("cited", False, text[verb.start():noun.end()])
            else:
                action = Action(a["action"], bool(a.get("weak")), text[verb.start():noun.end()],
                                _action_day(g, ctx, s, verb.start(), dates, event))
        elif passive := g.passive_re.search(text, noun.end(), end):
            a = g.actions[fold(squash(passive.group("verb")))]
            action = Action(a["action"], bool(a.get("weak")), text[noun.start():passive.end()],
                            _action_day(g, ctx, s, passive.start(), dates, event, passive.end()))
        # number and period
        number = None
        for r in refs:
            if r.sent_idx == s.idx and r.start - s.start <= noun.end() + 1 and r.end - s.start > noun.end() \
                    and r.end - s.start <= end:
                number = r.number
                break
        period = None
        for p in periods:
            if noun.end() <= p.start - s.start < end:
                single = p.start_year == p.end_year
                if not single or (action and action.action == "signed"):
                    period = (p.start_year, p.end_year)
                break
        # parties
        parties: list[Party] = []
        needs_self = False
        between = g.between_re.search(text, noun.end(), end)
        if between:
            parties = list_at(g, text, s.start, items, s.start + between.end())
        listed.append(list(parties))
        verbs.append(verb.start() if verb else noun.start())
        if not parties and collective:
            parties = list(collective)
        if not parties:
            counterparts: list[Party] = []
            for w in g.with_re.finditer(text, verb.end() if verb else noun.end(), end):
                counterparts = list_at(g, text, s.start, items, s.start + w.end())
                if counterparts:
                    break
            parties = doer + [p for p in counterparts if p not in doer]
            needs_self = bool(counterparts) and not doer
        # the span is the instrument's words: its number, period and parties are mentions of their own
        span = Span("PROGRAMME", s.start + noun.start(), s.start + noun.end(), noun.group(), s.idx,
                    s.block_idx, normalized=entry.get("kind") or squash(noun.group()).lower(),
                    rule=entry.where)
        out.append(Mention(span, span.normalized, number, period, action, parties, needs_self,
                           refers_back=unnamed and not listed[-1] and not collective,
                           in_title=ctx.block_kinds[s.block_idx] == "title", verb_form=bool(entry.get("action"))))
    _share_lists(text, nouns, out, listed, verbs)
    return out


def _share_lists(text: str, nouns: list[re.Match], mentions: list[Mention], listed: list[list[Party]],
                 verbs: list[int]) -> None:
    """"tổng kết Chương trình … 2019 – 2023 và ký kết Chương trình … 2024 – 2028 giữa A và B": the
    list after the last of two coordinated instruments names the parties of both."""
    for i in range(len(mentions) - 2, -1, -1):
        after = mentions[i + 1]
        gap = text[nouns[i].end():verbs[i + 1]]
        if not listed[i] and listed[i + 1] and after.action and not after.action.weak \
                and re.search(r"(?:^|\s)(?:và|,)\s*$", gap):
            mentions[i].parties, listed[i] = list(listed[i + 1]), listed[i + 1]
            mentions[i].needs_self = False

def _event(dated: Dated) -> tuple:
    """(date, month, day) of the article's event: its day and month even when its year is unknown."""
    if dated.event_date:
        return (dated.event_date, dated.event_date.month, dated.event_date.day)
    first = next((d for d in dated.dates if d.kind == "event" and d.day), None)
    return (None, first.month, first.day) if first else (None, None, None)

def find(ctx: Context, agency_spans: list[Span], dated: Dated, refs: list[LegalRef]) -> list[Programme]:
    """The cooperation instruments of the article, with their parties and actions."""
    g = ctx.rules.compiled(grammar_of)
    items = _Sorted(defined_names(ctx, outer(agency_spans)))
    event = _event(dated)
    mentions: list[Mention] = []
    by_sentence: dict[int, list] = {}
    for d in dated.dates:
        by_sentence.setdefault(d.sent_idx, []).append(d)
    for s in ctx.sentences:
        if g.instrument_re.search(s.text):  # most sentences name no instrument: nothing to read
            mentions += _mentions_of(g, ctx, s, _inside(items, s), dated, refs, event, by_sentence.get(s.idx, []))
    if not mentions:
        return []
    programmes = cluster(mentions)
    first_party = principal(mentions)
    lead = next((sub for s in ctx.lead if (sub := subject(g, s, _inside(items, s)))), [])
    parents = {p.agency_id: p.parent_id for p in items}
    for p in programmes:
        p.actions = actions(p)
    all_parties(programmes, first_party, lead)
    programmes = [p for p in programmes if p.parties]  # an instrument between no body named: a general word
    for p in programmes:
        p.programme_id = programme_id(p.kind, [x.agency_id for x in p.parties], p.period, p.number, parents)
    return programmes


def _inside(items: list[Party], s: Sentence) -> list[Party]:
    """The parties of sentence ``s`` (``items`` sorted by start: found by bisection)."""
    starts = [p.start for p in items] if not hasattr(items, "starts") else items.starts
    i = bisect_left(starts, s.start)
    while i > 0 and items[i - 1].end > s.start:  # one that begins before and runs into it
        i -= 1
    out = []
    for p in items[i:]:
        if p.start >= s.start + len(s.text):
            break
        if p.end > s.start:
            out.append(p)
    return out


class _Sorted(list):
    """Parties in text order with their start offsets at hand, for ``_inside``."""

    def __init__(self, items):
        super().__init__(sorted(items, key=lambda p: (p.start, p.end)))
        self.starts = [p.start for p in self]


def rows(doc_id: str, programmes: list[Programme]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"programmes": [], "programme_parties": [], "programme_actions": []}
    for p in programmes:
        for name, table_rows in p.rows(doc_id).items():
            out[name] += table_rows
    return out


def spans(programmes: list[Programme]) -> list[Span]:
    return [m.span for p in programmes for m in p.mentions]


__all__ = ["Programme", "find", "grammar_of", "mention_id", "rows", "spans"]
