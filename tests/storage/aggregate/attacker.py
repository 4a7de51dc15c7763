"""An attacker who knows every published figure EXACTLY (unrounded: the worst case).

It shares no code with the library's suppression: it recomputes the true figures from the rows by
brute force, writes down every relation a reader can see in the published tables (each margin is
the sum of its cells), and solves them with exact fractions. A withheld figure is *recovered* when
the equations pin down its value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from storage.aggregate import SCHOOL, Policy, Publication, Row, Spec, Unit

Key = frozenset[tuple[str, str]]


def levels_of(row: Row) -> dict[str, str]:
    """Every dimension of a row, the school included."""
    return {SCHOOL: row.school, **row.dims}


def in_cell(row: Row, key: Key) -> bool:
    """True when the row belongs to the cell."""
    return set(key) <= set(levels_of(row).items())


class Truth:
    """The true figures of any cell, by brute force over the rows (cached per cell)."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = rows
        self._members: dict[Key, list[int]] = {}

    def _of(self, key: Key) -> list[Row]:
        if key not in self._members:
            self._members[key] = [i for i, row in enumerate(self.rows) if in_cell(row, key)]
        return [self.rows[i] for i in self._members[key]]

    def count(self, key: Key) -> int:
        """Distinct people in the cell."""
        return len({row.person for row in self._of(key)})

    def schools(self, key: Key) -> set[str]:
        """The schools the cell draws on."""
        return {row.school for row in self._of(key)}

    def n(self, key: Key, unit: Unit) -> int:
        """What the cell counts: distinct people, or distinct records."""
        if unit is Unit.PEOPLE:
            return self.count(key)
        self._of(key)
        return len({self.rows[i].record or str(i) for i in self._members[key]})

    def sum(self, key: Key, index: int = 0) -> Fraction:
        """Sum over the cell's people of each person's mean value (a mean is this / count)."""
        per_person: dict[str, list[Fraction]] = {}
        for row in self._of(key):
            per_person.setdefault(row.person, []).append(Fraction(row.values[index]))
        total = Fraction(0)
        for values in per_person.values():
            total += sum(values, Fraction(0)) / len(values)
        return total


def published_keys(publication: Publication) -> dict[Key, bool]:
    """Every cell a reader sees, with whether its count is shown."""
    seen: dict[Key, bool] = {}
    for table in publication.tables:
        for cell in table.cells:
            seen[frozenset(cell.key.items())] = cell.count.shown
    return seen


def relations(spec: Spec, keys: Iterable[Key]) -> list[tuple[Key, list[Key]]]:
    """margin = sum(children) for every table, every margin and every dimension summed over."""
    by_dims: dict[frozenset[str], list[Key]] = {}
    for key in keys:
        by_dims.setdefault(frozenset(d for d, _ in key), []).append(key)
    found: dict[tuple[Key, str], list[Key]] = {}
    for table in spec.tables:
        for size in range(len(table)):
            for subset in combinations(table, size):
                for over in set(table) - set(subset):
                    finer = by_dims.get(frozenset((*subset, over)), [])
                    for margin in by_dims.get(frozenset(subset), []):
                        children = [key for key in finer if margin <= key]
                        if children:
                            found[margin, over] = sorted(children, key=sorted)
    return [(margin, children) for (margin, _), children in found.items()]


@dataclass
class Solution:
    """What the equations pin down: unknown -> exact value."""

    recovered: dict[Key, Fraction]


def solve(
    equations: Sequence[tuple[Key, list[Key]]],
    known: Mapping[Key, Fraction],
    unknown: Iterable[Key],
) -> Solution:
    """Gauss-Jordan elimination over the rationals; return every unknown with a unique value."""
    unknown = sorted(set(unknown), key=sorted)
    column = {key: i for i, key in enumerate(unknown)}
    rows: list[tuple[dict[int, Fraction], Fraction]] = []
    for margin, children in equations:
        coeffs: dict[int, Fraction] = {}
        rhs = Fraction(0)
        for key, sign in [(margin, 1), *((child, -1) for child in children)]:
            if key in column:
                coeffs[column[key]] = coeffs.get(column[key], Fraction(0)) + sign
            else:
                rhs -= sign * known[key]
        coeffs = {c: v for c, v in coeffs.items() if v}
        if coeffs:
            rows.append((coeffs, rhs))
        else:
            assert rhs == 0, "published figures contradict each other"
    pivots: list[tuple[int, dict[int, Fraction], Fraction]] = []
    for coeffs, rhs in rows:
        for col, prow, prhs in pivots:
            if col in coeffs:
                factor = coeffs[col] / prow[col]
                for c, v in prow.items():
                    coeffs[c] = coeffs.get(c, Fraction(0)) - factor * v
                rhs -= factor * prhs
                coeffs = {c: v for c, v in coeffs.items() if v}
        if not coeffs:
            assert rhs == 0, "published figures contradict each other"
            continue
        col = min(coeffs)
        for i, (other, orow, orhs) in enumerate(pivots):
            if col in orow:
                factor = orow[col] / coeffs[col]
                for c, v in coeffs.items():
                    orow[c] = orow.get(c, Fraction(0)) - factor * v
                pivots[i] = (other, {c: v for c, v in orow.items() if v}, orhs - factor * rhs)
        pivots.append((col, coeffs, rhs))
    recovered = {unknown[col]: rhs / prow[col] for col, prow, rhs in pivots if len(prow) == 1}
    return Solution(recovered=recovered)


