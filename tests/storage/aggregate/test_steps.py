"""Each step of secondary suppression on its own: what it adds, and why the next one is needed."""

from __future__ import annotations

from storage.aggregate import Policy, Row, Spec, publish
from storage.aggregate.audit import complement_determined, solve
from storage.aggregate.cells import build_cells
from storage.aggregate.disclosure import render
from storage.aggregate.relations import build_relations
from storage.aggregate.rules import apply_local_rules
from storage.aggregate.suppression import Plan, Reason, primary, protect
from tests.storage.aggregate.attacker import Truth, attack_counts, officer_leaks
from tests.storage.aggregate.support import learners

BY_SCHOOL = Spec(measure="m", tables=(("school",),))
SCHOOL_BY_YEAR = Spec(measure="m", tables=(("school", "year_group"),))


def grid(sizes: dict[str, dict[str, int]]) -> list[Row]:
    """Learners of each school and year group (a missing year: the school has none)."""
    return [
        row
        for school, years in sizes.items()
        for year, n in years.items()
        for row in learners(school, n, year_group=year)
    ]


def planned(rows: list[Row], spec: Spec, policy: Policy | None = None) -> Plan:
    cells = build_cells(rows, spec)
    return primary(cells, build_relations(spec, cells), policy or Policy())


def withheld_schools(plan: Plan) -> set[str]:
    return {dict(key).get("school", "all") for key in plan.reasons}


def test_the_local_rules_give_a_lone_cell_a_partner() -> None:
    plan = planned([*learners("A", 5), *learners("B", 11), *learners("C", 40)], BY_SCHOOL)
    assert withheld_schools(plan) == {"A"}
    apply_local_rules(plan)
    assert withheld_schools(plan) == {"A", "B"}


def test_the_local_rules_widen_a_remainder_of_fewer_than_k() -> None:
    rows = [*learners("A", 3), *learners("B", 2), *learners("C", 30), *learners("D", 40)]
    plan = planned(rows, BY_SCHOOL)
    apply_local_rules(plan)
    assert withheld_schools(plan) == {"A", "B", "C"}


def test_the_local_rules_protect_a_two_school_year_among_authority_cells() -> None:
    sizes = {school: {"10": 30, "11": 40} for school in "ABC"}
    sizes["A"]["12"], sizes["B"]["12"] = 20, 25
    plan = planned(grid(sizes), SCHOOL_BY_YEAR)
    apply_local_rules(plan)
    assert {dict(key)["year_group"] for key in plan.reasons} == {"10", "12"}


# Found by searching random tables. S0 has no year 8. Primary: S0's years 9 and 10, S1's year 9
# (fewer than 10) and the year 8 total (two schools). After the local rules no small cell stands
# alone in any relation, yet a combination of relations pins S0's year 10 down exactly.
SEED_201 = {
    "S0": {"7": 11, "9": 6, "10": 9},
    "S1": {"7": 15, "8": 30, "9": 6, "10": 15},
    "S2": {"7": 15, "8": 20, "9": 30, "10": 15},
}


def test_the_local_rules_alone_leave_a_cell_that_exact_algebra_recovers() -> None:
    rows = grid(SEED_201)
    plan = planned(rows, SCHOOL_BY_YEAR)
    apply_local_rules(plan)
    recovered = attack_counts(Truth(rows), SCHOOL_BY_YEAR, render(plan, SCHOOL_BY_YEAR)).recovered
    assert {key: value for key, value in recovered.items() if value < 10} == {
        frozenset({("school", "S0"), ("year_group", "10")}): 9
    }


def test_the_exact_audit_finds_it_and_withholds_a_complement() -> None:
    rows = grid(SEED_201)
    plan = planned(rows, SCHOOL_BY_YEAR)
    apply_local_rules(plan)
    audit = solve(plan, plan.relations)
    s0_10 = (("school", "S0"), ("year_group", "10"))
    assert s0_10 in audit.fixed
    before = set(plan.reasons)
    assert complement_determined(plan, audit, plan.full) >= 1
    assert set(plan.reasons) > before
    assert officer_leaks(Truth(rows), SCHOOL_BY_YEAR, publish(rows, SCHOOL_BY_YEAR)) == []


def test_a_margin_an_officer_can_work_out_exposes_its_withheld_cells_sum() -> None:
    """Year 8 comes from two schools: withheld, but an officer adds S1's and S2's year 8.

    Year 7 is then the total less year 8, and S0's and S2's year 7 (2 and 1 learners) add up to
    year 7 less S1's: 3 learners. The remainder audit widens it.
    """
    rows = grid({"S0": {"7": 2}, "S1": {"7": 5, "8": 5}, "S2": {"7": 1, "8": 5}})
    policy = Policy(k=4)
    plan = planned(rows, SCHOOL_BY_YEAR, policy)
    apply_local_rules(plan)
    complement_determined(plan, solve(plan, plan.relations), plan.full)
    assert officer_leaks(Truth(rows), SCHOOL_BY_YEAR, render(plan, SCHOOL_BY_YEAR)) == [
        "sum of [[('school', 'S0'), ('year_group', '7')], [('school', 'S2'), ('year_group', '7')]]"
        " under [('year_group', '7')]"
    ]
    assert officer_leaks(Truth(rows), SCHOOL_BY_YEAR, publish(rows, SCHOOL_BY_YEAR, policy)) == []


def test_the_authority_audit_finds_an_authority_cell_pinned_down_by_a_combination() -> None:
    """The bridge pattern among authority-wide cells (year group x band, three schools each)."""
    spec = Spec(measure="m", tables=(("year_group", "band"),))
    rows = [
        row
        for school in "ABC"
        for year in ("r1", "r2", "r3", "r4")
        for band in ("c1", "c2", "c3", "c4")
        for row in learners(school, 4, year_group=year, band=band)
    ]
    plan = planned(rows, spec)
    assert plan.reasons == {}
    pattern = [("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2"), ("r2", "c3")]
    pattern += [("r3", "c3"), ("r3", "c4"), ("r4", "c3"), ("r4", "c4")]
    for year, band in pattern:
        plan.withhold((("year_group", year), ("band", band)), Reason.FEW_SCHOOLS, full=False)
    across = [relation for relation in plan.relations if relation.across_schools]
    assert set(solve(plan, across).fixed) == {(("year_group", "r2"), ("band", "c3"))}
    before = len(plan.reasons)
    protect(plan)  # the local rules see nothing wrong here: only the audit does
    assert len(plan.reasons) == before + 1
    assert solve(plan, across).fixed == {}
