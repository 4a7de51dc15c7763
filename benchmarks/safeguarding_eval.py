"""Quality of the safeguarding detector on every labelled set (the README's figures).

Run: .venv/bin/python benchmarks/safeguarding_eval.py [--model-dir DIR] [--probe8] [--json]

Sets: the held-out set, the independent set, probes 6 and 7, the recall work's dev set, the
calibration file (thresholds
are chosen on it, so its figures are not an estimate for unseen wording) and, only with
``--probe8``, the untouched probe 8 and its conversations scored WITH context (each message
assessed with the messages before it). Probe 8 is for reporting only: never tune on its output.

Figures per set, overall / en / cy: recall of concerns (gold >= medium -> >= medium), high and
critical raised to >= high, critical reaching critical, false alarms (>= medium) on look-alikes
(figurative and everyday; in the calibration file every "none" row), and how often the check
question would be asked (level low with ``check`` set) on everyday and neutral messages.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.vocabulary import RiskLevel  # noqa: E402
from nlu.safeguarding import SafeguardingDetector  # noqa: E402

TESTS = ROOT / "tests"
SETS: dict[str, Path] = {
    "heldout": TESTS / "data" / "heldout" / "risk.jsonl",
    "independent": TESTS / "data" / "independent" / "risk_independent.jsonl",
    "probe6": TESTS / "nlu" / "safeguarding" / "data" / "probe6.jsonl",
    "probe7": TESTS / "nlu" / "safeguarding" / "data" / "probe7_untouched.jsonl",
    # the recall work's own dev set: written before its rules, but by their author
    "recall_dev": TESTS / "nlu" / "safeguarding" / "data" / "recall_dev.jsonl",
}
CALIBRATION = ROOT / "nlu" / "safeguarding" / "data" / "calibration.csv"
PROBE8 = TESTS / "data" / "probe8"
LOOKALIKE_KINDS = frozenset({"figurative", "everyday"})
QUIET_KINDS = frozenset({"everyday", "neutral"})
SCOPES = ("all", "en", "cy")


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled text (or conversation) and the detector's verdict."""

    lang: str
    kind: str
    gold: RiskLevel
    level: RiskLevel
    check: bool


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _calibration_rows(identify: Callable[[str], str]) -> list[dict[str, Any]]:
    with CALIBRATION.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "text": row["text"],
            "level": row["level"],
            "lang": identify(row["text"]),
            # the file has no kinds: every "none" row is a look-alike or a neutral reply
            "kind": "everyday" if row["level"] == "none" else "",
        }
        for row in rows
    ]


def score_rows(detector: SafeguardingDetector, rows: Iterable[dict[str, Any]]) -> list[Item]:
    """Assess each row alone."""
    items = []
    for row in rows:
        risk = detector.assess(str(row["text"]))
        gold = RiskLevel.parse(str(row["level"]))
        items.append(
            Item(
                row["lang"],
                row.get("kind", ""),
                gold,
                risk.level,
                bool(getattr(risk, "check", None)),
            )
        )
    return items


def score_conversations(
    detector: SafeguardingDetector, rows: Iterable[dict[str, Any]]
) -> list[Item]:
    """Assess each message with the learner's earlier messages as context; keep the maximum."""
    items = []
    for row in rows:
        messages = [str(m) for m in row["messages"]]
        levels = [detector.assess(m, messages[max(0, i - 3) : i]) for i, m in enumerate(messages)]
        top = max(levels, key=lambda risk: risk.level)
        kind = "conversation" if row["categories"] else "lookalike"
        gold = RiskLevel.parse(str(row["level"]))
        items.append(Item(row["lang"], kind, gold, top.level, top.check is not None))
    return items


def _ratio(items: list[Item], hit: Callable[[Item], bool]) -> str:
    if not items:
        return "-"
    hits = sum(1 for item in items if hit(item))
    return f"{hits}/{len(items)} = {hits / len(items):.3f}"


def figures(items: list[Item], *, conversations: bool = False) -> dict[str, dict[str, str]]:
    """The report's measures for each scope."""
    out: dict[str, dict[str, str]] = {}
    for scope in SCOPES:
        chosen = [i for i in items if scope == "all" or i.lang == scope]
        concerns = [i for i in chosen if i.gold >= RiskLevel.MEDIUM]
        high = [i for i in chosen if i.gold >= RiskLevel.HIGH]
        critical = [i for i in chosen if i.gold == RiskLevel.CRITICAL]
        if conversations:
            lookalikes = [i for i in chosen if i.gold < RiskLevel.MEDIUM]
        else:
            lookalikes = [i for i in chosen if i.kind in LOOKALIKE_KINDS]
        quiet = [i for i in chosen if i.kind in QUIET_KINDS or i.kind == "lookalike"]
        distress = [i for i in chosen if i.gold == RiskLevel.LOW]
        out[scope] = {
            "concern_recall": _ratio(concerns, lambda i: i.level >= RiskLevel.MEDIUM),
            "high_critical_at_high": _ratio(high, lambda i: i.level >= RiskLevel.HIGH),
            "critical_at_critical": _ratio(critical, lambda i: i.level == RiskLevel.CRITICAL),
            "false_alarms_lookalikes": _ratio(lookalikes, lambda i: i.level >= RiskLevel.MEDIUM),
            "false_alarms_distress": _ratio(distress, lambda i: i.level >= RiskLevel.MEDIUM),
            "check_asked_everyday_neutral": _ratio(
                quiet, lambda i: i.check and i.level < RiskLevel.MEDIUM
            ),
            "neutral_at_low_or_above": _ratio(
                [i for i in chosen if i.kind == "neutral"], lambda i: i.level >= RiskLevel.LOW
            ),
        }
    return out


def report(model_dir: Path | None, *, probe8: bool) -> dict[str, Any]:
    """Score every set and return the figures."""
    from nlu.builtin import BuiltinBackend

    detector = SafeguardingDetector.load(model_dir)
    result: dict[str, Any] = {}
    for name, path in SETS.items():
        result[name] = figures(score_rows(detector, _jsonl(path)))
    if model_dir is not None:
        identify = BuiltinBackend.load_or_train(model_dir).language_identifier.identify
        result["calibration"] = figures(score_rows(detector, _calibration_rows(identify)))
    if probe8:
        result["probe8"] = figures(score_rows(detector, _jsonl(PROBE8 / "risk_probe8.jsonl")))
        conversations = score_conversations(detector, _jsonl(PROBE8 / "context_probe8.jsonl"))
        result["probe8_context"] = figures(conversations, conversations=True)
    return result


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model-dir", type=Path, default=ROOT / "var" / "nlu-model")
    parser.add_argument("--rules-only", action="store_true", help="score without the model")
    parser.add_argument("--probe8", action="store_true", help="also score probe 8 (report only)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = report(None if args.rules_only else args.model_dir, probe8=args.probe8)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for name, by_scope in result.items():
        print(f"\n{name}")
        print(f"  {'measure':30} " + " ".join(f"{s:>17}" for s in SCOPES))
        for measure in by_scope["all"]:
            print(f"  {measure:30} " + " ".join(f"{by_scope[s][measure]:>17}" for s in SCOPES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
