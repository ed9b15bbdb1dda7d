"""The memoised featurizer gives underthesea's own words: compared with ``word_tokenize`` and with
underthesea_core's featurizer on real text (seeds, tests/docs, the dev set when it is present)."""
from __future__ import annotations

from pathlib import Path

import pytest
from underthesea import word_tokenize as library
from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

from pipeline.normalize import normalize_text
from pipeline.wordseg import Featurizer, Segmenter, word_tokenize

ROOT = Path(__file__).parent.parent
DEVSET = ROOT.parent / "shared" / "devset" / "texts"
ODD = ["+5 -12 007 2147483647 2147483648 -2147483648 ٣ ½ ² 1.000 12,5%", "ǅ ß ŉ İstanbul ΟΔΟΣ Σ ①", "a", "A  B\tc",
       "UBND tỉnh, UBMTTQVN; T.Ư, TP.HCM - (Ảnh: X/TTXVN)", "Ông Sổm-phết Phôm-vi-hản, Đại sứ Lào"]


def _lines() -> list[str]:
    files = sorted((ROOT / "corpus").rglob("*.txt")) + sorted((ROOT / "tests" / "docs").glob("*.txt"))
    files += sorted(DEVSET.glob("*"))[:20] if DEVSET.is_dir() else []
    lines = [line for f in files for line in normalize_text(f.read_text(encoding="utf-8", errors="replace")).split("\n")
             if line.strip()]
    return lines + ODD


@pytest.fixture(scope="module")
def lines():
    found = _lines()
    assert len(found) > 150  # seeds and tests/docs alone give about 190
    return found


def test_the_fast_path_is_taken():
    assert isinstance(word_tokenize(), Segmenter)  # the installed underthesea passed the probes


def test_same_words_as_underthesea(lines):
    fast = word_tokenize()
    differ = [line for line in lines if fast(line) != library(line, use_token_normalize=False)]
    assert not differ, differ[:3]


def test_same_features_as_underthesea_core(lines):
    import underthesea.pipeline.word_tokenize as wt

    ours = word_tokenize().featurizer
    theirs = wt.word_tokenize_model.featurizer
    for line in lines[::3]:
        tokens = tokenize(line, use_token_normalize=False)
        assert list(map(list, ours.sentence(tokens))) == theirs.process([[[t] for t in tokens]])[0], line


def test_edges_of_a_sentence_and_memo():
    f = Featurizer(["T[-1]", "T[0].lower", "T[0,1].istitle", "T[1].isdigit", "T[-1,0].is_in_dict"], {"ủy ban"})
    first = list(map(list, f.sentence(["Ủy", "ban", "12"])))
    assert first == [["T[-1]=BOS", "T[0].lower=ủy", "T[0,1].istitle=False", "T[1].isdigit=False", "T[-1,0].is_in_dict=BOS"],
                     ["T[-1]=Ủy", "T[0].lower=ban", "T[0,1].istitle=False", "T[1].isdigit=True", "T[-1,0].is_in_dict=True"],
                     ["T[-1]=ban", "T[0].lower=12", "T[0,1].istitle=EOS", "T[1].isdigit=EOS", "T[-1,0].is_in_dict=False"]]
    assert list(map(list, f.sentence(["Ủy", "ban", "12"]))) == first  # from the memos, the same


def test_an_unknown_template_is_refused():
    with pytest.raises(ValueError, match="unknown feature template"):
        Featurizer(["T[0].isupper"], set())
