"""The out-of-the-box baseline printed beside our scores: underthesea's ``ner``.

PER -> person, ORG -> agency, LOC -> location, run over every sentence of the same documents
(it has no notion of boilerplate, which is part of what it is compared on).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from . import write
from .evaluate import FACTS, Score, _score_agencies, match, place_name
from .normalize import fold_for_match as fold

_LABELS = {"PER": "person", "ORG": "agency", "LOC": "location"}


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


def baseline_scores(golds: list[dict], out_dir: Path) -> dict[str, Any]:
    sentences = write.read(out_dir, "sentences").select(["doc_id", "text"]).to_pylist()
    docs = {d["doc_id"]: d["source_file"] for d in write.read(out_dir, "documents").select(
        ["doc_id", "source_file"]).to_pylist()}
    found: dict[str, dict[str, set[str]]] = {}
    for row in sentences:
        per_doc = found.setdefault(docs[row["doc_id"]], {"person": set(), "agency": set(), "location": set()})
        for label, text in ner_entities(row["text"]):
            per_doc[_LABELS[label]].add(text)
    scores = {f: Score() for f in ("person", "agency", "location")}
    for gold in golds:
        pred = found.get(gold["source_file"], {"person": set(), "agency": set(), "location": set()})
        doc = gold["source_file"]
        match(scores["person"], doc, gold.get("persons", []), sorted(pred["person"]),
              lambda g, p: fold(g["name"]) == fold(p), lambda x: x["name"] if isinstance(x, dict) else x)
        _score_agencies(doc, gold.get("agencies", []), [(t, None) for t in sorted(pred["agency"])],
                        {"agency": scores["agency"], "agency_linking": Score()})
        match(scores["location"], doc, [{"text": t} for t in gold.get("locations", [])],
              sorted({place_name(p) for p in pred["location"]}),
              lambda g, p: fold(place_name(g["text"])) == fold(p), lambda x: x["text"] if isinstance(x, dict) else x)
    assert set(scores) <= set(FACTS)
    return {f: s.as_dict() for f, s in scores.items()}