def attack_counts(truth: Truth, spec: Spec, publication: Publication) -> Solution:
    """Recover withheld counts from the published counts of every table of the period."""
    seen = published_keys(publication)
    known = {key: Fraction(truth.n(key, spec.unit)) for key, shown in seen.items() if shown}
    hidden = [key for key, shown in seen.items() if not shown]
    return solve(relations(spec, seen), known, hidden)


def attack_means(truth: Truth, spec: Spec, publication: Publication) -> Solution:
    """Recover withheld SUMS (so means) even knowing every count, withheld ones included.

    A published mean times its (exact) count is a published sum; sums add up like counts.
    """
    seen = published_keys(publication)
    known = {key: truth.sum(key) for key, shown in seen.items() if shown}
    hidden = [key for key, shown in seen.items() if not shown]
    return solve(relations(spec, seen), known, hidden)


def attack_school_view(truth: Truth, spec: Spec, publication: Publication, school: str) -> Solution:
    """What a school lead can work out from their own view: own school + authority-wide cells.

    Every cell of every other school is unknown to them, published to officers or not.
    """
    everything = published_keys(publication)
    view = published_keys(publication.for_school(school))
    known = {key: Fraction(truth.n(key, spec.unit)) for key, shown in view.items() if shown}
    unknown = [key for key in everything if key not in known]
    return solve(relations(spec, everything), known, unknown)


def officer_leaks(truth: Truth, spec: Spec, publication: Publication) -> list[str]:
    """Everything an officer (who sees all tables) can work out that the rule forbids.

    * a withheld cell from fewer than k people;
    * a withheld cell of a single school (every one protects such a cell);
    * the total of the cells of one relation that stay unknown once its margin is known,
      when it comes from fewer than k people (e.g. two small schools' year 7 together).

    An authority-wide cell withheld because it draws on two or fewer schools may be worked out
    here: it is the sum of school figures an officer already sees.
    """
    k = publication.policy.k
    seen = published_keys(publication)
    solution = attack_counts(truth, spec, publication)
    known = {key for key, shown in seen.items() if shown} | set(solution.recovered)
    found = [
        f"cell {sorted(key)} = {value}"
        for key, value in solution.recovered.items()
        if truth.count(key) < k or SCHOOL in dict(key)
    ]
    for margin, children in relations(spec, seen):
        rest = [child for child in children if child not in known]
        if margin in known and rest and sum(truth.count(c) for c in rest) < k:
            found.append(f"sum of {[sorted(c) for c in rest]} under {sorted(margin)}")
    return found


def lead_leaks(truth: Truth, spec: Spec, publication: Publication, school: str) -> list[str]:
    """Everything a school lead can work out from their view that the rule forbids.

    * any cell of another school (published to officers or not);
    * a withheld authority-wide cell involving other schools, from fewer than k people or
      with only one other school in it (less their own school, it is that school's figure);
    * a sum of unknown cells of one relation that involves exactly one other school.

    "All the other schools together" is always known to a lead (the total less their own); the
    rule allows it when it is at least two schools.
    """
    policy: Policy = publication.policy
    seen = published_keys(publication)
    view = published_keys(publication.for_school(school))
    solution = attack_school_view(truth, spec, publication, school)
    known = {key for key, shown in view.items() if shown} | set(solution.recovered)
    found = []
    for key in solution.recovered:
        levels = dict(key)
        if levels.get(SCHOOL, school) != school:
            found.append(f"other school's cell {sorted(key)}")
        elif SCHOOL not in levels and not view[key]:
            others = truth.schools(key) - {school}
            if others and (truth.count(key) < policy.k or len(others) < policy.min_schools - 1):
                found.append(f"withheld authority cell {sorted(key)}")
    for margin, children in relations(spec, seen):
        rest = [child for child in children if child not in known]
        if margin in known and rest:
            others = set().union(*(truth.schools(c) for c in rest)) - {school}
            if 0 < len(others) < policy.min_schools - 1:
                found.append(f"one other school in {[sorted(c) for c in rest]}")
    return found
