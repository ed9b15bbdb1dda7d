"""The offline gazetteer: the data shipped by the ``vietnamadminunits`` package (its SQLite file), the
63 provinces with their districts and wards before the 2025 reform and the 34 provinces after it, read
directly, without importing the package, which would load its address parser."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from .text import squash


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
        name = re.sub(r"\s*[-–—]\s*", " - ", squash(name)) if re.search(r"\w\s*[-–—]\s*\w", name) else squash(name)
        return self.aliases.get(name, name)


def _dataset() -> Path:
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the gazetteer needs the package vietnamadminunits")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "dataset.db"


def admin_units() -> tuple[list[tuple], list[tuple], list[tuple]]:
    with sqlite3.connect(f"file:{_dataset()}?mode=ro", uri=True) as con:
        legacy = con.execute("select distinct province, provinceShort, districtShort, wardShort "
                             "from admin_units_legacy").fetchall()
        current = con.execute("select distinct province, provinceShort, wardShort from admin_units").fetchall()
        districts = con.execute("select distinct district, districtShort from admin_units_legacy").fetchall()
    return legacy, current, districts
