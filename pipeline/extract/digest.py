"""A digest: one page carrying several items from different places ("Nhiều địa phương phát động
Tết trồng cây": "ĐÀ NẴNG- Sáng 4-2 … QUẢNG NGÃI- Sáng cùng ngày …"; "Tin hoạt động CĐ ngày 8.2").
It has no single province and no single main event (FORMAT.md: several provinces with equal
weight give none; a digest of several items with no main event has no event date).

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
        self.dateline_re = re.compile(r"^\s*([^\W\d_a-zà-ỹđ][^\W\d_a-zà-ỹđ ]{2,30}?)\s*[-–—]\s")
        self.places = rules.compiled(places_of)


@builder
def digest_words(rules: Rules) -> DigestWords:
    return DigestWords(rules)


def is_digest(ctx: Context) -> bool:
    w = ctx.rules.compiled(digest_words)
    if any(w.cue_re.match(s.text) for s in ctx.sentences if ctx.block_kinds[s.block_idx] == "title"):
        return True
    provinces = set()
    gaz = w.places.gaz
    for s in ctx.sentences:
        if m := w.dateline_re.match(s.text):
            name = " ".join(word.capitalize() for word in m.group(1).split())
            name = gaz.canonical(name)
            if name in gaz.provinces:
                provinces.add(name)
    return len(provinces) >= 2
