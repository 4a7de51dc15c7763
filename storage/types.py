"""Column types that behave the same on SQLite and PostgreSQL.

The kernel's vocabulary is stored as the plain strings it has always been ('high', 'dsl', 'open'),
in VARCHAR columns, and comes back as the enum: a value outside the vocabulary is refused on the
way in and on the way out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from core.vocabulary import Category, RiskLevel

E = TypeVar("E", bound=StrEnum)


class AwareDateTime(TypeDecorator[datetime]):
    """Store UTC, always hand back timezone-aware datetimes (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use timezone-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumText(TypeDecorator[E]):
    """A ``StrEnum`` stored as its value in a VARCHAR of ``length``."""

    impl = String
    cache_ok = True

    def __init__(self, enum_type: type[E], length: int) -> None:
        super().__init__(length)
        self.enum_type = enum_type
        self.length = length

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_type(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        return None if value is None else self.enum_type(value)

    @property
    def python_type(self) -> type[E]:
        return self.enum_type


class RiskLevelText(TypeDecorator[RiskLevel]):
    """A risk level stored as its lower-case label ('high')."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else RiskLevel.coerce(value).label

    def process_result_value(self, value: Any, dialect: Dialect) -> RiskLevel | None:
        return None if value is None else RiskLevel.parse(str(value))


class CategoryList(TypeDecorator[list[Category]]):
    """Safeguarding categories stored as a JSON list of their values."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Iterable[str] | None, dialect: Dialect) -> Any:
        return None if value is None else [Category(item).value for item in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> list[Category] | None:
        return None if value is None else [Category(item) for item in value]
