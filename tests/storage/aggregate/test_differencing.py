"""Differencing attacks: nothing withheld can be worked out from what a period publishes.

The attacker (``attacker.py``) knows every published figure exactly and solves every relation of
every table with exact fractions. Each test also shows the same attacker succeeding once secondary
suppression is switched off, so it is able to fail.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.aggregate import Policy, Publication, Row, Spec, Unit, audit, publish
from storage.aggregate.cells import build_cells
from storage.aggregate.disclosure import render
from storage.aggregate.relations import build_relations
from storage.aggregate.suppression import Reason, primary
from tests.storage.aggregate.attacker import (
    Truth,
    attack_counts,
    attack_means,
    attack_school_view,
    lead_leaks,
    officer_leaks,
    published_keys,
    relations,
)
from tests.storage.aggregate.support import learners

SCHOOL_BY_YEAR = Spec(
    measure="perma",
    tables=(("school",), ("year_group",), ("school", "year_group")),
    values=("overall",),
)


def primary_only(rows: list[Row], spec: Spec, policy: Policy | None = None) -> Publication:
    """What would be published with secondary suppression switched off."""
    cells = build_cells(rows, spec)
    return render(primary(cells, build_relations(spec, cells), policy or Policy()), spec)


def crafted() -> list[Row]:
    """Four schools by three year groups; B's year 8 has 4 learners."""
    sizes = {"A": (30, 25, 40), "B": (20, 4, 35), "C": (15, 30, 22), "D": (45, 12, 18)}
    rows = []
    for school, per_year in sizes.items():
        for year, n in zip(("7", "8", "9"), per_year, strict=True):
            rows += learners(school, n, values=[(i * 7) % 11 for i in range(n)], year_group=year)
    return rows


B8 = frozenset({("school", "B"), ("year_group", "8")})


def test_without_secondary_suppression_the_small_cell_is_recovered_exactly() -> None:
    rows = crafted()
    naive = primary_only(rows, SCHOOL_BY_YEAR)
    leaked = attack_counts(Truth(rows), SCHOOL_BY_YEAR, naive)
    assert leaked.recovered[B8] == 4  # B's total minus its years 7 and 9
    assert officer_leaks(Truth(rows), SCHOOL_BY_YEAR, naive)


def test_with_secondary_suppression_nothing_withheld_is_recovered() -> None:
    rows = crafted()
    publication = publish(rows, SCHOOL_BY_YEAR)
    assert not published_keys(publication)[B8]
    assert attack_counts(Truth(rows), SCHOOL_BY_YEAR, publication).recovered == {}
    assert officer_leaks(Truth(rows), SCHOOL_BY_YEAR, publication) == []


def test_without_secondary_suppression_a_small_cells_mean_is_recovered() -> None:
    rows = crafted()
    truth = Truth(rows)
    leaked = attack_means(truth, SCHOOL_BY_YEAR, primary_only(rows, SCHOOL_BY_YEAR))
    # the attacker even knows B's year 8 count; with the sum they have the mean
    assert leaked.recovered[B8] == truth.sum(B8)
    assert leaked.recovered[B8] / truth.count(B8) == Fraction(sum(i * 7 % 11 for i in range(4)), 4)


def test_with_secondary_suppression_no_withheld_mean_is_recovered() -> None:
    rows = crafted()
    publication = publish(rows, SCHOOL_BY_YEAR)
    assert attack_means(Truth(rows), SCHOOL_BY_YEAR, publication).recovered == {}


def test_a_school_lead_cannot_get_another_school_from_the_authority_figure() -> None:
    spec = Spec(measure="participation", tables=(("school", "year_group"),))
    rows = []
    for school in "ABC":
        rows += learners(school, 30, year_group="10") + learners(school, 40, year_group="11")
    rows += learners("A", 20, year_group="12") + learners("B", 25, year_group="12")
    b12 = frozenset({("school", "B"), ("year_group", "12")})
    truth = Truth(rows)
    naive = attack_school_view(truth, spec, primary_only(rows, spec), "A")
    assert naive.recovered[b12] == 25  # the total minus years 10 and 11, minus A's own year 12
    assert lead_leaks(truth, spec, primary_only(rows, spec), "A")
    publication = publish(rows, spec)
    for school in "ABC":
        assert lead_leaks(truth, spec, publication, school) == []


