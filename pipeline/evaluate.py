"""Score the output tables against gold annotations (``tests/gold/FORMAT.md``, "How it is scored").

Per document, then summed (micro precision / recall / F1). Gold items marked ``optional``
count neither way. Document-level fields (title, authors, ...) are scored as accuracy.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import write
from .normalize import fold_for_match as fold

FACTS = ("person", "role", "role_agency", "agency", "agency_linking", "location", "date", "period", "count",
         "model_award_count", "legal_ref", "event")
DOC_FIELDS = ("title", "province", "published_date", "event_date", "authors")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "misses": self.misses, "false_positives": self.false_positives}


_LEVEL_WORDS = re.compile(r"^(tỉnh|thành phố|tp\.?|quận|huyện|thị xã|xã|phường|thị trấn)\s+", re.IGNORECASE)


def place_name(text: str) -> str:
    return _LEVEL_WORDS.sub("", text.strip())


def relaxed(a: str | None, b: str | None) -> bool:
    """Equal after folding, or one contains the other covering >= 60% of the longer."""
    if not a or not b:
        return False
    a, b = fold(a), fold(b)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) >= 0.6 * len(long_)


def match(score: Score, doc: str, gold: list[dict], pred: list[Any], same: Callable[[dict, Any], bool],
          show: Callable[[Any], str]) -> None:
    """Greedy one-to-one matching; optional gold items and what they match count neither way.
    A fact is scored once however often the article repeats it (identical predictions merge)."""
    unused = []
    for p in pred:
        if p is not None and p not in unused:
            unused.append(p)
    for item in sorted(gold, key=lambda g: bool(g.get("optional"))):
        hit = next((p for p in unused if same(item, p)), None)
        if hit is not None:
            unused.remove(hit)
            score.tp += 0 if item.get("optional") else 1
        elif not item.get("optional"):
            score.fn += 1
            score.misses.append(f"{doc}: {show(item)}")
    score.fp += len(unused)
    score.false_positives.extend(f"{doc}: {show(p)}" for p in unused)


def _title_matches(gold: dict, pred: dict) -> bool:
    g_title, p_title = fold(gold["title"]), fold(pred["title"])
    g_full = fold(f"{gold['title']} {gold.get('agency') or ''}")
    p_full = fold(f"{pred['title']} {pred.get('agency') or ''}")
    return fold(gold["name"]) == fold(pred["name"]) and (g_full.startswith(p_title) or p_full.startswith(g_title))


def _unit_matches(gold: dict, pred: dict) -> bool:
    g, p = fold(gold["unit"]), fold(pred["unit"] or "")
    return gold["value"] == pred["value"] and bool(p) and (g.startswith(p) or p.startswith(g))


# ------------------------------------------------------------------ predictions per document

def _by_doc(rows: Iterable[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        out[row["doc_id"]].append(row)
    return out


def load_predictions(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Everything the scorer needs, keyed by source file name."""
    tables = {n: write.read(out_dir, n).to_pylist() for n in
              ("documents", "mentions", "roles", "persons", "agencies", "dates", "periods", "counts",
               "legal_refs", "events")}
    names = {p["person_id"]: p["full_name"] for p in tables["persons"]}
    agencies = {a["agency_id"]: a["name"] for a in tables["agencies"]}
    per = {n: _by_doc(tables[n]) for n in tables if n not in ("documents", "persons", "agencies")}
    out = {}
    for doc in tables["documents"]:
        d = doc["doc_id"]
        mentions = per["mentions"].get(d, [])
        out[doc["source_file"]] = {
            "document": doc,
            "persons": sorted({m["normalized"] or m["text"] for m in mentions if m["label"] == "PERSON"}),
            "roles": [{"name": names.get(r["person_id"]), "title": r["title"], "agency": agencies.get(r["agency_id"])}
                      for r in per["roles"].get(d, [])],
            "agency_mentions": [(m["text"], m["entity_id"]) for m in mentions if m["label"] == "AGENCY"],
            "mentions": mentions,
            **{n: per[n].get(d, []) for n in ("dates", "periods", "counts", "legal_refs", "events")},
        }
    return out


def _iso_or_partial(row: dict) -> str | None:
    if row.get("date"):
        return str(row["date"])
    if row.get("month") and row.get("day"):
        return f"--{row['month']:02d}-{row['day']:02d}"
    return None


# ------------------------------------------------------------------ scoring

