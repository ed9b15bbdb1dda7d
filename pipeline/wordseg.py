"""underthesea's word segmentation with its CRF features built in Python from per-word memos.

Same regex tokenizer, same model, same tagger as ``underthesea.word_tokenize`` (without token
normalisation): only the feature strings the tagger reads are made here. underthesea_core's
featurizer makes 43 new strings per token in Rust and hands them to Python, which is more than
half of ``word_tokenize``'s time; a word's own features (``T[0]=…``, ``T[-1].lower=…``, …) never
change, so they are made once per word and template and reused. The features of two or three
words are made as the library makes them. At first use the memoised features are compared with the
library's on probe sentences; any difference, or a template this module does not know, and the
library's own ``word_tokenize`` is used instead (tests compare the two on real text).
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(lower|isdigit|istitle|is_in_dict))?\Z")
_INT = re.compile(r"[+-]?[0-9]+\Z")  # the library's test: the text parses as a 32-bit integer
_MEMO_LIMIT = 200_000  # words per template: a memo is cleared when it grows past this
_PROBES = ("Sáng 3/5, ông Trần Văn Nam, Phó Chủ tịch UBND huyện chủ trì hội nghị sơ kết công tác.",
           "05 tập thể và 08 cá nhân được khen thưởng; Sở TN&MT, +5 -12 2147483648 ½ ² ß İ ΟΔΟΣ.",
           "Tin, ảnh: THANH HÀ", "x")


def _isdigit(s: str) -> str:
    return "True" if _INT.match(s) and -2 ** 31 <= int(s) < 2 ** 31 else "False"


def _istitle(s: str) -> str:
    for part in s.split(" "):
        if part[0] != part[0].upper():
            return "False"
    return "True"


class Featurizer:
    """The features of ``templates`` (underthesea's ``T[a]`` / ``T[a,b]`` with an optional
    function) for one sentence of tokens, as lists of strings per token."""

    def __init__(self, templates: list[str], dictionary: set[str]):
        functions = {None: str, "lower": str.lower, "isdigit": _isdigit, "istitle": _istitle,
                     "is_in_dict": lambda s: "True" if s.lower() in dictionary else "False"}
        self.templates = []
        for template in templates:
            if not (m := _TEMPLATE.match(template)):
                raise ValueError(f"unknown feature template {template!r}")
            a = int(m[1])
            b = int(m[2]) if m[2] is not None else a
            self.templates.append((template + "=", a, b, functions[m[3]], {}))

    def sentence(self, tokens: list[str]) -> list[list[str]]:
        n = len(tokens)
        out: list[list[str]] = [[] for _ in range(n)]
        for prefix, a, b, function, memo in self.templates:
            bos, eos = prefix + "BOS", prefix + "EOS"
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            for pos in range(n):
                i, j = pos + a, pos + b
                if i < 0 or j < 0:
                    value = bos
                elif i >= n or j >= n:
                    value = eos
                elif i >= j:  # one word (the library reads the first word when a > b)
                    word = tokens[i]
                    if (value := memo.get(word)) is None:
                        value = memo[word] = prefix + function(word)
                else:
                    value = prefix + function(" ".join(tokens[i:j + 1]))
                out[pos].append(value)
        return out


class Segmenter:
    def __init__(self, tokenize, featurizer, tagger):
        self.tokenize, self.featurizer, self.tagger = tokenize, featurizer, tagger

    def __call__(self, text: str) -> list[str]:
        tokens = self.tokenize(text, use_token_normalize=False)
        words: list[str] = []
        for k, (tag, token) in enumerate(zip(self.tagger.tag(self.featurizer.sentence(tokens)), tokens)):
            if tag == "I-W" and k:
                words[-1] = words[-1] + " " + token
            else:
                words.append(token)
        return words


@cache
def word_tokenize():
    """A function text -> words, equal to ``underthesea.word_tokenize(text, use_token_normalize=False)``."""
    import joblib
    from underthesea import word_tokenize as library
    import underthesea.pipeline.word_tokenize as wt
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    def plain(text: str) -> list[str]:
        return library(text, use_token_normalize=False)

    plain("khởi động")  # loads the model
    try:
        folder = Path(wt.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"
        featurizer = Featurizer(joblib.load(folder / "features.bin"), joblib.load(folder / "dictionary.bin"))
        model = wt.word_tokenize_model
        fast = Segmenter(tokenize, featurizer, model.estimator)
        for probe in _PROBES:
            tokens = tokenize(probe, use_token_normalize=False)
            if featurizer.sentence(tokens) != model.featurizer.process([[[t] for t in tokens]])[0]:
                return plain
            if fast(probe) != plain(probe):
                return plain
    except Exception:  # another release of underthesea: its own function
        return plain
    return fast
