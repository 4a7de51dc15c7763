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

from storage.aggregate import SCHOOL, Publication, Row, Spec

Key = frozenset[tuple[str, str]]


def levels_of(row: Row) -> dict[str, str]:
    """Every dimension of a row, the school included."""
    return {SCHOOL: row.school, **row.dims}


def true_count(rows: Sequence[Row], key: Key) -> int:
    """Distinct people in the cell."""
    return len({row.person for row in rows if set(key) <= set(levels_of(row).items())})


def true_sum(rows: Sequence[Row], key: Key, index: int = 0) -> Fraction:
    """Sum over the cell's people of each person's mean value (a mean is this over the count)."""
    per_person: dict[str, list[Fraction]] = {}
    for row in rows:
        if set(key) <= set(levels_of(row).items()):
            per_person.setdefault(row.person, []).append(Fraction(row.values[index]))
    return sum((sum(vs) / len(vs) for vs in per_person.values()), Fraction(0))


def published_keys(publication: Publication) -> dict[Key, bool]:
    """Every cell a reader sees, with whether its count is shown."""
    seen: dict[Key, bool] = {}
    for table in publication.tables:
        for cell in table.cells:
            seen[frozenset(cell.key.items())] = cell.count.shown
    return seen


def relations(spec: Spec, keys: Iterable[Key]) -> list[tuple[Key, list[Key]]]:
    """margin = sum(children) for every table, every margin and every dimension summed over."""
    keys = set(keys)
    found: dict[tuple[Key, str], list[Key]] = {}
    for table in spec.tables:
        for size in range(len(table)):
            for subset in combinations(table, size):
                for over in set(table) - set(subset):
                    for margin in keys:
                        if {d for d, _ in margin} != set(subset):
                            continue
                        children = [
                            k for k in keys if {d for d, _ in k} == {*subset, over} and margin <= k
                        ]
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


def attack_counts(rows: Sequence[Row], spec: Spec, publication: Publication) -> Solution:
    """Recover withheld counts from the published counts of every table of the period."""
    seen = published_keys(publication)
    known = {key: Fraction(true_count(rows, key)) for key, shown in seen.items() if shown}
    hidden = [key for key, shown in seen.items() if not shown]
    return solve(relations(spec, seen), known, hidden)


def attack_means(rows: Sequence[Row], spec: Spec, publication: Publication) -> Solution:
    """Recover withheld SUMS (so means) even knowing every count, withheld ones included.

    A published mean times its (exact) count is a published sum; sums add up like counts.
    """
    seen = published_keys(publication)
    known = {key: true_sum(rows, key) for key, shown in seen.items() if shown}
    hidden = [key for key, shown in seen.items() if not shown]
    return solve(relations(spec, seen), known, hidden)


def attack_school_view(
    rows: Sequence[Row], spec: Spec, publication: Publication, school: str
) -> Solution:
    """What a school lead can work out from their own view: own school + authority-wide cells.

    Every cell of every other school is unknown to them, published to officers or not.
    """
    everything = published_keys(publication)
    view = published_keys(publication.for_school(school))
    known = {key: Fraction(true_count(rows, key)) for key, shown in view.items() if shown}
    unknown = [key for key in everything if key not in known]
    return solve(relations(spec, everything), known, unknown)
