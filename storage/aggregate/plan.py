"""The state of disclosure control for one period: the cells, their relations, what is withheld."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Flag, auto

from storage.aggregate.cells import CellStats, Key
from storage.aggregate.model import Policy
from storage.aggregate.relations import Relation


class Reason(Flag):
    """Why a cell is withheld (internal: published cells show only a symbol)."""

    FEW_PEOPLE = auto()
    FEW_SCHOOLS = auto()
    SECONDARY = auto()


@dataclass
class Plan:
    """The cells of one period, their relations, and which cells are withheld and why."""

    cells: Mapping[Key, CellStats]
    relations: Sequence[Relation]
    policy: Policy
    reasons: dict[Key, Reason] = field(default_factory=dict)
    full: set[Key] = field(default_factory=set)
    audits: int = 0

    def __post_init__(self) -> None:
        self._rank = {key: i for i, key in enumerate(self.cells)}

    def withheld(self, key: Key) -> bool:
        """True when ``key`` is not published."""
        return key in self.reasons

    def rank(self, key: Key) -> int:
        """The cell's position in the canonical order (for deterministic choices)."""
        return self._rank[key]

    def withhold(self, key: Key, reason: Reason, *, full: bool) -> None:
        """Mark ``key`` withheld; ``full`` asks for protection against everything published."""
        self.reasons[key] = self.reasons.get(key, reason) | reason
        if full:
            self.full.add(key)

    def smallest(self, candidates: Iterable[Key]) -> Key | None:
        """The published candidate that costs least to withhold: fewest, then finest, then first."""

        def cost(key: Key) -> tuple[int, int, int, int]:
            cell = self.cells[key]
            return (cell.n, len(cell.people), -len(key), self.rank(key))

        published = [key for key in candidates if not self.withheld(key)]
        return min(published, key=cost) if published else None
