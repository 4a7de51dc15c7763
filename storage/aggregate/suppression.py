"""Which cells to withhold: primary suppression, then secondary suppression until nothing leaks.

Two kinds of protection (see README.md):

* *full*: a cell from fewer than k people, and every cell withheld to protect one, must not be
  recoverable from everything published for the period (an officer sees it all);
* *across schools*: an authority-wide cell drawn from too few schools must not be recoverable by
  a reader of the authority-wide cells, nor by any school's lead, who also knows their own
  school. Officers see each school, so for them such a cell is a sum of figures they have.

The local rules (``rules``) run first: cheap, and they catch nearly everything. The exact audits
(``audit``) then prove the rest; whatever they find gets another complement, and round it goes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from storage.aggregate import audit
from storage.aggregate.cells import CellStats, Key
from storage.aggregate.model import Policy
from storage.aggregate.plan import Plan, Reason
from storage.aggregate.relations import Relation
from storage.aggregate.rules import apply_local_rules

__all__ = ["Plan", "Reason", "primary", "protect"]

log = logging.getLogger(__name__)


def primary(cells: Mapping[Key, CellStats], relations: Sequence[Relation], policy: Policy) -> Plan:
    """Withhold cells from fewer than k people, and authority-wide cells from too few schools."""
    plan = Plan(cells=cells, relations=relations, policy=policy)
    for key, cell in cells.items():
        if len(cell.people) < policy.k:
            plan.withhold(key, Reason.FEW_PEOPLE, full=True)
        if not cell.fixes_school and len(cell.schools) < policy.min_schools:
            plan.withhold(key, Reason.FEW_SCHOOLS, full=False)
    return plan


def protect(plan: Plan) -> Plan:
    """Add secondary suppression until no protected cell can be worked out; return ``plan``."""
    across = [relation for relation in plan.relations if relation.across_schools]
    while True:
        apply_local_rules(plan)
        plan.audits += 1
        everything = audit.solve(plan, plan.relations)
        if audit.complement_determined(plan, everything, plan.full):
            continue
        if audit.complement_remainders(plan, everything):
            continue
        authority = [key for key in plan.reasons if not plan.cells[key].fixes_school]
        if audit.complement_determined(plan, audit.solve(plan, across), authority):
            continue
        if audit.lead_audits(plan, across):
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
