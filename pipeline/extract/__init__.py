"""Extractors: one module per fact family, each ``find(ctx)`` over one :class:`Context`.

``extract`` runs the families in order and turns their facts into rows:

1. places (``places.find``): the article's province is decided from them, and qualifies the
   bodies and persons found next;
2. persons with their titles and the titles' agencies (``persons.find``, ``titles.py``);
3. dates, periods and the event date (``dates.find``), document numbers (``legal.find``), then
   counts, which yield to all three (``overlap.YIELDS_TO``), and events;
4. agencies (``bodies.find``), which yield to titles and document numbers;
5. article-level readings of what was found: one body named with and without its district
   (``bodies.local_completions``), a body written bare after a title ("Phó Giám đốc Sở":
   ``ellipsis.resolve``), a title in a numbered list under a heading that names a body
   (``lists.resolve``), and a title written without its body taking the nearest body of its
   kind named before it (``_bodies_named_before``);
6. rows: every fact builds its own (``row()``), mentions are made unique (``overlap``).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..normalize import fold_for_match
from ..rules import Rules
from ..segment import Segmented
from . import agency_places, bodies, counts, dates, ellipsis, events, legal, lists, persons, places, programmes, province, titles
from .context import Context
from .overlap import Claims, claims_against, unique_mentions
from .text import Span, mention_id

FACT_TABLES = ("mentions", "roles", "dates", "periods", "counts", "legal_refs", "events", "programmes",
               "programme_parties", "programme_actions")


@dataclass
class Found:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in FACT_TABLES})
    province: str | None = None
    event_date: date | None = None
    event_date_source: str | None = None


@dataclass(frozen=True)
class RoleFact:
    """A person holding a title in this document (one row of ``roles``)."""
    person_id: str
    title: str
    agency_id: str | None
    title_span: Span
    of: tuple[str, ...] = ()   # heads of the bodies the title exists in ("Cục trưởng" -> "Cục")
    elided: ellipsis.Elided | None = None  # its body written bare ("Phó Giám đốc Sở")

    def row(self, doc_id: str) -> dict[str, Any]:
        return {"doc_id": doc_id, "person_id": self.person_id, "title": self.title, "agency_id": self.agency_id,
                "mention_id": self.title_span.mention_id(doc_id)}


def _people(ctx: Context) -> tuple[list[Span], list[RoleFact], list[Span]]:
    """PERSON and TITLE spans, the roles, and the AGENCY spans of the roles' agencies (a body named
    only inside a title, "Tổng biên tập báo …", is a mention of it)."""
    spans: list[Span] = []
    roles: list[RoleFact] = []
    bodies_of_roles: list[Span] = []
    found = persons.find(ctx)
    homes = _homes(ctx, [p for _, p in found])
    for s, person in found:
        pid = persons.person_id(person.name, homes.get(fold_for_match(person.name), ctx.province))
        attrs = {k: v for k, v in (("gender", person.gender), ("province", ctx.province)) if v}
        spans.append(Span("PERSON", s.start + person.start, s.start + person.end, s.text[person.start:person.end],
                          s.idx, s.block_idx, entity_id=pid, normalized=person.name, attrs=attrs, rule=person.rule))
        for role in person.roles:
            title = Span("TITLE", s.start + role.start, s.start + role.title_end, s.text[role.start:role.title_end],
                         s.idx, s.block_idx, normalized=role.title, rule=role.rule)
            spans.append(title)
            canonical = role.agency_canonical
            roles.append(RoleFact(pid, role.title, bodies.agency_id(canonical) if canonical else None, title,
                                  titles.bodies_of(ctx, role.title), role.elided))
            if role.agency is not None:
                found_bodies = bodies.mentions_of(s, role.agency)[role.agency_first:]
                if role.implied:  # written as the title: the title's text is no name of the body
                    found_bodies = [replace(b, attrs={**b.attrs, "implied": "true"}) for b in found_bodies]
                bodies_of_roles += found_bodies
    return spans, roles, bodies_of_roles


def _homes(ctx: Context, people: list[persons.Person]) -> dict[str, str | None]:
    """Where a person belongs, for their id across documents: the province of the body of their post
    ("Chủ tịch UBND tỉnh Nghệ An" is of Nghệ An wherever the article is from), "national" for a
    national post ("Bộ trưởng Bộ Y tế", "Chủ tịch nước"), else the article's province."""
    homes: dict[str, str | None] = {}
    for person in people:
        for role in person.roles:
            home = "national" if _national_post(ctx, role) else role.agency.province if role.agency else None
            if home:
                homes.setdefault(fold_for_match(person.name), home)
    return homes


