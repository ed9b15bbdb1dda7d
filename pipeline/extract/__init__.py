"""Extractors: one module per fact family, each a pure function of the article sentences.

``extract`` runs them in order (places first: the province qualifies agencies and persons;
dates before counts: the digits of a date are not a count) and returns the rows of every fact
table plus the document-level values (province, event date).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..segment import Segmented
from . import agencies, counts, dates, events, legal, persons, places
from .text import Sentence, Span, article_sentences

FACT_TABLES = ("mentions", "roles", "dates", "periods", "counts", "legal_refs", "events")


@dataclass
class Found:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in FACT_TABLES})
    province: str | None = None
    event_date: date | None = None


def mention_id(doc_id: str, label: str, start: int, end: int) -> str:
    return f"{doc_id}:{label}:{start}-{end}"


def mention_row(doc_id: str, span: Span) -> dict[str, Any]:
    return {"doc_id": doc_id, "mention_id": mention_id(doc_id, span.label, span.start, span.end),
            "sent_idx": span.sent_idx, "block_idx": span.block_idx, "label": span.label, "text": span.text,
            "char_start": span.start, "char_end": span.end, "entity_id": span.entity_id,
            "normalized": span.normalized, "details": dict(sorted(span.attrs.items())) or None}


def _fact_span(label: str, fact, normalized: str | None = None) -> Span:
    return Span(label, fact.start, fact.end, fact.text, fact.sent_idx, fact.block_idx, normalized=normalized)


def _people(doc_id: str, sentences: list[Sentence], province: str | None, found: Found) -> list[Span]:
    spans: list[Span] = []
    roles: dict[tuple, dict[str, Any]] = {}
    for s, person in persons.persons(sentences, province):
        pid = persons.person_id(person.name, province)
        attrs = {k: v for k, v in (("gender", person.gender), ("province", province)) if v}
        spans.append(Span("PERSON", s.start + person.start, s.start + person.end, s.text[person.start:person.end],
                          s.idx, s.block_idx, entity_id=pid, normalized=person.name, attrs=attrs))
        for role in person.roles:
            title = Span("TITLE", s.start + role.start, s.start + role.title_end, s.text[role.start:role.title_end],
                         s.idx, s.block_idx, normalized=role.title)
            spans.append(title)
            canonical = role.agency_canonical
            agency = agencies.agency_id(canonical) if canonical else None
            roles.setdefault((pid, role.title, agency), {
                "doc_id": doc_id, "person_id": pid, "title": role.title, "agency_id": agency,
                "mention_id": mention_id(doc_id, "TITLE", title.start, title.end)})
    found.rows["roles"].extend(roles.values())
    return spans


def _datelines(seg: Segmented) -> list[Sentence]:
    text = seg.document.text
    return [Sentence(-1, b.idx, b.start, text[b.start:b.end]) for b in seg.document.blocks if b.kind == "dateline"]


def _numbers(seg: Segmented, sentences: list[Sentence], found: Found) -> list[Span]:
    doc = seg.document
    text = doc.text
    blocks = {b.idx: b.kind for b in doc.blocks}
    first_body = next((b.idx for b in doc.blocks if b.kind == "body"), None)
    # The lead: the first body paragraph, then the title (a title names the event less precisely).
    lead = [s for s in sentences if s.block_idx == first_body] + [s for s in sentences if blocks[s.block_idx] == "title"]

    published = dates.find_dates(_datelines(seg))
    for d in published:
        d.kind = "published"
    found_dates = dates.find_dates(sentences)
    starts = {s.idx: s.start for s in sentences}
    for d in found_dates:
        if blocks[d.block_idx] == "title" or dates.opens_sentence(text[starts[d.sent_idx]:d.start]):
            d.kind = "event"
    periods = dates.find_periods(sentences)
    dates.infer_years(found_dates, published=doc.published_date, periods=[p for p in periods if p in lead or
                                                                           any(p.sent_idx == s.idx for s in lead)],
                      statements=dates.year_statements(lead), crawled=doc.crawl_date)
    all_dates = published + found_dates
    found.event_date = next((d.value for d in found_dates if d.kind == "event" and d.value), None)

    refs = [r for s in sentences for r in legal.find_legal_refs(s, found_dates)]
    taken = [(x.start, x.end) for x in (*found_dates, *periods, *refs)]
    tokens: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for t in seg.tokens:
        tokens[t.sent_idx].append((t.start, t.end))
    found_counts = [c for s in sentences for c in counts.find_counts(s, tokens[s.idx], taken)]
    found_events = events.find_events(lead)

    rows, spans = found.rows, []
    for d in all_dates:
        spans.append(_fact_span("DATE", d, d.value.isoformat() if d.value else None))
        rows["dates"].append({"doc_id": doc.doc_id, "mention_id": mention_id(doc.doc_id, "DATE", d.start, d.end),
                              "date": d.value, "year": d.year, "month": d.month, "day": d.day,
                              "part_of_day": d.part_of_day, "kind": d.kind, "year_source": d.year_source,
                              "text": d.text})
    for p in periods:
        spans.append(_fact_span("PERIOD", p, f"{p.start_year}-{p.end_year}"))
        rows["periods"].append({"doc_id": doc.doc_id, "mention_id": mention_id(doc.doc_id, "PERIOD", p.start, p.end),
                                "start_year": p.start_year, "end_year": p.end_year, "kind": p.kind, "text": p.text})
    for c in found_counts:
        spans.append(_fact_span("COUNT", c, str(c.value)))
        rows["counts"].append({"doc_id": doc.doc_id, "mention_id": mention_id(doc.doc_id, "COUNT", c.start, c.end),
                               "value": c.value, "unit": c.unit, "category": c.category, "text": c.text})
    for r in refs:
        spans.append(_fact_span("LEGAL_REF", r, r.number))
        rows["legal_refs"].append({"doc_id": doc.doc_id, "mention_id": mention_id(doc.doc_id, "LEGAL_REF", r.start, r.end),
                                   "number": r.number, "kind": r.kind, "date": r.date, "text": r.text})
    for e in found_events:
        spans.append(_fact_span("EVENT", e, e.type))
        rows["events"].append({"doc_id": doc.doc_id, "mention_id": mention_id(doc.doc_id, "EVENT", e.start, e.end),
                               "type": e.type, "date": found.event_date, "format": e.format, "text": e.text})
    return spans


def _bodies_named_before(spans: list[Span], agency_spans: list[Span], roles: list[dict[str, Any]]) -> None:
    """A title written without its body ("… của Bộ Tài nguyên và Môi trường do Thứ trưởng X làm
    trưởng đoàn") belongs to the nearest body of its kind named before it in the sentence."""
    titles = {f"{t.start}-{t.end}": t for t in spans if t.label == "TITLE"}
    for role in roles:
        heads = persons.bodies_of(role["title"]) if role["agency_id"] is None else ()
        title = titles.get(role["mention_id"].rsplit(":", 1)[1]) if heads else None
        if title is None:
            continue
        before = [a for a in agency_spans if a.sent_idx == title.sent_idx and a.end <= title.start
                  and any((a.normalized or "").startswith(h + " ") for h in heads)]
        if before:
            role["agency_id"] = max(before, key=lambda a: a.end).entity_id


def _complete_local_agencies(spans: list[Span], roles: list[dict[str, Any]], named: set[str]) -> None:
    """"UBND huyện" and "UBND huyện Mường Tè" in one article: one agency (in place)."""
    completions = agencies.local_completions({s.normalized for s in spans if s.normalized}, named)
    if not completions:
        return
    ids = {agencies.agency_id(short): agencies.agency_id(full) for short, full in completions.items()}
    for span in spans:
        if span.normalized in completions:
            span.normalized = completions[span.normalized]
            span.entity_id = ids[span.entity_id]
        if span.attrs.get("parent_id") in ids:
            span.attrs["parent_id"] = ids[span.attrs["parent_id"]]
    unique: dict[tuple, dict[str, Any]] = {}
    for role in roles:
        role["agency_id"] = ids.get(role["agency_id"], role["agency_id"])
        unique.setdefault((role["person_id"], role["title"], role["agency_id"]), role)
    roles[:] = unique.values()


def extract(seg: Segmented) -> Found:
    doc = seg.document
    found = Found()
    sentences = article_sentences(seg)
    locations = places.locations(sentences)
    title_block = next((b.idx for b in doc.blocks if b.kind == "title"), None)
    found.province = places.document_province(locations, title_block)
    spans = list(locations)
    spans += _people(doc.doc_id, sentences, found.province, found)
    numbers = _numbers(seg, sentences, found)
    # No agency starts inside a title ("Thành ủy viên") or a document number ("123/QĐ-UBND").
    blocked = persons.title_spans(sentences) + [(s.start, s.end) for s in numbers if s.label == "LEGAL_REF"]
    agency_spans, _ = agencies.agencies(sentences, found.province, blocked)
    named = {f"{' '.join(s.text.split()[:-len(s.normalized.split())]).lower()} {s.normalized}"
             for s in locations if s.attrs.get("rank") in ("district", "commune") and s.normalized}
    _complete_local_agencies(agency_spans, found.rows["roles"], named)
    _bodies_named_before(spans, agency_spans, found.rows["roles"])
    spans += agency_spans + numbers
    seen = set()
    for span in sorted(spans, key=lambda s: (s.start, s.end, s.label)):
        key = (span.start, span.end, span.label)
        if key not in seen:
            seen.add(key)
            found.rows["mentions"].append(mention_row(doc.doc_id, span))
    return found
