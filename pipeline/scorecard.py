"""An evaluation report as text, its floors, and pinning floors at measured scores.

Floors (``{"facts": {fact: min F1}, "fields": {field: min correct}, "max_violations": n,
"parts": {part: floors}}``) are a quality gate that cannot drift quietly: ``pin`` writes the
measured scores as the new floors and refuses to lower one unless told to (trafilatura's eval gate).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def render_eval(report: dict[str, Any], *, details: bool = True, baseline: dict[str, Any] | None = None) -> str:
    lines = [_table(report, baseline or {})]
    for part, sub in report.get("parts", {}).items():
        lines += ["", f"== {part} part ({sub['documents']} documents)", _table(sub, {})]
    if report["missing_documents"]:
        lines.append(f"documents missing from the outputs: {', '.join(report['missing_documents'])}")
    lines.extend(f"  ! {v}" for v in report["must_not_extract_violations"])
    if details:
        for fact, s in report["facts"].items():
            for kind, items in (("miss", s["misses"]), ("false positive", s["false_positives"])):
                lines.extend(f"  {fact} {kind}: {item}" for item in items)
    return "\n".join(lines)


def _table(report: dict[str, Any], base: dict[str, Any]) -> str:
    lines = [f"{'fact':<18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"
             + ("   underthesea ner F1 (P)" if base else "")]
    for fact, s in report["facts"].items():
        b = base.get(fact)
        extra = f"   {b['f1']:.2f} ({b['precision']:.2f})" if b else ""
        lines.append(f"{fact:<18} {s['precision']:6.2f} {s['recall']:6.2f} {s['f1']:6.2f} "
                     f"{s['tp']:4d} {s['fp']:4d} {s['fn']:4d}{extra}")
    lines.append("")
    for name, f in report["fields"].items():
        lines.append(f"{name:<18} {f['correct']}/{f['total']}")
    lines.append(f"{'must_not_extract':<18} {len(report['must_not_extract_violations'])} violation(s)")
    return "\n".join(lines)


def check_floors(report: dict[str, Any], floors: dict[str, Any], where: str = "") -> list[str]:
    """Lines for every floor not met."""
    failures = []
    for fact, floor in floors.get("facts", {}).items():
        f1 = report["facts"][fact]["f1"]
        if f1 < floor:
            failures.append(f"{where}{fact} F1 {f1:.3f} < {floor}")
    for name, floor in floors.get("fields", {}).items():
        correct = report["fields"][name]["correct"]
        if correct < floor:
            failures.append(f"{where}{name} {correct} correct < {floor}")
    limit = floors.get("max_violations")
    if limit is not None and len(report["must_not_extract_violations"]) > limit:
        failures.append(f"{where}{len(report['must_not_extract_violations'])} must_not_extract violations > {limit}")
    if report["missing_documents"]:
        failures.append(f"{where}gold documents missing from outputs: {report['missing_documents']}")
    for part, part_floors in floors.get("parts", {}).items():
        if part in report.get("parts", {}):
            failures += check_floors(report["parts"][part], part_floors, f"{part} part: ")
    return failures


def measured(report: dict[str, Any]) -> dict[str, Any]:
    """The report's scores in the shape of a floors file (F1 rounded down to 2 decimals)."""
    floors: dict[str, Any] = {
        "facts": {f: int(s["f1"] * 100) / 100 for f, s in report["facts"].items()},
        "fields": {f: v["correct"] for f, v in report["fields"].items()},
        "max_violations": len(report["must_not_extract_violations"]),
    }
    if report.get("parts"):
        floors["parts"] = {p: measured(sub) for p, sub in report["parts"].items()}
    return floors


def lowered(old: dict[str, Any], new: dict[str, Any], where: str = "") -> list[str]:
    """Every floor of ``old`` that ``new`` would lower."""
    out = []
    for section in ("facts", "fields"):
        for key, value in old.get(section, {}).items():
            if key in new.get(section, {}) and new[section][key] < value:
                out.append(f"{where}{key}: {value} -> {new[section][key]}")
    if "max_violations" in old and new.get("max_violations", 0) > old["max_violations"]:
        out.append(f"{where}max_violations: {old['max_violations']} -> {new['max_violations']}")
    for part, sub in old.get("parts", {}).items():
        out += lowered(sub, new.get("parts", {}).get(part, {}), f"{part} part: ")
    return out


def pin(report: dict[str, Any], path: Path, *, allow_lower: bool = False) -> list[str]:
    """Write the measured scores as floors at ``path``; returns the floors it would lower, and
    writes nothing then unless ``allow_lower``."""
    new = measured(report)
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    down = lowered(old, new)
    if down and not allow_lower:
        return down
    path.write_text(json.dumps(new, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return []
