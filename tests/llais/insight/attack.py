"""A reader's differencing attack on published text tables: every margin equals the sum of its
cells, so a withheld cell alone in a relation under a shown margin could be worked out."""

from __future__ import annotations

SYMBOLS = {"[c]", "[x]", "[z]"}


def lone_withheld(cells: dict[tuple[tuple[str, str], ...], str]) -> list[str]:
    """Relations (margin = sum over one dimension) with a shown margin and one withheld cell.

    ``cells`` maps a cell key (sorted (dimension, level) pairs; a missing dimension is "all")
    to its published count text.
    """
    found = []
    dims = {d for key in cells for d, _ in key}
    for margin, figure in cells.items():
        if figure in SYMBOLS:
            continue
        fixed = dict(margin)
        for dim in dims - set(fixed):
            members = [
                value
                for key, value in cells.items()
                if dict(key).keys() == fixed.keys() | {dim}
                and all(dict(key)[d] == v for d, v in fixed.items())
            ]
            withheld = [v for v in members if v in SYMBOLS]
            if len(members) > 1 and len(withheld) == 1:
                found.append(f"{fixed} over {dim}")
    return found
