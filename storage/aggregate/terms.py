"""The term calendar that reporting periods are built from, validated when it is loaded."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.yamlload import safe_load
from storage.aggregate.errors import CalendarError

DEFAULT_CALENDAR = Path(__file__).resolve().parent / "data" / "term_dates.yml"


class TermName(StrEnum):
    """The three terms of a school year, in order."""

    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


def monday_of(day: date) -> date:
    """The Monday of the Monday-to-Sunday week containing ``day``."""
    return day - timedelta(days=day.weekday())


class HalfTermBreak(BaseModel):
    """The half-term holiday: its first and last weekday, inclusive."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first_day: date
    last_day: date


class Term(BaseModel):
    """One term: its first and last school day, inclusive, and its half-term holiday."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: TermName
    first_day: date
    last_day: date
    half_term: HalfTermBreak

    @model_validator(mode="after")
    def _break_inside(self) -> Term:
        brk = self.half_term
        if not self.first_day <= brk.first_day <= brk.last_day <= self.last_day:
            raise ValueError(f"{self.name} term: the half-term holiday is not inside the term")
        # Each half must keep at least one whole reporting week of its own.
        if not monday_of(self.first_day) < monday_of(brk.first_day):
            raise ValueError(f"{self.name} term: the half-term holiday is in its first week")
        if not monday_of(brk.last_day) < monday_of(self.last_day):
            raise ValueError(f"{self.name} term: the half-term holiday is in its last week")
        return self


class SchoolYear(BaseModel):
    """A school year (1 September to 31 August) and its three terms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    starts: int = Field(ge=2000, le=2100)
    status: Literal["published", "provisional"]
    source: str = Field(min_length=1)
    terms: tuple[Term, Term, Term]

    @model_validator(mode="after")
    def _terms_in_order(self) -> SchoolYear:
        names = tuple(term.name for term in self.terms)
        if names != tuple(TermName):
            raise ValueError(f"{self.label}: terms must be autumn, spring, summer (got {names})")
        first, last = date(self.starts, 9, 1), date(self.starts + 1, 8, 31)
        if not first <= self.terms[0].first_day or not self.terms[-1].last_day <= last:
            raise ValueError(f"{self.label}: a term falls outside 1 September to 31 August")
        for before, after in zip(self.terms, self.terms[1:], strict=False):
            if not monday_of(before.last_day) < monday_of(after.first_day):
                raise ValueError(
                    f"{self.label}: {after.name} term starts in the week {before.name} term ends"
                )
        return self

    @property
    def label(self) -> str:
        """E.g. ``2026-27``."""
        return f"{self.starts}-{(self.starts + 1) % 100:02d}"

    def term(self, name: TermName) -> Term:
        """The term called ``name``."""
        return next(term for term in self.terms if term.name is name)


class TermCalendar(BaseModel):
    """The school years that fixed reporting periods may be drawn from, in one time zone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zone: str = "Europe/London"
    note: str = Field(min_length=1)
    years: tuple[SchoolYear, ...] = Field(min_length=1)

    @field_validator("zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _consecutive(self) -> TermCalendar:
        starts = [year.starts for year in self.years]
        if starts != list(range(starts[0], starts[0] + len(starts))):
            raise ValueError(f"school years must be consecutive and in order (got {starts})")
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.zone)

    def year(self, starts: int) -> SchoolYear | None:
        """The school year starting in September of ``starts``, if the calendar has it."""
        return next((year for year in self.years if year.starts == starts), None)


def parse_calendar(text: str, source: str) -> TermCalendar:
    """Validate calendar YAML; errors name ``source`` and the path inside it."""
    try:
        data = safe_load(text)
        return TermCalendar.model_validate(data)
    except yaml.YAMLError as exc:
        raise CalendarError(f"{source}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise CalendarError(f"{source}: {problems}") from exc


def load_calendar(path: Path | None = None) -> TermCalendar:
    """Load a term calendar file (the authority's default when ``path`` is None)."""
    if path is None:
        return _default_calendar()
    return parse_calendar(path.read_text(encoding="utf-8"), str(path))


@cache
def _default_calendar() -> TermCalendar:
    return parse_calendar(DEFAULT_CALENDAR.read_text(encoding="utf-8"), DEFAULT_CALENDAR.name)
