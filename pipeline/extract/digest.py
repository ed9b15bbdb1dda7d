"""A digest: one page carrying several items from different places ("Nhiều địa phương phát động
Tết trồng cây": "ĐÀ NẴNG- Sáng 4-2 … QUẢNG NGÃI- Sáng cùng ngày …"; "Tin hoạt động CĐ ngày 8.2").
It has no single province and no single main event (FORMAT.md: several provinces with equal
weight give none; a digest of several items with no main event has no event date), unless every
item after the first is of the same day ("Sáng cùng ngày": ``one_day``).

A page is a digest when its title opens with a digest cue (``lexicons/digest_cues.txt``) or
when two or more of its sentences open with the dateline of a different province in capitals.
"""
from __future__ import annotations

import re

from ..rules import Rules, builder
from .context import Context
from .places import places_of
from .text import alternation


class DigestWords:
    def __init__(self, rules: Rules):
        self.cue_re = re.compile(rf"^\s*(?:{alternation(rules.words('digest_cues'), case_first=False)})(?!\w)")
        # a dateline in capitals ("ĐÀ NẴNG- ", "QUẢNG NGÃI - "): the words' case is checked by ``dateline``
        self.dateline_re = re.compile(r"^\s*([^\W\d_]+(?: [^\W\d_]+){0,3})\s*[-–—]\s")
        # a dash after a word: where a dateline glued after a caption or a signature ends ("… cơ sở
        # 2. Phương Kiếm QUẢNG NGÃI- Sáng cùng ngày"); the words in capitals before it are the place
        self.dash_re = re.compile(r"(?<=[^\W\d_])\s*[-–—]\s")
        self.places = rules.compiled(places_of)
        parts = alternation(rules.words("parts_of_day"), case_first=False)
        same = alternation([r["word"] for r in rules.records("date_words") if r["kind"] == "same_day"], case_first=False)
        self.same_day_re = re.compile(rf"\s*(?:(?:{parts})\s+)?(?:{same or '(?!x)x'})(?!\w)", re.IGNORECASE)


@builder
def digest_words(rules: Rules) -> DigestWords:
    return DigestWords(rules)


def dateline(w: DigestWords, text: str) -> re.Match[str] | None:
    m = w.dateline_re.match(text)
    return m if m and len(m.group(1)) >= 3 and m.group(1).isupper() else None


def _province_before(w: DigestWords, text: str) -> bool:
    """The last words before a dash, in capitals, name a province ("QUẢNG NGÃI", "HÀ NỘI")."""
    caps: list[str] = []
    for word in reversed(text.split()[-4:]):
        if not (word.isalpha() and word.isupper()):
            break
        caps.insert(0, word.capitalize())
    gaz = w.places.gaz
    return any(gaz.canonical(" ".join(caps[i:])) in gaz.provinces for i in range(len(caps)))


def one_day(ctx: Context) -> bool:
    """Every item after the first opens with its dateline and "cùng ngày" ("QUẢNG NGÃI- Sáng cùng
    ngày, …"): the digest reports one day, and that day is its event date."""
    w = ctx.rules.compiled(digest_words)
    items = [s.text[m.end():] for s in ctx.sentences for m in w.dash_re.finditer(s.text)
             if _province_before(w, s.text[:m.start()])]
    return len(items) >= 2 and all(w.same_day_re.match(rest) for rest in items[1:])


def is_digest(ctx: Context) -> bool:
    w = ctx.rules.compiled(digest_words)
    if any(w.cue_re.match(s.text) for s in ctx.sentences if ctx.block_kinds[s.block_idx] == "title"):
        return True
    provinces = set()
    gaz = w.places.gaz
    for s in ctx.sentences:
        if m := dateline(w, s.text):
            name = " ".join(word.capitalize() for word in m.group(1).split())
            name = gaz.canonical(name)
            if name in gaz.provinces:
                provinces.add(name)
    return len(provinces) >= 2
