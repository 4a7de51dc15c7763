"""The Llais rule on crafted data, cell by cell."""

from __future__ import annotations

import math
import random
import statistics
from decimal import Decimal

import pytest

from storage.aggregate import (
    DisclosureInputError,
    Policy,
    Row,
    Spec,
    Symbol,
    Unit,
    publish,
    publish_series,
)
from storage.aggregate.disclosure import round_count
from tests.storage.aggregate.support import learners

BY_SCHOOL = Spec(measure="participation", tables=(("school",),))


def texts(publication_table_cells: object) -> dict[str, str]:
    """School -> printed count, plus "all" for the total."""
    cells = publication_table_cells
    assert isinstance(cells, tuple)
    return {cell.key.get("school", "all"): cell.count.text() for cell in cells}


def test_nine_people_are_confidential_ten_are_shown_and_counts_round_to_five() -> None:
    rows = [
        *learners("A", 9),
        *learners("B", 10),
        *learners("C", 8),
        *learners("D", 12),
        *learners("E", 13),
    ]
    table = publish(rows, BY_SCHOOL).table("school")
    assert texts(table.cells) == {
        "all": "50",  # 52 people
        "A": "[c]",  # 9
        "B": "10",
        "C": "[c]",  # 8: A and C protect each other in the total
        "D": "10",  # 12
        "E": "15",  # 13
    }


def test_the_threshold_counts_distinct_people_not_rows() -> None:
    rows = [*learners("A", 9, rows_each=6), *learners("B", 40), *learners("C", 40)]
    cell = publish(rows, BY_SCHOOL).table("school").cell(school="A")
    assert cell.count.symbol is Symbol.CONFIDENTIAL


def test_k_is_configurable() -> None:
    rows = [*learners("A", 9), *learners("B", 40), *learners("C", 40)]
    table = publish(rows, BY_SCHOOL, Policy(k=5)).table("school")
    assert table.cell(school="A").count.value == 10


def test_rounding_to_the_nearest_five() -> None:
    expected = {0: 0, 2: 0, 3: 5, 10: 10, 12: 10, 13: 15, 15: 15, 17: 15, 18: 20, 52: 50}
    assert {n: round_count(n, 5) for n in expected} == expected


def test_a_lone_small_cell_gets_the_smallest_complement() -> None:
    rows = [*learners("A", 5), *learners("B", 11), *learners("C", 20), *learners("D", 40)]
    table = publish(rows, BY_SCHOOL).table("school")
    assert texts(table.cells) == {"all": "75", "A": "[c]", "B": "[c]", "C": "20", "D": "40"}


def test_small_cells_that_would_add_up_to_a_small_figure_get_another_complement() -> None:
    # A and B are both withheld, but the total minus C and D would say "5 people in A and B".
    rows = [*learners("A", 3), *learners("B", 2), *learners("C", 30), *learners("D", 40)]
    table = publish(rows, BY_SCHOOL).table("school")
    assert texts(table.cells) == {"all": "75", "A": "[c]", "B": "[c]", "C": "[c]", "D": "40"}


def test_means_come_from_unrounded_values_and_are_withheld_with_the_count() -> None:
    spec = Spec(measure="perma", tables=(("school",),), values=("overall",))
    rows = [
        *learners("D", 12, values=[7] * 9 + [8] * 3),  # mean 87 / 12 = 7.25
        *learners("E", 9, values=[1] * 9),
        *learners("H", 8, values=[2] * 8),
        *learners("F", 30, values=[5] * 30),
        *learners("G", 30, values=[6] * 30),
    ]
    table = publish(rows, spec).table("school")
    d = table.cell(school="D")
    assert d.count.value == 10
    assert d.means["overall"].value == Decimal("7.3")  # not 87 / 10 = 8.7
    assert table.cell(school="E").means["overall"].symbol is Symbol.CONFIDENTIAL
    total = table.cell()
    assert total.count.value == 90  # 89 people
    assert total.means["overall"].value == Decimal("5.0")  # 442 / 89 = 4.97


def test_each_person_weighs_once_in_a_mean() -> None:
    spec = Spec(measure="perma", tables=(("school",),), values=("overall",))
    heavy = [Row(person="busy", school="A", values=(10.0,)) for _ in range(20)]
    rows = [*heavy, *learners("A", 9, values=[0] * 9), *learners("B", 40, values=[5] * 40)]
    rows += learners("C", 40, values=[5] * 40)
    cell = publish(rows, spec).table("school").cell(school="A")
    assert cell.count.value == 10
    assert cell.means["overall"].value == Decimal("1.0")  # (10 + 9 x 0) / 10 people


SHARE = Spec(
    measure="perma.band",
    tables=(("school", "band"),),
    category="band",
    levels={"band": ("low", "high")},
)


