"""`vnpress report`: one self-contained HTML file (no network) to look at the corpus and each document.

A table of contents; corpus charts (``report_charts``), each followed by the documents behind
it, which every bar links to; then every article, numbered, with its spans drawn by displaCy's
``span`` style (overlapping spans stacked, so a title and the agency inside it both show),
boilerplate greyed out, removed documents marked, and every fact of the document in tables.

Size: the span style draws only the words inside a span; its templates here use CSS classes,
not displaCy's inline styles, which keeps 100 documents to a few MB (measured in the tests).
"""
from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from . import report_charts as rc
from . import write

COLOURS = {"PERSON": "#f4a261", "TITLE": "#e9c46a", "AGENCY": "#8ecae6", "LOCATION": "#90be6d",
           "DATE": "#cdb4db", "PERIOD": "#ffafcc", "COUNT": "#bde0fe", "LEGAL_REF": "#f28482", "EVENT": "#b7e4c7"}
ARTICLE_KINDS = ("title", "body", "caption")
# displaCy span templates with short classes, not inline styles: {bg} is a label's class (see _CLASS),
# heights and offsets are classes too (CSS below). A token's markup is then ~60 bytes.
_CLASS = {label: f"c{i}" for i, label in enumerate(COLOURS)}
_TEMPLATE = {
    "span": '<span class="s h{total_height}">{text}{span_slices}{span_starts}</span>',
    "slice": '<i class="l {bg} t{top_offset}"></i>',
    "start": '<i class="l {bg} t{top_offset} b"><b class="{bg}">{label}{kb_link}</b></i>',
}
_TOP, _LABEL, _STEP, _DEPTH = 24, 12, 10, 8
_SPAN_OPTIONS = {"colors": _CLASS, "template": _TEMPLATE, "top_offset": _TOP, "span_label_offset": _LABEL,
                 "top_offset_step": _STEP}
