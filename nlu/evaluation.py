"""Evaluate the understanding pipeline on labelled held-out JSON lines, per language."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sklearn.metrics import precision_recall_fscore_support

from core.vocabulary import Language, parse_language
from nlu.understand import Understander


@dataclass(slots=True)
class Labelled:
    """One held-out message with whichever labels its line carried, and the pipeline's answers."""

    text: str
    lang: Language | None
    intent: str | None = None
    level: str | None = None
    categories: frozenset[str] | None = None
    predicted: dict[str, Any] = field(default_factory=dict)


def read_labelled(paths: Iterable[Path]) -> list[Labelled]:
    """Read held-out lines; lines without text or without any label are skipped."""
    items = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row.get("text"), str):
                continue
            categories = row.get("categories")
            item = Labelled(
                text=row["text"],
                lang=parse_language(row.get("lang")),
                intent=row.get("intent"),
                level=row.get("level"),
                categories=frozenset(categories) if isinstance(categories, list) else None,
            )
            if item.intent or item.level or item.categories is not None:
                items.append(item)
    return items


async def predict(understander: Understander, items: Sequence[Labelled]) -> None:
    """Run every item through the pipeline, with its language as the hint (as in a chat)."""
    for item in items:
        understanding = await understander.understand(item.text, item.lang)
        item.predicted = {
            "lang": understanding.nlu.language,
            "intent": understanding.nlu.intent,
            "level": understanding.risk.level.label,
            "categories": frozenset(understanding.risk.categories),
        }


def single_label(gold: list[str], pred: list[str], order: Sequence[str] = ()) -> dict[str, Any]:
    """Per-label precision, recall, F1, support; macro-F1 over gold labels; accuracy; confusion."""
    labels = list(order) + sorted((set(gold) | set(pred)) - set(order))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    gold_labels = set(gold)
    macro = [float(f[i]) for i, label in enumerate(labels) if label in gold_labels]
    return {
        "n": len(gold),
        "accuracy": sum(g == q for g, q in zip(gold, pred, strict=True)) / len(gold),
        "macro_f1": sum(macro) / len(macro),
        "per_label": {
            label: {
                "precision": float(p[i]),
                "recall": float(r[i]),
                "f1": float(f[i]),
                "support": int(s[i]),
            }
            for i, label in enumerate(labels)
        },
        "labels": labels,
        "confusion": _confusion(gold, pred, labels),
    }


def _confusion(gold: list[str], pred: list[str], labels: list[str]) -> list[list[int]]:
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def multi_label(gold: list[frozenset[str]], pred: list[frozenset[str]]) -> dict[str, Any]:
    """Per-category precision, recall and F1 where each message may carry several categories."""
    per_label = {}
    for label in sorted(set().union(*gold, *pred)):
        tp = sum(label in g and label in q for g, q in zip(gold, pred, strict=True))
        fp = sum(label not in g and label in q for g, q in zip(gold, pred, strict=True))
        fn = sum(label in g and label not in q for g, q in zip(gold, pred, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    scored = [v["f1"] for v in per_label.values() if v["support"]]
    return {
        "n": len(gold),
        "macro_f1": sum(scored) / len(scored) if scored else 0.0,
        "per_label": per_label,
    }


def report(items: Sequence[Labelled], level_order: Sequence[str] = ()) -> dict[str, Any]:
    """Scores per language (the gold language, else the identified one)."""
    result: dict[str, Any] = {}
    for language in Language:
        group = [i for i in items if (i.lang or i.predicted["lang"]) == language]
        if not group:
            continue
        section: dict[str, Any] = {"n": len(group)}
        with_lang = [i for i in group if i.lang]
        if with_lang:
            hits = sum(i.predicted["lang"] == i.lang for i in with_lang)
            section["language_id_accuracy"] = hits / len(with_lang)
        intents = [i for i in group if i.intent]
        if intents:
            section["intents"] = single_label(
                [i.intent or "" for i in intents], [i.predicted["intent"] for i in intents]
            )
        levels = [i for i in group if i.level]
        if levels:
            section["risk_levels"] = single_label(
                [i.level or "" for i in levels], [i.predicted["level"] for i in levels], level_order
            )
        categorised = [i for i in group if i.categories is not None]
        if categorised:
            section["risk_categories"] = multi_label(
                [i.categories or frozenset() for i in categorised],
                [i.predicted["categories"] for i in categorised],
            )
        result[language] = section
    return result
