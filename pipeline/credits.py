"""Bylines and credits: who wrote the article, and the credits that are nobody's name.

Press pages sign an article in a few shapes, on a line of its own or glued to the last sentence
when the page lost its line breaks:

* a writer's name or initials: "Trần Vũ", "Q.N", "T.E.A B.C.Đ", "PHÚC THẮNG";
* with the outlet or agency the writer works for: "Lê Tuyết/VOV", "Nguyễn Văn Trí (TTXVN)",
  "Hà Khánh/VOV - TP. HCM", "Thanh Hà - TTXVN";
* with a note on how it was written: "Lan Hương (tổng hợp) - Trường Thịnh";
* a source, not a writer: "Theo MIC", "Theo baochinhphu.vn" (no author).

Photo credits inside a paragraph ("Ảnh: TTXVN.", "(ảnh: Trung Kiên)") are kept as blocks of
their own, so that no fact is taken from them. The words (notes, outlets, labels) are data in
``lexicons/credits.jsonl``.
"""
from __future__ import annotations

import re

from .patterns import UPPER, alternation
from .rules import Rules, builder

_TERMINATOR = re.compile(r"(?:\./\.|[.!?…”\"'»)])\s+")


class Credits:
    def __init__(self, rules: Rules):
        words = {k: [r["word"] for r in rules.records("credits") if r["kind"] == k]
                 for k in ("note", "outlet", "source", "photo", "given_name_head")}
        self.given_name_heads = frozenset(words["given_name_head"])
        # a signature never opens with an honorific or a body's head word ("Ông Nguyễn Văn A", "Sở Y tế")
        firsts = [r["word"] for r in rules.records("honorifics")]
        for r in rules.records("agencies"):
            firsts += [f for f in (r.get("head"), r.get("form")) if f] + list(r.get("forms") or [])
        firsts = [f for f in firsts if f not in self.given_name_heads]
        self.not_first_re = re.compile(rf"(?:{alternation(firsts, case_first=False)})(?!\w)")
        initials = rf"[{UPPER}]\.(?:[{UPPER}]\.?)*[{UPPER}\w]*"
        word = rf"(?:{initials}|[{UPPER}][\w’']*)"
        self.name = rf"{word}(?:[ \t]+{word}){{0,3}}"
        outlet = rf"(?:{alternation(words['outlet'], case_first=False)}|[{UPPER}][{UPPER}.]{{1,12}})"
        note = alternation(words["note"], case_first=False)
        # one writer: name, then /OUTLET, (OUTLET) or (note), then "- PLACE or OUTLET"
        one = (rf"{self.name}(?:\s*/\s*{outlet})?(?:\s*\(\s*(?:{outlet}|{note})\s*\))?"
               rf"(?:\s*[-–]\s*(?:{outlet}|{self.name}))?")
        self.credit_re = re.compile(rf"(?:{one})(?:\s*(?:[,;&]|\s[-–]|\s)\s*{one})*")
        # an outlet after a slash, with its bureau after a dash ("/VOV - TP. HCM"), or in brackets
        self.strip_re = re.compile(rf"\s*(?:/\s*{outlet}(?:\s*[-–]\s*[^,;/()]{{1,30}}$)?|\(\s*(?:{outlet}|{note})\s*\))")
        self.source_re = re.compile(rf"^(?:{alternation(words['source'], case_first=False)})\s+\S")
        self.outlet_re = re.compile(rf"^(?:{outlet})$")
        photo = alternation(words["photo"], case_first=False)
        self.photo_re = re.compile(rf"\(\s*(?:{photo})\s*:[^()]{{1,60}}\)|(?<![\w])(?:{photo})\s*:\s*[^.;()]{{1,60}}\."
                                   rf"(?=\s|$)")
        self.word_re = re.compile(word)
        self.initials_re = re.compile(rf"[{UPPER}](?:\.[{UPPER}])+\.?")


@builder
def credits_of(rules: Rules) -> Credits:
    return Credits(rules)


def is_source(text: str, rules: Rules) -> bool:
    """"Theo MIC", "Theo baochinhphu.vn": a source credit, not a writer."""
    return bool(rules.compiled(credits_of).source_re.match(text.strip()))


def is_credit(text: str, rules: Rules) -> bool:
    """A whole line (or tail) that is only a signature."""
    c = rules.compiled(credits_of)
    text = text.strip()
    text = text[:-1] if text.endswith(".") and not re.search(r"\.\w\.$", text) else text
    if not text or len(text) > 80:
        return False
    return is_source(text, rules) or bool(c.credit_re.fullmatch(text)) and not c.not_first_re.match(text)


def glued_credit(text: str, rules: Rules) -> int | None:
    """Where a signature glued to the end of a paragraph starts ("… vững mạnh. L.B"), or None."""
    ends = [m.end() for m in _TERMINATOR.finditer(text)]
    for at in ends[-3:]:  # the longest tail that is a signature
        tail = text[at:]
        if len(tail) <= 60 and is_credit(tail, rules) and not tail.rstrip().endswith((".", ":", ",")):
            return at
    return None


def photo_credits(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Photo credits inside a paragraph: "Ảnh: TTXVN.", "(ảnh: Trung Kiên)"."""
    return [m.span() for m in rules.compiled(credits_of).photo_re.finditer(text)]


def authors(value: str, rules: Rules) -> list[str]:
    """The writers a byline names (its label already removed): outlets, notes and places after a
    dash dropped, repeats merged, initials kept as written."""
    c = rules.compiled(credits_of)
    if is_source(value, rules):
        return []
    out: list[str] = []
    for i, part in enumerate(re.split(r"\s*(?:,|;|&|\bvà\b|\s[-–]\s)\s*", c.strip_re.sub(" ", value))):
        part = part.strip(" .|")
        desk = c.outlet_re.match(part) and len(part.replace(".", "")) <= 6 and not _has_vowel_mark(part)
        if not part or desk and not c.initials_re.fullmatch(part):
            continue  # "TTXVN", "VOV", "PV": a desk, not a writer
        if i and c.not_first_re.match(part):
            continue  # "Văn Long – Trung tâm Văn hóa huyện": where the writer works
        for name in _names(part, c):
            if name not in out:
                out.append(name)
    return out


def _has_vowel_mark(word: str) -> bool:
    return any(ch not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ." for ch in word)


def _names(part: str, c: Credits) -> list[str]:
    """One name, or several written one after another ("Lê Tuyết Lê Tuyết", "T.E.A B.C.Đ")."""
    words = part.split()
    if words and all("." in w for w in words):  # initials: each group is a writer
        return words
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        return [" ".join(words[:half])]
    return [" ".join(words)] if all(c.word_re.fullmatch(w) for w in words) else []
