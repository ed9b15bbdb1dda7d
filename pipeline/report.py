"""`vnpress report`: one self-contained HTML file (no network) to look at the corpus and each document.

Charts are drawn with matplotlib and inlined as SVG; each article is shown with its entities
highlighted by spaCy's displaCy (our spans, one colour per label), boilerplate greyed out, and
its facts as small tables.
"""
from __future__ import annotations

import html
import io
from collections import Counter
from pathlib import Path

import pyarrow as pa

from . import write

COLOURS = {"PERSON": "#f4a261", "TITLE": "#e9c46a", "AGENCY": "#8ecae6", "LOCATION": "#90be6d",
           "DATE": "#cdb4db", "PERIOD": "#ffafcc", "COUNT": "#bde0fe", "LEGAL_REF": "#f28482", "EVENT": "#b7e4c7"}
# Nested spans cannot be drawn inside each other: the outer label of the first list wins.
_PRIORITY = ["PERSON", "TITLE", "EVENT", "LEGAL_REF", "DATE", "PERIOD", "COUNT", "AGENCY", "LOCATION"]

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1.5em;color:#222}
h1{margin-bottom:.2em} h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:1em} .chart{border:1px solid #eee;padding:.5em}
.chart svg{width:100%;height:auto} table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top} th{background:#f6f6f6}
.block{margin:.3em 0} .boilerplate,.byline,.dateline{color:#999;font-size:.85em}
.kind{font-size:.7em;color:#888;text-transform:uppercase;margin-right:.5em} .caption{font-style:italic}
.meta{color:#555} .legend span{padding:.1em .4em;margin-right:.3em;border-radius:.3em;font-size:.8em}
"""


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _bar(title: str, counts: Counter, *, horizontal: bool = False, top: int = 15) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = counts.most_common(top)
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    if not items:
        ax.text(0.5, 0.5, "no data yet", ha="center", va="center")
        ax.set_axis_off()
    elif horizontal:
        labels, values = zip(*reversed(items))
        ax.barh(range(len(values)), values, color="#4c8bf5")
        ax.set_yticks(range(len(labels)), [str(x) if len(str(x)) <= 55 else str(x)[:54] + "…" for x in labels],
                      fontsize=7)
    else:
        labels, values = zip(*sorted(items, key=lambda kv: str(kv[0])))
        ax.bar([str(x) for x in labels], values, color="#4c8bf5")
        ax.tick_params(axis="x", rotation=45)
    ax.set_title(title)
    return _svg(fig)


def _timeline(events: list[dict]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dated = [e for e in events if e["date"]]
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    types = sorted({e["type"] for e in dated})
    for i, kind in enumerate(types):
        xs = [e["date"] for e in dated if e["type"] == kind]
        ax.scatter(xs, [i] * len(xs), s=40)
    ax.set_yticks(range(len(types)), types)
    ax.set_title("Events on a timeline (dated ones)")
    if not dated:
        ax.text(0.5, 0.5, "no dated event", ha="center", va="center", transform=ax.transAxes)
    fig.autofmt_xdate()
    return _svg(fig)


def _periods(periods: list[dict]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    spans = Counter((p["start_year"], p["end_year"]) for p in periods)
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    for i, ((start, end), n) in enumerate(sorted(spans.items())):
        ax.barh(i, end - start + 1, left=start, color="#f28482")
        ax.text(end + 1.2, i, f"{start}–{end} ({n})", va="center", fontsize=8)
    ax.set_yticks([])
    ax.set_title("Programme periods (how often cited)")
    return _svg(fig)


def _per_province(counts: list[dict], provinces: dict[str, str | None]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals: dict[str, Counter] = {"model": Counter(), "award": Counter()}
    for c in counts:
        if c["category"] in totals:
            totals[c["category"]][provinces.get(c["doc_id"]) or "?"] += c["value"]
    names = sorted(set(totals["model"]) | set(totals["award"]))
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], [totals["model"][n] for n in names], width=0.4, label="models")
    ax.bar([x + 0.2 for x in xs], [totals["award"][n] for n in names], width=0.4, label="commended")
    ax.set_xticks(list(xs), names, rotation=45)
    ax.legend()
    ax.set_title("Models built and collectives/individuals commended")
    return _svg(fig)


def _table(headers: list[str], rows: list[list]) -> str:
    if not rows:
        return "<p class='meta'>none</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in r) + "</tr>"
                   for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _spans_for_block(block: dict, mentions: list[dict]) -> list[dict]:
    """Non-overlapping spans inside the block, offsets relative to it."""
    inside = [m for m in mentions if block["char_start"] <= m["char_start"] and m["char_end"] <= block["char_end"]]
    inside.sort(key=lambda m: (m["char_start"], -(m["char_end"] - m["char_start"]), _PRIORITY.index(m["label"])
                               if m["label"] in _PRIORITY else 99))
    chosen, end = [], -1
    for m in inside:
        if m["char_start"] >= end:
            chosen.append({"start": m["char_start"] - block["char_start"], "end": m["char_end"] - block["char_start"],
                           "label": m["label"]})
            end = m["char_end"]
    return chosen


def _article(blocks: list[dict], mentions: list[dict]) -> str:
    from spacy import displacy

    parts = []
    for block in sorted(blocks, key=lambda b: b["block_idx"]):
        kind = block["kind"]
        if kind in ("title", "body", "caption"):
            rendered = displacy.render({"text": block["text"], "ents": _spans_for_block(block, mentions)},
                                       style="ent", manual=True, options={"colors": COLOURS}, page=False)
        else:
            rendered = html.escape(block["text"])
        parts.append(f"<div class='block {kind}'><span class='kind'>{kind}</span>{rendered}</div>")
    return "\n".join(parts)


def _group(table: pa.Table) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in table.to_pylist():
        out.setdefault(row["doc_id"], []).append(row)
    return out


def build(out_dir: Path) -> str:
    t = {name: write.read(out_dir, name) for name in
         ("documents", "blocks", "mentions", "persons", "agencies", "roles", "dates", "periods", "counts", "events")}
    documents = sorted(t["documents"].to_pylist(), key=lambda d: d["source_file"])
    provinces = {d["doc_id"]: d["province"] for d in documents}
    persons = {p["person_id"]: p for p in t["persons"].to_pylist()}
    agencies = {a["agency_id"]: a for a in t["agencies"].to_pylist()}
    agency_docs = Counter(a["name"] for a in agencies.values() for _ in range(a["n_documents"] or 0))
    years = Counter((d["event_date"] or d["published_date"]).year if (d["event_date"] or d["published_date"])
                    else "unknown" for d in documents)
    charts = [
        _bar("Documents per province", Counter(d["province"] or "?" for d in documents)),
        _bar("Documents per year (event, else publication)", years),
        _timeline(t["events"].to_pylist()),
        _bar("Most frequent agencies (documents)", agency_docs, horizontal=True),
        _periods(t["periods"].to_pylist()),
        _per_province(t["counts"].to_pylist(), provinces),
    ]
    by_doc = {name: _group(t[name]) for name in ("blocks", "mentions", "roles", "dates", "counts")}
    legend = "".join(f"<span style='background:{c}'>{label}</span>" for label, c in COLOURS.items())
    sections = []
    for d in documents:
        doc_id = d["doc_id"]
        roles = [[persons[r["person_id"]]["full_name"], persons[r["person_id"]]["gender"], r["title"],
                  agencies.get(r["agency_id"], {}).get("name")] for r in by_doc["roles"].get(doc_id, [])]
        dates = [[x["text"], x["date"] or f"--{x['month']:02d}-{(x['day'] or 0):02d}", x["kind"], x["year_source"]]
                 for x in by_doc["dates"].get(doc_id, [])]
        counts = [[c["text"], c["value"], c["unit"], c["category"]] for c in by_doc["counts"].get(doc_id, [])]
        sections.append(f"""
<section id="{doc_id}"><h2>{html.escape(d['title'] or d['source_file'])}</h2>
<p class="meta">{html.escape(d['source_file'])} · province {html.escape(d['province'] or '—')} · event date
{d['event_date'] or 'unknown'} · published {d['published_date'] or '—'} · authors {html.escape(', '.join(d['authors'] or []) or '—')}</p>
<div class="article">{_article(by_doc['blocks'].get(doc_id, []), by_doc['mentions'].get(doc_id, []))}</div>
<h3>Persons, titles and agencies</h3>{_table(['person', 'gender', 'title', 'agency'], roles)}
<h3>Dates</h3>{_table(['as written', 'date', 'kind', 'how the year was known'], dates)}
<h3>Counts</h3>{_table(['as written', 'value', 'unit', 'category'], counts)}
</section>""")
    charts_html = "".join(f"<div class='chart'>{c}</div>" for c in charts)
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>vnpress report</title>
<style>{CSS}</style></head><body>
<h1>vnpress report</h1><p class="meta">{len(documents)} documents · {len(persons)} persons · {len(agencies)} agencies</p>
<h2>Corpus overview</h2><div class="charts">{charts_html}</div>
<h2>Documents</h2><p class="legend">{legend}</p>
{''.join(sections)}
</body></html>"""


def write_report(out_dir: Path, target: Path) -> Path:
    target.write_text(build(out_dir), encoding="utf-8")
    return target
