"""Render an evaluation report as plain-text tables."""

from __future__ import annotations

from typing import Any

LANGUAGE_NAMES = {"cy": "Welsh (cy)", "en": "English (en)"}
MAX_CONFUSIONS = 12


def format_report(report: dict[str, Any]) -> str:
    """Return the tables for every language and label kind in ``report``."""
    lines: list[str] = []
    for language, section in report.items():
        lines.append(f"== {LANGUAGE_NAMES.get(language, language)}: {section['n']} messages ==")
        if "language_id_accuracy" in section:
            lines.append(f"language identification accuracy {section['language_id_accuracy']:.3f}")
        for kind, title in (("intents", "intent"), ("risk_levels", "risk level")):
            if kind in section:
                lines += _table(title, section[kind])
                lines += _confusion(section[kind], full=kind == "risk_levels")
        if "risk_categories" in section:
            lines += _table("risk category", section["risk_categories"])
        lines.append("")
    return "\n".join(lines)


def _table(title: str, scores: dict[str, Any]) -> list[str]:
    width = max([len(title), *map(len, scores["per_label"])])
    lines = ["", f"{title:<{width}}  precision  recall     f1  support"]
    for label, s in scores["per_label"].items():
        lines.append(
            f"{label:<{width}}  {s['precision']:9.3f}  {s['recall']:6.3f}  {s['f1']:5.3f}"
            f"  {s['support']:7d}"
        )
    summary = f"macro-F1 {scores['macro_f1']:.3f}"
    if "accuracy" in scores:
        summary += f"  accuracy {scores['accuracy']:.3f}"
    lines.append(f"{summary}  (n={scores['n']})")
    return lines


def _confusion(scores: dict[str, Any], full: bool) -> list[str]:
    labels, matrix = scores["labels"], scores["confusion"]
    if full:
        width = max(map(len, labels))
        lines = ["", "confusion (rows gold, columns predicted)"]
        lines.append(" " * width + "  " + " ".join(f"{label[:8]:>8}" for label in labels))
        for label, row in zip(labels, matrix, strict=True):
            lines.append(f"{label:<{width}}  " + " ".join(f"{n:8d}" for n in row))
        return lines
    pairs = [
        (matrix[g][p], labels[g], labels[p])
        for g in range(len(labels))
        for p in range(len(labels))
        if g != p and matrix[g][p]
    ]
    if not pairs:
        return ["no confusions"]
    lines = ["most confused (gold -> predicted: count)"]
    for count, gold, predicted in sorted(pairs, reverse=True)[:MAX_CONFUSIONS]:
        lines.append(f"  {gold} -> {predicted}: {count}")
    return lines
