"""Turn raw rows into the true (unprotected) figures of every cell of every table and margin."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product

from storage.aggregate.errors import DisclosureInputError
from storage.aggregate.model import SCHOOL, Dims, Row, Spec, Unit

Key = tuple[tuple[str, str], ...]
"""A cell's identity: (dimension, level) pairs in the spec's dimension order; () is the total."""


@dataclass(frozen=True, slots=True)
class CellStats:
    """The true figures of one cell. Never leaves the package: only ``publish`` output does."""

    key: Key
    people: frozenset[str]
    schools: frozenset[str]
    n: int
    totals: tuple[float, ...]
    medians: tuple[tuple[float | None, int], ...] = ()
    """Per name in ``Spec.medians``: (the median or None, how many records or people gave it)."""

    @property
    def dims(self) -> Dims:
        """The dimensions this cell fixes."""
        return tuple(dim for dim, _ in self.key)

    @property
    def fixes_school(self) -> bool:
        """True for a single school's own cell."""
        return any(dim == SCHOOL for dim, _ in self.key)


@dataclass(slots=True)
class _Person:
    sums: list[float]
    count: int = 0


@dataclass(slots=True)
class _Cell:
    people: dict[str, _Person] = field(default_factory=dict)
    records: set[str | int] = field(default_factory=set)
    schools: set[str] = field(default_factory=set)
    # only for a spec with medians: what each record (or person) gave, per row
    samples: dict[str | int, list[tuple[float, ...]]] = field(default_factory=dict)


def level_order(spec: Spec, dim: str, level: str) -> tuple[int, int, str]:
    """Sort key for a level: declared order first, then numbers numerically, then text."""
    declared = spec.levels.get(dim)
    if declared is not None:
        return (0, declared.index(level), "")
    if level.isdigit():
        return (1, int(level), "")
    return (2, 0, level)


def key_sorter(spec: Spec) -> Callable[[Key], tuple[object, ...]]:
    """Sort key for cells: by margin (the grand total first), then by levels."""
    position = {dims: i for i, dims in enumerate(spec.subsets)}

    def order(key: Key) -> tuple[object, ...]:
        dims = tuple(dim for dim, _ in key)
        return (position[dims], tuple(level_order(spec, dim, level) for dim, level in key))

    return order


def _row_levels(row: Row, spec: Spec, dims: Dims) -> tuple[str, ...]:
    if SCHOOL in row.dims:
        raise DisclosureInputError(f"a row carries {SCHOOL!r} in dims; it belongs in Row.school")
    levels: list[str] = []
    for dim in dims:
        level = row.school if dim == SCHOOL else row.dims.get(dim)
        if level is None:
            raise DisclosureInputError(f"a row has no value for dimension {dim!r}")
        declared = spec.levels.get(dim)
        if declared is not None and level not in declared:
            raise DisclosureInputError(f"dimension {dim!r}: level {level!r} is not declared")
        levels.append(level)
    return tuple(levels)


def _check_values(row: Row, spec: Spec) -> None:
    if len(row.values) != len(spec.values):
        raise DisclosureInputError(
            f"a row has {len(row.values)} values; measure {spec.measure!r} needs {len(spec.values)}"
        )
    for name, value in zip(spec.values, row.values, strict=True):
        # a median value may be missing (NaN: e.g. an alert not yet acknowledged)
        if not math.isfinite(value) and not (name in spec.medians and math.isnan(value)):
            raise DisclosureInputError("a row has a value that is not a finite number")
    if row.record is not None and any(name not in spec.medians for name in spec.values):
        raise DisclosureInputError("a mean measure averages rows: give one row per record")


def _fine_cells(rows: Iterable[Row], spec: Spec) -> dict[tuple[str, ...], _Cell]:
    """Group rows by their levels of every dimension, keeping what each person contributed."""
    dims = spec.dims
    width = len(spec.values)
    fine: dict[tuple[str, ...], _Cell] = {}
    for index, row in enumerate(rows):
        _check_values(row, spec)
        levels = _row_levels(row, spec, dims)
        cell = fine.get(levels)
        if cell is None:
            cell = fine[levels] = _Cell()
        person = cell.people.get(row.person)
        if person is None:
            person = cell.people[row.person] = _Person(sums=[0.0] * width)
        for i, value in enumerate(row.values):
            person.sums[i] += value
        person.count += 1
        record = index if row.record is None else row.record
        cell.records.add(record)
        cell.schools.add(row.school)
        if spec.medians:
            sample = record if spec.unit is Unit.RECORDS else row.person
            cell.samples.setdefault(sample, []).append(row.values)
    return fine


