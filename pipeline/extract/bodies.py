"""AGENCY mentions of an article: every chain the grammar (``agencies.py``) reads, its parents,
abbreviations the text defines ("… (UBMTTQVN)") and their later uses, and one body named with
and without its district.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import replace

from ..normalize import fold_for_match
from . import agencies, agency_places
from .agencies import AgencyMatch
from .context import Context
from .overlap import Claims
from .text import ABBREVIATION, Sentence, Span, bounded, span_in

_CONNECTORS = frozenset({"và", "các", "-", "–", ",", "&"})
# "(UBMTTQVN)", and a name in Latin letters a body trades under ("Hãng Hàng không Quốc gia Việt Nam
# (Vietnam Airlines)")
_DEFINITION = re.compile(rf"\s*\(\s*({ABBREVIATION.pattern}|[A-Z][a-z]+(?: [A-Z][A-Za-z]+){{0,2}})\s*\)")


def agency_id(canonical: str) -> str:
    return "a:" + hashlib.sha256(fold_for_match(canonical).encode()).hexdigest()[:16]


def _initials(name: str) -> str:
    """"Ủy ban Mặt trận Tổ quốc Việt Nam" -> "UBMTTQVN" (tone and vowel marks dropped, Đ kept)."""
    words = [w for w in re.split(r"[\s,\-–]+", name) if w and w not in _CONNECTORS]
    return "".join(unicodedata.normalize("NFD", w[0])[0] for w in words).upper()


def _mention(s: Sentence, start: int, end: int, canonical: str, province: str | None, parent: str | None,
             abbreviated: bool, rule: str) -> Span:
    attrs = {k: v for k, v in (("province", province), ("parent_id", parent),
                               ("abbreviation", s.text[start:end] if abbreviated else None)) if v}
    return span_in(s, "AGENCY", start, end, entity_id=agency_id(canonical), normalized=canonical, attrs=attrs,
                   rule=rule)


def mentions_of(s: Sentence, m: AgencyMatch) -> list[Span]:
    """The whole chain and each of its parents, innermost last."""
    out = []
    for k, unit in enumerate(m.units):
        parent = agency_id(m.canonical(k + 1)) if k + 1 < len(m.units) else None
        abbreviated = any(u.abbreviated for u in m.units[k:])
        out.append(_mention(s, unit.start, m.end, m.canonical(k), m.province, parent, abbreviated,
                            unit.rule or "agencies.grammar"))
    return out


def find(ctx: Context, blocked: Claims, people: tuple[int, ...] = ()) -> list[Span]:
    """AGENCY spans of the article. No agency starts where ``blocked`` (a title such as "Thành ủy
    viên", a document number). A parent named inside a sub-unit's name ("Ủy ban MTTQ" in "Ban
    Thường trực Ủy ban MTTQ") gets a mention of its own only when the article never names it on
    its own, so that it still has a row. No body runs on into a person's full name (``people``:
    where such names start, in order)."""
    g = ctx.rules.compiled(agencies.grammar_of)
    outer: list[Span] = []
    nested: list[Span] = []
    aliases: dict[str, Span] = {}
    for s in ctx.sentences:
        if len(s.text.split()) >= 4 and not any(c.islower() for c in s.text):
            continue  # a headline in capitals has no case to read names by ("… ĐẠI HỘI ĐẢNG CÁC CẤP NHIỆM KỲ")
        pos = 0
        pending: list[AgencyMatch] = []  # conjuncts of an elliptical list waiting for its place
        while m := g.start_re.search(s.text, pos):
            skip = not g.may_start(m.group()) or blocked.covers(s.start + m.start())
            found = None if skip else agencies.match(ctx, s, m.start())
            if found and (k := bisect_right(people, s.start + found.start)) < len(people) \
                    and people[k] < s.start + found.end:
                # a person's name the body's capitalised run went on into ("… Trường Đại học X Nguyễn Văn A")
                found = agencies.match(ctx, replace(s, text=s.text[:people[k] - s.start].rstrip()), m.start())
            if found is None or _generic(g, s.text, found):
                pos = m.end()
                continue
            if pending and not _CONJUNCT.fullmatch(s.text, pending[-1].end, found.start):
                pending = []
            if found.end > found.units[-1].end:  # its place is written: the list before it shares it
                for earlier in pending:
                    _share_place(g, s, earlier, found, outer)
                pending = []
            else:
                pending.append(found)
            chain = mentions_of(s, found)
            outer.append(chain[0])
            nested.extend(chain[1:])
            pos = found.end
            for conjunct in _places_sharing(g, s, found):
                outer.append(conjunct)
                pos = conjunct.end - s.start
            if (d := _DEFINITION.match(s.text, found.end) or _defined_inside(g, s.text, found)) \
                    and (ABBREVIATION.fullmatch(d.group(1))
                                                               or _trade_name(g, d.group(1))):
                target = chain[_defined(d.group(1), found)]
                alias = _mention(s, d.start(1), d.end(1), target.normalized or "", target.attrs.get("province"),
                                 target.attrs.get("parent_id"), True, "bodies.defined_abbreviation")
                outer.append(alias)
                aliases.setdefault(d.group(1), alias)
                pos = d.end()
    outer.extend(_alias_uses(ctx, aliases, outer + nested))
    named = {span.entity_id for span in outer}
    return outer + [span for span in nested if span.entity_id not in named]


_CONJUNCT = re.compile(r"\s*[-–,]\s*|\s+và\s+")
_MANY = re.compile(r"\s+(?:các|\d+)\s+(?=\w)")


def _generic(g: agencies.Grammar, text: str, m: AgencyMatch) -> bool:
    """A body of every unit of a level: "HĐND các xã", "HĐND các cấp", "HĐND 2 xã" (no mention; one body
    per unit named after a number is not read: "LĐLĐ 2 tỉnh A và B"; "UBND các huyện Cầu Kè, Tiểu Cần"
    names its units, so the place is read)."""
    return m.end == m.units[-1].end and bool(many := _MANY.match(text, m.end)) \
        and (text.startswith("cấp", many.end()) or bool(g.places.level_re.match(text, many.end())))


def _share_place(g: agencies.Grammar, s: Sentence, earlier: AgencyMatch, last: AgencyMatch, outer: list[Span]) -> None:
    """"HĐND - UBND - UBMTTQ quận Đống Đa": each conjunct is the body of the place the last one names."""
    top = earlier.units[-1]
    if not last.place or earlier.place == last.place or not _fits(g, top, last.place) \
            or top.kind == "titled" and g.places.named_place(top.canonical):
        return  # (a name that ends with its own place has it: "Trường Đại học Cần Thơ và …")
    shared = AgencyMatch(earlier.start, earlier.end, earlier.units, agency_places.place_for(g, top, last.place),
                         last.province)
    for i in range(len(outer) - 1, -1, -1):  # it is among the last few
        span = outer[i]
        if span.start == s.start + earlier.start and span.end == s.start + earlier.end:
            outer[i] = mentions_of(s, shared)[0]
            break
        if span.start < s.start:
            break


def _places_sharing(g: agencies.Grammar, s: Sentence, found: AgencyMatch) -> list[Span]:
    """"Ủy ban nhân dân các huyện Cầu Kè, Tiểu Cần và Cầu Ngang": each further place of the list is
    a body of its own, the same body of that place; its mention is the name as printed."""
    p = g.places
    if found.end <= found.units[-1].end or not (opening := p.level_of(found.place)):
        return []
    level, rank = opening
    out = []
    written = p.level_re.search(s.text, found.units[-1].end, found.end)
    for m in p.conjuncts(s.text, written.start() if written else found.end, found.end, rank):
        name = p.gaz.canonical(m.group("name"))
        province = name if rank == "province" else p.district_province.get(name, found.province)
        body = AgencyMatch(m.start(), m.end(), found.units, agency_places.place_for(g, found.units[-1], f"{level} {name}"),
                           province)
        parent = agency_id(body.canonical(1)) if len(found.units) > 1 else None
        out.append(_mention(s, m.start(), m.end(), body.canonical(), province, parent, False, "bodies.shared_level"))
    return out


def _fits(g: agencies.Grammar, unit: agencies.Unit, place: str) -> bool:
    """A body of that scope can sit at that place's level (a Sở is no district's; a Bộ no one's)."""
    rank = opening[1] if (opening := g.places.level_of(place)) else "province"
    allowed = {"local": ("province", "district", "commune"), "any": ("province", "district", "commune"),
               "province": ("province",), "district": ("district",)}
    return rank in allowed.get(unit.scope, ())


