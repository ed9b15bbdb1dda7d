"""Locations and the document's province, from an offline gazetteer.

The gazetteer is the data shipped by the ``vietnamadminunits`` package (``gazetteer.py``). Level
words come from ``lexicons/levels.jsonl``, short forms from ``place_aliases.jsonl``.
"""
from __future__ import annotations

import re

from ..rules import Rules, RulesError, builder
from .context import Context
from .gazetteer import Gazetteer, admin_units
from .text import UPPER, Sentence, Span, alternation, bounded, span_in, squash


class Places:
    """The gazetteer and the place patterns built from it and the rules."""

    def __init__(self, rules: Rules):
        legacy, current, district_names = admin_units()
        # the level words a district's own name has ("Huyện Đô Lương": huyện; "Thị xã Gia Nghĩa": thị xã)
        self.district_levels: dict[str, set[str]] = {}
        for full, short in district_names:
            if full and short and full.endswith(short):
                self.district_levels.setdefault(short, set()).add(full[:-len(short)].strip().lower())
        provinces = {short: "thành phố" if full.startswith("Thành phố") else "tỉnh" for full, short, *_ in legacy + current}
        self.level_entries = {r["word"]: r for r in rules.records("levels")}
        levels = {w: (r["canonical"], r["rank"]) for w, r in self.level_entries.items()}
        aliases = {r["alias"]: r["name"] for r in rules.records("place_aliases")}
        if bad := [f"{r.where}: {r['alias']!r} names {r['name']!r}, not a province"
                   for r in rules.records("place_aliases") if r["name"] not in provinces]:
            raise RulesError(bad)
        self.gaz = Gazetteer(provinces=provinces, districts=frozenset(r[2] for r in legacy if r[2]),
                             wards=frozenset([r[3] for r in legacy if r[3]] + [r[2] for r in current if r[2]]),
                             levels=levels, aliases=aliases)
        g = self.gaz  # the units of each rank a list sharing one level word may name
        self.rank_units = {"province": frozenset(g.provinces) | frozenset(g.aliases),
                           "district": g.districts - frozenset(g.provinces), "commune": g.wards}
        self.surnames = frozenset(rules.words("surnames"))
        self.openers = frozenset(rules.words("openers"))
        countries = [c for c in rules.words("countries") if c != "Việt Nam"]
        self.country_re = bounded(f"(?P<name>{alternation(countries)})")
        # one short syllable ("Anh", "Đức", "Mỹ") is as often a person's name or a word: not a place alone
        self.country_place_re = bounded(f"(?P<name>{alternation([c for c in countries if ' ' in c or len(c) >= 6])})")
        self._alias_where = {r["alias"]: r.where for r in rules.records("place_aliases")}
        g = self.gaz
        level = alternation(g.levels, case_first=False)
        names = alternation(list(g.provinces) + list(g.districts) + list(g.wards) + list(g.aliases))
        self.with_level_re = bounded(f"(?P<level>{level})(?:\\s+|(?<=\\.))(?P<name>{names}|\\d{{1,2}}(?!\\d))")
        self.name_re = bounded(f"(?P<name>{names})")
        # level words, a colon or a bracket, then the names: "các xã: An Khánh, Phú Long", "huyện, thành phố: A,
        # B", "3 xã (Cao Thành, Trường Thịnh)"
        self.level_list_re = re.compile(rf"(?<!\w)(?P<levels>(?:{level})(?:\s*,\s*(?:{level}))*)\s*[:(]\s*")
        # a commune the gazetteer lacks (renamed, merged, or missing): its level word and capitalised words
        self.commune_words = tuple(w for w, (_, rank) in g.levels.items() if rank == "commune" and w[:1].islower())
        cap = rf"[{UPPER}][^\W\d_]*(?:[’'][^\W\d_]+)*"  # "Đắk N’Rung"
        self.cap_name_re = re.compile(rf"(?P<name>{cap}(?:\s+{cap}){{0,2}})(?![\w&])")
        # a body whose name says its level ("Huyện ủy", "Thành ủy") names its district bare: "Huyện ủy Di Linh"
        leveled = [f for r in rules.records("agencies") if r.get("embeds_level") for f in r["forms"]]
        self.after_leveled_re = re.compile(rf"(?<!\w)(?:{alternation(leveled)})\s+(?=\S)")
        # a foreign province written after our level word: "tỉnh Champasak", "thành phố Vientiane"
        provincial = alternation([w for w, (_, rank) in g.levels.items() if rank == "province" and w[:1].islower()],
                                 case_first=False)
        self.foreign_re = re.compile(rf"(?<!\w)(?:{provincial})\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?![\w&])")
        self.leveled_forms = tuple(leveled)  # (cheap tests first: most sentences have neither)
        stops = alternation(list(self.openers) + list(g.levels)
                            + [r["head"] for r in rules.records("agencies") if r["type"] == "head"])
        self.unlisted_re = re.compile(rf"(?<!\w)(?P<level>{alternation(self.commune_words, case_first=False)})\s+(?P<name>{cap}(?:\s+(?!(?:{stops})(?!\w)){cap})?)"
                                      r"(?![\w&])")
        needs_level = {r["alias"] for r in rules.records("place_aliases") if r.get("needs_level")}
        self.needs_level = frozenset(needs_level)  # a name that is a person's without its level word
        self.bare_re = bounded(f"(?P<name>{alternation([n for n in list(g.provinces) + list(g.aliases) if n not in needs_level])})")
        # a district named in one province only says which province it is in ("quận Đống Đa": Hà Nội)
        by_district: dict[str, set[str]] = {}
        for _, province, district, _ in legacy:
            if district:
                by_district.setdefault(district, set()).add(province)
        self.district_province = {d: next(iter(p)) for d, p in by_district.items() if len(p) == 1}
        self.level_re = bounded(level)
        self.district_re = bounded(f"(?P<name>{alternation(g.districts)})")
        # a headline or lead that opens with the district that acts: "Yên Thành tổ chức hội nghị …",
        # "Sáng 30/3, Tri Tôn triển khai …", "Tân Biên: Tập huấn …"
        self.opening_district_re = re.compile(rf"(?:[^,:;]{{0,40}},\s*)?(?P<name>{alternation(g.districts)})"
                                              r"(?=\s*:|\s+[^\W\d_A-ZĐÀ-Ỹ][^\W\d_]*\s)")
        self._folded_levels = {k.lower(): k for k in g.levels}
        former = alternation(rules.words("former_places"), case_first=False)
        self.former_after = re.compile(rf"\s*\(?\s*(?:{former})(?!\w)")
        self.former_closing = re.compile(rf"(?<!\w)(?:{former})\s*\)")
        # a district written with its province after a comma: "(Thuận Thành, Bắc Ninh)", "Gio Linh, Quảng Trị"
        self.district_provinces = {d: frozenset(p) for d, p in by_district.items()}
        word = r"[^\W\d_]+"
        self._last_words = {k: re.compile(r"(?<!\w)(?P<name>" + " ".join([word] * k) + ")$") for k in (1, 2, 3)}
        self.comma_province_re = re.compile(rf"\s*,\s*(?:(?:tỉnh|thành phố|TP\.?)\s*)?(?P<name>{alternation(g.provinces)})(?![\w&])")
        locatives = alternation(rules.words("locatives"), case_first=False)
        self.after_locative_re = re.compile(rf"(?<!\w)(?:{locatives})\s+(?P<name>{alternation(g.districts)})(?![\w&])")
        streets = alternation(rules.words("street_words"), case_first=False)
        regions = rules.records("regions")  # "đồng bằng Sông Cửu Long", "ĐBSCL"; a name that opens with a common
        self.region_of = {f.lower(): r for r in regions for f in [r["name"], *r["abbreviations"]]}  # noun in any case
        common = [r["name"] for r in regions if r["name"].split()[1:2] and r["name"].split()[1].islower()]
        forms = [alternation(common, case_first=False), alternation([r["name"] for r in regions if r["name"] not in common]),
                 alternation([a for r in regions for a in r["abbreviations"]], exact=True)]
        self.region_re = bounded("|".join(f for f in forms if f)) if regions else None
        self.street_end = re.compile(rf"(?<!\w)(?<!thành )(?<!Thành )(?:{streets})\s+$", re.IGNORECASE)

    def district_before(self, text: str, end: int, province: str) -> re.Match[str] | None:
        """A district of ``province`` whose name ends at ``end`` (one to three words)."""
        for k in (3, 2, 1):
            if (m := self._last_words[k].search(text, max(0, end - 40), end)) and \
                    province in self.district_provinces.get(m.group("name"), ()):
                return m
        return None

    def street_before(self, text: str, start: int) -> bool:
        """A street word just before ``start``: the name there is a street's ("Xa lộ Hà Nội")."""
        return bool(self.street_end.search(text, max(0, start - 12), start))

    def is_former(self, text: str, start: int, end: int) -> bool:
        """The place at ``text[start:end]`` is named as it was before a merger (former_places.txt):
        "tỉnh Bình Định cũ", "tỉnh Bình Định (cũ)", or inside a parenthesis closed by such a word
        ("(huyện Đồng Văn, tỉnh Hà Giang cũ)"); the commune before that parenthesis is today's."""
        if self.former_after.match(text, end):
            return True
        opened, close = text.rfind("(", 0, start), text.find(")", end)
        if opened < 0 or close < 0 or ")" in text[opened:start] or "(" in text[end:close]:
            return False
        return any(m.end() == close + 1 for m in self.former_closing.finditer(text, end, close + 1))

    def level_key(self, word: str) -> str:
        """The levels.jsonl entry of a level word as written ("Tỉnh", "thành  phố")."""
        levels = self.gaz.levels
        return word if word in levels else self._folded_levels[squash(word).lower()]

    def level(self, word: str) -> tuple[str, str]:
        """(canonical, rank) of a level word as written."""
        return self.gaz.levels[self.level_key(word)]

    def province_level(self, province: str | None) -> str:
        return self.gaz.provinces.get(province or "", "tỉnh")

    def match_place(self, text: str, pos: int) -> re.Match[str] | None:
        """A level word and a gazetteer name at ``pos`` ("tỉnh Lào Cai", "huyện Mường Tè"); not when
        the name runs on into a person's ("thành phố Phùng Thị Hồng Hà": the ward Phùng is not meant)."""
        m = self.with_level_re.match(text, pos)
        return None if m and (self.runs_on(text, m) or not self.numbered_ok(m)) else m

    def numbered_ok(self, m: re.Match[str]) -> bool:
        """A unit named by a number only where the level allows it ("Quận 2", not "tỉnh 2")."""
        return not m.group("name").isdigit() or bool(self.level_entries[self.level_key(m.group("level"))].get("numbered"))

    def runs_on(self, text: str, m: re.Match[str]) -> bool:
        """The place name is followed by a capitalised word that is not a family name: it is the
        first part of a longer name ("Phùng Thị …", "Hà Nam Ninh")."""
        after = text[m.end():].split(None, 1)
        if not after or not text[m.end():m.end() + 1].isspace():
            return False
        word = after[0]
        return word[:1].isupper() and word.isalpha() and word not in self.surnames and word not in self.openers

    def match_bare(self, text: str, pos: int, rank: str = "province") -> re.Match[str] | None:
        """A province (or district) named on its own at ``pos`` ("Sở Y tế Hà Nội", "TP.HCM",
        "Huyện ủy Mường Tè"), not glued to a longer capitalised name."""
        m = (self.bare_re if rank == "province" else self.district_re).match(text, pos)
        if not m:
            return None
        after = text[m.end():].split(None, 1)
        if after and after[0] in self.surnames:  # "Bí thư Huyện ủy Mường Tè Lò Văn Chiến": a name follows
            return m
        return None if is_name_part(text, m, after_only=True) else m

    def bare_at(self, text: str, pos: int) -> re.Match[str] | None:
        """A province, else a district, named on its own at ``pos`` (``match_bare``)."""
        return self.match_bare(text, pos) or self.match_bare(text, pos, "district")

    def conjuncts(self, text: str, start: int, end: int, rank: str) -> list[re.Match[str]]:
        """The further names of a list that shares one plural level word ("các huyện Cầu Kè, Tiểu
        Cần và Cầu Ngang": Tiểu Cần, Cầu Ngang), each a unit of the same rank (a district list ends at
        a province: "huyện Gio Linh, Quảng Trị" is an address), read from ``end``; ``start``: where
        the level word is."""
        if not _PLURAL.search(text, max(0, start - 8), start):
            return []
        units = self.rank_units.get(rank, ())
        found: list[re.Match[str]] = []
        while (c := _CONJUNCT.match(text, end)) and (m := self.name_re.match(text, c.end())) \
                and squash(m.group("name")) in units and not is_name_part(text, m, after_only=True):
            found.append(m)
            end = m.end()
        return found

    def listed_after_levels(self, text: str) -> list[tuple[re.Match[str], str]]:
        """(name, rank) of the names listed after level words and a colon ("các xã: An Khánh, Phú Long
        và Tân Phú Trung", "huyện, thành phố: U Minh Thượng, Hà Tiên"): each a known unit of one of
        those ranks; the list ends at the first name that is none."""
        out = []
        for lv in self.level_list_re.finditer(text):
            ranks = [self.level(w)[1] for w in re.split(r"\s*,\s*", lv.group("levels"))]
            end = lv.end()
            if lv.group().rstrip().endswith("(") and (names := self._bracketed(text, end, ranks[0])):
                out += [(m, ranks[0]) for m in names]  # "3 xã (Cao Thành, Trường Thịnh)": all of that level
                continue
            while m := self.name_re.match(text, end):
                rank = next((r for r in ranks if squash(m.group("name")) in self.rank_units.get(r, ())), None)
                if rank is None or is_name_part(text, m, after_only=True):
                    break
                out.append((m, rank))
                if not (c := _CONJUNCT.match(text, m.end())):
                    break
                end = c.end()
        return out

    def unlisted_commune(self, text: str, pos: int) -> re.Match[str] | None:
        """"xã Nghĩa Vị" where the gazetteer has no Nghĩa Vị: a commune's level word and one or two
        capitalised words, not a family name first (the words may be a person's: "Chủ tịch UBND xã Lê
        Văn A"), no opener, head or level word second ("xã Nghĩa Vị Ngày 2/6"), no known place, no
        abbreviation, and no word after them that goes on the name."""
        m = self.unlisted_re.match(text, pos)
        return m if m and self.unlisted_ok(text, m) else None

    def unlisted_ok(self, text: str, m: re.Match[str]) -> bool:
        """A match of ``unlisted_re`` is a commune (``unlisted_commune``)."""
        nxt = _NEXT_WORD.match(text, m.end())
        if self.gaz.is_place(squash(m.group("name"))) or nxt and (
                nxt.group(1)[:1].isupper() and nxt.group(1) not in self.openers  # "Nghĩa Vị Ngày 2/6" is fine
                or self.gaz.is_place(squash(f"{m.group('name')} {nxt.group(1)}"))):
            return False
        words = m.group("name").split()
        return not (words[0] in self.surnames or words[0] in self.openers or any(w.isupper() and len(w) > 1 for w in words))

    def _bracketed(self, text: str, pos: int, rank: str) -> list[re.Match[str]]:
        """The names of a list in brackets after a level word, when each is a capitalised name (a unit
        the gazetteer may lack); none when anything else is inside ("xã (cũ)", "huyện (theo …)")."""
        found = []  # (not an abbreviation, "Trạm Y tế xã (TYT)"; not an address, "2 xã (Kỳ Sơn, Nghệ An)";
        # a district may share a province's name: "2 huyện (Quảng Ninh, Lệ Thủy)")
        while (m := self.cap_name_re.match(text, pos)) and not is_name_part(text, m, after_only=True) \
                and not m.group().isupper() and (self.gaz.canonical(m.group()) not in self.gaz.provinces
                                                 or m.group() in (self.gaz.districts if rank == "district" else ())):
            found.append(m)
            if not (c := _CONJUNCT.match(text, m.end())):
                return found if text.startswith(")", m.end()) else []
            pos = c.end()
        return []

    def after_family_name(self, text: str, pos: int) -> bool:
        """A family name is one of the two words before ``pos``: what follows is a person's given name
        ("Nguyễn Thái Bình", "Nguyễn Văn Tây Nguyên"), not a place."""
        return bool(set(text[:pos].split()[-2:]) & self.surnames)

    def level_of(self, place: str) -> tuple[str, str] | None:
        """(level word, rank) a canonical place opens with ("huyện Cầu Kè" -> ("huyện", "district"))."""
        words = place.split()
        first = next((" ".join(words[:k]) for k in (2, 1) if " ".join(words[:k]) in self.gaz.levels), None)
        return (first, self.gaz.levels[first][1]) if first else None

    def named_place(self, name: str) -> str | None:
        """The place a name ends with ("Trường Đại học Cần Thơ" -> "Cần Thơ"), if any."""
        words = name.split()
        return next((" ".join(words[-k:]) for k in (3, 2, 1)
                     if len(words) > k and self.gaz.is_place(" ".join(words[-k:]))), None)

    def rule_of(self, m: re.Match[str]) -> str:
        """Where the rule behind a place match is written: its level word's line, else its alias's."""
        if "level" in m.re.groupindex and m.group("level"):
            return self.level_entries[self.level_key(m.group("level"))].where
        return self._alias_where.get(squash(m.group("name")), "places.gazetteer")


