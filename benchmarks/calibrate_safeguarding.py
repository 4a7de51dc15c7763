"""Choose the model's thresholds on the calibration file (see nlu/safeguarding/thresholds.py).

Run: .venv/bin/python benchmarks/calibrate_safeguarding.py [--file CSV] [--model-dir DIR]

The model is trained on the training files, the rules and the model are run over the calibration
rows, and each threshold is swept: for every value the recall of concerns, the share of high and
critical rows raised to high, critical rows reaching critical, false alarms on the "none" rows
and how often the check question would be asked on them. The rule for choosing (applied by
``choose``): the lowest concern threshold whose false alarms on "none" rows stay within
``FALSE_ALARM_BUDGET`` of the rules' own; the lowest high threshold whose "medium" rows wrongly
raised to high stay within ``OVERGRADE_BUDGET``; the lowest check threshold that asks on at most
``CHECK_BUDGET`` of the "none" rows. Critical thresholds: the lowest values that raise no "high"
row of the file to critical beyond ``OVERGRADE_BUDGET``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.vocabulary import RiskLevel  # noqa: E402
from nlu.safeguarding.model import RiskModel, Scores  # noqa: E402
from nlu.safeguarding.normalise import normalise  # noqa: E402
from nlu.safeguarding.rules import assess_rules, find_hits, is_urgent  # noqa: E402
from nlu.safeguarding.situations import assess_situations  # noqa: E402
from nlu.safeguarding.thresholds import THRESHOLDS, Thresholds  # noqa: E402
from nlu.safeguarding.training import fit, read_levelled  # noqa: E402

CALIBRATION = ROOT / "nlu" / "safeguarding" / "data" / "calibration.csv"
FALSE_ALARM_BUDGET = 0.02  # the model may add at most this share of false alarms on "none" rows
OVERGRADE_BUDGET = (
    0.20  # a medium concern graded high still reaches the DSL: cheaper than under-grading
)
CHECK_BUDGET = 0.05
GRID = [round(0.05 * i, 2) for i in range(1, 20)]


@dataclass(frozen=True, slots=True)
class Row:
    """One calibration row: gold level, what the rules said, the model's scores."""

    gold: RiskLevel
    rules: RiskLevel
    urgent: bool
    scores: Scores


def score_file(model: RiskModel, path: Path) -> list[Row]:
    """Run the rules and the model over a levelled CSV file."""
    rows = []
    for example in read_levelled(path.read_text("utf-8").splitlines(), path.name):
        norm = normalise(example.text)
        hits = find_hits(norm)
        rules = assess_rules(norm, hits).raised_with(assess_situations(norm)).level
        rows.append(Row(example.level, rules, is_urgent(hits), model.worst_window(norm)[1]))
    return rows


def level(row: Row, t: Thresholds) -> tuple[RiskLevel, bool]:
    """The detector's level for a row under thresholds ``t``, and whether it would check."""
    s = row.scores
    model = RiskLevel.NONE
    if s.concern >= t.concern:
        model = RiskLevel.MEDIUM
        if s.serious >= t.high:
            model = RiskLevel.HIGH
            critical = s.levels["critical"]
            if (row.urgent and critical >= t.critical_with_cue) or critical >= t.critical_alone:
                model = RiskLevel.CRITICAL
    final = max(row.rules, model)
    return final, final < RiskLevel.MEDIUM and s.concern >= t.check


def measures(rows: list[Row], t: Thresholds) -> dict[str, float]:
    """Recall, grading, false alarms and check rate under ``t``."""
    out = [(r, *level(r, t)) for r in rows]

    Item = tuple[Row, RiskLevel, bool]

    def rate(selected: list[Item], ok: Callable[[Item], bool]) -> float:
        hits = sum(1 for item in selected if ok(item))
        return hits / len(selected) if selected else 0.0

    concerns = [o for o in out if o[0].gold >= RiskLevel.MEDIUM]
    serious = [o for o in out if o[0].gold >= RiskLevel.HIGH]
    critical = [o for o in out if o[0].gold == RiskLevel.CRITICAL]
    none = [o for o in out if o[0].gold == RiskLevel.NONE]
    medium = [o for o in out if o[0].gold == RiskLevel.MEDIUM]
    high = [o for o in out if o[0].gold == RiskLevel.HIGH]
    return {
        "recall": rate(concerns, lambda o: o[1] >= RiskLevel.MEDIUM),
        "serious_high": rate(serious, lambda o: o[1] >= RiskLevel.HIGH),
        "critical": rate(critical, lambda o: o[1] == RiskLevel.CRITICAL),
        "false_alarms": rate(none, lambda o: o[1] >= RiskLevel.MEDIUM),
        "rules_false_alarms": rate(none, lambda o: o[0].rules >= RiskLevel.MEDIUM),
        "medium_to_high": rate(medium, lambda o: o[1] >= RiskLevel.HIGH),
        "high_to_critical": rate(high, lambda o: o[1] == RiskLevel.CRITICAL),
        "check_on_none": rate(none, lambda o: o[2]),
    }


def _lowest(grid: list[float], ok: Callable[[float], bool], default: float) -> float:
    return next((value for value in grid if ok(value)), default)


def choose(rows: list[Row]) -> Thresholds:
    """Apply the rule in the module docstring, one threshold at a time."""
    t = replace(THRESHOLDS, critical_with_cue=1.0, critical_alone=1.0, check=1.0)
    ceiling = measures(rows, t)["rules_false_alarms"] + FALSE_ALARM_BUDGET

    def at(**change: float) -> dict[str, float]:
        return measures(rows, replace(t, **change))

    t = replace(t, concern=_lowest(GRID, lambda c: at(concern=c)["false_alarms"] <= ceiling, 0.95))
    t = replace(
        t, high=_lowest(GRID, lambda h: at(high=h)["medium_to_high"] <= OVERGRADE_BUDGET, 0.95)
    )
    half = OVERGRADE_BUDGET / 2
    alone = _lowest(GRID, lambda c: at(critical_alone=c)["high_to_critical"] <= half, 1.0)
    t = replace(t, critical_alone=alone)
    cue = _lowest(
        GRID, lambda c: at(critical_with_cue=c)["high_to_critical"] <= OVERGRADE_BUDGET, 1.0
    )
    t = replace(t, critical_with_cue=cue)
    below = [c for c in GRID if c < t.concern]
    check = _lowest(below, lambda c: at(check=c)["check_on_none"] <= CHECK_BUDGET, t.concern)
    return replace(t, check=check)


def main() -> int:
    """Train, score the calibration file, sweep and print the chosen thresholds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--file", type=Path, default=CALIBRATION)
    parser.add_argument("--model-dir", type=Path, help="a trained model (default: train one)")
    args = parser.parse_args()
    model = RiskModel.load(args.model_dir) if args.model_dir else fit()
    if model is None:
        parser.error("no usable model in --model-dir")
    rows = score_file(model, args.file)
    print("current thresholds:", THRESHOLDS)
    print("  ", {k: round(v, 3) for k, v in measures(rows, THRESHOLDS).items()})
    for c in GRID:
        m = measures(rows, replace(THRESHOLDS, concern=c, check=min(c, THRESHOLDS.check)))
        print(f"concern={c:.2f}", {k: round(v, 3) for k, v in m.items()})
    chosen = choose(rows)
    print("chosen:", chosen)
    print("  ", {k: round(v, 3) for k, v in measures(rows, chosen).items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