_JOIN = "\u2060"  # ends every token given to displaCy, which adds a space after each one outside spans: taken out

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1.5em;color:#222}
h1{margin-bottom:.2em} h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em} h3{margin:.8em 0 .2em}
nav{font-size:.9em} nav ol.docs{columns:2;column-gap:3em;font-size:.9em} nav li{break-inside:avoid} summary{cursor:pointer;color:#555}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:1em} .chart{border:1px solid #eee;padding:.5em}
.chart svg{width:100%;height:auto} .chart a{cursor:pointer} .behind{font-size:.75em;color:#444}
.behind li{margin:.1em 0} .behind a{margin-right:.3em}
table{border-collapse:collapse;margin:.3em 0 .8em;font-size:.85em}
td,th{border:1px solid #ddd;padding:.2em .45em;text-align:left;vertical-align:top} th{background:#f6f6f6}
.block{margin:.3em 0} .boilerplate,.byline,.dateline{color:#999;font-size:.85em}
.kind{font-size:.65em;color:#888;text-transform:uppercase;margin-right:.5em} .caption{font-style:italic}
.meta{color:#555} .legend span{padding:.1em .4em;margin-right:.3em;border-radius:.3em;font-size:.8em}
.removed{background:#fde2e1;color:#9b1c1c;border-radius:.3em;padding:0 .4em;font-size:.8em;font-weight:bold}
section.doc{content-visibility:auto;contain-intrinsic-size:auto 1800px} section.gone .article{opacity:.6} .spans{line-height:2.4}
.s{display:inline-block;position:relative;white-space:pre-wrap}
.l{position:absolute;height:3px;left:0;width:100%} .l.b{border-radius:3px 0 0 3px}
.l b{position:absolute;z-index:10;top:3px;font-style:normal;padding:1px 2px;font-size:.55em;line-height:1;border-radius:2px;color:#000;white-space:nowrap}
""" + "".join(f".{_CLASS[label]}{{background:{colour}}}" for label, colour in COLOURS.items()) + "".join(
    f".h{_TOP + _LABEL + _STEP * i}{{height:{_TOP + _LABEL + _STEP * i}px}}.t{_TOP + _STEP * i}{{top:{_TOP + _STEP * i}px}}"
    for i in range(_DEPTH))


def _table(headers: list[str], rows: list[list]) -> str:
    if not rows:
        return "<p class='meta'>none</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in r) + "</tr>"
                   for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _block_spans(block: dict, tokens: list[dict], mentions: list[dict]) -> str:
    """The block drawn with displaCy's span style. Its token list: each token inside a mention (with
    the white space after it while the same mentions go on, so the underline runs on), and the
    text between mentions as one piece. Mentions land on token boundaries, so each is a run of
    pieces."""
    from spacy import displacy

    text, base = block["text"], block["char_start"]

    def inside(a: int, b: int) -> frozenset:
        return frozenset(i for i, m in enumerate(mentions) if m["char_start"] <= a and b <= m["char_end"])

    pieces: list[list] = []  # [start, end, the mentions covering it]
    for t in tokens:
        covering = inside(t["char_start"], t["char_end"])
        last = pieces[-1] if pieces else None
        if last and not covering and not last[2]:
            last[1] = t["char_end"]  # outside every mention: one piece
            continue
        if last and covering and last[1] < t["char_start"] and last[2] == covering == inside(last[1], t["char_start"]):
            last[1] = t["char_start"]  # the space between two words of the same mentions goes with the first
        pieces.append([t["char_start"], t["char_end"], covering])
    words, starts, ends, pos = [], {}, {}, base
    for start, end, covering in pieces:
        if start > pos:
            words.append(text[pos - base:start - base] + _JOIN)
        starts[start], ends[end] = len(words), len(words) + 1
        words.append(text[start - base:end - base] + _JOIN)
        pos = end
    if pos < block["char_end"]:
        words.append(text[pos - base:] + _JOIN)
    spans = [{"start_token": starts[m["char_start"]], "end_token": ends[m["char_end"]], "label": m["label"]}
             for m in mentions if m["char_start"] in starts and m["char_end"] in ends]
    rendered = displacy.render({"text": text, "tokens": words, "spans": spans}, style="span", manual=True,
                               options=_SPAN_OPTIONS)
    return rendered.replace(_JOIN + " ", "").replace(_JOIN, "").strip()


def _article(blocks: list[dict], tokens: list[dict], mentions: list[dict]) -> str:
    by_block_tokens: dict[int, list[dict]] = defaultdict(list)
    starts = sorted(blocks, key=lambda b: b["char_start"])
    for t in tokens:
        block = next(b for b in reversed(starts) if b["char_start"] <= t["char_start"])
        by_block_tokens[block["block_idx"]].append(t)
    parts = []
    for block in sorted(blocks, key=lambda b: b["block_idx"]):
        kind = block["kind"]
        if kind in ARTICLE_KINDS:
            inside = [m for m in mentions if block["char_start"] <= m["char_start"] and m["char_end"] <= block["char_end"]]
            rendered = _block_spans(block, sorted(by_block_tokens[block["block_idx"]], key=lambda t: t["char_start"]),
                                    inside)
        else:
            rendered = html.escape(block["text"])
        parts.append(f"<div class='block {kind}'><span class='kind'>{kind}</span>{rendered}</div>")
    return "\n".join(parts)


def _group(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        out[row["doc_id"]].append(row)
    return out


def _facts(doc_id: str, by_doc: dict, persons: dict, agencies: dict) -> str:
    def rows(name):
        return sorted(by_doc[name].get(doc_id, []), key=lambda r: r.get("mention_id") or "")

    def agency(a):
        return agencies.get(a, {}).get("name")
    people = [[persons[r["person_id"]]["full_name"], persons[r["person_id"]]["gender"], r["title"], agency(r["agency_id"])]
              for r in rows("roles")]
    titled = {r["person_id"] for r in rows("roles")}
    people += [[persons[p]["full_name"], persons[p]["gender"], None, None] for p in dict.fromkeys(
        m["entity_id"] for m in by_doc["mentions"].get(doc_id, []) if m["label"] == "PERSON")
        if p in persons and p not in titled]
    forms: dict[str, list[str]] = {}
    for m in by_doc["mentions"].get(doc_id, []):
        if m["label"] == "AGENCY" and m["entity_id"] and m["text"] not in forms.setdefault(m["entity_id"], []):
            forms[m["entity_id"]].append(m["text"])
    sections = [
        ("Persons, titles and agencies", ["person", "gender", "title", "agency"], people),
        ("Agencies", ["agency", "written as"], [[agency(a), " · ".join(f)] for a, f in forms.items()]),
        ("Dates", ["as written", "date", "kind", "how the year was known"],
         [[x["text"], x["date"] or f"--{x['month']:02d}-{(x['day'] or 0):02d}" if x["month"] else x["date"], x["kind"],
           x["year_source"] or rc.UNKNOWN] for x in rows("dates")]),
        ("Periods", ["as written", "from", "to", "kind"], [[p["text"], p["start_year"], p["end_year"], p["kind"]]
                                                         for p in rows("periods")]),
        ("Counts", ["as written", "value", "unit", "category"], [[c["text"], c["value"], c["unit"], c["category"]]
                                                                 for c in rows("counts")]),
        ("Legal references", ["as written", "number", "kind", "date"], [[r["text"], r["number"], r["kind"], r["date"]]
                                                                        for r in rows("legal_refs")]),
        ("Events", ["as written", "type", "date", "format"], [[e["text"], e["type"], e["date"], e["format"]]
                                                              for e in rows("events")]),
    ]
    return "".join(f"<h3>{title}</h3>{_table(headers, body)}" for title, headers, body in sections)


def _behind(chart: rc.Chart, numbers: dict[str, int], anchors: dict[str, str], titles: dict[str, str]) -> str:
    items = []
    for category, doc_ids in chart.index.items():
        links = " ".join(f"<a href='#{anchors[d]}' title='{html.escape(titles[d], quote=True)}'>{numbers[d]}</a>"
                         for d in sorted(set(doc_ids), key=numbers.get))
        items.append(f"<li id='{chart.anchor(category)}'><b>{html.escape(category)}</b> "
                     f"({len(set(doc_ids))}): {links}</li>")
    return f"<div class='behind'>Documents behind this chart:<ul>{''.join(items)}</ul></div>"


def _charts(t: dict[str, list[dict]], documents: list[dict], agencies: dict) -> list[rc.Chart]:
    provinces = {d["doc_id"]: d["province"] for d in documents}
    by_province: dict[str, list[str]] = defaultdict(list)
    for d in documents:
        by_province[d["province"] or rc.UNKNOWN].append(d["doc_id"])
    by_agency: dict[str, set[str]] = defaultdict(set)
    for m in t["mentions"]:
        if m["label"] == "AGENCY" and m["entity_id"] in agencies:
            by_agency[agencies[m["entity_id"]]["name"]].add(m["doc_id"])
    anchors = {d["doc_id"]: f"doc-{d['doc_id']}" for d in documents}
    return [
        rc.bars(rc.Chart("province", "Documents per province"), dict(by_province), xlabel="province",
                ylabel="documents"),
        rc.years(rc.Chart("year", "Documents per year"), {d["doc_id"]: rc.year_of(d) for d in documents}),
        rc.timeline(rc.Chart("events", "Events on a timeline"), t["events"], anchors),
        rc.bars(rc.Chart("agencies", "Most frequent agencies"), {k: sorted(v) for k, v in by_agency.items()},
                xlabel="documents naming the agency", ylabel="", horizontal=True),
        rc.periods(rc.Chart("periods", "Programme periods (documents citing them)"), t["periods"]),
        rc.models_awards(rc.Chart("models-awards", "Models built and collectives/individuals commended"),
                         t["counts"], provinces),
    ]


def _meta(d: dict) -> str:
    unknown = rc.UNKNOWN
    since = d.get("province_2025")
    merged = f" (since 1 July 2025: {html.escape(since)})" if since and since != d["province"] else ""
    return (f"{html.escape(d['source_path'])} · province {html.escape(d['province'] or unknown)}{merged} · event date "
            f"{d['event_date'] or unknown} · published {d['published_date'] or unknown} · authors "
            f"{html.escape(', '.join(d['authors'] or []) or unknown)}")


def build(out_dir: Path) -> str:
    names = ("documents", "blocks", "tokens", "mentions", "persons", "agencies", "roles", "dates", "periods",
             "counts", "legal_refs", "events")
    t = {name: write.read(out_dir, name).to_pylist() for name in names}
    documents = sorted(t["documents"], key=lambda d: (d["source_file"], d["source_path"]))
    persons = {p["person_id"]: p for p in t["persons"]}
    agencies = {a["agency_id"]: a for a in t["agencies"]}
    numbers = {d["doc_id"]: i for i, d in enumerate(documents, 1)}
    anchors = {d["doc_id"]: f"doc-{d['doc_id']}" for d in documents}
    titles = {d["doc_id"]: d["title"] or d["source_file"] for d in documents}
    charts = _charts(t, documents, agencies)
    by_doc = {name: _group(t[name]) for name in names[1:] if name not in ("persons", "agencies")}
    removed = "<span class='removed'>removed: its source file is gone</span>"
    toc = "".join(f"<li>{html.escape(d['province'] or rc.UNKNOWN)} · <a href='#{anchors[d['doc_id']]}' title="
                  f"'{html.escape(titles[d['doc_id']], quote=True)}'>{html.escape(rc.short(titles[d['doc_id']], 90))}</a>"
                  f"{' ' + removed if d['status'] == 'removed' else ''}</li>" for d in documents)
    chart_toc = "".join(f"<li><a href='#chart-{c.key}'>{html.escape(c.title)}</a></li>" for c in charts)
    legend = "".join(f"<span class='{_CLASS[label]}'>{label}</span>" for label in COLOURS)
    sections = []
    for d in documents:
        doc_id = d["doc_id"]
        gone = d["status"] == "removed"
        sections.append(f"""
<section id="{anchors[doc_id]}" class="doc{' gone' if gone else ''}"><h2>{numbers[doc_id]}. {html.escape(titles[doc_id])}</h2>
<p class="meta">{removed + ' · ' if gone else ''}{_meta(d)}</p>
<div class="article">{_article(by_doc['blocks'].get(doc_id, []), by_doc['tokens'].get(doc_id, []),
                               by_doc['mentions'].get(doc_id, []))}</div>
{_facts(doc_id, by_doc, persons, agencies)}
</section>""")
    charts_html = "".join(f"<div class='chart' id='chart-{c.key}'>{c.svg}{_behind(c, numbers, anchors, titles)}</div>"
                          for c in charts)
    n_removed = sum(d["status"] == "removed" for d in documents)
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>vnpress report</title>
<style>{CSS}</style></head><body>
<h1>vnpress report</h1><p class="meta">{len(documents)} documents ({n_removed} removed) · {len(persons)} persons ·
{len(agencies)} agencies</p>
<nav id="contents"><h2>Contents</h2><ol><li><a href="#overview">Corpus overview</a><ul>{chart_toc}</ul></li>
<li><a href="#documents">Documents</a><details{' open' if len(documents) <= 20 else ''}><summary>{len(documents)}
documents</summary><ol class="docs">{toc}</ol></details></li></ol></nav>
<h2 id="overview">Corpus overview</h2><p class="meta">Click a bar (or a point) for the documents behind it.</p>
<div class="charts">{charts_html}</div>
<h2 id="documents">Documents</h2><p class="legend">{legend}</p>
{''.join(sections)}
</body></html>"""


def write_report(out_dir: Path, target: Path) -> Path:
    target.write_text(build(out_dir), encoding="utf-8")
    return target