_FOREIGN_WORD = re.compile(r"[A-Za-z]{7,}|[A-Za-z]*[fjwzFJWZ][A-Za-z]*")


def _trade_name(g: agencies.Grammar, name: str) -> bool:
    """A name in Latin letters that is a body's own ("Vietnam Airlines", "World Bank"), not a place
    written without its tone marks ("Công an huyện Chư Prông (Gia Lai)") nor a word of the page or a
    country in English ("(Video)", "(Infographic)", "(Japan)"): two words or more, no place or
    country of the gazetteer, and a word no Vietnamese syllable is. (A one-word brand, "Agribank",
    is too like those to tell apart.)"""
    places = g.places
    words = name.split()
    if len(words) < 2 or places.country_re.fullmatch(name) or places.bare_at(name, 0):
        return False
    return any(_FOREIGN_WORD.fullmatch(w) for w in words)


def _defined_inside(g: agencies.Grammar, text: str, m: AgencyMatch) -> re.Match[str] | None:
    """A short form of its own defined before the body's level ("Trung tâm Dịch vụ việc làm (TTDVVL)
    tỉnh Lào Cai"); not one the lexicon reads anywhere ("UBND": "UBND tỉnh" is another body)."""
    d = _DEFINITION.search(text, m.units[-1].end, m.end) if m.end > m.units[-1].end else None
    return d if d and not g.org_re.fullmatch(d.group(1)) and not g.abbrev_re.fullmatch(d.group(1)) else None


