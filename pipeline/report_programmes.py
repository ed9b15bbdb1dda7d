"""The report's programmes: a chart of each programme's life (signed → launched → reviewed, one row
per programme, each point a link to the document that reports it), the same as a table per
province with every action and its document, and each document's programmes among its facts.
"""
from __future__ import annotations

import html
from collections import defaultdict
from datetime import date

from . import report_charts as rc

ACTIONS = ("signed", "launched", "reviewed", "cited")
MARKERS = {"signed": ("o", "#2a9d8f"), "launched": ("^", "#e9c46a"), "reviewed": ("s", "#e76f51"),
           "cited": ("x", "#6c757d")}


def label(life: dict) -> str:
    """"chương trình phối hợp 2024–2028 (12/CTrPH-MTTQ-SNV)"."""
    period = f" {life['start_year']}–{life['end_year']}" if life.get("start_year") is not None else ""
    number = f" ({life['number']})" if life.get("number") else ""
    return f"{life['kind']}{period}{number}"


def _ranked(lives: list[dict]) -> list[dict]:
    return sorted(lives, key=lambda p: (p["province"] or rc.UNKNOWN, p["first_date"] or p["last_date"] or date.max,
                                        label(p), p["programme_id"]))


def chart(lives: list[dict], actions: list[dict], anchors: dict[str, str]) -> rc.Chart:
    """One row per programme (the ``TOP`` reported by most documents), a point per dated action."""
    plt = rc._plt()
    c = rc.Chart("programmes", "Programme lives: signed, launched, reviewed (by province)")
    by_programme: dict[str, list[dict]] = defaultdict(list)
    for a in actions:
        by_programme[a["programme_id"]].append(a)
    dated_lives = [p for p in lives if any(a["date"] for a in by_programme[p["programme_id"]])]
    shown = sorted(dated_lives, key=lambda p: (-p["n_documents"], -len(by_programme[p["programme_id"]]),
                                               p["programme_id"]))[:rc.TOP]
    shown = _ranked(shown)
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    dated = [a for p in shown for a in by_programme[p["programme_id"]] if a["date"]]
    if not dated:
        rc._empty(ax, "dated programme action")
    seen: set[str] = set()
    for row, p in enumerate(shown):
        days = sorted(a["date"] for a in by_programme[p["programme_id"]] if a["date"])
        if len(days) > 1:
            ax.plot([days[0], days[-1]], [row, row], color="#bbbbbb", linewidth=1, zorder=1)
        for a in sorted(by_programme[p["programme_id"]], key=lambda a: (a["date"] or date.min, a["action"])):
            if not a["date"]:
                continue
            marker, colour = MARKERS.get(a["action"], ("o", rc.BAR))
            point = ax.scatter([a["date"]], [row], s=30, marker=marker, color=colour, zorder=2,
                               label=a["action"] if a["action"] not in seen else None)
            seen.add(a["action"])
            point.set_urls([f"#{anchors[a['doc_id']]}"])
    if dated:
        ax.set_yticks(range(len(shown)), [rc.short(f"{p['province'] or rc.UNKNOWN} · {label(p)}", 44) for p in shown],
                      fontsize=6)
        ax.set_ylim(-0.7, len(shown) - 0.3)
        ax.invert_yaxis()
        ax.set_xlabel("date of the action")
        ax.legend(fontsize=6, loc="best")
        fig.autofmt_xdate()
    more = len(lives) - len(shown)  # undated ones and those beyond the TOP: in the list under the chart
    ax.set_title(c.title + (f" (+{more} more in the list)" if more > 0 else ""), fontsize=8)
    c.index = {f"{p['province'] or rc.UNKNOWN} · {rc.short(label(p), 70)}": sorted({a["doc_id"] for a in by_programme[
        p["programme_id"]]}) for p in _ranked(lives)}
    c.svg = rc._svg(fig)
    return c


def section(lives: list[dict], actions: list[dict], numbers: dict[str, int], anchors: dict[str, str],
            titles: dict[str, str]) -> str:
    """Every programme, grouped by province: its parties, period, number, and every action with the
    documents that report it, in date order (undated ones last)."""
    if not lives:
        return "<p class='meta'>No cooperation programme was found.</p>"
    by_programme: dict[str, list[dict]] = defaultdict(list)
    for a in actions:
        by_programme[a["programme_id"]].append(a)
    by_province: dict[str, list[dict]] = defaultdict(list)
    for p in _ranked(lives):
        by_province[p["province"] or rc.UNKNOWN].append(p)
    parts = []
    for province, programmes in by_province.items():
        rows = []
        for p in programmes:
            steps = sorted(by_programme[p["programme_id"]],
                           key=lambda a: (a["date"] is None, a["date"] or date.min, ACTIONS.index(a["action"])
                                          if a["action"] in ACTIONS else 9, numbers.get(a["doc_id"], 0)))
            life = " → ".join(
                f"{html.escape(a['action'])} {a['date'] or ('--%02d-%02d' % (a['month'], a['day']) if a['month'] else '(no day)')}"
                f" <a href='#{anchors[a['doc_id']]}' title='{html.escape(titles[a['doc_id']], quote=True)}'>"
                f"{numbers[a['doc_id']]}</a>" for a in steps if a["doc_id"] in anchors)
            rows.append(f"<tr><td>{html.escape(label(p))}</td><td>{html.escape('; '.join(p['parties']))}</td>"
                        f"<td>{life}</td></tr>")
        parts.append(f"<h3>{html.escape(province)} ({len(programmes)})</h3><table><tr><th>programme</th>"
                     f"<th>parties</th><th>what the documents report (document number)</th></tr>{''.join(rows)}</table>")
    return "".join(parts)


def _start(mention_id: str) -> int:
    return int(mention_id.rsplit(":", 1)[1].split("-")[0])


def facts(doc_id: str, by_doc: dict, agencies: dict) -> tuple[str, list[str], list[list]]:
    """The document's programmes as a facts table (title, headers, rows)."""
    parties: dict[str, list[str]] = defaultdict(list)
    for r in by_doc["programme_parties"].get(doc_id, []):
        parties[r["mention_id"]].append(agencies.get(r["agency_id"], {}).get("name") or r["agency_id"])
    done: dict[str, list[str]] = defaultdict(list)
    for r in by_doc["programme_actions"].get(doc_id, []):
        day = r["date"] or (f"--{r['month']:02d}-{r['day']:02d}" if r["month"] else "no day")
        done[r["mention_id"]].append(f"{r['action']} {day}")
    rows = [[p["text"], p["kind"], f"{p['start_year']}–{p['end_year']}" if p["start_year"] is not None else None,
             p["number"], "; ".join(parties[p["mention_id"]]), "; ".join(done[p["mention_id"]]), p["programme_id"]]
            for p in sorted(by_doc["programmes"].get(doc_id, []), key=lambda p: _start(p["mention_id"]))]
    return "Programmes", ["as written", "kind", "period", "number", "parties", "actions", "programme"], rows
