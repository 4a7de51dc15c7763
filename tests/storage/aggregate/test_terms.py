"""The term calendar: the default file loads and says it needs confirming; bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from storage.aggregate import CalendarError, load_calendar
from storage.aggregate.terms import DEFAULT_CALENDAR, parse_calendar


def test_the_default_calendar_covers_2024_25_to_2027_28_and_asks_for_confirmation() -> None:
    calendar = load_calendar()
    assert [year.label for year in calendar.years] == ["2024-25", "2025-26", "2026-27", "2027-28"]
    assert calendar.zone == "Europe/London"
    assert "confirmation" in calendar.note
    assert "NEED THE AUTHORITY'S CONFIRMATION" in DEFAULT_CALENDAR.read_text(encoding="utf-8")
    assert {y.label: y.status for y in calendar.years} == {
        "2024-25": "published",
        "2025-26": "published",
        "2026-27": "provisional",
        "2027-28": "provisional",
    }


def _default() -> dict[str, object]:
    data = yaml.safe_load(DEFAULT_CALENDAR.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _term(data: dict[str, object], year: int, term: int) -> dict[str, object]:
    years = data["years"]
    assert isinstance(years, list)
    found = years[year]["terms"][term]
    assert isinstance(found, dict)
    return found


def test_a_half_term_outside_its_term_is_refused_naming_the_file() -> None:
    data = _default()
    _term(data, 1, 0)["half_term"] = {"first_day": "2026-01-12", "last_day": "2026-01-16"}
    with pytest.raises(CalendarError, match=r"bad\.yml: years\.1\.terms\.0: .*not inside the term"):
        parse_calendar(yaml.safe_dump(data), "bad.yml")


def test_terms_out_of_order_are_refused() -> None:
    data = _default()
    years = data["years"]
    assert isinstance(years, list)
    terms = years[0]["terms"]
    terms[0], terms[1] = terms[1], terms[0]
    with pytest.raises(CalendarError, match="autumn, spring, summer"):
        parse_calendar(yaml.safe_dump(data), "bad.yml")


def test_a_term_starting_in_the_week_the_last_one_ended_is_refused() -> None:
    data = _default()
    _term(data, 1, 1)["first_day"] = "2025-12-18"
    with pytest.raises(CalendarError, match="starts in the week"):
        parse_calendar(yaml.safe_dump(data), "bad.yml")


def test_missing_years_and_unknown_keys_are_refused(tmp_path: Path) -> None:
    data = _default()
    years = data["years"]
    assert isinstance(years, list)
    del years[1]
    with pytest.raises(CalendarError, match="consecutive"):
        parse_calendar(yaml.safe_dump(data), "bad.yml")
    data = _default()
    _term(data, 0, 0)["inset_days"] = ["2024-09-02"]
    path = tmp_path / "term_dates.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(CalendarError, match=r"term_dates\.yml: .*inset_days"):
        load_calendar(path)


def test_an_unknown_time_zone_and_broken_yaml_are_refused() -> None:
    data = _default()
    data["zone"] = "Europe/Cardiff"
    with pytest.raises(CalendarError, match="unknown time zone"):
        parse_calendar(yaml.safe_dump(data), "bad.yml")
    with pytest.raises(CalendarError, match="not valid YAML"):
        parse_calendar("years: [", "bad.yml")