def score_document(gold: dict, pred: dict, scores: dict[str, Score], fields: dict[str, list[bool]],
                   violations: list[str]) -> None:
    doc = gold["source_file"]
    match(scores["person"], doc, gold.get("persons", []), pred["persons"],
          lambda g, p: fold(g["name"]) == fold(p), lambda x: x["name"] if isinstance(x, dict) else x)
    gold_roles = [{"name": p["name"], **r} for p in gold.get("persons", []) for r in p.get("roles", [])]
    match(scores["role"], doc, gold_roles, pred["roles"], _title_matches,
          lambda x: f"{x['name']} / {x['title']}")
    match(scores["role_agency"], doc, [r for r in gold_roles if r.get("agency")],
          [r for r in pred["roles"] if r.get("agency")],
          lambda g, p: _title_matches(g, p) and relaxed(g["agency"], p["agency"]),
          lambda x: f"{x['name']} / {x['title']} / {x['agency']}")
    _score_agencies(doc, gold.get("agencies", []), pred["agency_mentions"], scores)
    # Places are compared by name: "thành phố Cần Thơ" and "Cần Thơ" are one place.
    places = sorted({m["normalized"] or m["text"] for m in pred["mentions"] if m["label"] == "LOCATION"})
    match(scores["location"], doc, [{"text": t} for t in gold.get("locations", [])], places,
          lambda g, p: fold(place_name(g["text"])) == fold(p), lambda x: x["text"] if isinstance(x, dict) else x)
    match(scores["date"], doc, gold.get("dates", []), [_iso_or_partial(r) for r in pred["dates"]],
          lambda g, p: g["date"] == p, lambda x: x["date"] if isinstance(x, dict) else str(x))
    match(scores["period"], doc, gold.get("periods", []),
          [{"start": p["start_year"], "end": p["end_year"]} for p in pred["periods"]],
          lambda g, p: (g["start"], g["end"]) == (p["start"], p["end"]), lambda x: f"{x['start']}-{x['end']}")
    counts = [{"value": c["value"], "unit": c["unit"], "category": c["category"]} for c in pred["counts"]]
    match(scores["count"], doc, gold.get("counts", []), counts, _unit_matches,
          lambda x: f"{x['value']} {x['unit']}")
    key = ("model", "award")
    match(scores["model_award_count"], doc, [c for c in gold.get("counts", []) if c["category"] in key],
          [c for c in counts if c["category"] in key],
          lambda g, p: _unit_matches(g, p) and g["category"] == p["category"],
          lambda x: f"{x['value']} {x['unit']} ({x['category']})")
    match(scores["legal_ref"], doc, gold.get("legal_refs", []), [r["number"] for r in pred["legal_refs"]],
          lambda g, p: fold(g["number"]) == fold(p), lambda x: x["number"] if isinstance(x, dict) else x)
    match(scores["event"], doc, gold.get("events", []), [e["type"] for e in pred["events"] if e["type"]],
          lambda g, p: fold(p).startswith(fold(g["type"])) or fold(g["type"]).startswith(fold(p)),
          lambda x: x["type"] if isinstance(x, dict) else x)
    _score_fields(gold, pred["document"], fields)
    _violations(doc, gold.get("must_not_extract", []), pred["mentions"], violations)


def _best_gold(text: str, gold_agencies: list[dict]) -> int | None:
    best, best_cov = None, 0.0
    for i, agency in enumerate(gold_agencies):
        for m in agency["mentions"]:
            a, b = fold(m), fold(text)
            cov = 1.0 + (a == b) if a == b else (min(len(a), len(b)) / max(len(a), len(b)) if relaxed(a, b) else 0)
            if cov > best_cov:
                best, best_cov = i, cov
    return best


def _score_agencies(doc: str, gold: list[dict], mentions: list[tuple[str, str]], scores: dict[str, Score]) -> None:
    found: dict[int, set[str | None]] = defaultdict(set)
    unmatched = set()
    for text, entity_id in mentions:
        best = _best_gold(text, gold)
        if best is None:
            unmatched.add(text)
        else:
            found[best].add(entity_id)
    s, link = scores["agency"], scores["agency_linking"]
    for i, agency in enumerate(gold):
        if agency.get("optional"):  # found or not, it counts neither way
            continue
        if i in found:
            s.tp += 1
            ok = len(found[i]) == 1 and None not in found[i]
            link.tp += ok
            if not ok:
                link.fn += 1
                link.misses.append(f"{doc}: {agency['canonical']} has ids {sorted(map(str, found[i]))}")
        else:
            s.fn += 1
            s.misses.append(f"{doc}: {agency['canonical']}")
    s.fp += len(unmatched)
    s.false_positives.extend(f"{doc}: {t}" for t in sorted(unmatched))


def _score_fields(gold: dict, doc: dict, fields: dict[str, list[bool]]) -> None:
    def same(a, b):
        return (a is None and b is None) or (a is not None and b is not None and fold(str(a)) == fold(str(b)))

    fields["title"].append(same(gold.get("title"), doc["title"]))
    fields["province"].append(same(gold.get("province"), doc["province"]))
    fields["published_date"].append(same(gold.get("published_date"), doc["published_date"]))
    event = gold.get("event_date")
    fields["event_date"].append(same(None if event and event.startswith("--") else event, doc["event_date"]))
    fields["authors"].append(sorted(map(fold, gold.get("authors", []))) == sorted(map(fold, doc["authors"] or [])))


def _violates(label: str, bad: str, mention: dict) -> bool:
    """The forbidden fact is found when a mention of its label is it, contains it, or (for all but
    agencies, where the department inside a venue's name is legitimate) is a piece of it."""
    if mention["label"] != label:
        return False
    text = fold(mention["text"])
    return text == bad or bad in text or (label != "AGENCY" and len(text) >= 2 and text in bad)


def _violations(doc: str, must_not: list[dict], mentions: list[dict], out: list[str]) -> None:
    for item in must_not:
        bad = fold(item["text"])
        if any(_violates(item["label"], bad, m) for m in mentions):
            out.append(f"{doc}: {item['label']} {item['text']!r} ({item.get('why', '')})")


def evaluate(gold_dir: Path, out_dir: Path, *, baseline: bool = True) -> dict[str, Any]:
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]
    preds = load_predictions(out_dir)
    scores = {f: Score() for f in FACTS}
    fields: dict[str, list[bool]] = {f: [] for f in DOC_FIELDS}
    violations: list[str] = []
    missing = []
    for gold in golds:
        pred = preds.get(gold["source_file"])
        if pred is None:
            missing.append(gold["source_file"])
            continue
        score_document(gold, pred, scores, fields, violations)
    report = {
        "documents": len(golds), "missing_documents": missing,
        "facts": {f: s.as_dict() for f, s in scores.items()},
        "fields": {f: {"correct": sum(v), "total": len(v)} for f, v in fields.items()},
        "must_not_extract_violations": violations,
    }
    if baseline:
        from .baseline import baseline_scores

        report["baseline"] = baseline_scores(golds, out_dir)
    return report
