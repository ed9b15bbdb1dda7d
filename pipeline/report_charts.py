"""The report's charts: matplotlib figures inlined as SVG, each bar or point a link.

Every chart comes with the documents behind it (``Chart.index``: category -> doc_ids); the report
lists them under the chart and each bar links to its entry there (a point of the timeline links
to its document). Text stays text in the SVG (``svg.fonttype = none``: smaller, searchable, drawn
with the page's font), counts get integer ticks, a chart shows its ``TOP`` categories and puts
the rest in "other", and a missing value is called "unknown" everywhere. The SVG carries no date
and fixed ids, so the same tables give the same bytes.
"""
from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

UNKNOWN = "unknown"
OTHER = "other"
TOP = 12
BAR = "#4c8bf5"


@dataclass
class Chart:
    key: str
    title: str
    svg: str = ""
    index: dict[str, list[str]] = field(default_factory=dict)  # category -> doc_ids, in the chart's order

    def anchor(self, category: str) -> str:
        return f"{self.key}-{slug(category)}"


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x"


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "vnpress", "font.size": 8})
    return plt


def _svg(fig) -> str:
    plt = _plt()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _integer_axis(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def top_with_other(groups: dict[str, list[str]], top: int = TOP) -> dict[str, list[str]]:
    """The ``top`` largest groups (ties by name), the rest merged into "other (N more)" (listed last)."""
    ranked = sorted(groups.items(), key=lambda kv: (-len(set(kv[1])), kv[0]))
    kept = dict(ranked[:top])
    rest = sorted({d for _, docs in ranked[top:] for d in docs})
    if rest:
        kept[other(len(ranked) - top)] = rest
    return kept


def other(n: int) -> str:
    return f"{OTHER} ({n} more)"


def _empty(ax, what: str) -> None:
    ax.text(0.5, 0.5, f"no {what}", ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def short(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[:width - 1] + "…"


def bars(chart: Chart, groups: dict[str, list[str]], *, xlabel: str, ylabel: str, horizontal: bool = False,
         ordered: bool = False) -> Chart:
    """One bar per category: the number of distinct documents behind it."""
    plt = _plt()
    chart.index = groups if ordered else top_with_other(groups)
    labels = list(chart.index)
    values = [len(set(chart.index[k])) for k in labels]
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    if not labels:
        _empty(ax, "data yet")
    elif horizontal:
        drawn = ax.barh(range(len(labels))[::-1], values, color=BAR)
        ax.set_yticks(range(len(labels))[::-1], [short(x) for x in labels], fontsize=7)
        _integer_axis(ax.xaxis)
    else:
        drawn = ax.bar(range(len(labels)), values, color=BAR)
        ax.set_xticks(range(len(labels)), [short(x, 24) for x in labels], rotation=40, ha="right")
        _integer_axis(ax.yaxis)
    if labels:
        for bar, label in zip(drawn, labels):
            bar.set_url(f"#{chart.anchor(label)}")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    ax.set_title(chart.title)
    chart.svg = _svg(fig)
    return chart


def years(chart: Chart, doc_years: dict[str, int | None], *, most: int = 15) -> Chart:
    """Documents per year in year order; years before the ``most`` latest ones become "earlier"."""
    groups: dict[str, list[str]] = {}
    known = sorted({y for y in doc_years.values() if y is not None})
    cut = known[-most] if len(known) > most else None
    for doc_id, year in sorted(doc_years.items()):
        label = UNKNOWN if year is None else f"before {cut}" if cut and year < cut else str(year)
        groups.setdefault(label, []).append(doc_id)
    order = ([f"before {cut}"] if cut else []) + [str(y) for y in known if not cut or y >= cut] + [UNKNOWN]
    ordered = {k: groups[k] for k in order if k in groups}
    return bars(chart, ordered, xlabel="year of the event (else of publication)", ylabel="documents", ordered=True)


def timeline(chart: Chart, events: list[dict], anchors: dict[str, str]) -> Chart:
    """Dated events as points (one row per event type, the ``TOP`` commonest; others in "other"),
    each a link to its document."""
    plt = _plt()
    dated = sorted((e for e in events if e["date"]), key=lambda e: (e["date"], e["doc_id"]))
    undated = sorted({e["doc_id"] for e in events if not e["date"]})
    types = top_with_other({t: [e["doc_id"] for e in dated if e["type"] == t] for t in {e["type"] for e in dated}})
    row_of = {t: i for i, t in enumerate(types)}
    rest = next((t for t in types if t.startswith(OTHER)), None)
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    if not dated:
        _empty(ax, "dated event")
    for e in dated:
        row = row_of.get(e["type"], row_of.get(rest))
        point = ax.scatter([e["date"]], [row], s=36, color=BAR)
        point.set_urls([f"#{anchors[e['doc_id']]}"])
    if dated:
        ax.set_yticks(range(len(types)), [short(t, 30) for t in types])
        ax.set_ylim(-0.7, len(types) - 0.3)
        ax.set_xlabel("event date")
        ax.set_ylabel("event type")
        fig.autofmt_xdate()
    ax.set_title(chart.title + (f" ({len(undated)} documents without a date)" if undated else ""))
    chart.index = {**types, **({UNKNOWN: undated} if undated else {})}
    chart.svg = _svg(fig)
    return chart


def periods(chart: Chart, rows: list[dict]) -> Chart:
    """Each programme period a bar from its first to its last year, with how many documents cite it."""
    plt = _plt()
    groups: dict[str, list[str]] = {}
    for p in sorted(rows, key=lambda p: (p["start_year"], p["end_year"], p["doc_id"])):
        groups.setdefault(f"{p['start_year']}–{p['end_year']}", []).append(p["doc_id"])
    chart.index = top_with_other(groups)
    shown = [k for k in chart.index if not k.startswith(OTHER)]
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    if not shown:
        _empty(ax, "programme period")
    for i, label in enumerate(shown):
        start, end = (int(x) for x in label.split("–"))
        n = len(set(chart.index[label]))
        bar = ax.barh(i, end - start + 1, left=start, color="#f28482")[0]
        bar.set_url(f"#{chart.anchor(label)}")
        ax.text(end + 1.3, i, f"{label} ({n})", va="center", fontsize=7)
    if shown:
        ax.set_yticks([])
        ax.invert_yaxis()
        ax.set_xlabel("year")
        _integer_axis(ax.xaxis)
        ax.margins(x=0.25)
    more = len(groups) - len(shown)
    ax.set_title(chart.title + (f" (+{more} more in the list)" if more > 0 else ""))
    chart.svg = _svg(fig)
    return chart


def models_awards(chart: Chart, counts: list[dict], provinces: dict[str, str | None]) -> Chart:
    """Models built and collectives/individuals commended, summed per province (top provinces)."""
    plt = _plt()
    totals: dict[str, Counter] = {"model": Counter(), "award": Counter()}
    groups: dict[str, list[str]] = {}
    for c in counts:
        if c["category"] in totals:
            province = provinces.get(c["doc_id"]) or UNKNOWN
            totals[c["category"]][province] += c["value"]
            groups.setdefault(province, []).append(c["doc_id"])
    ranked = sorted(groups, key=lambda p: (-(totals["model"][p] + totals["award"][p]), p))
    chart.index = {p: sorted(set(groups[p])) for p in ranked[:TOP]}
    if len(ranked) > TOP:
        rest = other(len(ranked) - TOP)
        chart.index[rest] = sorted({d for p in ranked[TOP:] for d in groups[p]})
        for kind in totals:
            totals[kind][rest] = sum(totals[kind][p] for p in ranked[TOP:])
    names = list(chart.index)
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    if not names:
        _empty(ax, "model or award counted")
    else:
        xs = range(len(names))
        for offset, kind, label in ((-0.2, "model", "models built"), (0.2, "award", "commended")):
            drawn = ax.bar([x + offset for x in xs], [totals[kind][n] for n in names], width=0.4, label=label)
            for bar, name in zip(drawn, names):
                bar.set_url(f"#{chart.anchor(name)}")
        ax.set_xticks(list(xs), [short(n, 24) for n in names], rotation=40, ha="right")
        _integer_axis(ax.yaxis)
        ax.set_xlabel("province")
        ax.set_ylabel("number (sum of the counts)")
        ax.legend()
    ax.set_title(chart.title)
    chart.svg = _svg(fig)
    return chart


def year_of(d: dict) -> int | None:
    when: date | None = d["event_date"] or d["published_date"]
    return when.year if when else None
