"""``llais school add|codes|invite|advance-year``: setting up an authority's schools.

``add`` creates a school with one learner code per year group; ``codes`` lists them (or, with
``--rotate``, replaces them); ``invite`` prints a single-use invitation for the staff bot, spent
on first use and refused after it expires; ``advance-year`` moves a school's learners up a year
at the start of a school year (Year 13 leavers are unlinked from the school).
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from core.clock import utcnow
from core.errors import LlaisError
from core.settings import Settings
from core.vocabulary import CodeKind
from storage.db import AsyncSession, make_engine, make_sessionmaker
from storage.repo import schools

T = TypeVar("T")
DURATION = re.compile(r"^(\d+)([dhm])$")
UNITS = {"d": "days", "h": "hours", "m": "minutes"}
ROLES = [kind.value for kind in CodeKind if kind is not CodeKind.LEARNER]


def parse_duration(text: str) -> timedelta:
    """``7d``, ``12h`` or ``30m`` as a duration; LlaisError otherwise."""
    match = DURATION.match(text.strip().lower())
    if match is None or int(match.group(1)) == 0:
        raise LlaisError(f"--expires takes a duration such as 7d, 12h or 30m, not {text!r}.")
    return timedelta(**{UNITS[match.group(2)]: int(match.group(1))})


def register(school_sub: Any) -> None:
    """Add the set-up sub-commands to ``llais school``."""
    add = school_sub.add_parser("add", help="create a school and its learner codes")
    add.add_argument("--name", required=True)
    add.add_argument("--name-cy", required=True)
    add.add_argument("--code-prefix", required=True, help="2-8 letters or digits, e.g. YGC")
    add.set_defaults(func=_add)

    codes = school_sub.add_parser("codes", help="a school's learner codes (or new ones)")
    codes.add_argument("--school", required=True, help="code prefix or id")
    codes.add_argument("--rotate", action="store_true", help="retire them and issue new ones")
    codes.set_defaults(func=_codes)

    invite = school_sub.add_parser("invite", help="a single-use invitation for the staff bot")
    invite.add_argument("--school", required=True, help="code prefix or id")
    invite.add_argument("--role", required=True, choices=ROLES)
    invite.add_argument("--expires", default="7d", help="e.g. 7d (default), 12h, 30m")
    invite.set_defaults(func=_invite)

    advance = school_sub.add_parser("advance-year", help="move every learner up a year")
    advance.add_argument("--school", required=True, help="code prefix or id")
    advance.set_defaults(func=_advance)


def in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction on the configured database."""

    async def run() -> T:
        engine = make_engine(settings.database_url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _code_lines(codes: list[Any]) -> list[str]:
    return [f"Year {code.year_group}: {code.code}" for code in codes]


def _add(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> list[str]:
        now = utcnow()
        school = await schools.create_school(
            session, name=args.name, name_cy=args.name_cy, prefix=args.code_prefix, now=now
        )
        codes = await schools.issue_learner_codes(session, school=school, now=now)
        return [f"school {school.id} '{school.name}' ({school.code_prefix})", *_code_lines(codes)]

    print("\n".join(in_session(settings, work)))
    return 0


def _codes(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> list[str]:
        school = await schools.school_by_prefix(session, prefix=args.school)
        if args.rotate:
            codes = await schools.issue_learner_codes(session, school=school, now=utcnow())
        else:
            codes = await schools.learner_codes(session, school_id=school.id)
        return _code_lines(codes)

    print("\n".join(in_session(settings, work)))
    return 0


def _invite(args: argparse.Namespace, settings: Settings) -> int:
    lasts = parse_duration(args.expires)

    async def work(session: AsyncSession) -> str:
        now = utcnow()
        school = await schools.school_by_prefix(session, prefix=args.school)
        invitation = await schools.invite(
            session, school=school, kind=CodeKind(args.role), expires_at=now + lasts, now=now
        )
        assert invitation.expires_at is not None
        return (
            f"{invitation.code}  ({args.role} at {school.name}; single use; "
            f"expires {invitation.expires_at.astimezone(settings.tz):%d/%m/%Y %H:%M})"
        )

    print(in_session(settings, work))
    return 0


def _advance(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> tuple[int, int]:
        school = await schools.school_by_prefix(session, prefix=args.school)
        return await schools.advance_year(session, school_id=school.id)

    moved, left = in_session(settings, work)
    print(f"{moved} learner(s) moved up a year; {left} Year 13 leaver(s) unlinked from the school")
    return 0
