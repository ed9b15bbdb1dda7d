"""underthesea's word segmentation with its CRF features built in Python from per-word memos.

Same regex tokenizer, same model, same tagger as ``underthesea.word_tokenize`` (without token
normalisation): only the feature strings the tagger reads are made here. underthesea_core's
featurizer makes 43 new strings per token in Rust and hands them to Python, which is more than
half of ``word_tokenize``'s time; a word's own features (``T[0]=…``, ``T[-1].lower=…``, …) never
change, so they are made once per word (or run of two or three words) and template and reused.
The regex tokenizer is the library's pattern read with ``Match.group()`` (each of its alternatives
is one named group, so the group ``extract_match`` looks for is the whole match). At first use the
memoised features and the tokens are compared with the library's on probe sentences; any
difference, or a template this module does not know, and the library's own ``word_tokenize`` is
used instead (tests compare the two on real text).
"""
from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(lower|isdigit|istitle|is_in_dict))?\Z")
_INT = re.compile(r"[+-]?[0-9]+\Z")  # the library's test: the text parses as a 32-bit integer
_MEMO_LIMIT = {1: 200_000, 2: 50_000, 3: 50_000}  # entries per template (by words read): a memo is
# cleared when it grows past this
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
    function) for one sentence of tokens, as one tuple of strings per token.

    A sentence is made a column (one template, every token) at a time: a column is the sentence's
    words, or its runs of two or three words joined by a space, shifted by the template's offset,
    with ``BOS`` / ``EOS`` where the offset leaves the sentence. Each value is looked up in the
    template's memo (interned, so the many ``…=True`` / ``…=False`` share one string each)."""

    def __init__(self, templates: list[str], dictionary: set[str]):
        functions = {None: str, "lower": str.lower, "isdigit": _isdigit, "istitle": _istitle,
                     "is_in_dict": lambda s: "True" if s.lower() in dictionary else "False"}
        self.templates = []
        for template in templates:
            m = _TEMPLATE.match(template)
            if not m or (m[2] is not None and int(m[2]) < int(m[1])):
                raise ValueError(f"unknown feature template {template!r}")
            a = int(m[1])
            b = int(m[2]) if m[2] is not None else a
            self.templates.append((template + "=", a, b, functions[m[3]], {}))

    def sentence(self, tokens: list[str]) -> list[tuple[str, ...]]:
        n = len(tokens)
        runs = {1: tokens}  # words, and runs of two or three words, as the templates read them
        columns = []
        for prefix, a, b, function, memo in self.templates:
            span = b - a + 1
            if (run := runs.get(span)) is None:
                run = runs[span] = [" ".join(tokens[k:k + span]) for k in range(n - span + 1)]
            if len(memo) > _MEMO_LIMIT.get(span, 50_000):
                memo.clear()
            before = min(n, max(0, -a))  # positions whose first word lies before the sentence
            end = min(n, n - b)  # positions from here on read past its end
            column = [prefix + "BOS"] * before
            if end > before:
                get = memo.get

                def made(text: str, memo=memo, prefix=prefix, function=function) -> str:
                    value = memo[text] = sys.intern(prefix + function(text))
                    return value

                column += [get(text) or made(text) for text in run[before + a:end + a]]
            column += [prefix + "EOS"] * (n - max(end, before))
            columns.append(column)
        return list(zip(*columns))


class Segmenter:
    def __init__(self, tokenize, featurizer, tagger):
        self.tokenize, self.featurizer, self.tagger = tokenize, featurizer, tagger

    def __call__(self, text: str) -> list[str]:
        tokens = self.tokenize(text)
        words: list[str] = []
        for k, (tag, token) in enumerate(zip(self.tagger.tag(self.featurizer.sentence(tokens)), tokens)):
            if tag == "I-W" and k:
                words[-1] = words[-1] + " " + token
            else:
                words.append(token)
        return words


def _tokenizer(module):
    """``module.tokenize(text, use_token_normalize=False)`` without its per-match ``groupdict``."""
    finditer, normalize = module.patterns.finditer, module.normalize_characters_in_text

    def tokenize(text: str) -> list[str]:
        return [m.group() for m in finditer(normalize(text))]
    return tokenize


@cache
def word_tokenize():
    """A function text -> words, equal to ``underthesea.word_tokenize(text, use_token_normalize=False)``."""
    import joblib
    from underthesea import word_tokenize as library
    import underthesea.pipeline.word_tokenize as wt
    from underthesea.pipeline.word_tokenize import regex_tokenize

    def plain(text: str) -> list[str]:
        return library(text, use_token_normalize=False)

    plain("khởi động")  # loads the model
    try:
        folder = Path(wt.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"
        featurizer = Featurizer(joblib.load(folder / "features.bin"), joblib.load(folder / "dictionary.bin"))
        model = wt.word_tokenize_model
        fast = Segmenter(_tokenizer(regex_tokenize), featurizer, model.estimator)
        for probe in _PROBES:
            tokens = regex_tokenize.tokenize(probe, use_token_normalize=False)
            if fast.tokenize(probe) != tokens:
                return plain
            if list(map(list, featurizer.sentence(tokens))) != model.featurizer.process([[[t] for t in tokens]])[0]:
                return plain
            if fast(probe) != plain(probe):
                return plain
    except Exception:  # another release of underthesea: its own function
        return plain
    return fast
