"""Score the safeguarding detector on one blind probe (tests/data/probeN: risk_probeN.jsonl and
context_probeN.jsonl, see the README beside them); each probe's score.py runs this for its folder:

    .venv/bin/python tests/data/probe9/score.py            # readable report
    .venv/bin/python tests/data/probe9/score.py --misses   # ... and every miss and false alarm
    .venv/bin/python tests/data/probe9/score.py --json     # machine-readable, to compare runs

Only ``SafeguardingDetector.assess`` is measured, one message at a time (no NLU fusion, no
conversation context): the context set is scored as the maximum level over its messages, and,
for comparison, with its messages joined into one text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nlu.safeguarding import SafeguardingDetector  # noqa: E402

LEVELS = ("none", "low", "medium", "high", "critical")
CATEGORIES = (
    "suicide",
    "self_harm",
    "abuse",
    "domestic_abuse",
    "exploitation",
    "bullying",
    "substance",
    "eating",
    "running_away",
    "harm_others",
)
LOOKALIKE_KINDS = frozenset({"figurative", "everyday"})
SCOPES = ("overall", "en", "cy")


def rank(level: str) -> int:
    """Position of a level label in the ordering none < low < medium < high < critical."""
    return LEVELS.index(level)


@dataclass(frozen=True, slots=True)
class Scored:
    """One labelled item (a message, or a whole conversation) with the detector's verdict."""

    id: str
    lang: str
    kind: str
    gold: str
    gold_categories: tuple[str, ...]
    predicted: str
    predicted_categories: tuple[str, ...]
    text: str

    @property
    def concern(self) -> bool:
        return rank(self.gold) >= rank("medium")

    @property
    def raised(self) -> bool:
        return rank(self.predicted) >= rank("medium")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def assess(detector: SafeguardingDetector, text: str) -> tuple[str, tuple[str, ...]]:
    """The detector's level label and category names for one text."""
    risk = detector.assess(text)
    names = tuple(str(getattr(category, "value", category)) for category in risk.categories)
    return risk.level.label, names


def score_messages(detector: SafeguardingDetector, rows: Iterable[dict[str, Any]]) -> list[Scored]:
    scored = []
    for row in rows:
        level, categories = assess(detector, row["text"])
        scored.append(
            Scored(
                row["id"],
                row["lang"],
                row["kind"],
                row["level"],
                tuple(row["categories"]),
                level,
                categories,
                row["text"],
            )
        )
    return scored


def score_conversations(
    detector: SafeguardingDetector, rows: Iterable[dict[str, Any]], *, joined: bool
) -> list[Scored]:
    """Each message alone (the maximum over them), or all messages joined into one text."""
    scored = []
    for row in rows:
        messages: list[str] = row["messages"]
        texts = ["\n".join(messages)] if joined else messages
        verdicts = [assess(detector, text) for text in texts]
        level = max((verdict[0] for verdict in verdicts), key=rank)
        categories = tuple(sorted({name for verdict in verdicts for name in verdict[1]}))
        kind = "conversation" if row["categories"] else "lookalike"
        scored.append(
            Scored(
                row["id"],
                row["lang"],
                kind,
                row["level"],
                tuple(row["categories"]),
                level,
                categories,
                " / ".join(messages),
            )
        )
    return scored


def ratio(items: Sequence[Scored], hit: Callable[[Scored], bool]) -> dict[str, Any]:
    hits = sum(1 for item in items if hit(item))
    total = len(items)
    return {"hits": hits, "total": total, "rate": round(hits / total, 3) if total else None}


def in_scope(items: Sequence[Scored], scope: str) -> list[Scored]:
    return [item for item in items if scope == "overall" or item.lang == scope]


def message_figures(items: Sequence[Scored]) -> dict[str, Any]:
    concerns = [item for item in items if item.concern]
    high = [item for item in items if rank(item.gold) >= rank("high")]
    critical = [item for item in items if item.gold == "critical"]
    lookalikes = [item for item in items if item.kind in LOOKALIKE_KINDS]
    distress = [item for item in items if item.kind == "distress"]
    neutral = [item for item in items if item.kind == "neutral"]
    return {
        "concern_recall": ratio(concerns, lambda item: item.raised),
        "high_critical_at_high": ratio(high, lambda item: rank(item.predicted) >= rank("high")),
        "critical_at_critical": ratio(critical, lambda item: item.predicted == "critical"),
        "false_alarms_lookalikes": ratio(lookalikes, lambda item: item.raised),
        "false_alarms_distress": ratio(distress, lambda item: item.raised),
        "neutral_at_low_or_above": ratio(neutral, lambda item: rank(item.predicted) >= 1),
        "neutral_at_medium_or_above": ratio(neutral, lambda item: item.raised),
    }


def conversation_figures(items: Sequence[Scored]) -> dict[str, Any]:
    concerns = [item for item in items if item.concern]
    high = [item for item in items if rank(item.gold) >= rank("high")]
    critical = [item for item in items if item.gold == "critical"]
    lookalikes = [item for item in items if not item.concern]
    return {
        "concern_recall": ratio(concerns, lambda item: item.raised),
        "high_critical_at_high": ratio(high, lambda item: rank(item.predicted) >= rank("high")),
        "critical_at_critical": ratio(critical, lambda item: item.predicted == "critical"),
        "false_alarms_lookalikes": ratio(lookalikes, lambda item: item.raised),
    }


