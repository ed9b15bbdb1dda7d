"""Canned queries of `vnpress serve` (SQLite SQL over the copy that ``serve.build_database`` makes).

Each query is written for the tables the copy has: "which bodies sign with which" reads the
parties of programmes (``programme_parties``) when the snapshot has that table, and otherwise
pairs the top-level agencies named in documents that report a signing ceremony.
"""
from __future__ import annotations

WHO_HELD_WHICH_POST = """
select p.full_name as person, r.title, a.name as agency, d.province,
       coalesce(d.event_date, d.published_date) as date, d.title as document,
       r.person_id, r.agency_id, r.doc_id
from roles r
join persons p on p.person_id = r.person_id
join documents d on d.doc_id = r.doc_id
left join agencies a on a.agency_id = r.agency_id
where :person = '' or p.full_name like '%' || :person || '%'
order by p.full_name, date, r.title, a.name
"""

SIGN_WITH_PROGRAMMES = """
select a.name as agency, b.name as with_agency, count(distinct x.programme_id) as programmes,
       count(distinct x.doc_id) as documents,
       group_concat(distinct pr.start_year || '–' || pr.end_year) as periods
from programme_parties x
join programme_parties y on y.programme_id = x.programme_id and y.doc_id = x.doc_id and x.agency_id < y.agency_id
join agencies a on a.agency_id = x.agency_id
join agencies b on b.agency_id = y.agency_id
left join programmes pr on pr.programme_id = x.programme_id and pr.doc_id = x.doc_id
group by a.name, b.name
order by programmes desc, documents desc, agency, with_agency
"""

SIGN_WITH_CEREMONIES = """
with signing as (
  select distinct doc_id from events where type like '%ký kết%'
), parties as (
  select distinct m.doc_id, m.entity_id as agency_id
  from mentions m join signing s on s.doc_id = m.doc_id
  join agencies a on a.agency_id = m.entity_id
  where m.label = 'AGENCY' and a.parent_id is null
), doc_periods as (
  select doc_id, group_concat(distinct start_year || '–' || end_year) as periods from periods group by doc_id
)
select a.name as agency, b.name as with_agency, count(*) as documents,
       group_concat(distinct dp.periods) as periods, group_concat(x.doc_id) as doc_ids
from parties x
join parties y on y.doc_id = x.doc_id and x.agency_id < y.agency_id
join agencies a on a.agency_id = x.agency_id
join agencies b on b.agency_id = y.agency_id
left join doc_periods dp on dp.doc_id = x.doc_id
group by a.name, b.name
order by documents desc, agency, with_agency
"""

AWARDS_PER_PROVINCE = """
select coalesce(d.{column}, 'unknown') as province,
       sum(case when c.category = 'award' then c.value else 0 end) as commended,
       sum(case when c.category = 'model' then c.value else 0 end) as models,
       count(distinct c.doc_id) as documents
from counts c join documents d on d.doc_id = c.doc_id
where c.category in ('award', 'model')
group by coalesce(d.{column}, 'unknown')
order by commended desc, models desc, province
"""


def canned_queries(columns: dict[str, set[str]]) -> dict[str, dict[str, str]]:
    """Datasette ``queries`` metadata for a database holding these tables (name -> column names)."""
    tables = set(columns)
    queries = {}
    if {"roles", "persons", "documents", "agencies"} <= tables:
        queries["who_held_which_post"] = {
            "title": "Who held which post",
            "description": "Every person with each title and agency a document gives them (filter by part of "
                           "a name, or leave it empty for everyone).",
            "sql": WHO_HELD_WHICH_POST.strip()}
    if {"programme_parties", "agencies"} <= tables:
        sql = SIGN_WITH_PROGRAMMES if "programmes" in tables else \
            SIGN_WITH_PROGRAMMES.replace("group_concat(distinct pr.start_year || '–' || pr.end_year)", "null") \
            .replace("left join programmes pr on pr.programme_id = x.programme_id and pr.doc_id = x.doc_id\n", "")
        how = "Pairs of parties of the same programme (programme_parties)."
    elif {"events", "mentions", "agencies", "periods"} <= tables:
        sql, how = SIGN_WITH_CEREMONIES, ("Pairs of top-level agencies named in the same document reporting a "
                                          "signing ceremony (events of type … ký kết), with its periods.")
    else:
        sql = None
    if sql:
        queries["which_bodies_sign_with_which"] = {"title": "Which bodies sign with which", "description": how,
                                                   "sql": sql.strip()}
    if {"counts", "documents"} <= tables:
        queries["awards_per_province"] = {
            "title": "Awards and models per province",
            "description": "Collectives and individuals commended (counts of category award) and models built, "
                           "summed per province of the document, as the article names it.",
            "sql": AWARDS_PER_PROVINCE.format(column="province").strip()}
        if "province_2025" in columns["documents"]:
            queries["awards_per_province_2025"] = {
                "title": "Awards and models per province (provinces since 1 July 2025)",
                "description": "The same sums per province the document's place belongs to since the merger.",
                "sql": AWARDS_PER_PROVINCE.format(column="province_2025").strip()}
    return queries
