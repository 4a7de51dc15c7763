"""Suppression through the pages and the CSV, on crafted data (SQLite and PostgreSQL): the small
cell is withheld, nothing withheld can be differenced out of totals and breakdowns, a school
lead sees no other school, and the page's table, the CSV and ``llais report`` print the same."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import re
from html import unescape

import pytest

from core.settings import Settings
from llais.commands.insight import report_text
from tests.llais.insight.attack import lone_withheld
from tests.llais.insight.crafted import TERM
from tests.support.live_server import Serve
from tests.web.dashboard.support import seed, signed_in
from web.app import create_web_app


@pytest.fixture
def base(serve: Serve, settings: Settings) -> str:
    asyncio.run(seed(settings.database_url))
    return serve(create_web_app(settings.model_copy(update={"dashboard_warm": False})))


def _args(measure: str, by: str) -> argparse.Namespace:
    """``llais report`` arguments for the crafted term, as CSV in English."""
    return argparse.Namespace(
        measure=measure,
        by=by,
        period="term",
        period_id=TERM,
        school=None,
        format="csv",
        language="en",
    )


def _page_rows(html: str, measure: str) -> list[list[str]]:
    table = re.search(
        rf'<table class="govuk-table" data-measure="{measure}">(.*?)</table>', html, re.S
    )
    assert table, f"no {measure} table"
    return [
        [unescape(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    ]


def _csv_rows(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    end = rows.index([])
    return rows[1:end]


def _cells(rows: list[list[str]], dims: int) -> dict[tuple[tuple[str, str], ...], str]:
    """Cell key (columns named by position, "All"/"Authority" dropped) -> the count column."""
    cells = {}
    for row in rows[1:]:
        key = tuple(
            (str(i), v)
            for i, v in enumerate(row[:dims])
            if v not in {"All", "Authority (all schools)"}
        )
        cells[key] = row[dims]
    return cells


def test_the_officer_page_csv_and_report_agree_and_resist_differencing(
    base: str, settings: Settings
) -> None:
    officer = signed_in(base, "officer")
    page = officer.get(f"/dashboard/perma?period={TERM}&by=year_group").text
    exported = officer.get(f"/dashboard/perma/perma.csv?period={TERM}&by=year_group").text
    assert _page_rows(page, "perma") == _csv_rows(exported)
    args = _args("perma", "year_group")
    reported = asyncio.run(report_text(args, settings))
    assert _csv_rows(reported) == _csv_rows(exported)
    # every school by year group, with all its margins: the crafted small cell and its guards
    school_year = officer.get(f"/dashboard/participation?period={TERM}&by=year_group").text
    assert "[c]" in page or "[x]" in page or "[c]" in school_year
    for by in ("school", "year_group"):
        rows = _csv_rows(officer.get(f"/dashboard/perma/perma.csv?period={TERM}&by={by}").text)
        assert lone_withheld(_cells(rows, 2)) == []


def test_the_year_11_cell_of_three_learners_cannot_be_recovered(
    base: str, settings: Settings
) -> None:
    """AAA has 3 Year 11 learners: the authority's Year 11 total less BBB's and CCC's would give
    them away, so either the total or enough school cells are withheld, on the page and in CSV."""
    rows = _csv_rows(
        asyncio.run(report_text(_args("participation", "school,year_group"), settings))
    )
    header, body = rows[0], rows[1:]
    count = header.index("People (rounded to 5)")
    year11 = {row[0]: row[count] for row in body if row[1] == "11" and row[2] == "All"}
    assert year11["School AAA"] == "[c]"
    withheld = [school for school, figure in year11.items() if figure == "[c]"]
    assert year11["Authority (all schools)"] == "[c]" or len(withheld) >= 2
    cells = {
        tuple(
            (str(i), v)
            for i, v in enumerate(row[:3])
            if v not in {"All", "Authority (all schools)"}
        ): row[count]
        for row in body
    }
    assert lone_withheld(cells) == []


def test_a_school_lead_sees_their_school_and_the_authority_only(base: str) -> None:
    lead = signed_in(base, "lead")
    for view, measure in (("perma", "perma"), ("participation", "participation"), ("mood", "mood")):
        page = lead.get(f"/dashboard/{view}?period={TERM}&by=year_group").text
        assert "School BBB" in page
        assert "School AAA" not in page and "School CCC" not in page
        exported = lead.get(f"/dashboard/{view}/{measure}.csv?period={TERM}&by=year_group").text
        assert "School AAA" not in exported and "School CCC" not in exported
        assert "Authority (all schools)" in exported


@pytest.mark.parametrize(
    ("view", "measure", "heading"),
    [
        ("mood", "themes", "Theme"),
        ("safeguarding", "safeguarding", "Median minutes to acknowledge"),
        ("safeguarding", "requests", "Requests (rounded to 5)"),
    ],
)
def test_themes_median_and_requests_pages_match_their_csv_and_report(
    base: str, settings: Settings, view: str, measure: str, heading: str
) -> None:
    officer = signed_in(base, "officer")
    page = officer.get(f"/dashboard/{view}?period={TERM}").text
    exported = officer.get(f"/dashboard/{view}/{measure}.csv?period={TERM}").text
    rows = _page_rows(page, measure)
    assert heading in rows[0] and rows == _csv_rows(exported)
    reported = asyncio.run(report_text(_args(measure, "school"), settings))
    assert _csv_rows(reported) == _csv_rows(exported)
    welsh = officer.get(f"/dashboard/{view}?period={TERM}", headers={"accept-language": "cy"})
    cymraeg = _page_rows(welsh.text, measure)
    assert len(cymraeg) == len(rows) and cymraeg[0] != rows[0]  # the same table, in Welsh
    assert [r[-2:] for r in cymraeg[1:]] == [r[-2:] for r in rows[1:]]  # the same figures
