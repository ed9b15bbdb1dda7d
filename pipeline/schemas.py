"""Every output table's pyarrow schema, declared once, with a meaning and an example per column.

The data dictionary (``docs/tables.md``) is generated from here (``vnpress dictionary``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pyarrow as pa

from .errors import REASONS

# 2 (robust): runs.outcome/message/snapshot/n_restored, errors.severity/kept_doc_id; 3: mentions.rule;
# 4: mentions.attrs -> mentions.details, timestamps in ms; 5: both lines joined, and programmes
SCHEMA_VERSION = "5"

STR = pa.string()
# Low-cardinality labels stay plain strings in Arrow (Arrow cannot sort dictionary columns); Parquet
# dictionary-encodes every column page by default, so on disk they cost a few bits a row.
LABEL = pa.string()
I32 = pa.int32()
I64 = pa.int64()
DATE = pa.date32()
# Parquet has no second unit: a timestamp[s] column is written as timestamp[ms], so declare what the files hold.
TS = pa.timestamp("ms", tz="UTC")
STRS = pa.list_(pa.string())
DETAILS = pa.map_(pa.string(), pa.string())


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    meaning: str
    example: str = ""
    nullable: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    one_row_per: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    per_document: bool = True
    log: bool = False  # append-only: one file per run, outside the snapshots
    # Rows per Parquet row group: fixed per table (so the bytes depend on the rows alone), smaller
    # for tables that carry whole texts, so that a writer never buffers more than a few MB.
    row_group_rows: int = 64 * 1024

    @property
    def schema(self) -> pa.Schema:
        fields = [pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns]
        return pa.schema(fields, metadata={"schema_version": SCHEMA_VERSION, "table": self.name})

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def C(name, type_, meaning, example="", nullable=True):
    return Column(name, type_, meaning, example, nullable)


DOC_ID = C("doc_id", STR, "document id: first 16 hex digits of sha256 of the normalised text", "3f9a0c1e2b7d4e65", False)
MENTION_ID = C("mention_id", STR, "id of the span in `mentions` this row comes from", "3f9a0c1e2b7d4e65:DATE:247-257")
START = C("char_start", I32, "start offset in `documents.text` (Python string index)", "247", False)
END = C("char_end", I32, "end offset in `documents.text` (exclusive)", "257", False)
SPAN_TEXT = C("text", STR, "the text as written, `documents.text[char_start:char_end]`", "Chiều 14/1")


def span_columns(label: str, text: str, start: int = 247) -> tuple[Column, ...]:
    """mention_id, text, char_start, char_end with examples that agree with each other."""
    end = start + len(text)
    return (replace(MENTION_ID, example=f"3f9a0c1e2b7d4e65:{label}:{start}-{end}"),
            replace(SPAN_TEXT, example=text), replace(START, example=str(start)), replace(END, example=str(end)))


def fact_columns(label: str, text: str) -> tuple[Column, Column]:
    """mention_id and text of a fact table's row."""
    mention, span_text, _, _ = span_columns(label, text)
    return mention, span_text

PROGRAMME_ID = C("programme_id", STR, "the same instrument in every document that reports it: same kind, parties "
                 "(as the bodies they belong to) and period; a number, when given, settles it",
                 "pg:5e1f0c2a9b7d3e41", False)
