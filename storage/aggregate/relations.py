"""The linear relations a reader can write down: every margin equals the sum of its cells."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from storage.aggregate.cells import CellStats, Key
from storage.aggregate.model import SCHOOL, Dims, Spec


@dataclass(frozen=True, slots=True)
class Relation:
    """``margin = sum(children)``, the children splitting the margin by dimension ``over``.

    For people counts it is exact when each person has one level of ``over``; it is treated as
    exact whatever the data (the worst case for protection).
    """

    margin: Key
    over: str
    children: tuple[Key, ...]

    @property
    def cells(self) -> tuple[Key, ...]:
        """The margin, then the children."""
        return (self.margin, *self.children)

    @property
    def across_schools(self) -> bool:
        """True when no cell of the relation is a single school's own: all are authority-wide."""
        return self.over != SCHOOL and all(dim != SCHOOL for dim, _ in self.margin)


def build_relations(spec: Spec, cells: Mapping[Key, CellStats]) -> list[Relation]:
    """Every published relation of every table, each once, in a deterministic order."""
    order = {dim: i for i, dim in enumerate(spec.dims)}
    by_dims: dict[Dims, list[Key]] = {}
    for key in cells:
        by_dims.setdefault(tuple(dim for dim, _ in key), []).append(key)
    relations: dict[tuple[Key, str], Relation] = {}
    for subset in spec.subsets:
        for table in spec.tables:
            if not set(subset) < set(table):
                continue
            for over in sorted(set(table) - set(subset), key=order.__getitem__):
                finer = tuple(sorted((*subset, over), key=order.__getitem__))
                children: dict[Key, list[Key]] = {}
                for child in by_dims.get(finer, []):
                    children.setdefault(tuple(p for p in child if p[0] != over), []).append(child)
                for margin in by_dims.get(subset, []):
                    if (margin, over) in relations or not children.get(margin):
                        continue
                    relations[margin, over] = Relation(margin, over, tuple(children[margin]))
    return list(relations.values())