def test_percentages_come_from_unrounded_counts() -> None:
    rows = [
        *learners("A", 13, band="high"),
        *learners("A", 19, band="low"),
        *learners("B", 40, band="high"),
        *learners("B", 40, band="low"),
        *learners("C", 40, band="high"),
        *learners("C", 40, band="low"),
    ]
    table = publish(rows, SHARE).table("school", "band")
    high = table.cell(school="A", band="high")
    assert high.count.value == 15  # 13
    assert high.percent is not None and high.percent.value == Decimal("41")  # 13/32, not 15/30
    assert table.cell(school="A").percent is None  # the base itself has no percentage


def test_no_percentage_on_a_base_of_29_but_on_30() -> None:
    rows = [
        *learners("A", 15, band="high"),
        *learners("A", 14, band="low"),
        *learners("B", 15, band="high"),
        *learners("B", 15, band="low"),
        *learners("C", 40, band="high"),
        *learners("C", 40, band="low"),
    ]
    table = publish(rows, SHARE).table("school", "band")
    a_high = table.cell(school="A", band="high")
    assert a_high.count.value == 15  # the count is shown ...
    assert (
        a_high.percent is not None and a_high.percent.symbol is Symbol.SMALL_BASE
    )  # ... the % not
    b_high = table.cell(school="B", band="high")
    assert b_high.percent is not None and b_high.percent.value == Decimal("50")


def test_a_declared_level_nobody_has_is_a_zero_and_is_withheld() -> None:
    rows = [
        *learners("A", 40, band="low"),
        *learners("B", 20, band="low"),
        *learners("B", 20, band="high"),
        *learners("C", 20, band="low"),
        *learners("C", 20, band="high"),
    ]
    table = publish(rows, SHARE).table("school", "band")
    # "nobody at A is high" says something about every learner at A
    assert table.cell(school="A", band="high").count.symbol is Symbol.CONFIDENTIAL
    assert table.cell(school="A", band="low").count.symbol is Symbol.CONFIDENTIAL
    assert table.cell(school="A").count.value == 40


def test_an_aggregate_of_two_schools_is_withheld_a_school_is_not() -> None:
    rows = [*learners("A", 20), *learners("B", 25)]
    table = publish(rows, BY_SCHOOL).table("school")
    assert texts(table.cells) == {"all": "[x]", "A": "20", "B": "25"}
    rows += learners("C", 30)
    assert publish(rows, BY_SCHOOL).table("school").cell().count.value == 75


def test_a_year_group_only_two_schools_have_is_withheld_and_protected() -> None:
    spec = Spec(measure="participation", tables=(("school", "year_group"),))
    rows = []
    for school in "ABC":
        rows += learners(school, 30, year_group="10") + learners(school, 40, year_group="11")
    rows += learners("A", 20, year_group="12") + learners("B", 25, year_group="12")
    table = publish(rows, spec).table("school", "year_group")
    assert table.cell(year_group="12").count.symbol is Symbol.FEW_SCHOOLS
    # year 12 cannot be had from the total minus years 10 and 11: one of them is withheld too
    assert table.cell(year_group="10").count.symbol is Symbol.CONFIDENTIAL
    assert table.cell(year_group="11").count.value == 120
    assert table.cell(school="A", year_group="12").count.value == 20  # a school's own figure


def test_records_are_counted_but_the_threshold_is_on_people() -> None:
    spec = Spec(measure="alerts", tables=(("school",),), unit=Unit.RECORDS)
    rows = [Row(person=f"a{i % 3}", school="A", record=f"ra{i}") for i in range(40)]
    rows += [Row(person=f"e{i}", school="E", record=f"re{i}") for i in range(8)]
    rows += [Row(person=f"b{i % 12}", school="B", record=f"rb{i}") for i in range(31)]
    rows += [Row(person=f"c{i % 30}", school="C", record=f"rc{i}") for i in range(60)]
    rows += [Row(person=f"d{i % 30}", school="D", record=f"rd{i}") for i in range(60)]
    table = publish(rows, spec).table("school")
    assert table.cell(school="A").count.symbol is Symbol.CONFIDENTIAL  # 40 alerts, 3 learners
    assert table.cell(school="B").count.value == 30  # 31 alerts from 12 learners


def test_a_record_over_several_rows_counts_once() -> None:
    spec = Spec(measure="mood.reasons", tables=(("school",),), unit=Unit.RECORDS)
    rows = []
    for school in "ABC":
        for i in range(12):
            for tag in ("friends", "school"):
                rows.append(
                    Row(
                        person=f"{school}{i}",
                        school=school,
                        record=f"{school}-log{i}",
                        dims={"tag": tag},
                    )
                )
    assert publish(rows, spec).table("school").cell(school="A").count.value == 10  # 12 logs


def test_a_school_lead_sees_their_school_and_the_authority_only() -> None:
    spec = Spec(measure="participation", tables=(("school", "year_group"),))
    rows = [r for s in "ABC" for y in ("7", "8") for r in learners(s, 30, year_group=y)]
    view = publish(rows, spec).for_school("B").table("school", "year_group")
    schools = {cell.key.get("school") for cell in view.cells}
    assert schools == {"B", None}
    assert {tuple(sorted(cell.key)) for cell in view.cells} == {
        (),
        ("school",),
        ("year_group",),
        ("school", "year_group"),
    }


