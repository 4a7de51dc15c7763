"""The shipped Rasa NLU data validates and covers every intent in both languages; bad data warns."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pytest
import yaml

from core.vocabulary import Language
from nlu.data_format import (
    TrainingDataError,
    TrainingDataWarning,
    parse_annotations,
    validate_document,
)
from nlu.training_data import DATA_DIR, data_files, load_training_data

REQUIRED_INTENTS = {
    "greet", "goodbye", "affirm", "deny", "thanks", "start_checkin", "log_mood", "ask_help",
    "ask_services", "feeling_good", "feeling_low", "topic_exam_stress", "topic_friendships",
    "topic_family", "topic_sleep", "topic_loneliness", "topic_bullying", "topic_identity",
    "topic_bereavement", "change_language", "see_my_data", "delete_my_data", "stop",
    "out_of_scope", "talk_to_school",
}  # fmt: skip


def test_shipped_data_loads_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingDataWarning)
        data = load_training_data()
    assert set(data.intents) == REQUIRED_INTENTS
    assert data.synonyms["gymraeg"] == "cy"
    assert "mood_score" in data.regexes and "language" in data.lookups


def test_every_intent_has_25_examples_per_language() -> None:
    counts = Counter((e.intent, e.language) for e in load_training_data().examples)
    for intent in REQUIRED_INTENTS:
        for language in Language:
            assert counts[intent, language] >= 25, (intent, language)
    for language in Language:  # the conversation routes it: a little more than the rest
        assert counts["talk_to_school", language] >= 26, language


def test_shipped_files_are_rasa_3_documents() -> None:
    for path in data_files(DATA_DIR):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert raw["version"] == "3.1", path
        assert set(raw) == {"version", "nlu"}, path


def test_no_example_is_written_twice_for_different_intents() -> None:
    seen: dict[str, str] = {}
    for example in load_training_data().examples:
        key = example.text.lower()
        assert seen.setdefault(key, example.intent) == example.intent, key


def test_bad_items_are_skipped_with_warnings_naming_the_file() -> None:
    document = {
        "version": "3.1",
        "nlu": [
            {"intent": "greet", "examples": "- hi\n- helo\n"},
            {"intent": "greet", "examples": ["not", "a", "block"]},
            {"intent": "bad name!", "examples": "- x\n"},
            {"intent": "thanks", "synonym": "x", "examples": "- diolch\n"},
            {"intent": "thanks", "examples": "- diolch\nno dash here\n", "colour": "red"},
            "just a string",
        ],
    }
    with pytest.warns(TrainingDataWarning) as caught:
        sections = validate_document(document, Path("nlu/data/cy/oops.yml"))
    assert [(s.name, s.examples) for s in sections] == [
        ("greet", ("hi", "helo")),
        ("thanks", ("diolch",)),
    ]
    messages = [str(w.message) for w in caught]
    assert len(messages) == 6
    assert all(m.startswith("nlu/data/cy/oops.yml: nlu[") for m in messages)
    assert any("unknown keys ['colour']" in m for m in messages)


def test_unsupported_version_warns_and_non_mapping_fails() -> None:
    with pytest.warns(TrainingDataWarning, match=r"x\.yml: version '2\.0'"):
        validate_document({"version": "2.0", "nlu": []}, "x.yml")
    with pytest.raises(TrainingDataError, match=r"y\.yml"):
        validate_document(["nlu"], "y.yml")
    with pytest.raises(TrainingDataError, match=r"z\.yml"):
        validate_document({"version": "3.1", "nlu": {"intent": "greet"}}, "z.yml")


def test_unreadable_yaml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yml").write_text("nlu: [unclosed\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match=r"broken\.yml"):
        load_training_data(tmp_path)


def test_annotations_become_entities() -> None:
    text, entities = parse_annotations('siarad [Cymraeg](language) a [7]{"entity": "mood_score"}')
    assert text == "siarad Cymraeg a 7"
    assert entities == (
        {"start": 7, "end": 14, "value": "Cymraeg", "entity": "language"},
        {"start": 17, "end": 18, "value": "7", "entity": "mood_score"},
    )
