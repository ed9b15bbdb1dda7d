"""The scorer: predictions of any predictor against the gold, per fact type; floors and pinning.

``score(golds, predictions, facts=...)`` scores the facts a predictor has (the pipeline has all;
the underthesea baseline persons, agencies and places) with the matching rules of
``evaluate.py``. A dev set may be split (``holdout_every``): every n-th gold file in name order
is held out and reported on its own, so that rules tuned on the rest can be checked on text
nobody looked at.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from .evaluate import (DOC_FIELDS, FACTS, Places, Score, _exact_role, _exact_unit, load_predictions, match, relaxed,
                       same_role, same_unit)
from .normalize import fold_for_match as fold
from .rules import Rules


def _name(x) -> str:
    return x["name"] if isinstance(x, dict) else x


def _score_roles(doc: str, gold: dict, pred: dict, scores: dict[str, Score]) -> None:
    gold_roles = [{"name": p["name"], **r, "optional": p.get("optional") or r.get("optional")}
                  for p in gold.get("persons", []) for r in p.get("roles", [])]
    match(scores["role"], doc, gold_roles, pred["roles"], same_role, lambda x: f"{x['name']} / {x['title']}",
          exact=_exact_role)
    with_agency = [r for r in gold_roles if r.get("agency")]
    # A post whose gold agency is null is not scored for its agency.
    unscored = [r for r in gold_roles if not r.get("agency")]
    predicted = [p for p in pred["roles"] if p.get("agency")
                 and not (any(same_role(g, p) for g in unscored) and not any(same_role(g, p) for g in with_agency))]
    match(scores["role_agency"], doc, with_agency, predicted,
          lambda g, p: same_role(g, p) and relaxed(g["agency"], p["agency"]),
          lambda x: f"{x['name']} / {x['title']} / {x['agency']}",
          exact=lambda g, p: _exact_role(g, p) and fold(g["agency"]) == fold(p["agency"] or ""))


def _best_gold(text: str, gold_agencies: list[dict]) -> int | None:
    best, best_cov = None, 0.0
    b = fold(text)
    for i, agency in enumerate(gold_agencies):
        for m in agency["mentions"]:
            a = fold(m)
            cov = 2.0 if a == b else (min(len(a), len(b)) / max(len(a), len(b)) if relaxed(a, b) else 0)
            if cov > best_cov:
                best, best_cov = i, cov
    return best


def score_agencies(doc: str, gold: list[dict], mentions: list[tuple[str, str | None]], scores: dict[str, Score]) -> None:
    """A gold agency is found when a predicted mention matches one of its mentions (relaxed);
    predicted texts that match no gold agency are false positives; agency_linking: the mentions
    of one gold agency share one entity id."""
    found: dict[int, set[str | None]] = defaultdict(set)
    unmatched = set()
    for text, entity_id in mentions:
        best = _best_gold(text, gold)
        if best is None:
            unmatched.add(text)
        else:
            found[best].add(entity_id)
    s, link = scores["agency"], scores.get("agency_linking", Score())
    for i, agency in enumerate(gold):
        if agency.get("optional"):
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


def score_document(gold: dict, pred: dict, scores: dict[str, Score], places: Places) -> None:
    doc = gold["source_file"]
    if "person" in scores:
        match(scores["person"], doc, gold.get("persons", []), pred["persons"],
              lambda g, p: fold(g["name"]) == fold(p), _name)
    if "role" in scores:
        _score_roles(doc, gold, pred, scores)
    if "agency" in scores:
        score_agencies(doc, gold.get("agencies", []), pred["agency_mentions"], scores)
    if "location" in scores:
        names = sorted({places.name(p) for p in pred["locations"]})
        match(scores["location"], doc, places.unique(gold.get("locations", [])), names,
              lambda g, p: fold(places.name(g["text"])) == fold(p), lambda x: x["text"] if isinstance(x, dict) else x)
    if "date" in scores:
        match(scores["date"], doc, gold.get("dates", []), pred["dates"], lambda g, p: g["date"] == p,
              lambda x: x["date"] if isinstance(x, dict) else str(x))
    if "period" in scores:
        match(scores["period"], doc, gold.get("periods", []), pred["periods"],
              lambda g, p: (g["start"], g["end"]) == (p["start"], p["end"]), lambda x: f"{x['start']}-{x['end']}")
    if "count" in scores:
        counts = pred["counts"]
        match(scores["count"], doc, gold.get("counts", []), counts, same_unit, lambda x: f"{x['value']} {x['unit']}",
              exact=_exact_unit)
        key = ("model", "award")
        match(scores["model_award_count"], doc, [c for c in gold.get("counts", []) if c["category"] in key],
              [c for c in counts if c["category"] in key],
              lambda g, p: same_unit(g, p) and g["category"] == p["category"],
              lambda x: f"{x['value']} {x['unit']} ({x['category']})",
              exact=lambda g, p: _exact_unit(g, p) and g["category"] == p["category"])
    if "legal_ref" in scores:
        match(scores["legal_ref"], doc, gold.get("legal_refs", []), pred["legal_refs"],
              lambda g, p: fold(g["number"]) == fold(p), lambda x: x["number"] if isinstance(x, dict) else x)
    if "event" in scores:
        match(scores["event"], doc, gold.get("events", []), pred["events"],
              lambda g, p: fold(p).startswith(fold(g["type"])) or fold(g["type"]).startswith(fold(p)),
              lambda x: x["type"] if isinstance(x, dict) else x, exact=lambda g, p: fold(g["type"]) == fold(p))


def score_fields(gold: dict, doc: dict, fields: dict[str, list[bool]]) -> None:
    def same(a, b):
        return (a is None and b is None) or (a is not None and b is not None and fold(str(a)) == fold(str(b)))

    fields["title"].append(same(gold.get("title"), doc["title"]))
    fields["province"].append(same(gold.get("province"), doc["province"]))
    fields["published_date"].append(same(gold.get("published_date"), doc["published_date"]))
    event = gold.get("event_date")
    fields["event_date"].append(same(None if event and event.startswith("--") else event, doc["event_date"]))
    fields["authors"].append(sorted(map(fold, gold.get("authors", []))) == sorted(map(fold, doc["authors"] or [])))


def violations(doc: str, must_not: list[dict], mentions: list[dict]) -> list[str]:
    """Every listed fact that was extracted: a mention of its label whose text, or canonical
    value, is the listed text (after folding)."""
    out = []
    for item in must_not:
        bad = fold(item["text"])
        if any(m["label"] == item["label"] and bad in (fold(m["text"]), fold(m["normalized"] or "")) for m in mentions):
            out.append(f"{doc}: {item['label']} {item['text']!r} ({item.get('why', '')})")
    return out


def score(golds: list[dict], predictions: dict[str, dict[str, Any]], *, facts=FACTS, rules: Rules | None = None,
          fields: bool = True) -> dict[str, Any]:
    """Scores of ``predictions`` ({source_file: predicted facts}) against ``golds``."""
    places = Places(rules or Rules.default())
    scores = {f: Score() for f in facts}
    per_field: dict[str, list[bool]] = {f: [] for f in DOC_FIELDS}
    found_violations: list[str] = []
    missing = []
    for gold in golds:
        pred = predictions.get(gold["source_file"])
        if pred is None:
            missing.append(gold["source_file"])
            continue
        score_document(gold, pred, scores, places)
        if fields:
            score_fields(gold, pred["document"], per_field)
            found_violations += violations(gold["source_file"], gold.get("must_not_extract", []), pred["mentions"])
    report: dict[str, Any] = {"documents": len(golds), "missing_documents": missing,
                              "facts": {f: s.as_dict() for f, s in scores.items()}}
    if fields:
        report["fields"] = {f: {"correct": sum(v), "total": len(v)} for f, v in per_field.items()}
        report["must_not_extract_violations"] = found_violations
    return report


def load_golds(gold_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]


def split(golds: list[dict], every: int) -> tuple[list[dict], list[dict]]:
    """(tuning part, held-out part): every ``every``-th gold file in name order is held out."""
    ordered = sorted(golds, key=lambda g: g["source_file"])
    return ([g for i, g in enumerate(ordered) if (i + 1) % every],
            [g for i, g in enumerate(ordered) if not (i + 1) % every])


def evaluate(gold_dir: Path, out_dir: Path, *, holdout_every: int | None = None) -> dict[str, Any]:
    """The pipeline's scores; with ``holdout_every``, also each part's (``parts``)."""
    golds = load_golds(gold_dir)
    predictions = load_predictions(out_dir)
    report = score(golds, predictions)
    if holdout_every:
        tune, held = split(golds, holdout_every)
        report["parts"] = {"tune": score(tune, predictions), "holdout": score(held, predictions)}
    return report