def _national_post(ctx: Context, role) -> bool:
    if role.agency is None:
        entry = titles.entry_of(ctx, role.title)
        return bool(entry and entry.get("national"))
    return role.agency.units[-1].scope == "national" and not role.agency.place


def _bodies_named_before(roles: list[RoleFact], agency_spans: list[Span]) -> list[RoleFact]:
    """A title written without its body ("… của Bộ Tài nguyên và Môi trường do Thứ trưởng X làm
    trưởng đoàn", "Trường … ký kết. Hiệu trưởng X cho biết") belongs to the nearest body of its kind
    named before it: in its sentence, else earlier in the article."""
    heads = {h for role in roles if role.agency_id is None for h in role.of}
    if not heads:
        return roles
    def of_kind(a: Span, kinds) -> bool:  # "Cục …" of "Cục", and the one body a kind may be ("Chính phủ")
        return any((a.normalized or "") == h or (a.normalized or "").startswith(h + " ") for h in kinds)
    candidates = sorted((a for a in agency_spans if of_kind(a, heads)), key=lambda a: a.end)
    ends = [a.end for a in candidates]
    out = []
    for role in roles:
        if role.agency_id is None and role.of:
            t = role.title_span
            # the nearest before it (one in its own sentence, if any, is nearer than any other)
            nearest = next((candidates[i] for i in range(bisect_right(ends, t.start) - 1, -1, -1)
                            if of_kind(candidates[i], role.of)), None)
            if nearest is not None:
                role = replace(role, agency_id=nearest.entity_id)
        out.append(role)
    return out


def _bodies_right_after(text: str, roles: list[RoleFact], agency_spans: list[Span]) -> list[RoleFact]:
    """A title followed by a body the title grammar does not read but the article does (the name a
    body trades under, defined earlier: "Tổng Giám đốc Vietnam Airlines"): that body is the title's."""
    starts = {a.start: a for a in agency_spans}
    out = []
    for role in roles:
        if role.agency_id is None and role.elided is None:
            at = role.title_span.end
            while at < len(text) and text[at] == " ":
                at += 1
            if at > role.title_span.end and (body := starts.get(at)) is not None and body.entity_id:
                role = replace(role, agency_id=body.entity_id)
        out.append(role)
    return out


def _deputies(ctx: Context, roles: list[RoleFact], within: int = 2) -> list[RoleFact]:
    """A deputy's title written without its body right after the post was named with one is of that
    body: "… làm Chủ tịch Hội Xuất bản Việt Nam. Các Phó Chủ tịch gồm các ông: A, B" (the nearest such
    post before it, its holder's or a fellow deputy's, at most ``within`` sentences back)."""
    def post(role: RoleFact) -> str | None:
        entry = titles.entry_of(ctx, role.title)
        return entry["title"] if entry else None
    surnames = ctx.rules.compiled(places.places_of).surnames

    def body_written(role: RoleFact) -> bool:  # "Phó Trưởng phòng Tài chính - Kế hoạch …": a body we cannot read
        after = ctx.doc.text[role.title_span.end:role.title_span.end + 40].split()
        return bool(after) and after[0][:1].isupper() and after[0] not in surnames
    out = []
    for i, role in enumerate(roles):
        # a deputy's ("Phó"): a post with one holder is not another's ("Chủ tịch A …, Chủ tịch B")
        if role.agency_id is None and role.title.startswith("Phó ") and (mine := post(role)) and not body_written(role):
            sent = role.title_span.sent_idx or 0
            donor = None
            for r in reversed(roles[:i]):  # roles are in text order: stop once too far back
                if sent - (r.title_span.sent_idx or 0) > within:
                    break
                if r.agency_id is not None and post(r) == mine:
                    donor = r
                    break
            if donor is not None:
                role = replace(role, agency_id=donor.agency_id)
        out.append(role)
    return out


def _one_row_per_post(roles: list[RoleFact]) -> list[RoleFact]:
    """One row per post: a title seen with and without its agency in one article is one role
    ("Bộ trưởng Bộ LĐ-TB&XH Đinh Ngọc Hải" … "Bộ trưởng Đinh Ngọc Hải")."""
    unique: dict[tuple, RoleFact] = {}
    for role in roles:  # "Tổng Giám đốc" and "Tổng giám đốc": one title, as first written
        unique.setdefault((role.person_id, fold_for_match(role.title), role.agency_id), role)
    placed = {(r.person_id, fold_for_match(r.title)) for r in unique.values() if r.agency_id is not None}
    return [r for r in unique.values() if r.agency_id is not None or (r.person_id, fold_for_match(r.title)) not in placed]


