"""Extractors: one module per fact family, each a pure function of the article sentences.

``extract`` runs them in order (places first: the province qualifies agencies and persons) and
returns the rows of every fact table plus the document-level values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..segment import Segmented
from . import agencies, persons, places
from .text import Span, article_sentences

FACT_TABLES = ("mentions", "roles", "dates", "periods", "counts", "legal_refs", "events")


@dataclass
class Found:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in FACT_TABLES})
    province: str | None = None
    event_date: date | None = None


def mention_id(doc_id: str, span: Span) -> str:
    return f"{doc_id}:{span.label}:{span.start}-{span.end}"


def mention_row(doc_id: str, span: Span) -> dict[str, Any]:
    return {"doc_id": doc_id, "mention_id": mention_id(doc_id, span), "sent_idx": span.sent_idx,
            "block_idx": span.block_idx, "label": span.label, "text": span.text, "char_start": span.start,
            "char_end": span.end, "entity_id": span.entity_id, "normalized": span.normalized,
            "attrs": dict(sorted(span.attrs.items())) or None}


def _people(doc_id: str, sentences, province, found: Found) -> list[Span]:
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
                "mention_id": mention_id(doc_id, title)})
    found.rows["roles"].extend(roles.values())
    return spans


def extract(seg: Segmented) -> Found:
    doc = seg.document
    found = Found()
    sentences = article_sentences(seg)
    locations = places.locations(sentences)
    title_block = next((b.idx for b in doc.blocks if b.kind == "title"), None)
    found.province = places.document_province(locations, title_block)
    spans = list(locations)
    spans += _people(doc.doc_id, sentences, found.province, found)
    agency_spans, _ = agencies.agencies(sentences, found.province, persons.title_spans(sentences))
    spans += agency_spans
    seen = set()
    for span in sorted(spans, key=lambda s: (s.start, s.end, s.label)):
        key = (span.start, span.end, span.label)
        if key not in seen:
            seen.add(key)
            found.rows["mentions"].append(mention_row(doc.doc_id, span))
    return found