def raised_as(category: str) -> Callable[[Scored], bool]:
    """Raised to at least medium with ``category`` among the detector's categories."""
    return lambda item: item.raised and category in item.predicted_categories


def category_figures(items: Sequence[Scored]) -> dict[str, Any]:
    figures = {}
    for category in CATEGORIES:
        gold = [item for item in items if item.concern and category in item.gold_categories]
        figures[category] = {
            "recall": ratio(gold, lambda item: item.raised),
            "category_right": ratio(gold, raised_as(category)),
        }
    return figures


def kind_figures(items: Sequence[Scored]) -> dict[str, Any]:
    """Concern recall by kind of wording, overall and per language."""
    kinds = sorted({item.kind for item in items if item.concern})
    return {
        kind: {
            scope: ratio(
                [item for item in in_scope(items, scope) if item.concern and item.kind == kind],
                lambda item: item.raised,
            )
            for scope in SCOPES
        }
        for kind in kinds
    }


def misses(items: Sequence[Scored]) -> list[dict[str, Any]]:
    """Concerns not raised to medium, high/critical left below high, and false alarms."""
    found = []
    for item in items:
        if item.concern and not item.raised:
            why = "missed"
        elif item.concern and rank(item.gold) >= rank("high") > rank(item.predicted):
            why = "under_graded"
        elif not item.concern and item.raised:
            why = "false_alarm"
        else:
            continue
        found.append(
            {
                "id": item.id,
                "why": why,
                "lang": item.lang,
                "kind": item.kind,
                "gold": item.gold,
                "predicted": item.predicted,
                "predicted_categories": list(item.predicted_categories),
                "text": item.text,
            }
        )
    return found


def shown(path: Path) -> str:
    """A path relative to the repository where it lies inside it (no machine paths in output)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return path.name


def report(model_dir: Path, probe: Path) -> dict[str, Any]:
    """Every figure for the probe in folder ``probe`` (its name is the files' suffix)."""
    detector = SafeguardingDetector.load(model_dir)
    messages = score_messages(detector, load_jsonl(probe / f"risk_{probe.name}.jsonl"))
    conversations = load_jsonl(probe / f"context_{probe.name}.jsonl")
    one_at_a_time = score_conversations(detector, conversations, joined=False)
    joined = score_conversations(detector, conversations, joined=True)
    return {
        "model_dir": shown(model_dir),
        "probe": probe.name,
        "messages": {scope: message_figures(in_scope(messages, scope)) for scope in SCOPES},
        "per_category": category_figures(messages),
        "per_kind": kind_figures(messages),
        "context_one_at_a_time": {
            scope: conversation_figures(in_scope(one_at_a_time, scope)) for scope in SCOPES
        },
        "context_joined": {
            scope: conversation_figures(in_scope(joined, scope)) for scope in SCOPES
        },
        "predictions": {item.id: item.predicted for item in messages + one_at_a_time},
        "misses": misses(messages),
        "context_misses": misses(one_at_a_time),
    }


def fmt(figure: dict[str, Any]) -> str:
    rate = "-" if figure["rate"] is None else f"{figure['rate']:.3f}"
    return f"{figure['hits']}/{figure['total']} = {rate}"


def print_table(title: str, figures: dict[str, dict[str, Any]]) -> None:
    print(f"\n{title}")
    names = list(figures["overall"])
    print(f"  {'measure':30} " + " ".join(f"{scope:>17}" for scope in SCOPES))
    for name in names:
        cells = " ".join(f"{fmt(figures[scope][name]):>17}" for scope in SCOPES)
        print(f"  {name:30} {cells}")


def print_report(result: dict[str, Any], *, show_misses: bool) -> None:
    print(f"model: {result['model_dir']}")
    print_table(f"messages (risk_{result['probe']}.jsonl)", result["messages"])
    print("\nper category (gold >= medium): raised >= medium / with the category right")
    for category, figure in result["per_category"].items():
        print(f"  {category:16} {fmt(figure['recall']):>17}  {fmt(figure['category_right']):>17}")
    print("\nper kind (concerns raised >= medium)")
    print(f"  {'kind':16} " + " ".join(f"{scope:>17}" for scope in SCOPES))
    for kind, figures in result["per_kind"].items():
        print(f"  {kind:16} " + " ".join(f"{fmt(figures[scope]):>17}" for scope in SCOPES))
    print_table("conversations, each message alone (max level)", result["context_one_at_a_time"])
    print_table("conversations, messages joined into one text", result["context_joined"])
    if show_misses:
        for title, key in (("message misses", "misses"), ("conversation misses", "context_misses")):
            print(f"\n{title} (gold -> predicted)")
            for miss in result[key]:
                print(
                    f"  {miss['id']} {miss['why']} [{miss['lang']}/{miss['kind']}] "
                    f"{miss['gold']} -> {miss['predicted']}: {miss['text']}"
                )


def main(probe: Path, argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--misses", action="store_true", help="list misses and false alarms")
    parser.add_argument("--model-dir", type=Path, default=ROOT / "var" / "nlu-model")
    args = parser.parse_args(argv)
    result = report(args.model_dir, probe)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_report(result, show_misses=args.misses)
    return 0