def _merge(parts: Sequence[_Cell]) -> _Cell:
    merged = _Cell()
    for part in parts:
        for ref, contribution in part.people.items():
            person = merged.people.get(ref)
            if person is None:
                merged.people[ref] = _Person(sums=list(contribution.sums), count=contribution.count)
            else:
                person.sums = [a + b for a, b in zip(person.sums, contribution.sums, strict=True)]
                person.count += contribution.count
        merged.records |= part.records
        merged.schools |= part.schools
        for sample, values in part.samples.items():
            merged.samples.setdefault(sample, []).extend(values)
    return merged


def _medians(cell: _Cell, spec: Spec) -> tuple[tuple[float | None, int], ...]:
    """Per median value: the median over records (or people: each their own mean), NaN left out."""
    found = []
    for name in spec.medians:
        i = spec.values.index(name)
        given = []
        for values in cell.samples.values():
            present = [v[i] for v in values if not math.isnan(v[i])]
            if present:
                given.append(math.fsum(present) / len(present))
        found.append((statistics.median(given) if given else None, len(given)))
    return tuple(found)


def _stats(key: Key, cell: _Cell, spec: Spec) -> CellStats:
    people = cell.people.values()
    width = range(len(spec.values))
    if spec.unit is Unit.PEOPLE:
        n = len(cell.people)
        totals = tuple(math.fsum(p.sums[i] / p.count for p in people) for i in width)
    else:
        n = len(cell.records)
        totals = tuple(math.fsum(p.sums[i] for p in people) for i in width)
    return CellStats(
        key=key,
        people=frozenset(cell.people),
        schools=frozenset(cell.schools),
        n=n,
        totals=totals,
        medians=_medians(cell, spec),
    )


def _combine(key: Key, parts: Sequence[tuple[_Cell, CellStats]], spec: Spec) -> CellStats:
    """A margin from its finest cells: counts and sums add up unless someone is in two of them."""
    if spec.medians:  # a median does not add up: work it out from every sample in the margin
        return _stats(key, _merge([cell for cell, _ in parts]), spec)
    people = frozenset().union(*(stats.people for _, stats in parts))
    if spec.unit is Unit.RECORDS:
        n = len(set().union(*(cell.records for cell, _ in parts)))
    elif len(people) == sum(len(stats.people) for _, stats in parts):
        n = len(people)
    else:  # someone spans levels: their mean is over all their rows in the margin
        return _stats(key, _merge([cell for cell, _ in parts]), spec)
    width = range(len(spec.values))
    return CellStats(
        key=key,
        people=people,
        schools=frozenset().union(*(stats.schools for _, stats in parts)),
        n=n,
        totals=tuple(math.fsum(stats.totals[i] for _, stats in parts) for i in width),
    )


def _expand(spec: Spec, subset: Dims, observed: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Every key of a margin: observed combinations of free dimensions x all declared levels."""
    free = [i for i, dim in enumerate(subset) if dim not in spec.levels]
    fixed = [i for i, dim in enumerate(subset) if dim in spec.levels]
    seen_free = {tuple(levels[i] for i in free) for levels in observed}
    if not free:
        seen_free = {()}
    keys = []
    for free_levels in seen_free:
        for fixed_levels in product(*(spec.levels[subset[i]] for i in fixed)):
            levels = [""] * len(subset)
            for i, level in zip(free, free_levels, strict=True):
                levels[i] = level
            for i, level in zip(fixed, fixed_levels, strict=True):
                levels[i] = level
            keys.append(tuple(levels))
    return keys


def build_cells(rows: Sequence[Row] | Iterable[Row], spec: Spec) -> dict[Key, CellStats]:
    """Compute every cell of every table of ``spec`` (all margins included) from raw rows."""
    dims = spec.dims
    fine = {
        levels: (cell, _stats(tuple(zip(dims, levels, strict=True)), cell, spec))
        for levels, cell in _fine_cells(rows, spec).items()
    }
    position = {dim: i for i, dim in enumerate(dims)}
    cells: dict[Key, CellStats] = {}
    for subset in spec.subsets:
        index = [position[dim] for dim in subset]
        grouped: dict[tuple[str, ...], list[tuple[_Cell, CellStats]]] = {}
        for levels, part in fine.items():
            grouped.setdefault(tuple(levels[i] for i in index), []).append(part)
        for levels in _expand(spec, subset, grouped):
            key: Key = tuple(zip(subset, levels, strict=True))
            parts = grouped.get(levels)
            cells[key] = _combine(key, parts, spec) if parts else _stats(key, _Cell(), spec)
    order = key_sorter(spec)
    return dict(sorted(cells.items(), key=lambda item: order(item[0])))


def key_dict(key: Key) -> Mapping[str, str]:
    """The key as a mapping from dimension to level."""
    return dict(key)
