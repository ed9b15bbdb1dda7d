import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from pipeline import write
from pipeline.schemas import SNAPSHOT_TABLES, TABLES

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["Ủy ban Mặt trận Tổ quốc Việt Nam", "Nguyễn Thúy Hằng", "Sở TN&MT", "giai đoạn 2021 – 2025", ""])


def _row(text):
    return {"doc_id": "d", "mention_id": "m", "date": dt.date(2022, 1, 14), "year": 2022, "month": 1, "day": 14,
            "part_of_day": "chiều", "kind": "event", "year_source": "full_date", "text": text}


@settings(max_examples=40, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_parquet_round_trips_any_vietnamese_string(tmp_path_factory, texts):
    out = tmp_path_factory.mktemp("rt")
    rows = [{**_row(t), "mention_id": f"m{i}"} for i, t in enumerate(texts)]
    tables = {name: write.empty(name) for name in SNAPSHOT_TABLES}
    tables["dates"] = write.to_arrow("dates", rows)
    write.publish(out, "r1", tables)
    back = write.read(out, "dates").to_pylist()
    assert sorted(r["text"] for r in back) == sorted(texts)


def test_rows_with_unknown_or_missing_keys_are_rejected():
    with pytest.raises(write.SchemaError, match="extra"):
        write.to_arrow("dates", [{**_row("x"), "surprise": 1}])
    row = _row("x")
    del row["year"]
    with pytest.raises(write.SchemaError, match="missing"):
        write.to_arrow("dates", [row])


def test_every_schema_carries_its_version():
    for table in TABLES.values():
        assert table.schema.metadata[b"schema_version"]
        assert set(table.key) <= set(table.names)


def test_publish_replaces_the_snapshot_atomically_and_keeps_the_one_it_replaced(tmp_path):
    tables = {name: write.empty(name) for name in SNAPSHOT_TABLES}
    write.publish(tmp_path, "r1", tables)
    first = write.current_snapshot(tmp_path)
    tables["dates"] = write.to_arrow("dates", [_row("Chiều 14/1")])
    write.publish(tmp_path, "r2", tables)
    assert write.current_snapshot(tmp_path) != first and first.exists()  # kept for restore (--keep 2)
    assert write.read(tmp_path, "dates").num_rows == 1
    write.publish(tmp_path, "r3", tables)
    assert not first.exists() and write.order(tmp_path) == ["r2", "r3"]
