"""The library's integer elimination agrees with the attacker's exact fractions."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.aggregate.linalg import determined_columns
from tests.storage.aggregate.attacker import Key, solve


def _key(col: int) -> Key:
    return frozenset({("c", str(col))})


def fraction_determined(rows: list[dict[int, int]], width: int) -> set[int]:
    """Columns the attacker's solver pins down.

    It solves ``margin = sum(children)``; a row ``sum(c_i x_i) = 0`` becomes a known zero margin
    with ``x_i`` repeated ``c_i`` times, a negative ``c_i`` using a copy ``y_i`` tied by
    ``0 = x_i + y_i``.
    """
    equations = []
    known: dict[Key, Fraction] = {_key(-1): Fraction(0)}
    for row in rows:
        children: list[Key] = []
        for col, coeff in row.items():
            for _ in range(abs(coeff)):
                children.append(_key(col) if coeff > 0 else _key(-(col + 2)))
        equations.append((_key(-1), children))
    for col in range(width):
        equations.append((_key(-1), [_key(col), _key(-(col + 2))]))
    unknown = [_key(c) for c in range(width)] + [_key(-(c + 2)) for c in range(width)]
    recovered = solve(equations, known, unknown).recovered
    return {c for c in range(width) if _key(c) in recovered}


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 9).flatmap(
        lambda width: st.tuples(
            st.just(width),
            st.lists(
                st.dictionaries(st.integers(0, width - 1), st.sampled_from((-2, -1, 1, 1, 2))),
                max_size=10,
            ),
        )
    )
)
def test_determined_columns_match_exact_fractions(case: tuple[int, list[dict[int, int]]]) -> None:
    width, rows = case
    assert set(determined_columns(rows)) == fraction_determined(rows, width)


def test_a_bridge_between_two_cycles_is_determined() -> None:
    # cells: a b | c d (cycle 1), e (bridge), f g | h i (cycle 2), as row and column sums
    a, b, c, d, e, f, g, h, i = range(9)
    rows = [
        {a: 1, b: 1},  # row 1
        {c: 1, d: 1, e: 1},  # row 2 (with the bridge)
        {a: 1, c: 1},  # column 1
        {b: 1, d: 1},  # column 2
        {e: 1, f: 1, h: 1},  # column 3 (with the bridge)
        {g: 1, i: 1},  # column 4
        {f: 1, g: 1},  # row 3
        {h: 1, i: 1},  # row 4
    ]
    assert set(determined_columns(rows)) == {e}


def test_sources_name_the_rows_that_pin_a_column_down() -> None:
    rows = [{0: 1, 1: 1}, {2: 1, 3: 1}, {1: 1}]
    fixed = determined_columns(rows)
    assert set(fixed) == {0, 1}
    assert fixed[0] & 0b001 and fixed[0] & 0b100 and not fixed[0] & 0b010
