"""Declarative base with a naming convention, so migrations name constraints the same everywhere."""

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table."""

    metadata = MetaData(naming_convention=NAMING)


def one_of(column: str, values: Iterable[StrEnum]) -> str:
    """A CHECK constraint's text: ``column`` holds one of ``values`` (the database's own guard)."""
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"
