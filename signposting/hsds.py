"""The directory as data: Open Referral UK / HSDS 3 shaped pydantic models, with Llais extensions.

HSDS fields keep their HSDS names and meanings (``name``, ``description`` and
``eligibility_description`` are English). Llais adds, as profile extensions: ``*_cy`` Welsh text
beside each English field, ``verified``, ``audiences``, ``crisis_rank``, ``emergency``,
``welsh_line_of`` and ``bank_holidays``. Opening hours are weekly schedules in the authority's zone
(Europe/London); ``closes_at`` at or before ``opens_at`` means the next day, so ``00:00``-``00:00``
on every day is 24/7.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.i18n import Text
from core.vocabulary import Language
from signposting.taxonomy import TERMS, Audience

DAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ID_PATTERN = r"^[a-z0-9][a-z0-9_.:-]*$"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Bilingual(_Record):
    """Shared checks: any ``*_cy`` field may not be blank when given."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_blank_strings(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be blank")
        return value


class Organization(_Bilingual):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    name_cy: str
    description: str
    description_cy: str
    url: str | None = None

    @property
    def title(self) -> Text:
        """The organisation's name in both languages."""
        return Text(cy=self.name_cy, en=self.name)


class Phone(_Bilingual):
    """A number to call or text, with how to use it (e.g. "text SHOUT to 85258")."""

    id: str = Field(pattern=ID_PATTERN)
    number: str = Field(pattern=r"^[0-9 +]{3,20}$")
    type: Literal["voice", "text"]
    description: str
    description_cy: str

    @property
    def how(self) -> Text:
        """How to use this number, in both languages."""
        return Text(cy=self.description_cy, en=self.description)


class Schedule(_Bilingual):
    """A weekly opening rule (RFC 5545 ``byday`` codes), in Europe/London wall-clock time."""

    id: str = Field(pattern=ID_PATTERN)
    freq: Literal["WEEKLY"] = "WEEKLY"
    byday: str
    opens_at: time
    closes_at: time
    description: str | None = None
    description_cy: str | None = None

    @field_validator("byday")
    @classmethod
    def _known_days(cls, value: str) -> str:
        days = [day.strip() for day in value.split(",")]
        unknown = [day for day in days if day not in DAYS]
        if unknown or not days:
            raise ValueError(f"unknown day {unknown!r}; use {','.join(DAYS)}")
        return ",".join(days)

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _naive_minutes(cls, value: time) -> time:
        if value.tzinfo is not None or value.second or value.microsecond:
            raise ValueError("give a local time as HH:MM (the zone is Europe/London)")
        return value

    @property
    def weekdays(self) -> frozenset[int]:
        """The days this rule opens on, Monday = 0."""
        return frozenset(DAYS.index(day) for day in self.byday.split(","))


class ServiceArea(_Record):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    extent_type: Literal["country", "nation", "local_authority"] = "nation"


class LanguageEntry(_Record):
    id: str = Field(pattern=ID_PATTERN)
    code: Language
    name: str
    note: str | None = None


class Attribute(_Record):
    """Links a service to a taxonomy term (a need it helps with)."""

    taxonomy_term_id: str

    @field_validator("taxonomy_term_id")
    @classmethod
    def _known_term(cls, value: str) -> str:
        if value not in TERMS:
            raise ValueError(f"unknown need {value!r}; use one of {', '.join(sorted(TERMS))}")
        return value


class TaxonomyTerm(_Bilingual):
    id: str
    code: str
    name: str
    name_cy: str
    taxonomy: str = "llais-needs"

    @field_validator("code")
    @classmethod
    def _known_code(cls, value: str) -> str:
        if value not in TERMS:
            raise ValueError(f"unknown need {value!r}")
        return value


class Service(_Bilingual):
    id: str = Field(pattern=ID_PATTERN)
    organization_id: str
    name: str
    name_cy: str
    description: str
    description_cy: str
    url: str | None = None
    email: str | None = None
    status: Literal["active", "inactive", "defunct", "temporarily closed"] = "active"
    eligibility_description: str | None = None
    eligibility_description_cy: str | None = None
    minimum_age: int | None = Field(default=None, ge=0, le=120)
    maximum_age: int | None = Field(default=None, ge=0, le=120)
    assured_date: date | None = None
    phones: tuple[Phone, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    service_areas: tuple[ServiceArea, ...] = ()
    languages: tuple[LanguageEntry, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    # Llais extensions
    verified: bool = False
    audiences: tuple[Audience, ...] = Field(min_length=1)
    crisis_rank: int | None = Field(default=None, ge=0)
    emergency: bool = False
    welsh_line_of: str | None = None
    bank_holidays: Literal["normal", "closed", "open"] = "normal"
    notes: str | None = None

    @property
    def title(self) -> Text:
        """The service's name in both languages."""
        return Text(cy=self.name_cy, en=self.name)

    @property
    def needs(self) -> frozenset[str]:
        """The taxonomy terms (needs) this service helps with."""
        return frozenset(attribute.taxonomy_term_id for attribute in self.attributes)

    @property
    def language_codes(self) -> frozenset[Language]:
        """Languages the service is offered in."""
        return frozenset(entry.code for entry in self.languages)

    def takes_age(self, age: int | None) -> bool:
        """Whether a person of ``age`` is eligible (an unknown age is not excluded)."""
        if age is None:
            return True
        too_young = self.minimum_age is not None and age < self.minimum_age
        too_old = self.maximum_age is not None and age > self.maximum_age
        return not (too_young or too_old)


class Document(_Record):
    """A whole directory file: organisations, services and the needs taxonomy."""

    hsds_version: Literal["3.0"] = "3.0"
    profile: str = "https://openreferraluk.org/ + Llais extensions"
    organizations: tuple[Organization, ...]
    services: tuple[Service, ...]
    taxonomy_terms: tuple[TaxonomyTerm, ...] = ()
    bank_holidays: tuple[date, ...] = ()
    attribution: str | None = None
