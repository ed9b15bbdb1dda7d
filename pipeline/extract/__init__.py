"""Extractors: one module per fact family, each a pure function of a segmented document.

``extract`` runs them in order and returns the rows of every fact table plus the
document-level values (province, event date).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..segment import Segmented

FACT_TABLES = ("mentions", "roles", "dates", "periods", "counts", "legal_refs", "events")


@dataclass
class Found:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in FACT_TABLES})
    province: str | None = None
    event_date: date | None = None


def extract(seg: Segmented) -> Found:
    return Found()
