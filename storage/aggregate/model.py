"""What a caller hands in: raw rows, the tables wanted from them, and the disclosure policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import combinations

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHOOL = "school"
"""The dimension every row has; a table without it aggregates over schools."""


@dataclass(frozen=True, slots=True)
class Row:
    """One raw observation of ONE measure in ONE reporting period.

    ``person`` is the pseudonymous reference (never shown, only counted); ``dims`` holds the other
    dimension values (e.g. ``{"year_group": "9", "band": "high"}``); ``values`` holds one number
    per name in ``Spec.values`` for a mean measure; ``record`` identifies the counted thing when
    ``Spec.unit`` is ``records`` and one record spans several rows (e.g. a mood log with two
    reason tags); without it every row is its own record.
    """

    person: str
    school: str
    dims: Mapping[str, str] = field(default_factory=dict)
    values: tuple[float, ...] = ()
    record: str | None = None


class Unit(StrEnum):
    """What a count counts. The threshold is always on distinct people."""

    PEOPLE = "people"
    RECORDS = "records"


Dims = tuple[str, ...]


class Spec(BaseModel):
    """The tables to publish for one measure: every table comes with all its margins."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure: str = Field(min_length=1)
    tables: tuple[Dims, ...] = Field(min_length=1)
    values: tuple[str, ...] = ()
    medians: tuple[str, ...] = ()
    """Names in ``values`` published as a median (over records, or people) instead of a mean."""
    unit: Unit = Unit.PEOPLE
    category: str | None = None
    levels: Mapping[str, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Spec:
        seen: set[frozenset[str]] = set()
        for table in self.tables:
            if len(set(table)) != len(table) or any(not dim for dim in table):
                raise ValueError(f"table {table}: a dimension is empty or repeated")
            if frozenset(table) in seen:
                raise ValueError(f"table {table}: asked for twice")
            seen.add(frozenset(table))
        dims = set(self.dims)
        if self.category is not None and self.category not in dims:
            raise ValueError(f"category {self.category!r} is in no table")
        for dim, levels in self.levels.items():
            if dim not in dims:
                raise ValueError(f"levels given for {dim!r}, which is in no table")
            if not levels or len(set(levels)) != len(levels):
                raise ValueError(f"levels of {dim!r} are empty or repeated")
        if len(set(self.values)) != len(self.values):
            raise ValueError("value names are repeated")
        if not set(self.medians) <= set(self.values):
            raise ValueError("a median is not among the values")
        return self

    @property
    def dims(self) -> Dims:
        """Every dimension used, in the order of first appearance (the order of a cell's key)."""
        ordered: dict[str, None] = {}
        for table in self.tables:
            ordered.update(dict.fromkeys(table))
        return tuple(ordered)

    @property
    def subsets(self) -> tuple[Dims, ...]:
        """Every margin of every table (the grand total first), dimensions in canonical order."""
        order = {dim: i for i, dim in enumerate(self.dims)}
        found: set[Dims] = set()
        for table in self.tables:
            canon = tuple(sorted(table, key=order.__getitem__))
            for size in range(len(canon) + 1):
                found.update(combinations(canon, size))
        return tuple(sorted(found, key=lambda s: (len(s), [order[d] for d in s])))


class Policy(BaseModel):
    """The Llais rule's thresholds (k comes from settings; the others rarely change)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    k: int = Field(default=10, ge=1)
    rounding_base: int = Field(default=5, ge=1)
    min_percentage_base: int = Field(default=30, ge=1)
    min_schools: int = Field(default=3, ge=1)
    mean_decimals: int = Field(default=1, ge=0, le=6)
    percent_decimals: int = Field(default=0, ge=0, le=6)

    @model_validator(mode="after")
    def _no_rounding_to_zero(self) -> Policy:
        # Every shown count is at least k; it must not round to 0 (that would need a [low] symbol).
        if 2 * self.k <= self.rounding_base:
            raise ValueError("k must be more than half the rounding base")
        return self
