"""Exact linear algebra over the rationals: which unknowns do a set of linear equations pin down?

Equations are sparse rows of integers (column -> coefficient); the right-hand side does not matter
for *whether* an unknown is determined, only for its value. Elimination is fraction-free with each
row divided by the gcd of its entries, so it stays exact and the numbers stay small.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import gcd

SparseRow = dict[int, int]


def _normalise(row: SparseRow) -> SparseRow:
    """Divide by the gcd of the entries and make the pivot (first entry) positive."""
    divisor = 0
    for value in row.values():
        divisor = gcd(divisor, value)
        if divisor == 1:
            break
    if row[min(row)] < 0:
        divisor = -divisor
    if divisor == 1:
        return row
    return {col: value // divisor for col, value in row.items()}


def _eliminate(row: SparseRow, pivot_row: SparseRow, col: int) -> SparseRow:
    """Return ``row`` with column ``col`` cancelled by a multiple of ``pivot_row``."""
    a, b = pivot_row[col], row[col]
    if a in (1, -1):  # nearly always, for margins: no scaling, integers stay integers
        out = dict(row)
        factor = b * a
    else:
        out = {c: a * v for c, v in row.items()}
        factor = b
    for c, v in pivot_row.items():
        value = out.get(c, 0) - factor * v
        if value:
            out[c] = value
        else:
            del out[c]
    return out


def determined_columns(rows: Sequence[Mapping[int, int]]) -> dict[int, int]:
    """Return every column fixed by ``rows``, mapped to a bitset of the rows that fix it.

    Bit ``i`` of the bitset stands for ``rows[i]``; it may include rows whose weight in the
    combination happens to be zero (it is a superset, used to choose where to act).
    """
    basis: dict[int, tuple[SparseRow, int]] = {}
    for index, original in enumerate(rows):
        row: SparseRow = {c: v for c, v in original.items() if v}
        sources = 1 << index
        while row:
            col = min(row)
            if col not in basis:
                basis[col] = (_normalise(row), sources)
                break
            pivot_row, pivot_sources = basis[col]
            row = _eliminate(row, pivot_row, col)
            sources |= pivot_sources
    pivots = sorted(basis, reverse=True)
    for col in pivots:
        pivot_row, pivot_sources = basis[col]
        for other in pivots:
            if other >= col:
                continue
            row, sources = basis[other]
            if col in row:
                reduced = _normalise(_eliminate(row, pivot_row, col))
                basis[other] = (reduced, sources | pivot_sources)
    return {col: sources for col, (row, sources) in basis.items() if len(row) == 1}
