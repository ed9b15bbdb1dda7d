"""Score predictions against gold annotations, as ``tests/gold/FORMAT.md`` ("How it is scored") says.

One scorer for every predictor: ``score(golds, predictions)`` takes, per source file, a dict of
predicted facts (:func:`load_predictions` builds it from the output tables; the underthesea
baseline builds the same shape for the facts it has). Per document, then summed over documents
(micro precision / recall / F1); exact pairs are matched before relaxed ones, deterministically;
gold items marked ``optional`` count neither way; document-level fields are scored as accuracy.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import write
from .normalize import fold_for_match as fold
from .rules import Rules

# programme, programme_party and programme_action are scored by ``programme_scoring``
FACTS = ("person", "role", "role_agency", "agency", "agency_linking", "location", "date", "period", "count",
         "model_award_count", "legal_ref", "event", "programme", "programme_party", "programme_action")
DOC_FIELDS = ("title", "province", "published_date", "event_date", "authors")
# Abbreviations inside a title name the same post as their expansion (FORMAT.md).
TITLE_ABBREVIATIONS = {"T.Ư": "Trung ương", "TƯ": "Trung ương", "TW": "Trung ương", "BCH": "Ban Chấp hành",
                       "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "MTTQ": "Mặt trận Tổ quốc"}
_ABBREVIATION_RE = re.compile(r"(?<![\w.])(" + "|".join(re.escape(a) for a in TITLE_ABBREVIATIONS) + r")(?![\w])")


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


# ------------------------------------------------------------------ matching rules

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
          show: Callable[[Any], str], exact: Callable[[dict, Any], bool] | None = None) -> None:
    """One-to-one matching: pairs that are ``exact`` first, then pairs that are the ``same``; in
    order, so the result is deterministic. Optional gold items and what they match count neither
    way. A fact is scored once however often the article repeats it (identical predictions merge)."""
    unused: list[Any] = []
    for p in pred:
        if p is not None and p not in unused:
            unused.append(p)
    ordered = sorted(gold, key=lambda g: bool(g.get("optional")))
    matched: set[int] = set()
    for predicate in (exact, same) if exact else (same,):
        for i, item in enumerate(ordered):
            if i in matched:
                continue
            hit = next((p for p in unused if predicate(item, p)), None)
            if hit is not None:
                unused.remove(hit)
                matched.add(i)
                score.tp += 0 if item.get("optional") else 1
    for i, item in enumerate(ordered):
        if i not in matched and not item.get("optional"):
            score.fn += 1
            score.misses.append(f"{doc}: {show(item)}")
    score.fp += len(unused)
    score.false_positives.extend(f"{doc}: {show(p)}" for p in unused)


def expand_title(title: str) -> str:
    """"Ủy viên BCH T.Ư Đảng" -> "Ủy viên Ban Chấp hành Trung ương Đảng"."""
    return _ABBREVIATION_RE.sub(lambda m: TITLE_ABBREVIATIONS[m.group(1)], title)


def post(title: str, agency: str | None) -> str:
    """The post a title and its agency name, folded: "Trưởng Ban" + "Ban Tổ chức Trung ương" and
    "Trưởng Ban Tổ chức" + "Trung ương" are both "trưởng ban tổ chức trung ương"."""
    t, a = fold(expand_title(title)), fold(agency or "")
    tw, aw = t.split(), a.split()
    # the words a title ends with that its agency starts with are written once ("Ủy viên Ban Thường
    # vụ" + "Ban Thường vụ Tỉnh ủy" is "ủy viên ban thường vụ tỉnh ủy")
    k = next((k for k in range(min(len(tw) - 1, len(aw)), 0, -1) if tw[-k:] == aw[:k]), 0)
    return " ".join(tw + aw[k:])


def same_role(gold: dict, pred: dict) -> bool:
    """Same person and either title is a prefix of the other's post, or both name the same post."""
    if fold(gold["name"]) != fold(pred["name"] or ""):
        return False
    g_title, p_title = fold(expand_title(gold["title"])), fold(expand_title(pred["title"]))
    g_post, p_post = post(gold["title"], gold.get("agency")), post(pred["title"], pred.get("agency"))
    return g_post.startswith(p_title) or p_post.startswith(g_title) or g_post == p_post


