"""``llais demo seed``: a demo school with one enrolment code per year group (idempotent), and
single-use demo invitations for the staff bot (printed, so a demo can link each role once)."""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta
from typing import Any

from core.clock import utcnow
from core.settings import Settings
from core.vocabulary import CodeKind
from storage.db import make_engine, make_sessionmaker
from storage.repo.schools import ensure_code, get_or_create_school

DEMO_SCHOOL = ("Ysgol Llais Demo", "Ysgol Llais Demo")
DEMO_PREFIX = "DEMO"
YEAR_GROUPS = range(7, 14)
STAFF_CODE = "DEMO-STAFF"  # the plain staff role receives nothing: reusable
DSL_CODE = "DEMO-DSL"
DEPUTY_CODE = "DEMO-DEPUTY"
WELLBEING_CODE = "DEMO-WELLBEING"
AUTHORITY_CODE = "DEMO-AUTHORITY"  # links the authority's safeguarding contact (school ignored)
INVITATIONS = (
    (DSL_CODE, CodeKind.DSL),
    (DEPUTY_CODE, CodeKind.DEPUTY_DSL),
    (WELLBEING_CODE, CodeKind.WELLBEING_LEAD),
    (AUTHORITY_CODE, CodeKind.AUTHORITY),
)
INVITATION_DAYS = 30


def register(sub: Any) -> None:
    """Add the ``demo`` command."""
    parser: argparse.ArgumentParser = sub.add_parser("demo", help="demo data")
    demo_sub = parser.add_subparsers(dest="demo_command", required=True)
    demo_sub.add_parser("seed", help="create the demo school and its codes").set_defaults(
        func=_seed
    )


async def seed_demo(url: str) -> int:
    """Create the demo school and codes if missing; returns how many codes were created."""
    engine = make_engine(url)
    now = utcnow()
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            name, name_cy = DEMO_SCHOOL
            school = await get_or_create_school(session, name=name, name_cy=name_cy, now=now)
            school.code_prefix = school.code_prefix or DEMO_PREFIX
            created = 0
            for year in YEAR_GROUPS:
                created += await ensure_code(
                    session,
                    school_id=school.id,
                    code=f"DEMO-Y{year}",
                    kind=CodeKind.LEARNER,
                    year_group=year,
                )
            created += await ensure_code(
                session, school_id=school.id, code=STAFF_CODE, kind=CodeKind.STAFF, year_group=None
            )
            for code, kind in INVITATIONS:
                created += await ensure_code(
                    session,
                    school_id=school.id,
                    code=code,
                    kind=kind,
                    year_group=None,
                    expires_at=now + timedelta(days=INVITATION_DAYS),
                )
            return created
    finally:
        await engine.dispose()


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    created = asyncio.run(seed_demo(settings.database_url))
    print(f"demo school '{DEMO_SCHOOL[0]}' ready: codes DEMO-Y7 ... DEMO-Y13 ({created} new)")
    if created:
        print(f"staff bot: {STAFF_CODE} (any member of staff, reusable)")
        print(f"single-use invitations for {INVITATION_DAYS} days, spent on first use:")
        for code, kind in INVITATIONS:
            print(f"  {code}  ({kind.value})")
        print("more with: llais school invite --school DEMO --role dsl|deputy_dsl|wellbeing_lead")
    return 0
