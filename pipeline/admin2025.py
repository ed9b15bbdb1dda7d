"""The provinces across the 1 July 2025 merger (63 -> 34): which province a place belongs to now.

``documents.province`` and ``agencies.province`` keep the province as the article names it (a
2024 article about Bình Định says Bình Định); ``province_2025`` is the one it has belonged to
since 1 July 2025 (Gia Lai), so that years can be compared. The old -> new mapping is the data
the installed ``vietnamadminunits`` package ships (``data/converter_2025.json``: new province key
-> the old keys it took in; ``data/dataset.db``: key -> short name), read directly like the
gazetteer in ``extract/places.py``. The package itself is never imported: its converter geocodes
addresses online, and nothing here may touch the network.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.util import find_spec
from pathlib import Path

MERGER_DATE = date(2025, 7, 1)


@dataclass(frozen=True)
class Merger:
    current: dict[str, str]              # short name of an old or a new province -> its province now
    former: dict[str, tuple[str, ...]]   # a province now -> the old provinces it took in (itself too)

    def province_2025(self, name: str | None) -> str | None:
        return self.current.get(name or "")

    def abolished(self, name: str) -> bool:
        """An old province that is no province any more (Bình Định, Hà Giang)."""
        return name in self.current and self.current[name] != name


def _data_dir() -> Path:
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the 2025 province mapping needs the package vietnamadminunits")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


@cache
def merger() -> Merger:
    data = _data_dir()
    with open(data / "converter_2025.json", encoding="utf-8") as f:
        new_to_old: dict[str, list[str]] = json.load(f)["DICT_PROVINCE"]
    with sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True) as con:
        names = dict(con.execute("select distinct provinceKey, provinceShort from admin_units_legacy").fetchall())
        names.update(con.execute("select distinct provinceKey, provinceShort from admin_units").fetchall())
    current: dict[str, str] = {}
    former: dict[str, tuple[str, ...]] = {}
    for new_key, old_keys in new_to_old.items():
        new = names[new_key]
        former[new] = tuple(sorted(names[k] for k in old_keys))
        for old in former[new]:
            if current.setdefault(old, new) != new:
                raise ValueError(f"converter_2025.json: {old} goes to two provinces")
        current[new] = new
    return Merger(current=current, former=former)


def province_2025(name: str | None) -> str | None:
    """"Bình Định" -> "Gia Lai", "Gia Lai" -> "Gia Lai", "Hà Nội" -> "Hà Nội"; None for None or
    a name that is not a province."""
    return merger().province_2025(name)


@dataclass(frozen=True)
class Units:
    """Which provinces have a commune (or, before the merger, a district) of a given short name."""
    before: dict[tuple[str, str], frozenset[str]]  # (rank, name) -> provinces, 63-province era
    after: dict[tuple[str, str], frozenset[str]]   # ("commune", name) -> provinces, since 1 July 2025

    def province(self, units: list[tuple[str, str]], on: date | None) -> str | None:
        """The one province the named units point to: every unit whose name exists in exactly one
        province names the same one. ``on``: the article's date; None: the eras must not disagree
        ("xã Lũng Cú" is in Hà Giang before the merger and in Tuyên Quang after it; "huyện Mường Tè"
        only ever in Lai Châu)."""
        if on is None:
            found = {_only(units, self.before), _only(units, self.after)} - {None}
            return found.pop() if len(found) == 1 else None
        return _only(units, self.after if on >= MERGER_DATE else self.before)


def _only(units: list[tuple[str, str]], table: dict[tuple[str, str], frozenset[str]]) -> str | None:
    found = {next(iter(table[u])) for u in units if len(table.get(u, ())) == 1}
    return found.pop() if len(found) == 1 else None


@cache
def units() -> Units:
    with sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True) as con:
        legacy = con.execute("select distinct provinceShort, districtShort, wardShort from admin_units_legacy").fetchall()
        current = con.execute("select distinct provinceShort, wardShort from admin_units").fetchall()
    before: dict[tuple[str, str], set[str]] = {}
    for province, district, ward in legacy:
        before.setdefault(("district", district), set()).add(province)
        before.setdefault(("commune", ward), set()).add(province)
    after: dict[tuple[str, str], set[str]] = {}
    for province, ward in current:
        after.setdefault(("commune", ward), set()).add(province)
    return Units(before={k: frozenset(v) for k, v in before.items()}, after={k: frozenset(v) for k, v in after.items()})


def province_of_units(units_named: list[tuple[str, str]], on: date | None) -> str | None:
    """An article that names no province but communes (after the merger a commune sits directly
    under its province: "phường Quy Nhơn Nam" is in Gia Lai) or, before it, districts of one
    province is about that province, as it was called on the article's date ``on``: "xã Lũng Cú"
    is in Hà Giang in 2024 and in Tuyên Quang since 1 July 2025. ``units_named``: (rank, short name)."""
    return units().province(units_named, on)