def _exact_role(gold: dict, pred: dict) -> bool:
    return fold(gold["name"]) == fold(pred["name"] or "") and fold(gold["title"]) == fold(pred["title"])


def same_unit(gold: dict, pred: dict) -> bool:
    g, p = fold(gold["unit"]), fold(pred["unit"] or "")
    return gold["value"] == pred["value"] and bool(p) and (g.startswith(p) or p.startswith(g))


def _exact_unit(gold: dict, pred: dict) -> bool:
    return gold["value"] == pred["value"] and fold(gold["unit"]) == fold(pred["unit"] or "")


class Places:
    """Place names compared as places: without their level word ("thành phố Cần Thơ", "TP.Cần Thơ"
    = "Cần Thơ") and by the name a short form stands for ("TP.HCM" = "Hồ Chí Minh", "ĐBSCL" = "Đồng
    bằng sông Cửu Long"), the level words and short forms being the rules' own (``levels.jsonl``,
    ``place_aliases.jsonl``, ``regions.jsonl``)."""

    def __init__(self, rules: Rules):
        words = sorted((r["word"] for r in rules.records("levels")), key=len, reverse=True)
        self.level_re = re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")(?:\s+|(?<=\.))",
                                   re.IGNORECASE)
        self.aliases = {fold(r["alias"]): r["name"] for r in rules.records("place_aliases")} \
            | {fold(a): r["name"] for r in rules.records("regions") for a in [r["name"], *r["abbreviations"]]}

    def name(self, text: str) -> str:
        text = text.strip()
        if fold(text) in self.aliases:
            return self.aliases[fold(text)]
        bare = self.level_re.sub("", text)
        return self.aliases.get(fold(bare), bare)

    def unique(self, gold: list[str | dict]) -> list[dict]:
        """Gold places, one per place however many ways the article writes it."""
        out: dict[str, dict] = {}
        for item in gold:
            item = item if isinstance(item, dict) else {"text": item}
            key = fold(self.name(item["text"]))
            if key not in out or out[key].get("optional"):
                out[key] = item
        return list(out.values())


# ------------------------------------------------------------------ predictions from the tables

def _by_doc(rows: Iterable[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        out[row["doc_id"]].append(row)
    return out


def _iso_or_partial(row: dict) -> str | None:
    if row.get("date"):
        return str(row["date"])
    if row.get("month") and row.get("day"):
        return f"--{row['month']:02d}-{row['day']:02d}"
    return None


def load_predictions(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Everything the scorer needs, keyed by source file name (programmes: ``programme_scoring``)."""
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
            "mentions": mentions,
            "persons": sorted({m["normalized"] or m["text"] for m in mentions if m["label"] == "PERSON"}),
            "roles": [{"name": names.get(r["person_id"]), "title": r["title"], "agency": agencies.get(r["agency_id"])}
                      for r in per["roles"].get(d, [])],
            "agency_mentions": [(m["text"], m["entity_id"]) for m in mentions if m["label"] == "AGENCY"],
            "locations": sorted({m["normalized"] or m["text"] for m in mentions if m["label"] == "LOCATION"}),
            "dates": [_iso_or_partial(r) for r in per["dates"].get(d, [])],
            "periods": [{"start": p["start_year"], "end": p["end_year"]} for p in per["periods"].get(d, [])],
            "counts": [{"value": c["value"], "unit": c["unit"], "category": c["category"]}
                       for c in per["counts"].get(d, [])],
            "legal_refs": [r["number"] for r in per["legal_refs"].get(d, [])],
            "events": [e["type"] for e in per["events"].get(d, []) if e["type"]],
        }
    return out
