"""Bad rows and specs are refused with a reason; logs and errors name no person and no school."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from storage.aggregate import (
    LANGUAGES,
    DisclosureInputError,
    Policy,
    Row,
    Spec,
    Symbol,
    publish,
    symbol_label,
)
from tests.storage.aggregate.support import learners

SPEC = Spec(
    measure="perma",
    tables=(("school", "year_group"),),
    values=("overall",),
    category=None,
)
SECRET = "learner-ref-7f3a"


def test_a_row_without_a_dimension_is_refused() -> None:
    with pytest.raises(DisclosureInputError, match="no value for dimension 'year_group'"):
        publish([Row(person=SECRET, school="A", values=(1.0,))], SPEC)


def test_school_is_not_a_free_dimension() -> None:
    row = Row(person=SECRET, school="A", dims={"school": "B", "year_group": "7"}, values=(1.0,))
    with pytest.raises(DisclosureInputError, match=r"belongs in Row\.school"):
        publish([row], SPEC)


def test_an_undeclared_level_is_refused() -> None:
    spec = Spec(measure="m", tables=(("band",),), category="band", levels={"band": ("low", "high")})
    with pytest.raises(DisclosureInputError, match="level 'medium' is not declared"):
        publish([Row(person=SECRET, school="A", dims={"band": "medium"})], spec)


def test_values_must_match_the_measure_and_be_finite() -> None:
    with pytest.raises(DisclosureInputError, match="needs 1"):
        publish([Row(person=SECRET, school="A", dims={"year_group": "7"})], SPEC)
    nan = Row(person=SECRET, school="A", dims={"year_group": "7"}, values=(float("nan"),))
    with pytest.raises(DisclosureInputError, match="finite"):
        publish([nan], SPEC)


def test_errors_never_name_the_person() -> None:
    rows = [
        Row(person=SECRET, school="A", values=(1.0,)),
        Row(person=SECRET, school="A", dims={"school": "B"}),
        Row(person=SECRET, school="A", dims={"year_group": "7"}, values=(float("inf"),)),
    ]
    for row in rows:
        with pytest.raises(DisclosureInputError) as raised:
            publish([row], SPEC)
        assert SECRET not in str(raised.value)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"measure": "m", "tables": (("school", "school"),)}, "empty or repeated"),
        ({"measure": "m", "tables": (("a", "b"), ("b", "a"))}, "asked for twice"),
        ({"measure": "m", "tables": (("a",),), "category": "band"}, "in no table"),
        ({"measure": "m", "tables": (("a",),), "levels": {"b": ("x",)}}, "in no table"),
        ({"measure": "m", "tables": (("a",),), "levels": {"a": ()}}, "empty or repeated"),
        ({"measure": "m", "tables": ()}, "at least 1"),
        ({"measure": "m", "tables": (("a",),), "surprise": 1}, "Extra inputs"),
    ],
)
def test_a_bad_spec_is_refused(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Spec.model_validate(spec)


def test_a_policy_whose_shown_counts_could_round_to_zero_is_refused() -> None:
    with pytest.raises(ValidationError, match="more than half the rounding base"):
        Policy(k=2)
    assert Policy(k=3).k == 3


def test_logs_carry_no_person_and_no_school(caplog: pytest.LogCaptureFixture) -> None:
    rows = [
        *learners("school-alpha", 9, values=[1] * 9, year_group="7"),
        *learners("school-beta", 40, values=[2] * 40, year_group="7"),
        *learners("school-gamma", 40, values=[3] * 40, year_group="8"),
    ]
    rows.append(Row(person=SECRET, school="school-alpha", dims={"year_group": "8"}, values=(4.0,)))
    with caplog.at_level(logging.DEBUG, logger="storage.aggregate"):
        publish(rows, SPEC)
    assert caplog.records, "publishing logs what it did"
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "withheld" in text
    assert SECRET not in text and "learner-" not in text and "school-" not in text


def test_every_symbol_is_explained_in_both_languages() -> None:
    for symbol in Symbol:
        labels = {
            language: symbol_label(symbol, language, k=10, min_schools=3, min_base=30)
            for language in LANGUAGES
        }
        assert all(labels.values()) and labels["cy"] != labels["en"]
        assert all("{" not in label for label in labels.values())
    assert "10" in symbol_label(Symbol.CONFIDENTIAL, "cy", k=10, min_schools=3, min_base=30)
    assert "2" in symbol_label(Symbol.FEW_SCHOOLS, "en", k=10, min_schools=3, min_base=30)
    assert "30" in symbol_label(Symbol.SMALL_BASE, "cy", k=10, min_schools=3, min_base=30)
