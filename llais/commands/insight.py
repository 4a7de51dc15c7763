"""``llais user add``, ``llais report`` and ``llais group add``: dashboard accounts, the same
figures as the dashboard for analysts, and intervention groups with their own enrolment code."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from core.access import DashboardRole
from core.clock import utcnow
from core.settings import Settings
from core.vocabulary import Language
from llais.insight.export import text_table, to_csv
from llais.insight.service import InsightService, names_of_schools
from llais.insight.specs import PERIOD_KINDS, Measure, table_for
from storage.aggregate import PeriodKind
from storage.db import make_engine, make_sessionmaker
from storage.repo.accounts import add_user
from storage.repo.groups import create_group
from storage.repo.schools import resolve_school


def register(sub: Any) -> None:
    """Add the ``user``, ``report`` and ``group`` commands."""
    user: argparse.ArgumentParser = sub.add_parser("user", help="dashboard accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="add an officer, school lead or DSL")
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in DashboardRole])
    add.add_argument("--school", help="school id or any of its enrolment codes")
    add.add_argument("--password-stdin", action="store_true", required=True)
    add.set_defaults(func=_user_add)

    report = sub.add_parser("report", help="published figures (the dashboard's rule applied)")
    report.add_argument("measure", choices=[m.value for m in Measure])
    report.add_argument("--by", default="school", help="e.g. school or school,year_group")
    report.add_argument("--period", default="term", choices=[k.value for k in PeriodKind])
    report.add_argument("--period-id", help="e.g. 2026-27.autumn (default: the latest)")
    report.add_argument("--school", help="a school lead's view of this school")
    report.add_argument("--format", default="csv", choices=("csv", "json"))
    report.add_argument("--language", default="en", choices=("en", "cy"))
    report.set_defaults(func=_report)

    group: argparse.ArgumentParser = sub.add_parser("group", help="intervention groups")
    group_sub = group.add_subparsers(dest="group_command", required=True)
    gadd = group_sub.add_parser("add", help="create a group with its own learner code")
    gadd.add_argument("--school", required=True)
    gadd.add_argument("--name", required=True)
    gadd.add_argument("--kind", required=True, help="intervention type, e.g. elsa")
    gadd.add_argument("--year-group", type=int)
    gadd.add_argument("--pre", required=True, help="fixed period id before, e.g. 2026-27.autumn.1")
    gadd.add_argument("--post", required=True, help="fixed period id after")
    gadd.set_defaults(func=_group_add)


def _user_add(args: argparse.Namespace, settings: Settings) -> int:
    password = sys.stdin.readline().rstrip("\n")

    async def run() -> str:
        engine = make_engine(settings.database_url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                school = await resolve_school(session, code=args.school) if args.school else None
                account = await add_user(
                    session,
                    username=args.username,
                    role=DashboardRole(args.role),
                    school_id=school,
                    password=password,
                    now=utcnow(),
                )
                return f"added {account.role.value} account {args.username.strip().lower()}"
        finally:
            await engine.dispose()

    print(asyncio.run(run()))
    return 0


async def report_text(args: argparse.Namespace, settings: Settings) -> str:
    """The report as CSV or JSON lines (used by ``llais report`` and its tests)."""
    measure = Measure(args.measure)
    engine = make_engine(settings.database_url)
    try:
        sessions = make_sessionmaker(engine)
        service = InsightService(settings, sessions)
        kind = PeriodKind(args.period)
        if kind not in PERIOD_KINDS[measure]:
            raise ValueError(f"{measure.value} is published per term only")
        period = (
            service.period(measure, args.period_id)
            if args.period_id
            else service.latest(measure, kind)
        )
        publication = await service.publication(measure, period)
        by = tuple(d.strip() for d in args.by.split(",") if d.strip())
        if args.school:
            async with sessions() as session:
                school = await resolve_school(session, code=args.school)
            publication = publication.for_school(str(school))
        dims = table_for(measure, by)
        language = Language(args.language)
        names = await names_of_schools(sessions, language.value)
        if args.format == "csv":
            return to_csv(publication, dims, period, language, names)
        table = text_table(publication, dims, language, names)
        return "\n".join(
            json.dumps(
                {"measure": measure.value, "period": period.id, "key": key}
                | dict(zip(table.header, row, strict=True)),
                ensure_ascii=False,
            )
            for key, row in zip(table.keys, table.rows, strict=True)
        )
    finally:
        await engine.dispose()


def _report(args: argparse.Namespace, settings: Settings) -> int:
    try:
        print(asyncio.run(report_text(args, settings)))
    except ValueError as exc:
        print(f"llais: {exc}", file=sys.stderr)
        return 2
    return 0


def _group_add(args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> str:
        engine = make_engine(settings.database_url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                group = await create_group(
                    session,
                    school_id=await resolve_school(session, code=args.school),
                    name=args.name,
                    kind=args.kind,
                    year_group=args.year_group,
                    pre_period=args.pre,
                    post_period=args.post,
                    now=utcnow(),
                )
                return f"group {group.id} '{group.name}': learners join with code {group.code}"
        finally:
            await engine.dispose()

    print(asyncio.run(run()))
    return 0