def test_the_same_rows_in_any_order_give_the_same_publication() -> None:
    spec = Spec(measure="participation", tables=(("school",), ("school", "year_group")))
    rows = []
    for school, sizes in {
        "A": (3, 12, 30),
        "B": (9, 2, 40),
        "C": (15, 7, 11),
        "D": (4, 25, 6),
    }.items():
        for year, n in zip(("7", "8", "9"), sizes, strict=True):
            rows += learners(school, n, year_group=year)
    first = publish(rows, spec)
    shuffled = list(rows)
    random.Random(7).shuffle(shuffled)
    assert publish(shuffled, spec) == first


def test_a_trend_applies_the_rule_to_each_period_on_its_own() -> None:
    autumn = [*learners("A", 9), *learners("B", 40), *learners("C", 40)]
    spring = [*learners("A", 12), *learners("B", 40), *learners("C", 40)]
    trend = publish_series({"autumn": autumn, "spring": spring}, BY_SCHOOL)
    assert trend["autumn"].table("school").cell(school="A").count.symbol is Symbol.CONFIDENTIAL
    assert trend["spring"].table("school").cell(school="A").count.value == 10


def test_the_legend_explains_the_symbols_used_in_both_languages() -> None:
    rows = [*learners("A", 9), *learners("B", 40)]
    publication = publish(rows, BY_SCHOOL)
    assert publication.symbols() == (Symbol.CONFIDENTIAL, Symbol.FEW_SCHOOLS)
    en, cy = publication.legend("en"), publication.legend("cy")
    assert [s for s, _ in en] == [s for s, _ in cy] == ["[c]", "[x]"]
    assert en[0][1] == "confidential: fewer than 10 people, or it could reveal such a figure"
    assert cy[0][1].startswith("cyfrinachol: llai na 10 o bobl")


def test_a_learner_in_two_year_groups_counts_once_in_the_margin() -> None:
    spec = Spec(measure="perma", tables=(("school", "year_group"),), values=("overall",))
    mover = [
        Row(person="mover", school="A", dims={"year_group": "7"}, values=(2.0,)),
        Row(person="mover", school="A", dims={"year_group": "8"}, values=(4.0,)),
    ]
    rows = mover + learners("A", 12, values=[5] * 12, year_group="7")
    rows += learners("A", 12, values=[5] * 12, year_group="8")
    for school in "BC":
        rows += learners(school, 30, values=[5] * 30, year_group="7")
    table = publish(rows, spec).table("school", "year_group")
    assert table.cell(school="A", year_group="7").count.value == 15  # 13 learners
    school_a = table.cell(school="A")
    assert school_a.count.value == 25  # 25 learners, not 13 + 13
    assert school_a.means["overall"].value == Decimal("4.9")  # (3 + 24 x 5) / 25 = 4.92


WAITED = Spec(
    measure="alerts",
    tables=(("school", "ack"),),
    unit=Unit.RECORDS,
    values=("minutes",),
    medians=("minutes",),
    category="ack",
)


def _alerts(school: str, minutes: list[float], categories: int = 1) -> list[Row]:
    """One alert per learner; an alert in ``categories`` rows (a median counts it once)."""
    return [
        Row(
            person=f"{school}{n}",
            school=school,
            dims={"ack": "open" if math.isnan(m) else "done"},
            values=(m,),
            record=f"{school}{n}",
        )
        for n, m in enumerate(minutes)
        for _ in range(categories)
    ]


def test_a_median_is_over_distinct_records_with_a_value_and_is_withheld_under_k() -> None:
    a = [float(m) for m in range(1, 13)] + [math.nan] * 3  # 12 acknowledged, 3 open
    b = [100.0] * 9 + [math.nan] * 6  # 15 alerts, 9 acknowledged: fewer than k
    c = [5.0, 7.0, 9.0, 11.0, 13.0, 15.0, 17.0, 19.0, 21.0, 1000.0, 2000.0]
    rows = [*_alerts("A", a, categories=2), *_alerts("B", b), *_alerts("C", c)]
    table = publish(rows, WAITED).table("school", "ack")
    median = {cell.key.get("school", "all"): cell.means["minutes"] for cell in table.margin()}
    median |= {cell.key["school"]: cell.means["minutes"] for cell in table.margin("school")}
    assert median["A"].value == Decimal("6.5")  # (6 + 7) / 2: each alert once, open ones out
    assert median["B"].symbol is Symbol.CONFIDENTIAL  # 15 alerts shown, but 9 waits
    assert median["C"].value == Decimal("15.0")
    together = sorted(m for m in a + b + c if not math.isnan(m))
    assert median["all"].value == Decimal(str(statistics.median(together))).quantize(Decimal("0.1"))
    assert table.cell(school="B").count.value == 15
    with pytest.raises(DisclosureInputError):  # a missing value is allowed for a median only
        publish(_alerts("A", a), WAITED.model_copy(update={"medians": ()}))
