"""Floors on probe 8 (tests/data/probe8), at its level measured AFTER issue 8's detector work.

Probe 8 was written by an independent evaluator and scored once before any change (first-run
figures in tests/data/probe8/README.md). It was never used to write rules, rows or thresholds;
these floors only record the final measurement (2026-12-01) a little under what it was, so a
regression fails. They are not targets, and must not be met by tuning on these messages.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from core.vocabulary import RiskLevel
from nlu.safeguarding import SafeguardingDetector

PROBE8 = Path(__file__).resolve().parents[1] / "data" / "probe8"

# Final measurement (see the README's "Quality and performance"), minus about two points or one
# message: recall 190/210 = 0.905 (en 0.914, cy 0.895); high/critical at high 133/150 = 0.887
# (en 0.880, cy 0.893); critical at critical 37/44 = 0.841 (en 0.864, cy 0.818); false alarms
# on look-alikes 4/88 = 0.045; neutral at low or above 0/30; conversations read with context
# 38/40 = 0.950. First run (before the work): 0.724, 0.353, 0.455, 0.011, 24/30, 27/40.
FLOORS = {
    "concern_recall": {"overall": 0.88, "en": 0.89, "cy": 0.87},
    "high_critical_at_high": {"overall": 0.86, "en": 0.85, "cy": 0.86},
    "critical_at_critical": {"overall": 0.81, "en": 0.81, "cy": 0.77},
}
CEILINGS = {"false_alarms_lookalikes": 0.06, "neutral_at_low_or_above": 0.07}
CONTEXT_RECALL_FLOOR = 0.92  # conversations, each message read with the ones before it


def _score_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("probe8_score", PROBE8 / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def model_dir(safeguarding_model_dir: Path) -> Path:
    return safeguarding_model_dir  # trained once for the run (tests/conftest.py)


@pytest.fixture(scope="module")
def report(model_dir: Path) -> dict[str, Any]:
    result: dict[str, Any] = _score_module().report(model_dir)
    return result


@pytest.mark.parametrize("measure", sorted(FLOORS))
@pytest.mark.parametrize("scope", ["overall", "en", "cy"])
def test_probe8_floors(report: dict[str, Any], measure: str, scope: str) -> None:
    figure = report["messages"][scope][measure]
    assert figure["rate"] >= FLOORS[measure][scope], (measure, scope, figure)


@pytest.mark.parametrize("measure", sorted(CEILINGS))
def test_probe8_ceilings(report: dict[str, Any], measure: str) -> None:
    figure = report["messages"]["overall"][measure]
    assert figure["rate"] <= CEILINGS[measure], (measure, figure)


def test_probe8_conversations_read_with_context(model_dir: Path) -> None:
    score = _score_module()
    detector = SafeguardingDetector.load(model_dir)
    rows = score.load_jsonl(PROBE8 / "context_probe8.jsonl")
    concerns = caught = 0
    for row in rows:
        if RiskLevel.parse(row["level"]) < RiskLevel.MEDIUM:
            continue
        messages = [str(m) for m in row["messages"]]
        levels = [
            detector.assess(m, messages[max(0, i - 3) : i]).level for i, m in enumerate(messages)
        ]
        concerns += 1
        caught += max(levels) >= RiskLevel.MEDIUM
    assert concerns == 40
    assert caught / concerns >= CONTEXT_RECALL_FLOOR
