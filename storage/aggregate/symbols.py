"""The symbols a published cell shows instead of a figure, with their labels in Welsh and English.

They follow the GSS shorthand used by the Welsh Government and StatsWales. ``[c]`` covers both a
cell from too few people and a cell withheld so that such a cell cannot be worked out
("secondary"): one symbol, so a reader cannot tell which is which.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

Language = Literal["cy", "en"]
LANGUAGES: tuple[Language, ...] = ("cy", "en")


class Symbol(StrEnum):
    """Why a figure is not shown."""

    CONFIDENTIAL = "[c]"
    FEW_SCHOOLS = "[x]"
    SMALL_BASE = "[z]"


_LABELS: dict[Symbol, dict[Language, str]] = {
    Symbol.CONFIDENTIAL: {
        "en": "confidential: fewer than {k} people, or it could reveal such a figure",
        "cy": "cyfrinachol: llai na {k} o bobl, neu gallai ddatgelu ffigur o'r fath",
    },
    Symbol.FEW_SCHOOLS: {
        "en": "not available: it would combine {max_schools} schools or fewer",
        "cy": "ddim ar gael: byddai'n cyfuno {max_schools} ysgol neu lai",
    },
    Symbol.SMALL_BASE: {
        "en": "not applicable: no percentage is shown for a group of fewer than {base}",
        "cy": "ddim yn berthnasol: ni ddangosir canran ar gyfer grŵp o lai na {base}",
    },
}


def symbol_label(
    symbol: Symbol, language: Language, *, k: int, min_schools: int, min_base: int
) -> str:
    """Return the reader's explanation of ``symbol`` in ``language`` for the thresholds in force."""
    return _LABELS[symbol][language].format(k=k, max_schools=min_schools - 1, base=min_base)
