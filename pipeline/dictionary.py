"""The data dictionary (docs/tables.md), generated from the schemas in ``schemas.py``."""
from __future__ import annotations

from .schemas import SCHEMA_VERSION, TABLES


def render() -> str:
    lines = [
        "# Data dictionary",
        "",
        f"Generated from `pipeline/schemas.py` by `vnpress dictionary` (schema version {SCHEMA_VERSION}); "
        "do not edit by hand. Each table is a Parquet folder under `outputs/`, e.g. "
        "`pandas.read_parquet(\"outputs/mentions\")`.",
        "",
    ]
    for table in TABLES.values():
        where = "append-only log, one file per run" if table.log else "snapshot table"
        lines += [f"## {table.name}", "", f"One row per {table.one_row_per}; key ({', '.join(table.key)}); {where}.", "",
                  "| column | type | meaning | example |", "|---|---|---|---|"]
        for c in table.columns:
            example = f"`{c.example}`" if c.example else ""
            lines.append(f"| `{c.name}` | {c.type} | {c.meaning.replace('|', '/')} | {example} |")
        lines.append("")
    return "\n".join(lines)
