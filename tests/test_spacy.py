"""The `vnpress` spaCy component and the DocBin export, checked against the tables of real runs."""
from __future__ import annotations

import subprocess
import sys
import unicodedata
from importlib.metadata import entry_points

import pytest
import spacy
from click.testing import CliRunner

from conftest import ROOT
from pipeline import write
from pipeline.cli import main
from pipeline.normalize import normalize_text
from pipeline.spacy_component import read_docbin

BLANK_VI = {"nlp": {"tokenizer": {"use_pyvi": False}}}


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("vi", config=BLANK_VI)  # no pyvi needed: spaCy's own Vietnamese tokenizer is off
    nlp.add_pipe("vnpress")
    return nlp


def _spans(spans) -> list[tuple]:
    return [(s.start_char, s.end_char, s.label_, s.kb_id_ or None, s.text) for s in spans]


def _table_rows(out, name: str, doc_id: str) -> list[dict]:
    return write.read(out, name, filters=[("doc_id", "=", doc_id)]).to_pylist()


def test_the_factory_is_registered_through_the_entry_point():
    [ep] = [ep for ep in entry_points(group="spacy_factories") if ep.name == "vnpress"]
    assert ep.value == "pipeline.spacy_component:make_vnpress"
    code = ("import spacy, sys; nlp = spacy.blank('vi', config={'nlp': {'tokenizer': {'use_pyvi': False}}}); "
            "nlp.add_pipe('vnpress'); doc = nlp(open(sys.argv[1], encoding='utf-8').read()); "
            "print(sorted({e.label_ for e in doc.ents}))")
    seed = ROOT / "corpus" / "seeds" / "001_f0aadb7306309570.txt"
    out = subprocess.run([sys.executable, "-c", code, str(seed)], capture_output=True, text=True, timeout=300,
                         check=True).stdout  # a fresh process: nothing imported pipeline.* before spaCy
    assert "PERSON" in out and "AGENCY" in out


@pytest.mark.parametrize("corpus", ["seed_out", "own_out"])
def test_spans_ents_and_facts_are_the_rows_of_a_run(nlp, corpus, request):
    out = request.getfixturevalue(corpus)
    for d in write.read(out, "documents").to_pylist():
        doc = nlp(d["text"])
        assert doc.text == d["text"] and doc._.doc_id == d["doc_id"]
        mentions = sorted(_table_rows(out, "mentions", d["doc_id"]),
                          key=lambda m: (m["char_start"], m["char_end"], m["label"]))
        assert _spans(doc.spans["vnpress"]) == [(m["char_start"], m["char_end"], m["label"], m["entity_id"],
                                                 m["text"]) for m in mentions]
        ents = _spans(doc.ents)
        assert set(ents) <= set(_spans(doc.spans["vnpress"]))
        assert all(a[1] <= b[0] for a, b in zip(ents, ents[1:])), "entities never overlap"
        assert {e[2] for e in ents} >= {m["label"] for m in mentions} - {"TITLE", "LOCATION", "EVENT"}
        for name in ("dates", "counts", "periods", "legal_refs", "events"):
            rows = {r["mention_id"]: r for r in _table_rows(out, name, d["doc_id"])}
            facts = getattr(doc._, name)
            assert sorted(f["mention_id"] for f in facts) == sorted(rows), name
            for f in facts:
                assert doc.char_span(f["char_start"], f["char_end"]).text == rows[f["mention_id"]]["text"]
                if name == "dates":
                    value = rows[f["mention_id"]]["date"]
                    assert f["date"] == (value.isoformat() if value else None)
        roles = {(r["person_id"], r["title"], r["agency_id"]) for r in _table_rows(out, "roles", d["doc_id"])}
        assert {(r["person_id"], r["title"], r["agency_id"]) for r in doc._.roles} == roles
        assert doc._.province == d["province"]
        assert doc._.event_date == (d["event_date"].isoformat() if d["event_date"] else None)


def test_roles_name_the_person_and_the_agency(nlp, seed_out):
    persons = {p["person_id"]: p["full_name"] for p in write.read(seed_out, "persons").to_pylist()}
    agencies = {a["agency_id"]: a["name"] for a in write.read(seed_out, "agencies").to_pylist()}
    doc = nlp((ROOT / "corpus" / "seeds" / "001_f0aadb7306309570.txt").read_text(encoding="utf-8"))
    assert doc._.roles
    for role in doc._.roles:
        assert role["person"] == persons[role["person_id"]]
        assert role["agency"] == agencies.get(role["agency_id"])
        assert doc.char_span(role["char_start"], role["char_end"]).text.lower() == role["title"].lower()


def test_text_that_normalisation_changes_is_kept_as_given(nlp):
    """NFD letters, the "hoà" tone placement and CRLF line ends: doc.text stays the text given and
    every span covers the same words as on the normalised text."""
    text = normalize_text((ROOT / "corpus" / "seeds" / "001_f0aadb7306309570.txt").read_text(encoding="utf-8"))
    given = unicodedata.normalize("NFD", text.replace("hòa", "hoà").replace("Hòa", "Hoà")).replace("\n", "\r\n")
    assert given != text
    doc, reference = nlp(given), nlp(text)
    assert doc.text == given
    assert [(s.label_, normalize_text(s.text)) for s in doc.spans["vnpress"]] == \
        [(s.label_, s.text) for s in reference.spans["vnpress"]]
    for fact in doc._.dates:
        assert normalize_text(given[fact["char_start"]:fact["char_end"]]) == fact["text"]


def test_docbin_export_round_trips(nlp, seed_out, tmp_path):
    target = tmp_path / "corpus.spacy"
    result = CliRunner().invoke(main, ["export", "--out", str(seed_out), "--docbin", str(target)],
                                catch_exceptions=False)
    assert result.exit_code == 0 and "wrote 5 documents" in result.output
    docs = read_docbin(target, nlp.vocab)
    texts = {d["doc_id"]: d["text"] for d in write.read(seed_out, "documents").to_pylist()}
    assert sorted(doc._.doc_id for doc in docs) == sorted(texts)
    tokens = write.read(seed_out, "tokens").to_pylist()
    for doc in docs:
        assert doc.text == texts[doc._.doc_id]
        fresh = nlp(doc.text)  # the component on the same text: the same Doc
        assert [(t.text, t.is_sent_start) for t in doc] == [(t.text, t.is_sent_start) for t in fresh]
        assert _spans(doc.spans["vnpress"]) == _spans(fresh.spans["vnpress"])
        assert _spans(doc.ents) == _spans(fresh.ents)
        for name in ("roles", "dates", "periods", "counts", "legal_refs", "events", "province", "event_date"):
            assert getattr(doc._, name) == getattr(fresh._, name), name
        words = {(t["char_start"], t["char_end"]) for t in tokens if t["doc_id"] == doc._.doc_id}
        assert words <= {(t.idx, t.idx + len(t)) for t in doc}, "every row of `tokens` is a token of the Doc"


def test_export_needs_tables(tmp_path):
    result = CliRunner().invoke(main, ["export", "--out", str(tmp_path), "--docbin", str(tmp_path / "x.spacy")])
    assert result.exit_code == 1 and "no tables" in result.output


def test_blank_text_gives_an_empty_doc(nlp):
    doc = nlp("  \n ")
    assert doc.text == "  \n " and list(doc.spans["vnpress"]) == [] and doc.ents == () and doc._.roles == ()
