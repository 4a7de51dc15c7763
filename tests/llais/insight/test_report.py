"""``llais report`` on crafted data (SQLite and PostgreSQL): the CLI's JSON, its CSV and a direct
computation from the database agree; small cells are withheld and cannot be differenced out."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import text

from llais.cli import main
from storage.db import make_engine, make_sessionmaker
from storage.models import ContactRequest
from tests.llais.insight.attack import lone_withheld
from tests.llais.insight.crafted import IN_TERM, TERM, craft


def _seed(url: str) -> dict[str, int]:
    async def run() -> dict[str, int]:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                return await craft(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _direct(url: str) -> dict[tuple[str, str], tuple[int, float]]:
    """(school name, year group or "") -> (distinct learners, mean overall), in plain SQL."""

    async def run() -> list[tuple[str, int, str, float]]:
        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                result = await conn.execute(
                    text(
                        "SELECT s.name, p.year_group, c.person_ref, AVG(a.value) "
                        "FROM checkin_answers a JOIN checkins c ON c.id = a.checkin_id "
                        "JOIN people p ON p.ref = c.person_ref "
                        "JOIN schools s ON s.id = c.school_id "
                        "WHERE c.audience = 'learner' GROUP BY s.name, p.year_group, c.person_ref"
                    )
                )
                return [(r[0], int(r[1]), str(r[2]), float(r[3])) for r in result]
        finally:
            await engine.dispose()

    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for school, year, _ref, mean in asyncio.run(run()):
        groups[(school, str(year))].append(mean)
        groups[(school, "")].append(mean)
    return {key: (len(v), sum(v) / len(v)) for key, v in groups.items()}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["report", *args]) == 0
    return capsys.readouterr().out


def _round5(n: int) -> int:
    return int((Decimal(n) / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5


@pytest.fixture
def crafted_url(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LLAIS_DATABASE_URL", database_url)
    monkeypatch.setenv("LLAIS_SECRET_KEY", "test-secret-key-which-is-long-enough")
    _seed(database_url)
    return database_url


ARGS = ("perma", "--by", "school,year_group", "--period", "term", "--period-id", TERM)


def test_the_report_csv_json_and_database_agree(
    crafted_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.loads(line) for line in _run(capsys, *ARGS, "--format", "json").splitlines()]
    table = list(csv.reader(io.StringIO(_run(capsys, *ARGS, "--format", "csv"))))
    header = table[1]
    body = table[2 : 2 + len(lines)]
    assert [[line[h] for h in header] for line in lines] == body
    assert table[2 + len(lines)] == []  # then the symbols, in English and Welsh
    assert ["Symbols"] in table and ["Symbolau"] in table
    direct = _direct(crafted_url)
    checked = 0
    for line in lines:
        key = line["key"]
        if "band" in key or "school" not in key:
            continue
        school = f"School {next(c for c in ('AAA', 'BBB', 'CCC') if c in line['School'])}"
        count, mean = direct[(school, key.get("year_group", ""))]
        people, overall = line["People (rounded to 5)"], line["Overall (mean 0–10)"]
        if count < 10:
            assert people == "[c]" and overall == "[c]"
        elif people != "[c]":
            assert int(people) == _round5(count)
            assert Decimal(overall) == Decimal(str(mean)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            checked += 1
    assert checked >= 4


def test_the_small_cell_cannot_be_differenced_from_totals_or_breakdowns(
    crafted_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.loads(line) for line in _run(capsys, *ARGS, "--format", "json").splitlines()]
    cells = {
        tuple(sorted((d, v) for d, v in line["key"].items() if d != "band")): line[
            "People (rounded to 5)"
        ]
        for line in lines
        if "band" not in line["key"]
    }
    small = next(
        v for k, v in cells.items() if dict(k).get("year_group") == "11" and dict(k).get("school")
    )
    assert small == "[c]" or small.isdigit()
    assert "[c]" in cells.values()
    assert lone_withheld(cells) == []
    # the authority's Year 11 with both other schools' Year 11 shown would give AAA's away
    authority_11 = cells[(("year_group", "11"),)]
    others = [
        v for k, v in cells.items() if dict(k).get("year_group") == "11" and "school" in dict(k)
    ]
    assert authority_11 == "[c]" or sum(v == "[c]" for v in others) >= 2


def test_a_school_lead_report_shows_no_other_school(
    crafted_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, *ARGS, "--school", "BBB", "--format", "json")
    schools = {json.loads(line)["key"].get("school") for line in out.splitlines()}
    assert len(schools - {None}) == 1


def test_safeguarding_is_reported_per_term_only(
    crafted_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "safeguarding", "--period", "week"]) != 0


def test_the_differencing_check_can_fail() -> None:
    cells = {
        (): "40",
        (("school", "A"),): "[c]",
        (("school", "B"),): "20",
        (("school", "C"),): "15",
    }
    assert lone_withheld(cells) == ["{} over school"]
    cells[(("school", "B"),)] = "[c]"
    assert lone_withheld(cells) == []


def test_help_seeking_is_published_by_theme_under_the_rule(
    crafted_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async def requests() -> None:
        engine = make_engine(crafted_url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                school = {
                    name: sid
                    for sid, name in (await session.execute(text("SELECT id, name FROM schools")))
                }
                for code, year, count, need in (
                    ("BBB", 9, 12, "anxiety"),
                    ("AAA", 11, 3, "bullying"),
                ):
                    for n in range(count):
                        session.add(
                            ContactRequest(
                                learner_ref=f"{code}-{year}-{n}",
                                school_id=school[f"School {code}"],
                                year_group=year,
                                need=need,
                                created_at=IN_TERM,
                            )
                        )
        finally:
            await engine.dispose()

    asyncio.run(requests())
    out = _run(
        capsys, "help", "--by", "school", "--period-id", TERM, "--format", "json"
    ).splitlines()
    cells = {
        (line["key"].get("school"), line["key"].get("need")): line["People (rounded to 5)"]
        for line in map(json.loads, out)
    }
    assert any(v == "10" for (s, n), v in cells.items() if n == "anxiety" and s)
    assert all(v == "[c]" for (s, n), v in cells.items() if n == "bullying")