def _defined(abbreviation: str, m: AgencyMatch) -> int:
    """Which agency of the chain the abbreviation spells ("UBMTTQVN" is the Ủy ban, not its Ban
    Thường trực; "TNMT" the Sở, its sector's initials); the whole chain when none fits."""
    letters = re.sub(r"[^\w]", "", abbreviation).upper()
    fits = [k for k in range(len(m.units))
            if _initials(" ".join(u.canonical for u in m.units[k:])).endswith(letters)]
    return fits[-1] if fits else 0


def _alias_uses(ctx: Context, aliases: dict[str, Span], taken: list[Span]) -> list[Span]:
    if not aliases:
        return []
    covered = Claims((t.start, t.end) for t in taken)
    pattern = bounded("|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)))
    out = []
    for s in ctx.sentences:
        for m in pattern.finditer(s.text):
            if covered.covers(s.start + m.start()):
                continue
            target = aliases[m.group()]
            out.append(span_in(s, "AGENCY", m.start(), m.end(), entity_id=target.entity_id,
                               normalized=target.normalized, attrs=dict(target.attrs), rule="bodies.abbreviation_use"))
    return out


# ------------------------------------------------------------------ one body, named twice

def local_completions(ctx: Context, canonicals: set[str], named_places: set[str] = frozenset(),
                      bare_districts: set[str] = frozenset(), plural: set[str] = frozenset()) -> dict[str, str]:
    """A body named without its district in one place and with it in another ("UBND huyện" …
    "UBND huyện Mường Tè", "Huyện ủy" … "Huyện ủy Mường Tè") is one body when the article names
    only one such district for it; "Hạt Kiểm lâm huyện" is in the one "huyện …" the article names
    (``named_places``: "huyện Mường Tè", "xã Pa Ủ"; ``bare_districts``: districts named without their
    level word, "Đô Lương tổ chức …", a district of the body's level), and so is the "Huyện ủy" of that
    district; not a body written plural ("các Huyện ủy", ``plural``). {short canonical: full canonical}."""
    g = ctx.rules.compiled(agencies.grammar_of)
    places, gaz = g.places, g.places.gaz
    party_level = {r["party"]: w for w, r in places.level_entries.items() if r.get("party") and r["rank"] == "district"}
    by_prefix: dict[str, list[str]] = {}
    for full in canonicals:
        by_prefix.setdefault(full.split(" ", 1)[0], []).append(full)
    out = {}
    levels = sorted(gaz.levels, key=len, reverse=True)
    for short in canonicals:
        level = next((lv for lv in levels
                      if short.endswith(" " + lv) and gaz.levels[lv][1] in ("district", "commune")), None)
        # a district's Party committee, or a board of it ("Ban Thường vụ Huyện ủy", "Ban Dân vận Huyện ủy")
        committee = next((w for w in party_level if short == w or short.endswith(" " + w)), None)
        if (level or committee) and short not in plural:
            word = level or party_level[committee]
            local = {p for p in named_places if p.startswith(word + " ")}
            if gaz.levels[word][1] == "district":  # (a district of that level: "Đô Lương" is a huyện, no thị xã)
                local |= {f"{word} {d}" for d in bare_districts if word in places.district_levels.get(d, ())}
            if len(local) == 1:
                where = local.pop()
                out[short] = f"{short[:-len(level)]}{where}" if level else f"{short} {where[len(word) + 1:]}"
                continue
        if topic := _topic_head(g, short, canonicals):
            out[short] = topic
            continue
        same_head = by_prefix.get(short.split(" ", 1)[0], ())
        if spelt := _spelt_out(short, same_head):
            out[short] = spelt
            continue
        longer = [f for f in same_head if f.startswith(short + " ")]
        fuller = set()
        for full in () if short.endswith(" Việt Nam") else longer:  # a body "… Việt Nam" is the national one
            name = full[len(short) + 1:]
            word = next((lv for lv in levels if name.startswith(lv + " ")), None)  # "thành phố Hà Nội"
            if word and not short.endswith(" " + word):
                name = name[len(word) + 1:]
            if name and gaz.is_place(name):
                fuller.add(full)
        if len(fuller) == 1:
            out[short] = fuller.pop()
        elif not fuller and (national := short + " Việt Nam") in canonicals:
            out[short] = national  # "Hội Xuất bản" … "Hội Xuất bản Việt Nam": the national body named short
        elif not fuller and not g.orgs.get(g.short_forms.key(short), {}).get("needs_place") \
                and len(leveled := [f for f in longer if f[len(short) + 1:] in gaz.levels]) == 1:
            out[short] = leveled[0]  # "HĐND" … "HĐND huyện": the one level the article names
    for short, full in out.items():  # "HĐND" -> "HĐND huyện" -> "HĐND huyện Tam Dương"
        seen = {short}
        while full in out and full not in seen:
            seen.add(full)
            full = out[full]
        out[short] = full
    return out


def _spelt_out(short: str, fulls) -> str | None:
    """"Đài TNVN" … "Đài Tiếng nói Việt Nam": a head and the initials of the name that follows it
    in the one body of that head the article names in full."""
    head, _, letters = short.rpartition(" ")
    if not head or not ABBREVIATION.fullmatch(letters):
        return None
    found = {f for f in fulls if f.startswith(head + " ") and f != short and _initials(f[len(head) + 1:]) == letters}
    return found.pop() if len(found) == 1 else None


def _topic_head(g: agencies.Grammar, short: str, canonicals: set[str]) -> str | None:
    """"Ban Chỉ đạo" or "Ban Chỉ đạo Trung ương" written short for the one steering committee the
    article names by its topic at that level ("Ban Chỉ đạo Tháng hành động … Trung ương"), or the
    start of its name read alone ("Ban Chỉ đạo Tháng")."""
    head = next((h for h in g.topic_heads if short == h or short.startswith(h + " ")), None)
    if head is None:
        return None
    named = {full for full in canonicals if full.startswith(head + " ") and not g.places.level_of(full[len(head) + 1:])}
    named -= {a for a in named if any(b.startswith(a + " ") for b in named)}  # "… Tháng" cut from "… Tháng hành động …"
    longer = {full for full in named if full.startswith(short + " ")}
    if short in named or len(longer) == 1:
        return longer.pop() if longer else None
    places, level = g.places, short[len(head):].strip()
    if level and not (level in places.gaz.levels or places.level_of(level)):
        return None  # a topic of its own
    named = {full for full in named if not level or full.endswith(" " + level)}
    return named.pop() if len(named) == 1 else None


def completed(spans: list[Span], completions: dict[str, str]) -> tuple[list[Span], dict[str, str]]:
    """The spans with each short body replaced by its completion, and {old id: new id}."""
    ids = {agency_id(short): agency_id(full) for short, full in completions.items()}
    out = []
    for span in spans:
        if span.normalized in completions:
            span = replace(span, normalized=completions[span.normalized], entity_id=ids[span.entity_id],
                           attrs=dict(span.attrs))
        if span.attrs.get("parent_id") in ids:
            span = replace(span, attrs={**span.attrs, "parent_id": ids[span.attrs["parent_id"]]})
        out.append(span)
    return out, ids
