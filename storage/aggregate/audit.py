"""The exact audits of secondary suppression: what the published relations still pin down.

Every relation is solved exactly over the rationals (``linalg``) with the shown figures known and
the withheld ones unknown, as officers see them, as any authority-wide reader sees them, and as
each school's lead sees them. Anything the rule forbids that can be worked out gets a complement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storage.aggregate.cells import Key
from storage.aggregate.linalg import determined_columns
from storage.aggregate.model import SCHOOL
from storage.aggregate.plan import Plan, Reason
from storage.aggregate.relations import Relation


@dataclass
class Audit:
    """Which withheld cells the relations pin down, and through which relations."""

    unknown: list[Key]
    relations: list[Relation]
    fixed: dict[Key, list[int]]


def solve(plan: Plan, relations: Sequence[Relation], known: Iterable[Key] = ()) -> Audit:
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
    return Audit(unknown=unknown, relations=used, fixed=fixed)


def complement_determined(plan: Plan, audit: Audit, protect: Iterable[Key]) -> int:
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


def complement_remainders(plan: Plan, audit: Audit) -> int:
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


def own_only(plan: Plan) -> dict[str, set[Key]]:
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


def lead_remainders(plan: Plan, audit: Audit, across: Sequence[Relation], school: str) -> int:
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


def lead_audits(plan: Plan, across: Sequence[Relation]) -> int:
    """Audit the authority-wide cells as each school's lead sees them, own-only cells known."""
    policy = plan.policy
    for school, own in sorted(own_only(plan).items()):
        audit = solve(plan, across, known=own)
        audit.fixed.update({key: [] for key in own})
        protect = []
        for key in plan.reasons:
            cell = plan.cells[key]
            others = cell.schools - {school}
            small = len(cell.people) < policy.k or len(others) < policy.min_schools - 1
            if not cell.fixes_school and key not in own and others and small:
                protect.append(key)
        if complement_determined(plan, audit, protect) or lead_remainders(
            plan, audit, across, school
        ):
            return 1
    return 0