_CONJUNCT = re.compile(r"\s*,\s*|\s+và\s+")
_VOWELS = re.compile(r"[aeiouy]+")


def _foreign(name: str) -> bool:
    """A word no Vietnamese syllable is: two vowel groups ("Champasak", "Bokeo") or f, j, w, z."""
    return any(len(_VOWELS.findall(w.lower())) > 1 or set(w.lower()) & set("fjwz") for w in name.split())


_NEXT_WORD = re.compile(r"\s+(\w+)")
_PLURAL = re.compile(r"(?<!\w)các\s+$")


@builder
def places_of(rules: Rules) -> Places:
    return Places(rules)


class _Named:
    """The name group of a match, as ``is_name_part`` reads a match."""

    def __init__(self, m: re.Match[str]):
        self._m = m

    def start(self) -> int:
        return self._m.start("name")

    def end(self) -> int:
        return self._m.end("name")


def is_name_part(text: str, m: re.Match[str], after_only: bool = False) -> bool:
    """A province name glued to other capitalised words is part of a person's or an org's name
    ("Hà Nam" in "Lê Hà Nam")."""
    before = text[:m.start()].rstrip()
    after = text[m.end():].lstrip()
    prev_word = before.rsplit(None, 1)[-1] if before else ""
    next_word = after.split(None, 1)[0] if after else ""
    # (an abbreviation before it is a body's: "CATP Hà Nội", "Sở TNMT Hà Nội")
    glued_before = not after_only and prev_word[:1].isupper() and prev_word[-1:].isalpha() and not prev_word.isupper()
    return glued_before or (next_word[:1].isupper() and next_word.isalpha())


