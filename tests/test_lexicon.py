import pytest

from pipeline import lexicon
from pipeline.lexicon import Field, LexiconError, read_list, read_records

FIELDS = (Field("word"), Field("gender", (str, type(None)), False))


@pytest.mark.parametrize("line, message", [
    ('{"word": "ông", "colour": "red"}', "unknown key"),
    ('{"gender": "male"}', "missing key 'word'"),
    ('{"word": 3}', "'word' has the wrong type"),
    ('{"word": "ông"', "not JSON"),
    ('["ông"]', "expected an object"),
])
def test_malformed_record_is_rejected_with_file_and_line(tmp_path, line, message):
    path = tmp_path / "x.jsonl"
    path.write_text(f"# comment\n{{\"word\": \"bà\"}}\n{line}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"x\.jsonl:3: .*{message}"):
        read_records(path, FIELDS)


def test_word_list_rejects_duplicates_after_normalisation(tmp_path):
    path = tmp_path / "w.txt"
    path.write_text("Ủy ban\nUỷ ban\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"w\.txt:2: duplicate of line 1"):
        read_list(path)


def test_every_shipped_lexicon_loads():
    """Loading each data file through its extractor checks every line of it."""
    from pipeline.extract import agencies, counts, dates, events, legal, persons, places
    from pipeline.ingest import block_rules

    assert block_rules() and agencies.grammar() and persons.lexicons() and places.gazetteer()
    assert counts._lexicon() and dates._patterns() and events._lexicon() and legal._kinds()
    assert len(lexicon.word_list("surnames")) > 100
