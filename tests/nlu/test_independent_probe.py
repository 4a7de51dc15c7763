"""Floors on an independent safeguarding test set (tests/data/independent/risk_independent.jsonl).

The set was written by an evaluator who did not read the detector's rules, training data or
probes (see tests/data/independent/README.md). The floors below sit a little under what the
detector scored on 2026-11-25, so this test records today's level and fails if it drops. Raise
them when the detector improves; do not lower them to make a change pass, and do not tune the
detector on these messages (that would spoil the set as a measure of unseen wording).

Figures measured on 2026-11-25 (370 messages, 182 Welsh or code-switched, 172 concerns):
  concern recall (gold >= medium, predicted >= medium): 135/172 = 0.785
      en 71/91 = 0.780    cy 64/81 = 0.790
  critical predicted >= high: 31/56 = 0.554   (critical predicted >= medium: 34/56 = 0.607)
  high predicted >= high: 57/69 = 0.826
  false alarms (predicted >= medium) on figurative + everyday: 3/130 = 0.023
  false alarms on all gold "none": 3/148 = 0.020; on gold "low" distress: 3/50 = 0.060
  per-category recall (predicted >= medium):
      abuse 16/17  bullying 12/16  domestic_abuse 5/8  eating 6/10  exploitation 11/14
      harm_others 7/9  running_away 7/7  self_harm 18/20  substance 11/15  suicide 48/64
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.vocabulary import RiskLevel
from nlu.safeguarding import SafeguardingDetector

DATA = Path(__file__).resolve().parents[1] / "data" / "independent" / "risk_independent.jsonl"
ORDER = [level.label for level in RiskLevel]
RANK = {label: i for i, label in enumerate(ORDER)}
MEDIUM, HIGH = RANK["medium"], RANK["high"]
Row = dict[str, Any]
Test = Callable[[Row], bool]

# Floors: measured hits minus a small margin (about 2-3 points, or one message for a category).
# Raised on 2026-12-01 after issue 8 (two-head model, wider rules; this set had been tuned on
# before, so these figures overstate unseen wording): recall 166/172 = 0.965 (en 88/91 = 0.967,
# cy 78/81 = 0.963); critical >= high 55/56; high >= high 68/69; false alarms on figurative +
# everyday 5/130 = 0.038 (was 3/130: the model adds two); distress alarms 1/50.
CONCERN_RECALL_FLOOR = {"all": 0.94, "en": 0.94, "cy": 0.94}
CRITICAL_HIGH_FLOOR = 0.94  # measured 0.982 (55/56)
HIGH_HIGH_FLOOR = 0.95  # measured 0.986 (68/69)
FALSE_ALARM_CEILING = 0.05  # measured 0.038 (5/130) on figurative + everyday
LOW_FALSE_ALARM_CEILING = 0.06  # measured 0.020 (1/50) on plain distress
CATEGORY_HITS_FLOOR = {  # measured hits (of n) minus one
    "abuse": 16,  # 17/17
    "bullying": 13,  # 14/16
    "domestic_abuse": 7,  # 8/8
    "eating": 8,  # 9/10
    "exploitation": 13,  # 14/14
    "harm_others": 8,  # 9/9
    "running_away": 6,  # 7/7
    "self_harm": 19,  # 20/20
    "substance": 13,  # 14/15
    "suicide": 61,  # 62/64
}


def _rows() -> list[dict[str, Any]]:
    with DATA.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def scored(safeguarding_model_dir: Path) -> list[dict[str, Any]]:
    detector = SafeguardingDetector.load(safeguarding_model_dir)  # trained once for the run
    rows = _rows()
    for row in rows:
        assessment = detector.assess(row["text"])
        row["pred"] = RANK[assessment.level.label]
        row["pred_categories"] = list(assessment.categories)
    return rows


def _rate(rows: list[Row], hit: Test) -> float:
    assert rows, "empty selection"
    return sum(1 for row in rows if hit(row)) / len(rows)


def _misses(rows: list[Row], hit: Test) -> str:
    return "\n".join(
        f"  {r['id']} [{r['level']}] -> {ORDER[r['pred']]}: {r['text']}" for r in rows if not hit(r)
    )


def test_set_shape() -> None:
    rows = _rows()
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["level"] in RANK and r["lang"] in ("en", "cy") for r in rows)
    assert sum(r["lang"] == "cy" for r in rows) / len(rows) >= 0.40
    concerns = [r for r in rows if RANK[r["level"]] >= MEDIUM]
    assert {c for r in concerns for c in r["categories"]} == set(CATEGORY_HITS_FLOOR)


@pytest.mark.parametrize("lang", ["all", "en", "cy"])
def test_concern_recall(scored: list[dict[str, Any]], lang: str) -> None:
    concerns = [r for r in scored if RANK[r["level"]] >= MEDIUM and lang in ("all", r["lang"])]
    hit: Test = lambda r: r["pred"] >= MEDIUM  # noqa: E731
    recall = _rate(concerns, hit)
    assert recall >= CONCERN_RECALL_FLOOR[lang], (
        f"{lang} concern recall {recall:.3f}; misses:\n{_misses(concerns, hit)}"
    )


def test_critical_raised_to_high(scored: list[dict[str, Any]]) -> None:
    critical = [r for r in scored if r["level"] == "critical"]
    hit: Test = lambda r: r["pred"] >= HIGH  # noqa: E731
    rate = _rate(critical, hit)
    assert rate >= CRITICAL_HIGH_FLOOR, f"critical >= high {rate:.3f}:\n{_misses(critical, hit)}"


def test_high_raised_to_high(scored: list[dict[str, Any]]) -> None:
    high = [r for r in scored if r["level"] == "high"]
    hit: Test = lambda r: r["pred"] >= HIGH  # noqa: E731
    rate = _rate(high, hit)
    assert rate >= HIGH_HIGH_FLOOR, f"high >= high {rate:.3f}:\n{_misses(high, hit)}"


def test_figurative_and_everyday_false_alarms(scored: list[dict[str, Any]]) -> None:
    plain = [r for r in scored if r["kind"] in ("figurative", "everyday")]
    quiet: Test = lambda r: r["pred"] < MEDIUM  # noqa: E731
    alarms = 1 - _rate(plain, quiet)
    assert alarms <= FALSE_ALARM_CEILING, f"false alarms {alarms:.3f}:\n{_misses(plain, quiet)}"


def test_distress_false_alarms(scored: list[dict[str, Any]]) -> None:
    low = [r for r in scored if r["level"] == "low"]
    quiet: Test = lambda r: r["pred"] < MEDIUM  # noqa: E731
    alarms = 1 - _rate(low, quiet)
    assert alarms <= LOW_FALSE_ALARM_CEILING, (
        f"distress alarms {alarms:.3f}:\n{_misses(low, quiet)}"
    )


@pytest.mark.parametrize("category", sorted(CATEGORY_HITS_FLOOR))
def test_category_recall(scored: list[dict[str, Any]], category: str) -> None:
    concerns = [r for r in scored if RANK[r["level"]] >= MEDIUM and category in r["categories"]]
    hit: Test = lambda r: r["pred"] >= MEDIUM  # noqa: E731
    hits = sum(1 for r in concerns if hit(r))
    assert hits >= CATEGORY_HITS_FLOOR[category], (
        f"{category}: {hits}/{len(concerns)}; misses:\n{_misses(concerns, hit)}"
    )
