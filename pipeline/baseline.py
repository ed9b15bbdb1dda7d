"""The out-of-the-box baseline printed beside our scores: underthesea's ``ner``.

PER -> person, ORG -> agency, LOC -> location, run over every sentence of the same documents
(it has no notion of boilerplate, which is part of what it is compared on). Its predictions have
the shape of :func:`evaluate.load_predictions`' and are scored by the same :func:`scoring.score`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from . import write
from .scoring import score

_LABELS = {"PER": "person", "ORG": "agency", "LOC": "location"}
FACTS = ("person", "agency", "location")


def ner_entities(sentence: str) -> list[tuple[str, str]]:
    """(label, text) spans from underthesea's BIO tags."""
    from underthesea import ner

    spans: list[tuple[str, list[str]]] = []
    for word, _pos, _chunk, tag in ner(sentence):
        if tag.startswith("B-") or (tag.startswith("I-") and (not spans or spans[-1][0] != tag[2:])):
            spans.append((tag[2:], [word]))
        elif tag.startswith("I-"):
            spans[-1][1].append(word)
        else:
            spans.append(("O", []))
    return [(label, " ".join(words)) for label, words in spans if label in _LABELS and words]


def predictions(out_dir: Path) -> dict[str, dict[str, Any]]:
    """underthesea's entities per source file, as predictions."""
    sentences = write.read(out_dir, "sentences").select(["doc_id", "text"]).to_pylist()
    docs = {d["doc_id"]: d["source_file"] for d in write.read(out_dir, "documents").select(
        ["doc_id", "source_file"]).to_pylist()}
    found: dict[str, dict[str, set[str]]] = {f: {"person": set(), "agency": set(), "location": set()}
                                             for f in docs.values()}
    for row in sentences:
        for label, text in ner_entities(row["text"]):
            found[docs[row["doc_id"]]][_LABELS[label]].add(text)
    return {f: {"persons": sorted(p["person"]), "agency_mentions": [(t, None) for t in sorted(p["agency"])],
                "locations": sorted(p["location"])} for f, p in found.items()}


def baseline_scores(golds: list[dict], out_dir: Path) -> dict[str, Any]:
    return score(golds, predictions(out_dir), facts=FACTS, fields=False)["facts"]
