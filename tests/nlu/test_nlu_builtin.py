"""The builtin backend: train, persist, load, same predictions; entities; empty input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from core.vocabulary import Language
from nlu.builtin import BuiltinBackend
from nlu.intent_classifier import IntentClassifier
from nlu.training_data import Example, TrainingData

INLINE = TrainingData(
    examples=(
        Example("helo", "greet", Language.CY),
        Example("shwmae", "greet", Language.CY),
        Example("hi there", "greet", Language.EN),
        Example("hello", "greet", Language.EN),
        Example("hwyl fawr", "goodbye", Language.CY),
        Example("nos da", "goodbye", Language.CY),
        Example("bye", "goodbye", Language.EN),
        Example("see you later", "goodbye", Language.EN),
        Example("dw i methu cysgu", "topic_sleep", Language.CY),
        Example("i can't sleep", "topic_sleep", Language.EN),
    ),
    fingerprint="inline",
)
PROBES = ["helo!", "bye bye", "methu cysgu o gwbl", "hello hello", "nos da x", "no sleep"]


def test_train_persist_load_gives_the_same_predictions(tmp_path: Path) -> None:
    trained = BuiltinBackend.train(INLINE)
    trained.persist(tmp_path)
    loaded = BuiltinBackend.load(tmp_path)
    for probe in PROBES:
        assert loaded.parse_sync(probe) == trained.parse_sync(probe)
    assert trained.parse_sync("helo!").intent == "greet"
    assert trained.parse_sync("methu cysgu o gwbl").intent == "topic_sleep"


def test_fast_path_matches_sklearn_probabilities() -> None:
    data = INLINE
    classifier = IntentClassifier.train(data)
    features = classifier.features([e.text for e in data.examples])
    reference = LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")
    reference.fit(features, [e.intent for e in data.examples])
    expected = reference.predict_proba(classifier.features(PROBES))
    for row, probe in zip(expected, PROBES, strict=True):
        got = dict(classifier.process(probe))
        assert np.allclose([got[label] for label in reference.classes_], row, atol=1e-6)


def test_load_or_train_trains_when_no_model_is_on_disk(tmp_path: Path) -> None:
    backend = BuiltinBackend.load_or_train(tmp_path / "missing")
    assert backend.parse_sync("diolch yn fawr").intent == "thanks"


def test_entities_use_regexes_lookups_and_synonyms(builtin_backend: BuiltinBackend) -> None:
    welsh = builtin_backend.parse_sync("newid i Gymraeg plis")
    assert welsh.intent == "change_language"
    assert [(e["entity"], e["value"]) for e in welsh.entities] == [("language", "cy")]
    mood = builtin_backend.parse_sync("mood 7/10 today")
    assert [(e["entity"], e["value"]) for e in mood.entities] == [("mood_score", "7")]


def test_unknown_or_empty_text_is_the_fallback_intent(builtin_backend: BuiltinBackend) -> None:
    for text in ("", "   ", "😭😭😭", "日本語"):
        result = builtin_backend.parse_sync(text, Language.CY)
        assert (result.intent, result.confidence, result.language) == ("nlu_fallback", 0.0, "cy")


def test_ranking_is_sorted_and_sums_below_one(builtin_backend: BuiltinBackend) -> None:
    result = builtin_backend.parse_sync("dw i'n teimlo'n unig")
    confidences = [c for _, c in result.ranking]
    assert result.ranking[0] == (result.intent, result.confidence)
    assert confidences == sorted(confidences, reverse=True)
    assert len(result.ranking) == 10 and sum(confidences) <= 1.0 + 1e-9