def _district_bodies(ctx: Context, locations: list[Span], agency_spans: list[Span],
                     roles: list[RoleFact]) -> tuple[list[Span], list[RoleFact]]:
    """"UBND huyện" and "UBND huyện Mường Tè" in one article: one agency."""
    local = [(" ".join(s.text.split()[:-len(s.normalized.split())]).lower(), s) for s in locations
             if s.attrs.get("rank") in ("district", "commune") and s.normalized]
    named = {f"{level} {s.normalized}" for level, s in local if level}
    bare = {s.normalized for level, s in local if not level and s.attrs["rank"] == "district"}
    text = ctx.doc.text
    plural = {s.normalized for s in agency_spans if text[max(0, s.start - 4):s.start].lower() == "các "}
    completions = bodies.local_completions(ctx, {s.normalized for s in agency_spans if s.normalized}, named, bare, plural)
    if not completions:
        return agency_spans, roles
    agency_spans, ids = bodies.completed(agency_spans, completions)
    return agency_spans, [replace(r, agency_id=ids.get(r.agency_id, r.agency_id)) for r in roles]


def extract(seg: Segmented, rules: Rules | None = None) -> Found:
    """Every fact of one segmented document, as rows of the fact tables."""
    ctx = Context.of(seg, rules or Rules.default())
    locations = places.find(ctx)
    ctx = ctx.with_province(province.decide(ctx, locations)[0])
    people, roles, role_bodies = _people(ctx)
    dated = dates.find(ctx)
    refs = legal.find(ctx, dated.dates)
    numbers = [d.span() for d in dated.dates] + [p.span() for p in dated.periods] + [r.span() for r in refs]
    found_counts = counts.find(ctx, claims_against("COUNT", numbers + locations))
    found_events = events.find(ctx)
    persons = [p for p in people if p.label == "PERSON"]
    blocked = Claims(titles.title_spans(ctx) + [(r.start, r.end) for r in refs]  # overlap.YIELDS_TO["AGENCY"]
                     + [(p.start, p.end) for p in persons]  # and places listed by level ("3 xã (Trường Thịnh, …)")
                     + [(m.start, m.end) for m in locations if m.rule == "places.listed_after_levels"])
    full_names = tuple(sorted(p.start for p in persons if len(p.text.split()) >= 3))
    agency_spans, roles = _district_bodies(ctx, locations, unique_mentions(role_bodies + bodies.find(ctx, blocked, full_names)),
                                           roles)
    roles, elided_bodies = ellipsis.resolve(ctx.rules, roles, agency_spans, ctx.doc.text)
    agency_spans = unique_mentions(agency_spans + elided_bodies)
    agency_spans = unique_mentions(agency_spans + ellipsis.units_of_bare_hosts(ctx.rules, ctx.sentences, agency_spans))
    roles = _bodies_right_after(ctx.doc.text, lists.resolve(ctx, roles, agency_spans), agency_spans)
    roles = _one_row_per_post(_bodies_named_before(_one_row_per_post(_deputies(ctx, roles)), agency_spans))
    found_programmes = programmes.find(ctx, agency_spans, dated, refs)

    doc_id = ctx.doc.doc_id
    found = Found(province=ctx.province, event_date=dated.event_date, event_date_source=dated.event_date_source)
    rows = found.rows
    rows["roles"] = [r.row(doc_id) for r in roles]
    rows["dates"] = [d.row(doc_id) for d in dated.dates]
    rows["periods"] = [p.row(doc_id) for p in dated.periods]
    rows["counts"] = [c.row(doc_id) for c in found_counts]
    rows["legal_refs"] = [r.row(doc_id) for r in refs]
    rows["events"] = [e.row(doc_id, dated.event_date) for e in found_events]
    rows.update(programmes.rows(doc_id, found_programmes))
    locations = locations + agency_places.ending_bodies(ctx, agency_spans, locations)
    spans = (locations + people + numbers + [c.span() for c in found_counts] + [e.span() for e in found_events]
             + agency_spans + programmes.spans(found_programmes))
    rows["mentions"] = [s.mention_row(doc_id) for s in unique_mentions(spans)]
    return found


__all__ = ["Context", "Found", "extract", "mention_id"]
