"""``llais report`` on crafted data (SQLite and PostgreSQL): the CLI's JSON, its CSV and a direct
computation from the database agree; small cells are withheld and cannot be differenced out."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import statistics
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from sqlalchemy import text

from core.vocabulary import Audience, RiskLevel
from llais.cli import main
from storage.db import make_engine, make_sessionmaker
from storage.models import Checkin, ContactRequest, SafeguardingAlert
from tests.llais.insight.attack import lone_withheld
from tests.llais.insight.crafted import IN_TERM, LAYOUT, TERM, craft


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


def _lines(capsys: pytest.CaptureFixture[str], measure: str) -> list[dict[str, Any]]:
    args = (measure, "--by", "school", "--period-id", TERM)
    out = _run(capsys, *args, "--format", "json").splitlines()
    lines = [json.loads(line) for line in out]
    table = list(csv.reader(io.StringIO(_run(capsys, *args, "--format", "csv"))))
    assert [[line[h] for h in table[1]] for line in lines] == table[2 : 2 + len(lines)]
    return lines


def _add(url: str, make: Callable[[dict[str, int]], list[object]]) -> None:
    async def run() -> None:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                school = {
                    str(name)[-3:]: int(sid)
                    for sid, name in await session.execute(text("SELECT id, name FROM schools"))
                }
                session.add_all(make(school))
        finally:
            await engine.dispose()

    asyncio.run(run())


def _direct_rows(url: str, sql: str) -> list[Any]:
    async def run() -> list[Any]:
        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                return list(await conn.execute(text(sql)))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _aware(moment: datetime | str) -> datetime:
    """A stored moment read in plain SQL (SQLite gives naive UTC text)."""
    found = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return found if found.tzinfo else found.replace(tzinfo=UTC)


# school -> (alerts, of which acknowledged, minutes to acknowledge of the n-th)
ALERTS = {"AAA": (12, 4, 7), "BBB": (14, 12, 11), "CCC": (15, 8, 13)}


def test_median_time_to_acknowledge_matches_the_database_and_is_withheld_under_k(
    crafted_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def alerts(school: dict[str, int]) -> list[object]:
        made: list[object] = []
        for code, (count, acked, step) in ALERTS.items():
            for n in range(count):
                made.append(
                    SafeguardingAlert(
                        id=f"{code}-{n}",
                        learner_ref=f"{code}-9-{n}",
                        school_id=school[code],
                        year_group=9,
                        level=RiskLevel.MEDIUM,
                        categories=["bullying"],
                        excerpt="a words-only marker ZZTOPSECRET",
                        channel="test",
                        created_at=IN_TERM,
                        acknowledged_at=IN_TERM + timedelta(minutes=5 + (n * step) % 97)
                        if n < acked
                        else None,
                    )
                )
        return made

    _add(crafted_url, alerts)
    lines = _lines(capsys, "safeguarding")
    assert not any("ZZTOPSECRET" in str(line) for line in lines)
    waited: dict[str, list[float]] = defaultdict(list)
    for name, created, acked in _direct_rows(
        crafted_url,
        "SELECT s.name, a.created_at, a.acknowledged_at FROM safeguarding_alerts a "
        "JOIN schools s ON s.id = a.school_id WHERE a.acknowledged_at IS NOT NULL",
    ):
        minutes = (_aware(acked) - _aware(created)).total_seconds() / 60
        waited[str(name)[-3:]].append(minutes)
        waited[""].append(minutes)
    column = "Median minutes to acknowledge"
    medians = {
        next((c for c in ALERTS if c in line["School"]), ""): line[column]
        for line in lines
        if "ack" not in line["key"]
    }
    assert set(medians) == {"", *ALERTS}
    for code, shown in medians.items():
        if len(waited[code]) < 10:  # from fewer than k alerts: withheld, like a mean
            assert shown == "[c]", code
        else:
            expected = Decimal(str(statistics.median(waited[code])))
            assert Decimal(shown) == expected.quantize(Decimal("0.1"), ROUND_HALF_UP), code
    assert medians["AAA"] == medians["CCC"] == "[c]"
    assert medians["BBB"] != "[c]" and medians[""] != "[c]"


# school -> (requests, taken a day later, taken six days later; the rest never taken)
REQUESTS = {"AAA": (12, 12, 0), "BBB": (40, 28, 7), "CCC": (36, 12, 20)}


def test_requests_taken_within_their_window_match_the_database_and_are_withheld_under_k(
    crafted_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def requests(school: dict[str, int]) -> list[object]:
        made: list[object] = []
        for code, (count, soon, late) in REQUESTS.items():
            refs = [f"{code}-{y}-{n}" for y, (size, _) in LAYOUT[code].items() for n in range(size)]
            for n, ref in enumerate(refs[:count]):
                days = 1 if n < soon else 6 if n < soon + late else None
                made.append(
                    ContactRequest(
                        learner_ref=ref,
                        school_id=school[code],
                        need="anxiety",
                        created_at=IN_TERM,
                        taken_at=IN_TERM + timedelta(days=days) if days else None,
                    )
                )
        return made

    _add(crafted_url, requests)
    lines = _lines(capsys, "requests")
    # the window is two school days: from a Wednesday, Friday at the same time
    assert IN_TERM.weekday() == 2
    direct: dict[tuple[str, str | None], int] = defaultdict(int)
    for name, created, taken in _direct_rows(
        crafted_url,
        "SELECT s.name, r.created_at, r.taken_at FROM contact_requests r "
        "JOIN schools s ON s.id = r.school_id",
    ):
        # not taken by the deadline, and the deadline passed within the term: late too
        late = taken is None or _aware(taken) > _aware(created) + timedelta(days=2)
        for code in (str(name)[-3:], ""):
            direct[(code, None)] += 1
            direct[(code, "late" if late else "within")] += 1
    checked = 0
    for line in lines:
        key = line["key"]
        code = (key.get("school") and next(c for c in REQUESTS if c in line["School"])) or ""
        count, total = direct[(code, key.get("taken"))], direct[(code, None)]
        shown, share = line["Requests (rounded to 5)"], line["Share (%)"]
        if count < 10:
            assert shown == "[c]" and share in ("", "[c]")
        elif shown not in ("[c]", "[x]"):
            assert int(shown) == _round5(count)
            if "taken" in key and total >= 30:
                assert share == str(round(Decimal(100 * count) / total))
                checked += 1
    assert checked >= 2  # e.g. BBB's share taken within its window, CCC's share taken late
    assert all(
        line["Requests (rounded to 5)"] == "[c]"
        for line in lines
        if line["key"].get("taken") in ("late", "open") and "AAA" in line["School"]
    )
    assert main(["report", "requests", "--period", "week"]) != 0  # records: per term only


# (school, year group, learners, theme) of crafted check-in comments
THEMED = (
    ("AAA", 9, 4, "bullying"),
    ("AAA", 10, 12, "exam_stress"),
    ("BBB", 9, 14, "exam_stress"),
    ("BBB", 10, 12, "friendships"),
    ("CCC", 10, 12, "exam_stress"),
    ("CCC", 11, 11, "sleep"),
)


def test_comment_themes_are_published_under_the_rule_and_never_the_text(
    crafted_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def themed(school: dict[str, int]) -> list[object]:
        rows = [(code, year, n, theme) for code, year, count, theme in THEMED for n in range(count)]
        return [
            Checkin(
                id=10_000 + i,  # the crafted check-ins were given their ids
                person_ref=f"{code}-{year}-{n}",
                audience=Audience.LEARNER,
                school_id=school[code],
                completed_at=IN_TERM,
                comment="a words-only marker ZZTOPSECRET",
                theme=theme,
            )
            for i, (code, year, n, theme) in enumerate(rows)
        ]

    _add(crafted_url, themed)
    lines = _lines(capsys, "themes")
    assert not any("ZZTOPSECRET" in str(line) for line in lines)
    direct: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for name, ref, theme in _direct_rows(
        crafted_url,
        "SELECT s.name, c.person_ref, c.theme FROM checkins c "
        "JOIN schools s ON s.id = c.school_id WHERE c.theme IS NOT NULL",
    ):
        for code in (str(name)[-3:], ""):
            direct[(code, None)].add(ref)
            direct[(code, str(theme))].add(ref)
    count, checked = "People (rounded to 5)", 0
    for line in lines:
        key = line["key"]
        code = (key.get("school") and next(c for c in LAYOUT if c in line["School"])) or ""
        people = len(direct[(code, key.get("theme"))])
        if people < 10:
            assert line[count] == "[c]", key
        elif line[count] not in ("[c]", "[x]"):
            assert int(line[count]) == _round5(people), key
            checked += "theme" in key
    assert checked >= 2
    assert (
        next(
            line[count]
            for line in lines
            if line["key"].get("theme") == "bullying" and "AAA" in line["School"]
        )
        == "[c]"
    )  # 4 learners
    assert lone_withheld({tuple(sorted(line["key"].items())): line[count] for line in lines}) == []
