"""The model: train, persist, load, same predictions; and fusion that can only raise."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding import (
    NONE_ASSESSMENT,
    RiskAssessment,
    RiskModel,
    SafeguardingDetector,
    normalise,
    train_model,
)
from nlu.safeguarding.model import SUBDIR

EXAMPLES = [
    "nobody would care if i vanished",
    "i keep hurting myself when i'm alone",
    "they keep mocking me in the changing rooms",
    "mae o'n gas efo fi bob dydd",
    "what time is the bus",
    "dwi'n hoffi pêl-droed",
]


@pytest.fixture(scope="module")
def model_dir(safeguarding_model_dir: Path) -> Path:
    return safeguarding_model_dir  # trained by train_model once for the run (tests/conftest.py)


def test_train_persist_load_gives_the_same_predictions(model_dir: Path) -> None:
    loaded = RiskModel.load(model_dir)
    assert loaded is not None
    reloaded = RiskModel.load(model_dir)
    assert reloaded is not None
    for text in EXAMPLES:
        norm = normalise(text)
        assert loaded.probabilities(norm) == pytest.approx(reloaded.probabilities(norm))
        assert loaded.assess(norm) == reloaded.assess(norm)


def test_retraining_is_deterministic(model_dir: Path, tmp_path: Path) -> None:
    train_model(tmp_path)
    first, second = RiskModel.load(model_dir), RiskModel.load(tmp_path)
    assert first is not None and second is not None
    for text in EXAMPLES:
        norm = normalise(text)
        assert first.probabilities(norm) == pytest.approx(second.probabilities(norm), abs=1e-9)


def test_model_probabilities_are_a_distribution(model_dir: Path) -> None:
    model = RiskModel.load(model_dir)
    assert model is not None
    for text in [*EXAMPLES, "", "zzzz qqqq"]:
        probs = model.probabilities(normalise(text))
        assert sum(probs.values()) == pytest.approx(1.0)
        assert set(probs) >= {"none", "low", "suicide", "abuse"}


def test_model_reaches_critical_only_with_an_urgent_cue_or_a_sure_critical_head(
    model_dir: Path,
) -> None:
    model = RiskModel.load(model_dir)
    assert model is not None
    for text in [*EXAMPLES, "i've written the letters and tonight is the night"]:
        norm = normalise(text)
        scores = model.worst_window(norm)[1]
        plain = model.assess(norm)
        if plain.level == RiskLevel.CRITICAL:
            assert scores.levels["critical"] >= model.thresholds.critical_alone, text
        assert model.assess(norm, urgent=True).level >= plain.level, text


def test_the_model_alone_may_raise_to_high(model_dir: Path) -> None:
    model = RiskModel.load(model_dir)
    assert model is not None
    levels = {model.assess(normalise(t)).level for t in ("nobody would care if i vanished",
              "ma pawb yn well heb fi, sa neb yn sylwi os faswn i jyst yn diflannu")}  # fmt: skip
    assert levels <= {RiskLevel.HIGH, RiskLevel.CRITICAL}


def test_detector_load_uses_the_trained_model(model_dir: Path) -> None:
    detector = SafeguardingDetector.load(model_dir)
    assert detector.has_model
    assert detector.assess("i want to die").level == RiskLevel.HIGH


def test_load_without_a_model_runs_on_rules_and_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="nlu.safeguarding.detector"):
        detector = SafeguardingDetector.load(tmp_path)
    assert not detector.has_model
    assert "rules only" in caplog.text
    assert detector.assess("my dad hits me").level == RiskLevel.HIGH
    assert SafeguardingDetector.load(None).assess("kms").level >= RiskLevel.MEDIUM


def test_a_corrupt_model_is_refused(model_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / SUBDIR
    target.mkdir()
    (target / "model.json").write_text('{"version": 1, "labels": ["none"], "vocabulary": {}}')
    np.savez(target / "weights.npz", idf=np.ones(3), coef=np.ones((3, 1)), intercept=np.zeros(1))
    assert RiskModel.load(tmp_path) is None
    (target / "model.json").write_text("not json")
    assert RiskModel.load(tmp_path) is None


class FixedModel(RiskModel):
    """A stand-in model that always answers the same assessment."""

    def __init__(self, answer: RiskAssessment) -> None:
        labels = ["none", *(f"level:{x.label}" for x in RiskLevel)]
        width = len(labels)
        super().__init__(labels, {}, np.zeros(0), np.zeros((0, width)), np.zeros(width))
        self.answer = answer

    def assess(self, norm: str, *, urgent: bool = False, spans: bool = True) -> RiskAssessment:
        return self.answer


@pytest.mark.parametrize(
    "text", ["ive taken all my pills", "my uncle touches me", "kms lol", "school was ok"]
)
def test_fusion_never_lowers_the_rules(text: str) -> None:
    rules_only = SafeguardingDetector().assess(text)
    for answer in (NONE_ASSESSMENT, RiskAssessment(RiskLevel.LOW, (), ("model:distress",))):
        fused = SafeguardingDetector(FixedModel(answer)).assess(text)
        assert fused.level == max(rules_only.level, answer.level)
        assert set(rules_only.categories) <= set(fused.categories)


def test_fusion_raises_what_the_rules_missed() -> None:
    answer = RiskAssessment(RiskLevel.MEDIUM, (Category.BULLYING,), ("model:bullying",))
    fused = SafeguardingDetector(FixedModel(answer)).assess("they all ignore me on purpose")
    assert fused.level == RiskLevel.MEDIUM
    assert fused.categories == ("bullying",)
    assert "model:bullying" in fused.cues
