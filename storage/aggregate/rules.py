"""The local rules of secondary suppression: one relation at a time, cheap, run to a fixpoint.

* never alone: a relation with exactly one withheld cell gives it away;
* remainders: the withheld cells under a shown margin add up to a figure anyone can work out,
  which must pass the rule itself.
"""

from __future__ import annotations

from storage.aggregate.cells import Key
from storage.aggregate.plan import Plan, Reason
from storage.aggregate.relations import Relation


def _fix(plan: Plan, relation: Relation) -> tuple[Key, bool] | None:
    """The next cell to withhold for this relation to be safe, with its protection kind."""
    withheld = [key for key in relation.cells if plan.withheld(key)]
    # A lone cell withheld only for the schools rule is always under a shown margin (its own
    # cells draw on fewer schools still), so the remainder rule below covers it.
    if len(withheld) == 1 and withheld[0] in plan.full:
        chosen = plan.smallest(relation.cells)
        return None if chosen is None else (chosen, True)
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


def apply_local_rules(plan: Plan) -> int:
    """Apply the local rules to every relation until none changes; return cells added."""
    added = 0
    changed = True
    while changed:
        changed = False
        for relation in plan.relations:
            while (fix := _fix(plan, relation)) is not None:
                key, full = fix
                plan.withhold(key, Reason.SECONDARY, full=full)
                added += 1
                changed = True
    return added
