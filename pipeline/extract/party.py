"""The Party committee of a unit, from a post written in one chain with the unit's People's
Committee or Council, as official writing pairs them: "Phó Bí thư - Chủ tịch UBND huyện Mường Tè"
(the Phó Bí thư is of Huyện ủy Mường Tè), "Bí thư Đảng ủy, Chủ tịch UBND xã Pa Ủ" (Đảng ủy xã Pa
Ủ), "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Mường Tè" (the Huyện ủy is Mường Tè's). Which level
has which committee is data (``levels.jsonl`` "party"); which bodies govern a unit too
(``agencies.jsonl`` "government"); which titles are Party posts (``titles.jsonl`` "party_post").
"""
from __future__ import annotations

from dataclasses import replace

from ..rules import Rules, builder
from . import agencies, agency_places
from .agencies import AgencyMatch, Unit


class Committees:
    def __init__(self, rules: Rules):
        self.grammar = rules.compiled(agencies.grammar_of)
        levels = [r for r in rules.records("levels") if r.get("party")]
        self.party = {r["canonical"]: r["party"] for r in levels}          # "huyện" -> "Huyện ủy"
        self.where = {r["canonical"]: r.where for r in levels}
        self.level_of = {party: level for level, party in self.party.items() if self._embeds(party)}
        self.government = frozenset(r["canonical"] for r in rules.records("agencies")
                                    if r["type"] == "org" and r.get("government"))

    def record(self, party: str):
        """The agencies.jsonl entry of a Party committee ("Huyện ủy"); None for "Đảng ủy" (a head)."""
        return self.grammar.orgs.get(self.grammar.short_forms.key(party))

    def _embeds(self, party: str) -> bool:
        record = self.record(party)
        return bool(record and record.get("embeds_level"))

    def split(self, place: str) -> tuple[str, str] | None:
        """("huyện", "Mường Tè") of "huyện Mường Tè"."""
        level = next((lv for lv in sorted(self.party, key=len, reverse=True) if place.startswith(lv + " ")), None)
        return (level, place[len(level) + 1:]) if level else None


@builder
def committees_of(rules: Rules) -> Committees:
    return Committees(rules)


def of_government(rules: Rules, government: AgencyMatch, start: int, end: int) -> AgencyMatch | None:
    """The Party committee of the unit ``government`` (a People's Committee of a place) governs,
    as a body written at ``start:end`` (sentence offsets): the post's title, or a bare "Đảng ủy"."""
    c = rules.compiled(committees_of)
    if len(government.units) != 1 or government.units[0].canonical not in c.government or not government.place:
        return None
    if not (split := c.split(government.place)):
        return None
    party = c.party[split[0]]
    record = c.record(party)
    unit = Unit(start, end, party, "org", record["scope"] if record else "any", False, c.where[split[0]])
    return AgencyMatch(start, end, [unit], agency_places.place_for(c.grammar, unit, government.place), government.province)


def placed(rules: Rules, committee: AgencyMatch, government: AgencyMatch) -> AgencyMatch | None:
    """"Huyện ủy" written without its place, then a body of a place of its level in the same chain
    ("UBND huyện Mường Tè", "Ủy ban MTTQ huyện Mường Tè"): the committee of that place."""
    c = rules.compiled(committees_of)
    if len(committee.units) != 1 or committee.end > committee.units[0].end or not government.place:
        return None  # (a place written after it is its own)
    level = c.level_of.get(committee.units[0].canonical)
    split = c.split(government.place)
    if level is None or not split or split[0] != level:
        return None
    return replace(committee, place=agency_places.place_for(c.grammar, committee.units[0], government.place),
                   province=government.province)
