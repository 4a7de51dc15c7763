"""Builders for crafted rows: a number of learners of a school with given dimension values."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from storage.aggregate import Row

_serial = count()


def learners(
    school: str,
    n: int,
    *,
    values: Sequence[float] | None = None,
    rows_each: int = 1,
    **dims: str,
) -> list[Row]:
    """``n`` distinct learners of ``school``, each with ``rows_each`` identical rows.

    ``values`` gives one value per learner (a one-value mean measure); without it rows carry none.
    """
    made: list[Row] = []
    for i in range(n):
        person = f"learner-{next(_serial)}"
        value = () if values is None else (float(values[i]),)
        made.extend(
            Row(person=person, school=school, dims=dims, values=value) for _ in range(rows_each)
        )
    return made


def shown(figure_text: str) -> bool:
    """True when a printed figure is a number, not a symbol."""
    return not figure_text.startswith("[")
