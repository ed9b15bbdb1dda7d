"""Scoring of cooperation programmes, as FORMAT.md ("How it is scored") says.

* ``programme``: a gold programme is found by a predicted one with the same period (or both
  without one) whose parties overlap (relaxed agency match) on at least half of the gold parties;
  one-to-one, pairs whose parties all match first, then the others, in order.
* ``programme_party``: F1 of the parties of found programmes (gold parties against the predicted
  programme's parties, relaxed agency match).
* ``programme_action``: (action, date) pairs of found programmes; the date is ISO, ``--MM-DD`` when
  the year is unknown, or null.

A relaxed agency match: a gold party (its canonical name, and the article's forms of it in the
gold ``agencies[]``) and a predicted party (its canonical name, and the article's mentions of it)
match when one form of each is :func:`evaluate.relaxed`-equal. A gold file without a
``programmes`` field is not annotated for them and is not scored for them. Optional gold
programmes (and what they match) count neither way; so do their parties and actions.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from . import write
from .evaluate import Score, match, relaxed


FACTS = ("programme", "programme_party", "programme_action")
TABLES = ("programmes", "programme_parties", "programme_actions")


def gold_forms(gold: dict, canonical: str) -> list[str]:
    """The canonical name of a gold party and every form the article writes it in."""
    for agency in gold.get("agencies", []):
        if agency.get("canonical") == canonical:
            return [canonical, *agency.get("mentions", [])]
    return [canonical]


def same_party(gold: list[str], pred: list[str]) -> bool:
    return any(relaxed(g, p) for g in gold for p in pred)


def _period(x: dict) -> tuple | None:
    p = x.get("period")
    return (p["start"], p["end"]) if p else None


def overlap(gold_parties: list[list[str]], pred_parties: list[list[str]]) -> int:
    """How many gold parties a predicted party matches, one to one (exact name first)."""
    s = Score()
    gold = [{"forms": f} for f in gold_parties]
    pred = [tuple(f) for f in pred_parties]
    match(s, "", gold, pred, lambda g, p: same_party(g["forms"], list(p)), str,
          exact=lambda g, p: g["forms"][0].casefold() == p[0].casefold())
    return s.tp


def found(gold: dict, pred: dict, doc: dict) -> bool:
    if _period(gold) != _period(pred):
        return False
    parties = [gold_forms(doc, c) for c in gold.get("parties", [])]
    return 2 * overlap(parties, [p["forms"] for p in pred["parties"]]) >= len(parties)


def _complete(gold: dict, pred: dict, doc: dict) -> bool:
    parties = [gold_forms(doc, c) for c in gold.get("parties", [])]
    return found(gold, pred, doc) and overlap(parties, [p["forms"] for p in pred["parties"]]) == len(parties) \
        == len(pred["parties"])


def pairs(doc: dict, predicted: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """(found pairs, gold programmes not found, predicted programmes that found none)."""
    gold = sorted(doc.get("programmes", []), key=lambda g: bool(g.get("optional")))
    unused = list(predicted)
    matched: dict[int, dict] = {}
    for predicate in (_complete, found):
        for i, g in enumerate(gold):
            if i in matched:
                continue
            hit = next((p for p in unused if predicate(g, p, doc)), None)
            if hit is not None:
                unused.remove(hit)
                matched[i] = hit
    return ([(gold[i], p) for i, p in sorted(matched.items())],
            [g for i, g in enumerate(gold) if i not in matched], unused)


def _show(x: dict) -> str:
    period = _period(x)
    parties = x.get("parties", [])
    names = [p if isinstance(p, str) else p["name"] for p in parties]
    return f"{x.get('kind')} {'%s-%s' % period if period else '(no period)'} [{'; '.join(map(str, names))}]"


def score_programmes(name: str, doc: dict, predicted: list[dict], scores: dict[str, Score]) -> None:
    """Add one document's programme, programme_party and programme_action scores."""
    if "programmes" not in doc:
        return
    found_pairs, missed, extra = pairs(doc, predicted)
    s = scores["programme"]
    for g, p in found_pairs:
        if g.get("optional"):
            continue
        s.tp += 1
        label = f"{name}: {_show(g)}"
        match(scores["programme_party"], label, [{"name": c, "forms": gold_forms(doc, c)} for c in g.get("parties", [])],
              [(p_["name"], tuple(p_["forms"])) for p_ in p["parties"]],
              lambda gp, pp: same_party(gp["forms"], list(pp[1])), lambda x: x["name"] if isinstance(x, dict) else x[0],
              exact=lambda gp, pp: gp["name"].casefold() == (pp[0] or "").casefold())
        match(scores["programme_action"], label, g.get("actions", []), [tuple(a) for a in p["actions"]],
              lambda ga, pa: (ga["action"], ga.get("date")) == pa,
              lambda x: f"{x['action']} {x.get('date')}" if isinstance(x, dict) else f"{x[0]} {x[1]}")
    for g in missed:
        if not g.get("optional"):
            s.fn += 1
            s.misses.append(f"{name}: {_show(g)}")
    s.fp += len(extra)
    s.false_positives.extend(f"{name}: {_show(p)}" for p in extra)


def with_programmes(predictions: dict[str, dict[str, Any]], out_dir: Path) -> dict[str, dict[str, Any]]:
    """``predictions`` (:func:`evaluate.load_predictions`) with each document's ``programmes``."""
    tables = {n: write.read(out_dir, n).to_pylist() for n in TABLES + ("agencies",)}
    names = {a["agency_id"]: a["name"] for a in tables["agencies"]}
    per: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for n in TABLES:
        for row in tables[n]:
            per[row["doc_id"]][n].append(row)
    for pred in predictions.values():
        forms: dict[str, list[str]] = defaultdict(list)
        for m in pred["mentions"]:
            if m["label"] == "AGENCY" and m["entity_id"] and m["text"] not in forms[m["entity_id"]]:
                forms[m["entity_id"]].append(m["text"])
        pred["programmes"] = predicted(per[pred["document"]["doc_id"]], names, forms)
    return predictions


def predicted(rows: dict[str, list[dict]], agencies: dict[str, str],
              forms: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One document's programmes from the tables' rows (``rows``: table -> that document's rows;
    ``forms``: agency_id -> the document's mention texts of it)."""
    out: dict[str, dict] = {}
    for r in sorted(rows.get("programmes", []), key=lambda r: r["mention_id"]):
        out[r["mention_id"]] = {
            "kind": r["kind"], "number": r["number"],
            "period": {"start": r["start_year"], "end": r["end_year"]} if r["start_year"] is not None else None,
            "parties": [], "actions": []}
    for r in rows.get("programme_parties", []):
        if r["mention_id"] in out:
            name = agencies.get(r["agency_id"]) or r["agency_id"]
            out[r["mention_id"]]["parties"].append({"name": name, "forms": [name, *forms.get(r["agency_id"], [])]})
    for r in rows.get("programme_actions", []):
        if r["mention_id"] in out:
            out[r["mention_id"]]["actions"].append((r["action"], _day(r)))
    return list(out.values())


def _day(row: dict) -> str | None:
    if row.get("date"):
        return str(row["date"])
    if row.get("month") and row.get("day"):
        return f"--{row['month']:02d}-{row['day']:02d}"
    return None
