"""Plain-text rendering of an evaluation report, and the floor check."""
from __future__ import annotations

from typing import Any


def render_eval(report: dict[str, Any], *, details: bool = True) -> str:
    base = report.get("baseline", {})
    lines = [f"{'fact':<18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}   underthesea ner F1 (P)"]
    for fact, s in report["facts"].items():
        b = base.get(fact)
        extra = f"   {b['f1']:.2f} ({b['precision']:.2f})" if b else ""
        lines.append(f"{fact:<18} {s['precision']:6.2f} {s['recall']:6.2f} {s['f1']:6.2f} "
                     f"{s['tp']:4d} {s['fp']:4d} {s['fn']:4d}{extra}")
    lines.append("")
    for name, f in report["fields"].items():
        lines.append(f"{name:<18} {f['correct']}/{f['total']}")
    violations = report["must_not_extract_violations"]
    lines.append(f"{'must_not_extract':<18} {len(violations)} violation(s)")
    lines.extend(f"  ! {v}" for v in violations)
    if report["missing_documents"]:
        lines.append(f"documents missing from the outputs: {', '.join(report['missing_documents'])}")
    if details:
        for fact, s in report["facts"].items():
            for kind, items in (("miss", s["misses"]), ("false positive", s["false_positives"])):
                lines.extend(f"  {fact} {kind}: {item}" for item in items)
    return "\n".join(lines)


def check_floors(report: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    """Lines for every floor not met. Floors: {"facts": {fact: min_f1}, "fields": {field: min_correct},
    "max_violations": n}."""
    failures = []
    for fact, floor in floors.get("facts", {}).items():
        f1 = report["facts"][fact]["f1"]
        if f1 < floor:
            failures.append(f"{fact} F1 {f1:.3f} < {floor}")
    for name, floor in floors.get("fields", {}).items():
        correct = report["fields"][name]["correct"]
        if correct < floor:
            failures.append(f"{name} {correct} correct < {floor}")
    limit = floors.get("max_violations")
    if limit is not None and len(report["must_not_extract_violations"]) > limit:
        failures.append(f"{len(report['must_not_extract_violations'])} must_not_extract violations > {limit}")
    if report["missing_documents"]:
        failures.append(f"gold documents missing from outputs: {report['missing_documents']}")
    return failures
