"""Locations and the document's province, from an offline gazetteer.

The gazetteer is the data shipped by the ``vietnamadminunits`` package (its SQLite file): the 63
provinces with their districts and wards before the 2025 reform, and the 34 provinces after
it. It is read directly, without importing the package, which would load its address parser.
"""
from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from .. import lexicon
from .text import Sentence, Span, alternation, bounded

_LEVEL_FIELDS = (lexicon.Field("word"), lexicon.Field("canonical"), lexicon.Field("rank"))
_ALIAS_FIELDS = (lexicon.Field("alias"), lexicon.Field("name"))


@dataclass(frozen=True)
class Gazetteer:
    provinces: dict[str, str]          # short name -> level word of its capital ("tỉnh", "thành phố")
    districts: frozenset[str]
    wards: frozenset[str]
    levels: dict[str, tuple[str, str]]  # level word -> (canonical, rank)
    aliases: dict[str, str]            # "TP.HCM", "HCM" -> "Hồ Chí Minh" (lexicons/place_aliases.jsonl)

    def is_place(self, name: str) -> bool:
        name = self.aliases.get(name, name)
        return name in self.provinces or name in self.districts or name in self.wards

    def canonical(self, name: str) -> str:
        return self.aliases.get(" ".join(name.split()), " ".join(name.split()))


def _dataset() -> Path:
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the gazetteer needs the package vietnamadminunits")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "dataset.db"


@cache
def gazetteer() -> Gazetteer:
    with sqlite3.connect(f"file:{_dataset()}?mode=ro", uri=True) as con:
        legacy = con.execute("select distinct province, provinceShort, districtShort, wardShort "
                             "from admin_units_legacy").fetchall()
        current = con.execute("select distinct province, provinceShort, wardShort from admin_units").fetchall()
    provinces = {}
    for full, short, *_ in legacy + current:
        provinces[short] = "thành phố" if full.startswith("Thành phố") else "tỉnh"
    levels = {r["word"]: (r["canonical"], r["rank"]) for r in lexicon.records("levels", _LEVEL_FIELDS)}
    aliases = {r["alias"]: r["name"] for r in lexicon.records("place_aliases", _ALIAS_FIELDS)}
    for alias, name in aliases.items():
        if name not in provinces:
            raise lexicon.LexiconError(f"place_aliases.jsonl: {alias!r} names {name!r}, not a province")
    return Gazetteer(provinces=provinces,
                     districts=frozenset(r[2] for r in legacy if r[2]),
                     wards=frozenset([r[3] for r in legacy if r[3]] + [r[2] for r in current if r[2]]),
                     levels=levels, aliases=aliases)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    g = gazetteer()
    level = alternation(g.levels, case_first=False)
    names = alternation(list(g.provinces) + list(g.districts) + list(g.wards) + list(g.aliases))
    provinces = alternation(list(g.provinces) + list(g.aliases))
    districts = alternation(g.districts)
    return (bounded(f"(?P<level>{level})\\s+(?P<name>{names})"), bounded(f"(?P<name>{provinces})"),
            bounded(level), bounded(f"(?P<name>{districts})"))


def level_pattern() -> re.Pattern[str]:
    return _patterns()[2]


def match_place(text: str, pos: int) -> re.Match[str] | None:
    """A level word and a gazetteer name at ``pos`` ("tỉnh Lào Cai", "huyện Mường Tè"); not when
    the name runs on into a person's ("thành phố Phùng Thị Hồng Hà": the ward Phùng is not meant)."""
    m = _patterns()[0].match(text, pos)
    return None if m and _runs_on(text, m) else m


def _runs_on(text: str, m: re.Match[str]) -> bool:
    """The place name is followed by a capitalised word that is not a family name: it is the
    first part of a longer name ("Phùng Thị …", "Hà Nam Ninh")."""
    after = text[m.end():].split(None, 1)
    if not after or not text[m.end():m.end() + 1].isspace():
        return False
    word = after[0]
    return word[:1].isupper() and word.isalpha() and word not in _surnames()


