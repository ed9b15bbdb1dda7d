"""Rows out of `query`, `stats` and `show` as data: csv, tsv, json, jsonl (or a rich table).

In the data formats a cell is never cut or wrapped: lists and maps are JSON (``["Minh Châu"]``),
dates ISO 8601, nulls empty (CSV/TSV) or ``null`` (JSON). Rows are written as they come, so a
large query result streams.
"""
from __future__ import annotations

import csv
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any, Iterable, Sequence

FORMATS = ("table", "csv", "tsv", "json", "jsonl")
DATA_FORMATS = FORMATS[1:]


def jsonable(value: Any) -> Any:
    """A value JSON can hold: dates and times as ISO strings, decimals as numbers, tuples as lists."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def text_cell(value: Any) -> str:
    """One CSV/TSV cell: empty for null, JSON for lists and maps, ISO for dates."""
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(jsonable(value), ensure_ascii=False)
    value = jsonable(value)
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, bool) else str(value)


def display_cell(value: Any) -> str:
    """One cell of a terminal table: lists joined by commas, maps as key=value."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={display_cell(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(display_cell(v) for v in value)
    return str(jsonable(value))


def write_rows(headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, stream: IO[str]) -> int:
    """Write ``rows`` (sequences in ``headers`` order) in a data format; returns the number of rows."""
    n = 0
    if fmt in ("csv", "tsv"):
        writer = csv.writer(stream, dialect="excel-tab" if fmt == "tsv" else "excel", lineterminator="\n")
        writer.writerow(headers)
        for n, row in enumerate(rows, 1):
            writer.writerow([text_cell(v) for v in row])
    elif fmt == "jsonl":
        for n, row in enumerate(rows, 1):
            stream.write(json.dumps(dict(zip(headers, jsonable(list(row)))), ensure_ascii=False) + "\n")
    elif fmt == "json":
        stream.write("[")
        for n, row in enumerate(rows, 1):
            stream.write(("," if n > 1 else "") + "\n " + json.dumps(dict(zip(headers, jsonable(list(row)))),
                                                                   ensure_ascii=False))
        stream.write("\n]\n" if n else "]\n")
    else:
        raise ValueError(f"not a data format: {fmt!r} (one of {', '.join(DATA_FORMATS)})")
    return n


def write_dicts(rows: list[dict[str, Any]], fmt: str, stream: IO[str]) -> int:
    """Dicts with possibly different keys: the columns are the union, in order of first appearance."""
    headers = list(dict.fromkeys(k for r in rows for k in r))
    return write_rows(headers, ([r.get(h) for h in headers] for r in rows), fmt, stream)
