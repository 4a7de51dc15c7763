"""Which cells to withhold: primary suppression, then secondary suppression until nothing leaks.

Two kinds of protection (see README.md):

* *full*: a cell from fewer than k people, and every cell withheld to protect one, must not be
  recoverable from everything published for the period (an officer sees it all);
* *across schools*: an authority-wide cell drawn from too few schools must not be recoverable from
  the authority-wide cells (what every school lead sees beside their own school). Officers also
  see each school, so for them such a cell is only the sum of figures they already have.

Local rules run first (cheap, and they catch nearly everything); an exact rational audit of all
relations then proves the rest, and any cell it finds determined gets another complement.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Flag, auto

from storage.aggregate.cells import CellStats, Key
from storage.aggregate.linalg import determined_columns
from storage.aggregate.model import SCHOOL, Policy
from storage.aggregate.relations import Relation

log = logging.getLogger(__name__)


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


def primary(cells: Mapping[Key, CellStats], relations: Sequence[Relation], policy: Policy) -> Plan:
    """Withhold cells from fewer than k people, and authority-wide cells from too few schools."""
    plan = Plan(cells=cells, relations=relations, policy=policy)
    for key, cell in cells.items():
        if len(cell.people) < policy.k:
            plan.withhold(key, Reason.FEW_PEOPLE, full=True)
        if not cell.fixes_school and len(cell.schools) < policy.min_schools:
            plan.withhold(key, Reason.FEW_SCHOOLS, full=False)
    return plan


def _local_fix(plan: Plan, relation: Relation) -> tuple[Key, bool] | None:
    """The next cell to withhold for this relation to be safe, with its protection kind."""
    withheld = [key for key in relation.cells if plan.withheld(key)]
    if len(withheld) == 1:
        (alone,) = withheld
        full = alone in plan.full
        if full or relation.across_schools:
            chosen = plan.smallest(relation.cells)
            return None if chosen is None else (chosen, full)
    if plan.withheld(relation.margin):
        return None
    hidden = [key for key in relation.children if plan.withheld(key)]
    if not hidden:
        return None
    # The withheld cells of a published margin add up to a figure anyone can work out:
    # it must itself pass the rule (k people; and enough schools when it spans schools).
    people = frozenset().union(*(plan.cells[key].people for key in hidden))
    if len(people) < plan.policy.k:
        adds = [key for key in relation.children if not plan.cells[key].people <= people]
        chosen = plan.smallest(adds)
        return None if chosen is None else (chosen, True)
    if relation.across_schools:
        schools = frozenset().union(*(plan.cells[key].schools for key in hidden))
        if len(schools) < plan.policy.min_schools:
            adds = [key for key in relation.children if not plan.cells[key].schools <= schools]
            chosen = plan.smallest(adds)
            return None if chosen is None else (chosen, False)
    return None


def _local_rules(plan: Plan) -> int:
    """Apply the local rules to every relation until none changes; return cells added."""
    added = 0
    changed = True
    while changed:
        changed = False
        for relation in plan.relations:
            while (fix := _local_fix(plan, relation)) is not None:
                key, full = fix
                plan.withhold(key, Reason.SECONDARY, full=full)
                added += 1
                changed = True
    return added


@dataclass
class _Audit:
    """Which withheld cells the relations pin down, and through which relations."""

    unknown: list[Key]
    relations: list[Relation]
    fixed: dict[Key, list[int]]


def _solve(plan: Plan, relations: Sequence[Relation], known: Iterable[Key] = ()) -> _Audit:
    """Which withheld cells (less those in ``known``) the relations pin down."""
    unknown = sorted(set(plan.reasons).difference(known), key=plan.rank)
    column = {key: i for i, key in enumerate(unknown)}
    rows: list[dict[int, int]] = []
    used: list[Relation] = []
    for relation in relations:
        row = {column[key]: -1 for key in relation.children if key in column}
        if relation.margin in column:
            row[column[relation.margin]] = 1
        if row:
            rows.append(row)
            used.append(relation)
    fixed = {
        unknown[col]: [i for i in range(len(used)) if sources >> i & 1]
        for col, sources in determined_columns(rows).items()
    }
    return _Audit(unknown=unknown, relations=used, fixed=fixed)


def _complement_determined(plan: Plan, audit: _Audit, protect: Iterable[Key]) -> int:
    """Withhold a complement for every cell in ``protect`` that ``audit`` found pinned down."""
    added = 0
    touched: set[int] = set()
    for key in sorted(set(protect).intersection(audit.fixed), key=plan.rank):
        sources = audit.fixed[key]
        if touched.intersection(sources):
            continue  # an earlier complement may already have freed it: look again next round
        candidates = [cell for i in sources for cell in audit.relations[i].cells]
        chosen = plan.smallest(candidates)
        if chosen is None:
            raise AssertionError("a determined cell with every related cell withheld")
        plan.withhold(chosen, Reason.SECONDARY, full=key in plan.full)
        touched.update(sources)
        added += 1
    return added


def _complement_remainders(plan: Plan, audit: _Audit) -> int:
    """Every margin that is known exposes the sum of its cells that are not: it needs k people.

    A withheld cell that can be worked out counts as known, on either side of the relation.
    """
    added = 0
    for relation in plan.relations:
        if plan.withheld(relation.margin) and relation.margin not in audit.fixed:
            continue
        rest = [k for k in relation.children if plan.withheld(k) and k not in audit.fixed]
        people = frozenset().union(*(plan.cells[key].people for key in rest))
        if not rest or len(people) >= plan.policy.k:
            continue
        adds = [key for key in relation.children if not plan.cells[key].people <= people]
        chosen = plan.smallest(adds)
        if chosen is None:
            # The other cells are withheld but worked out: free one of them instead.
            sources = [i for key in adds for i in audit.fixed.get(key, [])]
            chosen = plan.smallest(cell for i in sources for cell in audit.relations[i].cells)
        if chosen is None:
            raise AssertionError("a known margin whose unknown part cannot be widened")
        plan.withhold(chosen, Reason.SECONDARY, full=True)
        added += 1
    return added


def _own_only(plan: Plan) -> dict[str, set[Key]]:
    """School -> withheld authority-wide cells that only that school contributes to.

    Such a cell equals the school's own cell; when that is shown, the school's lead knows it.
    """
    own_cells: dict[tuple[Key, str], Key] = {}
    for key, cell in plan.cells.items():
        if cell.fixes_school:
            school = next(level for dim, level in key if dim == SCHOOL)
            own_cells[tuple(pair for pair in key if pair[0] != SCHOOL), school] = key
    found: dict[str, set[Key]] = {}
    for key in plan.reasons:
        cell = plan.cells[key]
        if cell.fixes_school or len(cell.schools) != 1:
            continue
        (school,) = cell.schools
        own = own_cells.get((key, school))
        if own is not None and not plan.withheld(own):
            found.setdefault(school, set()).add(key)
    return found


def _lead_remainders(plan: Plan, audit: _Audit, across: Sequence[Relation], school: str) -> int:
    """What one lead can work out must not leave a single other school (their own taken off)."""
    enough = plan.policy.min_schools - 1
    known = set(audit.fixed)
    for relation in across:
        if plan.withheld(relation.margin) and relation.margin not in known:
            continue
        rest = [k for k in relation.children if plan.withheld(k) and k not in known]
        others = frozenset().union(*(plan.cells[key].schools for key in rest)) - {school}
        if not rest or not 0 < len(others) < enough:
            continue
        adds = [k for k in relation.children if not plan.cells[k].schools - {school} <= others]
        chosen = plan.smallest(adds)
        if chosen is None:
            sources = [i for key in adds for i in audit.fixed.get(key, [])]
            chosen = plan.smallest(cell for i in sources for cell in audit.relations[i].cells)
        if chosen is None:
            raise AssertionError("a lead's known margin whose unknown part cannot be widened")
        plan.withhold(chosen, Reason.SECONDARY, full=False)
        return 1
    return 0


def _lead_audits(plan: Plan, across: Sequence[Relation]) -> int:
    """Audit the authority-wide cells as each school's lead sees them, own-only cells known."""
    policy = plan.policy
    for school, own in sorted(_own_only(plan).items()):
        audit = _solve(plan, across, known=own)
        audit.fixed.update({key: [] for key in own})
        protect = []
        for key in plan.reasons:
            cell = plan.cells[key]
            others = cell.schools - {school}
            small = len(cell.people) < policy.k or len(others) < policy.min_schools - 1
            if not cell.fixes_school and key not in own and others and small:
                protect.append(key)
        if _complement_determined(plan, audit, protect) or _lead_remainders(
            plan, audit, across, school
        ):
            return 1
    return 0


def protect(plan: Plan) -> Plan:
    """Add secondary suppression until no protected cell can be worked out; return ``plan``."""
    across = [relation for relation in plan.relations if relation.across_schools]
    while True:
        _local_rules(plan)
        plan.audits += 1
        everything = _solve(plan, plan.relations)
        if _complement_determined(plan, everything, plan.full):
            continue
        if _complement_remainders(plan, everything):
            continue
        authority = [key for key in plan.reasons if not plan.cells[key].fixes_school]
        if _complement_determined(plan, _solve(plan, across), authority):
            continue
        if _lead_audits(plan, across):
            continue
        break
    log.debug(
        "disclosure control: %d cells, %d relations, %d withheld, %d audits",
        len(plan.cells),
        len(plan.relations),
        len(plan.reasons),
        plan.audits,
    )
    return plan