def _free(taken: list[tuple[int, int]], pos: int) -> bool:
    """No place found so far in the sentence holds ``pos``."""
    return not any(a <= pos < b for a, b in taken)


def _span(p: Places, s: Sentence, m: re.Match[str], rank: str) -> Span:
    attrs = {"rank": rank, **({"former": "true"} if p.is_former(s.text, m.start(), m.end()) else {})}
    name = m.group("name")
    normalized = f"{p.level(m.group('level'))[0]} {name}" if name.isdigit() else p.gaz.canonical(name)
    return span_in(s, "LOCATION", m.start(), m.end(), normalized=normalized, attrs=attrs, rule=p.rule_of(m))


def rules_where(ctx: Context, name: str, word: str) -> str:
    return ctx.rules.word_where(name, squash(word))


def find(ctx: Context) -> list[Span]:
    """Named places: "level + name" spans, and bare province names."""
    p = ctx.rules.compiled(places_of)
    spans: list[Span] = []
    lead = set(ctx.lead)
    for s in ctx.sentences:
        taken: list[tuple[int, int]] = []
        for m in p.with_level_re.finditer(s.text):
            if p.runs_on(s.text, m) or not p.numbered_ok(m):
                continue
            taken.append(m.span())
            rank = p.level(m.group("level"))[1]
            if rank == "province" and p.gaz.canonical(m.group("name")) not in p.gaz.provinces:
                rank = "district"  # "TP Vinh", "thành phố Thủ Đức": a city inside a province
            spans.append(_span(p, s, m, rank))
            for c in p.conjuncts(s.text, m.start(), m.end(), rank):  # "các huyện Cầu Kè, Tiểu Cần và Cầu Ngang"
                taken.append(c.span())
                spans.append(span_in(s, "LOCATION", c.start(), c.end(), normalized=p.gaz.canonical(c.group("name")),
                                     attrs={"rank": rank}, rule=p.rule_of(m)))
        if s in lead and (m := p.opening_district_re.match(s.text)) and m.group("name")[:1].isupper() \
                and _free(taken, m.start("name")) \
                and (s.text[m.end("name"):].lstrip().startswith(":") or not is_name_part(s.text, _Named(m))):
            taken.append(m.span("name"))
            spans.append(span_in(s, "LOCATION", m.start("name"), m.end("name"), normalized=m.group("name"),
                                 attrs={"rank": "district"}, rule="places.opening_district"))
        for lv in p.after_leveled_re.finditer(s.text) if any(f in s.text for f in p.leveled_forms) else ():
            if (m := p.match_bare(s.text, lv.end(), "district")) and m.group("name") not in p.gaz.provinces \
                    and _free(taken, m.start()):
                taken.append(m.span())
                spans.append(span_in(s, "LOCATION", m.start(), m.end(), normalized=p.gaz.canonical(m.group("name")),
                                     attrs={"rank": "district"}, rule="places.district_of_party_body"))
        for m in p.foreign_re.finditer(s.text):
            if _free(taken, m.start("name")) and _foreign(m.group("name")) \
                    and not is_name_part(s.text, _Named(m), after_only=True):
                taken.append(m.span())
                spans.append(span_in(s, "LOCATION", m.start(), m.end(), normalized=m.group("name"),
                                     attrs={"rank": "foreign"}, rule="places.foreign_province"))
        lowered = s.text.lower()
        for m in p.unlisted_re.finditer(s.text) if any(w in lowered for w in p.commune_words) else ():
            if _free(taken, m.start()) and p.unlisted_ok(s.text, m):
                taken.append(m.span())
                spans.append(span_in(s, "LOCATION", m.start(), m.end(), normalized=squash(m.group("name")),
                                     attrs={"rank": "commune"}, rule=p.rule_of(m)))
        for m, rank in p.listed_after_levels(s.text) if ":" in s.text or "(" in s.text else ():
            if _free(taken, m.start()):
                taken.append(m.span())
                spans.append(span_in(s, "LOCATION", m.start(), m.end(), normalized=p.gaz.canonical(m.group("name")),
                                     attrs={"rank": rank}, rule="places.listed_after_levels"))
        for m in p.bare_re.finditer(s.text):
            if _free(taken, m.start()) and not is_name_part(s.text, m) \
                    and not p.street_before(s.text, m.start()):
                spans.append(_span(p, s, m, "province"))
        for c in p.comma_province_re.finditer(s.text):  # "(Thuận Thành, Bắc Ninh)": the words before the comma
            if m := p.district_before(s.text, c.start(), c.group("name")):
                if _free(taken, m.start()) and not is_name_part(s.text, m):
                    taken.append(m.span())
                    spans.append(span_in(s, "LOCATION", m.start(), m.end(), normalized=m.group("name"),
                                         attrs={"rank": "district"}, rule="places.district_of_province"))
        for m in p.after_locative_re.finditer(s.text):  # "sống tại Dương Kinh": a district named bare
            if _free(taken, m.start("name")) and not is_name_part(s.text, _Named(m), after_only=True):
                taken.append(m.span("name"))
                spans.append(span_in(s, "LOCATION", m.start("name"), m.end("name"), normalized=m.group("name"),
                                     attrs={"rank": "district"}, rule=rules_where(ctx, "locatives", m.group().split()[0])))
        for m in p.region_re.finditer(s.text) if p.region_re else ():
            if _free(taken, m.start()) and not p.after_family_name(s.text, m.start()):  # not "ông Nguyễn Văn Tây Nguyên"
                r = p.region_of[squash(m.group()).lower()]
                spans.append(span_in(s, "LOCATION", m.start(), m.end(), normalized=r["name"], attrs={"rank": "region"},
                                     rule=r.where))
        for m in p.country_place_re.finditer(s.text):  # "Singapore", "Nhật Bản": places, not of Việt Nam
            if _free(taken, m.start()) and not is_name_part(s.text, m, after_only=True):
                spans.append(span_in(s, "LOCATION", m.start(), m.end(), normalized=m.group("name"),
                                     attrs={"rank": "country"}, rule=rules_where(ctx, "countries", m.group("name"))))
    return spans

