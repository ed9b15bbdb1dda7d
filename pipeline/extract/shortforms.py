"""Short forms inside names and titles ("T.Ư", "TW" = Trung ương; "BCH" = Ban Chấp hành), from
``lexicons/short_forms.jsonl``: a rule's phrase is matched in every way the press abbreviates it,
and a phrase as written is looked up by its expansion."""
from __future__ import annotations

import re
from itertools import product

from ..normalize import fold_for_match
from ..rules import Rules, builder

_MAX_VARIANTS = 24


class ShortForms:
    def __init__(self, rules: Rules):
        self.full_of: dict[str, str] = {s: r["full"] for r in rules.records("short_forms") for s in r["short"]}
        self.shorts: dict[str, list[str]] = {r["full"]: list(r["short"]) for r in rules.records("short_forms")}
        shorts = sorted(self.full_of, key=len, reverse=True)
        self.expand_re = re.compile(r"(?<![\w.&])(?:" + "|".join(re.escape(s) for s in shorts) + r")(?![\w&])")
        fulls = sorted(self.shorts, key=len, reverse=True)
        self.full_re = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in fulls) + r")(?!\w)")

    def expand(self, text: str) -> str:
        """"Ủy viên BCH T.Ư Đảng" -> "Ủy viên Ban Chấp hành Trung ương Đảng"."""
        return self.expand_re.sub(lambda m: self.full_of[m.group()], text)

    def key(self, text: str) -> str:
        """The comparison key of a phrase written with or without its short forms."""
        return fold_for_match(self.expand(text))

    def variants(self, phrase: str) -> list[str]:
        """The phrase with every combination of its full forms written short (the phrase first)."""
        parts = self.full_re.split(phrase)
        found = self.full_re.findall(phrase)
        if not found:
            return [phrase]
        out = []
        for choice in product(*[[f] + self.shorts[f] for f in found]):
            text = parts[0] + "".join(c + p for c, p in zip(choice, parts[1:]))
            out.append(text)
            if len(out) >= _MAX_VARIANTS:
                break
        return out


@builder
def short_forms(rules: Rules) -> ShortForms:
    return ShortForms(rules)