PROGRAMME_MENTION = C("mention_id", STR, "the programme's span in `mentions` (`programmes.mention_id`): which "
                      "programme of the document the row is about", "3f9a0c1e2b7d4e65:PROGRAMME:247-290", False)

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("documents", "input document", ("doc_id",), (
        DOC_ID,
        C("source_file", STR, "input file's base name", "hoi-nghi-tap-huan.txt"),
        C("source_path", STR, "input file's path as given to the run", "corpus/seeds/hoi-nghi-tap-huan.txt"),
        C("title", STR, "headline: first article line after banners and addresses"),
        C("text", STR, "normalised full text (NFC, traditional tone placement); every offset indexes it"),
        C("published_date", DATE, "date printed by the page ('Ngày đăng: 30/10/2017')", "2017-10-30"),
        C("event_date", DATE, "date of the main event; null when its year cannot be known", "2022-01-14"),
        C("event_date_source", LABEL, "how the event date's year was known (as `dates.year_source`)", "full_date"),
        C("province", STR, "province or centrally-run city the article is about, as the article names it", "Bình Định"),
        C("province_2025", STR, "the province it belongs to since the 1 July 2025 merger (vietnamadminunits' "
          "old->new mapping)", "Gia Lai"),
        C("authors", STRS, "names from the byline", '["Minh Châu"]'),
        C("content_sha256", STR, "sha256 of the normalised text: the incremental key"),
        C("n_bytes", I64, "size of the input in bytes"),
        C("pipeline_version", STR, "version of code and lexicons that produced the rows"),
        C("run_id", STR, "run that produced the rows"),
        C("status", LABEL, "active, or removed when the source file is gone (kept, marked)", "active"),
        C("url", STR, "page address, when a crawler dump gives it"),
        C("crawl_date", DATE, "when the page was crawled (dump's date column): evidence for year-less dates"),
        C("source_format", LABEL, "txt, html or row (a crawler dump's row)", "txt"),
        C("source_encoding", LABEL, "legacy font encoding the text was converted from: tcvn3 or vni; null "
          "when it was read as Unicode or Windows-1258", "tcvn3"),
    ), row_group_rows=512),
    Table("blocks", "line or paragraph of a document", ("doc_id", "block_idx"), (
        DOC_ID,
        C("block_idx", I32, "position of the block in the document", "0", False),
        C("kind", LABEL, "title, body, caption, byline, dateline or boilerplate", "boilerplate"),
        C("text", STR, "block text"), START, END,
        C("rule", STR, "why the block got its kind (the rule that matched)", "a site banner or slogan in capitals"),
    ), row_group_rows=16 * 1024),
    Table("sentences", "sentence (underthesea, never across blocks)", ("doc_id", "sent_idx"), (
        DOC_ID, C("sent_idx", I32, "position in the document", "0", False),
        C("block_idx", I32, "block holding the sentence", "2", False), C("text", STR, "sentence text"), START, END,
    ), row_group_rows=16 * 1024),
    Table("tokens", "word token (underthesea word_tokenize)", ("doc_id", "sent_idx", "tok_idx"), (
        DOC_ID, C("sent_idx", I32, "sentence", "0", False), C("tok_idx", I32, "position in the sentence", "4", False),
        C("text", STR, "the word as written; syllables joined by spaces", "Ủy ban"),
        C("pos", LABEL, "part-of-speech tag (not computed: null, see README)"), *span_columns("", "Ủy ban")[2:],
    )),
    Table("mentions", "extracted span", ("doc_id", "char_start", "char_end", "label"), (
        DOC_ID, C("mention_id", STR, "`doc_id:LABEL:start-end`", "3f9a0c1e2b7d4e65:PERSON:620-630", False),
        C("sent_idx", I32, "sentence holding the span"), C("block_idx", I32, "block holding the span"),
        C("label", LABEL, "PERSON, TITLE, AGENCY, LOCATION, DATE, PERIOD, COUNT, LEGAL_REF, EVENT, PROGRAMME", "PERSON"),
        *span_columns("PERSON", "Lê Thị Mai", 620)[1:],
        C("entity_id", STR, "person_id or agency_id where resolved, else null"),
        C("normalized", STR, "canonical value: agency full name, person full name, ISO date, 'start-end', value"),
        C("details", DETAILS, "small facts the resolver needs: gender, province, parent_id, abbreviation, rank",
          '{"gender": "female", "province": "Cần Thơ"}'),
        C("rule", STR, "which rule found the span: the rule file and line, or a named grammar rule",
          "titles.jsonl:12"),
    )),
    Table("persons", "distinct person across the corpus", ("person_id",), (
        C("person_id", STR, "stable id from the folded full name and province", "p:9a0c1e2b3d4f5a6b", False),
        C("full_name", STR, "full name without honorific", "Lê Thị Mai"),
        C("gender", LABEL, "male (ông), female (bà), else null (FORMAT.md: no other word says it for certain)", "female"),
        C("province", STR, "province of the documents that name the person"),
        C("n_documents", I32, "documents naming the person"),
    ), per_document=False),
    Table("agencies", "distinct organisation across the corpus", ("agency_id",), (
        C("agency_id", STR, "stable id from the folded canonical name", "a:1b2c3d4e5f6a7b8c", False),
        C("name", STR, "canonical full name with level and place", "Sở Tài nguyên và Môi trường thành phố Cần Thơ"),
        C("abbreviation", STR, "short form used in the corpus", "Sở TNMT"),
        C("province", STR, "province, as the articles name it", "Bình Định"),
        C("province_2025", STR, "the province it belongs to since the 1 July 2025 merger", "Gia Lai"),
        C("parent_id", STR, "agency_id of the body it belongs to (Ban Phong trào -> Ủy ban MTTQ)"),
        C("aliases", STRS, "every surface form seen"),
        C("n_documents", I32, "documents naming the agency"),
    ), per_document=False),
    Table("roles", "person holding a title in a document", ("doc_id", "person_id", "title"), (
        DOC_ID, C("person_id", STR, "person", nullable=False), C("title", STR, "position as written", "Phó Chủ tịch"),
        C("agency_id", STR, "agency the title belongs to, null when none"),
        replace(MENTION_ID, meaning="the TITLE span in `mentions`", example="3f9a0c1e2b7d4e65:TITLE:606-618"),
    )),
    Table("dates", "date mention", ("doc_id", "mention_id"), (
        DOC_ID, fact_columns("DATE", "Chiều 14/1")[0],
        C("date", DATE, "ISO date; null when the year is unknown", "2022-01-14"),
        C("year", I32, "year, null when unknown"), C("month", I32, "month"), C("day", I32, "day"),
        C("part_of_day", LABEL, "sáng, trưa, chiều, tối, đêm", "chiều"),
        C("kind", LABEL, "event, published or reference", "event"),
        C("year_source", LABEL, "how the year was known: explicit, published, crawl_date, full_date, "
          "cited_date, event_name, period_closed, period_opened, year_statement; null when unknown", "full_date"),
        fact_columns("DATE", "Chiều 14/1")[1],
    )),
    Table("periods", "programme period", ("doc_id", "mention_id"), (
        DOC_ID, fact_columns("PERIOD", "giai đoạn 2021 – 2025")[0],
        C("start_year", I32, "first year", "2021"), C("end_year", I32, "last year", "2025"),
        C("kind", LABEL, "giai đoạn, nhiệm kỳ, năm (single programme year) or range", "giai đoạn"),
        fact_columns("PERIOD", "giai đoạn 2021 – 2025")[1],
    )),
    Table("counts", "counted quantity", ("doc_id", "mention_id"), (
        DOC_ID, fact_columns("COUNT", "161 mô hình")[0], C("value", I64, "the number", "161"),
        C("unit", STR, "counted noun as written", "mô hình"),
        C("category", LABEL, "model, award or other", "model"), fact_columns("COUNT", "161 mô hình")[1],
    )),
    Table("legal_refs", "numbered document cited", ("doc_id", "mention_id"), (
        DOC_ID, fact_columns("LEGAL_REF", "Quyết định số 123/QĐ-UBND")[0],
        C("number", STR, "number as written", "123/QĐ-UBND"),
        C("kind", STR, "Luật, Quyết định, Nghị quyết, Chương trình phối hợp …", "Quyết định"),
        C("date", DATE, "date of the document when given", "2021-03-05"),
        fact_columns("LEGAL_REF", "Quyết định số 123/QĐ-UBND")[1],
    )),
    Table("events", "meeting or ceremony reported", ("doc_id", "mention_id"), (
        DOC_ID, fact_columns("EVENT", "Hội nghị tổng kết")[0],
        C("type", STR, "Hội nghị tổng kết, Hội nghị tập huấn, Lễ ký kết …", "Hội nghị tổng kết"),
        C("date", DATE, "date of the event", "2022-01-14"),
        C("format", LABEL, "trực tuyến, trực tiếp or null", "trực tuyến"), fact_columns("EVENT", "Hội nghị tổng kết")[1],
    )),
    Table("programmes", "cooperation instrument between bodies, per document", ("doc_id", "mention_id"), (
        DOC_ID, PROGRAMME_ID,
        C("kind", STR, "the instrument's word as written, lower case (a memorandum is a thỏa thuận hợp tác; "
          "'ký kết hợp tác' with no instrument noun: hợp tác)", "chương trình phối hợp"),
        C("start_year", I32, "first year of the period printed for it; null when none", "2024"),
        C("end_year", I32, "last year of that period", "2028"),
        C("number", STR, "its document number, as in `legal_refs`; null when none", "12/CTrPH-MTTQ-SNV"),
        replace(fact_columns("PROGRAMME", "Chương trình phối hợp số 12/CTrPH-MTTQ-SNV")[0],
                meaning="the PROGRAMME span in `mentions` that names it best (with its number or period): "
                        "one programme of one document"),
        fact_columns("PROGRAMME", "Chương trình phối hợp số 12/CTrPH-MTTQ-SNV")[1],
    )),
    Table("programme_parties", "party of a programme in a document", ("doc_id", "mention_id", "agency_id"), (
        DOC_ID, PROGRAMME_ID, PROGRAMME_MENTION,
        C("agency_id", STR, "the party (a body of `agencies`)", "a:1b2c3d4e5f6a7b8c", False),
    )),
    Table("programme_actions", "what a document reports happening to a programme",
          ("doc_id", "mention_id", "action", "month", "day"), (
        DOC_ID, PROGRAMME_ID, PROGRAMME_MENTION,
        C("action", LABEL, "signed (ký kết, thông qua, ban hành), reviewed (tổng kết, sơ kết, đánh giá), launched "
          "(triển khai, phát động, thực hiện) or cited (only named)", "signed"),
        C("date", DATE, "the day it happened; null when the year is unknown or the article gives no day", "2024-03-15"),
        C("month", I32, "month of that day (also when its year is unknown)", "3"),
        C("day", I32, "day of the month", "15"),
        C("text", STR, "the words that say it, as written", "ký kết Chương trình phối hợp"),
    )),
    Table("programme_lives", "cooperation programme across the corpus: its parties, period and what every "
          "document reports happening to it", ("programme_id",), (
        PROGRAMME_ID,
        C("title", STR, "what to call it: kind, period, number and province",
          "chương trình phối hợp 2024–2028 (12/CTrPH-MTTQ-SNV) · Lào Cai"),
        C("kind", STR, "the instrument's word (the one most documents write)", "chương trình phối hợp"),
        C("start_year", I32, "first year of its period; null when none", "2024"),
        C("end_year", I32, "last year of its period", "2028"),
        C("number", STR, "its document number when a document gives it", "12/CTrPH-MTTQ-SNV"),
        C("parties", STRS, "names of its parties in every document (a sub-unit and its parent both named: the parent)",
          '["Sở Nội vụ tỉnh Lào Cai", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lào Cai"]'),
        C("province", STR, "province of the documents reporting it (the most frequent)", "Lào Cai"),
        C("signed", DATE, "first day it was reported signed", "2024-03-15"),
        C("last_reviewed", DATE, "last day it was reported reviewed", "2026-06-10"),
        C("first_date", DATE, "earliest day of any action", "2024-03-15"),
        C("last_date", DATE, "latest day of any action", "2025-01-20"),
        C("n_documents", I32, "documents reporting or citing it", "2"),
        C("life", STRS, "every action in date order, with its document: 'date action: source file' (no day: "
          "'----------')", '["2024-03-15 signed: lao_cai_noi_vu.txt", "2025-01-20 launched: lao_cai_mttq.txt"]'),
    ), per_document=False),
    Table("runs", "pipeline run (or `restore`)", ("run_id",), (
        C("run_id", STR, "run id (UTC start time and a hash of the inputs as given)", nullable=False),
        C("started_at", TS, "start"), C("finished_at", TS, "end"),
        C("pipeline_version", STR, "package version + hash of code and lexicons"),
        C("n_input", I64, "input files"), C("n_new", I64, "documents (re)processed"),
        C("n_skipped", I64, "unchanged documents and duplicates not reprocessed"),
        C("n_failed", I64, "inputs in `errors` with severity error"),
        C("n_removed", I64, "documents whose source is gone"),
        C("published", pa.bool_(), "whether the run published a new snapshot"),
        C("n_restored", I64, "documents marked removed whose source came back (active again)"),
        C("outcome", LABEL, "published, unchanged (nothing to publish), refused (a guard kept the last snapshot: "
          "see `message`), failed (preflight or an I/O error: see `message`), locked (another command held "
          "--out), restored (`vnpress restore`)", "published"),
        C("message", STR, "why the run did not publish, in one line (null when it did)"),
        C("snapshot", STR, "the snapshot current when the command ended"),
    ), per_document=False, log=True),
    Table("errors", "input that could not be processed", ("run_id", "source_path"), (
        C("run_id", STR, "run", nullable=False),
        C("source_path", STR, "input path (bytes that are not UTF-8 written as \\xNN)", nullable=False),
        C("stage", LABEL, "where it happened: discover, ingest, segment, extract, process, write; `skip` for an "
          "input explicitly skipped (a duplicate)", "ingest"),
        C("reason", LABEL, "short code: " + ", ".join(REASONS), "binary"),
        C("error", STR, "the message"),
        C("n_bytes", I64, "size of the input"), C("sha256", STR, "sha256 of the raw bytes, to find it again"),
        C("severity", LABEL, "error (the input is not in the tables this run), warning (it is, with something "
          "repaired or worth knowing), skipped (left out on purpose: a duplicate)", "error"),
        C("kept_doc_id", STR, "a document whose previous rows were kept because this input failed"),
    ), per_document=False, log=True),
)}


SNAPSHOT_TABLES = tuple(name for name, t in TABLES.items() if not t.log)
DOC_TABLES = tuple(name for name, t in TABLES.items() if t.per_document)