def test_a_lead_cannot_use_a_year_only_their_school_has_to_unlock_a_complement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only A has a year 8, so the authority's year 8 is A's own figure: A's lead knows it.

    Withheld as ``[x]``, it is protected by withholding year 7 as well; but A's lead can put
    year 8 back, get year 7 from the total, and then the south cluster's year 7, which is D's.
    """
    cluster = {"A": "north", "B": "north", "C": "north", "D": "south"}
    sizes = {"A": {"7": 20, "8": 30, "9": 40}, "B": {"7": 15, "9": 40}, "C": {"7": 15, "9": 40}}
    sizes["D"] = {"7": 12, "9": 40}
    rows = [
        row
        for school, years in sizes.items()
        for year, n in years.items()
        for row in learners(school, n, year_group=year, cluster=cluster[school])
    ]
    spec = Spec(measure="m", tables=(("school", "year_group"), ("cluster", "year_group")))
    truth = Truth(rows)
    publication = publish(rows, spec)
    assert {school: lead_leaks(truth, spec, publication, school) for school in "ABCD"} == {
        school: [] for school in "ABCD"
    }
    monkeypatch.setattr(audit, "lead_audits", lambda plan, across: 0)
    without = publish(rows, spec)
    assert lead_leaks(truth, spec, without, "A") == [
        "withheld authority cell [('cluster', 'south'), ('year_group', '7')]"
    ]


def test_the_checker_finds_two_small_cells_whose_sum_is_exposed() -> None:
    # Secondary suppression that only makes sure no cell stands alone is not enough:
    # A (3) and B (2) hide each other, but the total minus C and D says "5 people".
    rows = [*learners("A", 3), *learners("B", 2), *learners("C", 30), *learners("D", 40)]
    spec = Spec(measure="participation", tables=(("school",),))
    assert officer_leaks(Truth(rows), spec, primary_only(rows, spec))
    assert officer_leaks(Truth(rows), spec, publish(rows, spec)) == []


def test_the_check_is_exact_on_a_pattern_where_every_cell_has_a_partner() -> None:
    """A withheld pattern where no relation has a lone withheld cell still leaks one cell.

    Rows r1..r4, columns c1..c4: a cycle in (r1, r2) x (c1, c2), another in (r3, r4) x (c3, c4)
    and a bridge (r2, c3). Every row and column has two or three withheld cells, yet the bridge
    is the margins' combination r1 + r2 - c1 - c2 ... exactly.
    """
    spec = Spec(measure="m", tables=(("school", "year_group"),))
    rows = [
        r for s in ("r1", "r2", "r3", "r4") for y in "1234" for r in learners(s, 20, year_group=y)
    ]
    cells = build_cells(rows, spec)
    plan = primary(cells, build_relations(spec, cells), Policy())
    withheld = [("r1", "1"), ("r1", "2"), ("r2", "1"), ("r2", "2"), ("r2", "3")]
    withheld += [("r3", "3"), ("r3", "4"), ("r4", "3"), ("r4", "4")]
    for school, year in withheld:
        plan.withhold((("school", school), ("year_group", year)), Reason.SECONDARY, full=True)
    leaked = attack_counts(Truth(rows), spec, render(plan, spec))
    assert leaked.recovered == {frozenset({("school", "r2"), ("year_group", "3")}): 20}


# --- random tables -------------------------------------------------------------------------

MENU = (
    ("school",),
    ("year_group",),
    ("school", "year_group"),
    ("band",),
    ("school", "band"),
    ("year_group", "band"),
    ("school", "year_group", "band"),
    ("cluster",),
    ("cluster", "school"),
    ("cluster", "year_group"),
)
BANDS = ("low", "mid", "high")


@st.composite
def periods(draw: st.DrawFn) -> tuple[list[Row], Spec]:
    """A random period: 2-6 schools in 1-3 clusters, 1-4 year groups, any tables, any unit."""
    schools = [f"S{i}" for i in range(draw(st.integers(2, 6)))]
    clusters = draw(st.integers(1, 3))
    years = [str(7 + i) for i in range(draw(st.integers(1, 4)))]
    unit = draw(st.sampled_from(Unit))
    rows: list[Row] = []
    for school in schools:
        for year in years:
            n = draw(st.sampled_from((0, 0, 1, 2, 3, 4, 6, 9, 10, 12, 20, 35)))
            bands = draw(st.lists(st.sampled_from(BANDS), min_size=n, max_size=n))
            for i, band in enumerate(bands):
                person = f"{school}-{year}-{i}"
                dims = {
                    "year_group": year,
                    "band": band,
                    "cluster": f"K{int(school[1:]) % clusters}",
                }
                if unit is Unit.PEOPLE:
                    rows.append(Row(person=person, school=school, dims=dims, values=(i % 11,)))
                else:  # a few records each, all in the same cell
                    rows.extend(
                        Row(person=person, school=school, dims=dims, record=f"{person}/{j}")
                        for j in range(1 + i % 3)
                    )
    tables = draw(st.lists(st.sampled_from(MENU), min_size=1, max_size=4, unique=True))
    banded = any("band" in table for table in tables)
    spec = Spec(
        measure="random",
        tables=tuple(tables),
        unit=unit,
        values=("v",) if unit is Unit.PEOPLE else (),
        category="band" if banded else None,
        levels={"band": BANDS} if banded else {},
    )
    return rows, spec


RANDOM = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RANDOM
@given(period=periods(), k=st.integers(3, 10))
def test_random_periods_leak_nothing_to_officers_or_school_leads(
    period: tuple[list[Row], Spec], k: int
) -> None:
    rows, spec = period
    truth = Truth(rows)
    publication = publish(rows, spec, Policy(k=k))
    assert officer_leaks(truth, spec, publication) == []
    for school in sorted({row.school for row in rows}):
        assert lead_leaks(truth, spec, publication, school) == []
    if spec.values:
        recovered = attack_means(truth, spec, publication).recovered
        assert [key for key in recovered if truth.count(key) < k] == []


@RANDOM
@given(period=periods(), k=st.integers(3, 10))
def test_without_secondary_suppression_every_lone_withheld_cell_is_recovered(
    period: tuple[list[Row], Spec], k: int
) -> None:
    """The checker is not blind: whatever a single relation gives away, it finds, exactly."""
    rows, spec = period
    truth = Truth(rows)
    publication = primary_only(rows, spec, Policy(k=k))
    seen = published_keys(publication)
    recovered = attack_counts(truth, spec, publication).recovered
    for margin, children in relations(spec, seen):
        hidden = [key for key in (margin, *children) if not seen[key]]
        if len(hidden) == 1:
            assert recovered[hidden[0]] == truth.n(hidden[0], spec.unit)
            if truth.count(hidden[0]) < k:
                assert officer_leaks(truth, spec, publication)