def locations(sentences: list[Sentence]) -> list[Span]:
    """Named places: "level + name" spans, and bare province names."""
    with_level, bare, *_ = _patterns()
    spans: list[Span] = []
    for s in sentences:
        taken: list[tuple[int, int]] = []
        for m in with_level.finditer(s.text):
            if _runs_on(s.text, m):
                continue
            taken.append(m.span())
            rank = gazetteer().levels[_level_key(m.group("level"))][1]
            spans.append(_span(s, m, m.group("name"), rank))
        for m in bare.finditer(s.text):
            if not any(a <= m.start() < b for a, b in taken) and not _is_name_part(s.text, m):
                spans.append(_span(s, m, m.group("name"), "province"))
    return spans


def _level_key(word: str) -> str:
    levels = gazetteer().levels
    return word if word in levels else next(k for k in levels if k.lower() == " ".join(word.split()).lower())


def _is_name_part(text: str, m: re.Match[str], after_only: bool = False) -> bool:
    """A province name glued to other capitalised words is part of a person's or an org's name
    ("Hà Nam" in "Lê Hà Nam")."""
    before = text[:m.start()].rstrip()
    after = text[m.end():].lstrip()
    prev_word = before.rsplit(None, 1)[-1] if before else ""
    next_word = after.split(None, 1)[0] if after else ""
    glued_before = not after_only and prev_word[:1].isupper() and prev_word[-1:].isalpha()
    return glued_before or (next_word[:1].isupper() and next_word.isalpha())


def _span(s: Sentence, m: re.Match[str], name: str, rank: str) -> Span:
    attrs = {"rank": rank, **({"former": "true"} if is_former(s.text, m.start(), m.end()) else {})}
    return Span("LOCATION", s.start + m.start(), s.start + m.end(), m.group(), s.idx, s.block_idx,
                normalized=gazetteer().canonical(name), attrs=attrs)


@cache
def _former_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = alternation(lexicon.word_list("former_places"), case_first=False)
    return re.compile(rf"\s*\(?\s*(?:{words})(?!\w)"), re.compile(rf"(?<!\w)(?:{words})\s*\)")


def is_former(text: str, start: int, end: int) -> bool:
    """The place at ``text[start:end]`` is named as it was before a merger (lexicons/former_places.txt):
    "tỉnh Bình Định cũ", "tỉnh Bình Định (cũ)", or inside a parenthesis closed by such a word
    ("(huyện Đồng Văn, tỉnh Hà Giang cũ)"); the commune before that parenthesis is today's."""
    right_after, closing = _former_patterns()
    if right_after.match(text, end):
        return True
    opened, close = text.rfind("(", 0, start), text.find(")", end)
    if opened < 0 or close < 0 or ")" in text[opened:start] or "(" in text[end:close]:
        return False
    return any(m.end() == close + 1 for m in closing.finditer(text, end, close + 1))


def match_bare(text: str, pos: int, rank: str = "province") -> re.Match[str] | None:
    """A province (or district) named on its own at ``pos`` ("Sở Y tế Hà Nội", "TP.HCM",
    "Huyện ủy Mường Tè"), not glued to a longer capitalised name."""
    m = _patterns()[1 if rank == "province" else 3].match(text, pos)
    if not m:
        return None
    after = text[m.end():].split(None, 1)
    if after and after[0] in _surnames():  # "Bí thư Huyện ủy Mường Tè Lò Văn Chiến": a name follows
        return m
    return None if _is_name_part(text, m, after_only=True) else m


@cache
def _surnames() -> frozenset[str]:
    return frozenset(lexicon.word_list("surnames"))


def document_province(spans: list[Span], title_block: int | None) -> str | None:
    """The province the article is about: the province named most often (a name in the title
    counts double), not counting one named as it was before a merger ("tỉnh Hà Giang cũ"); ties go
    to the first named."""
    g = gazetteer()
    votes: Counter[str] = Counter()
    first: dict[str, int] = {}
    for span in spans:
        name = span.normalized or ""
        if name not in g.provinces or span.attrs.get("rank") != "province" or span.attrs.get("former"):
            continue
        votes[name] += 2 if span.block_idx == title_block else 1
        first.setdefault(name, span.start)
    if not votes:
        return None
    return max(votes, key=lambda n: (votes[n], -first[n]))


def province_level(province: str | None) -> str:
    return gazetteer().provinces.get(province or "", "tỉnh")
