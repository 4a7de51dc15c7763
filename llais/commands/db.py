"""``llais db upgrade``: bring the database schema up to date."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from core.clock import utcnow
from core.settings import Settings
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.repo.retention import purge_free_text


def register(sub: Any) -> None:
    """Add the ``db`` command."""
    parser: argparse.ArgumentParser = sub.add_parser("db", help="database schema")
    db_sub = parser.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply migrations (default: to the latest)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=_upgrade)
    purge = db_sub.add_parser("purge", help="clear free text older than the retention period")
    purge.set_defaults(func=_purge)


def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    upgrade(settings.database_url, args.revision)
    print(f"database is at revision {args.revision}")
    return 0


async def purge(settings: Settings) -> int:
    """Clear check-in comments and mood notes past ``free_text_retention_days``."""
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            return await purge_free_text(
                session, now=utcnow(), days=settings.free_text_retention_days
            )
    finally:
        await engine.dispose()


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    cleared = asyncio.run(purge(settings))
    print(
        f"cleared {cleared} comment(s) and note(s) older than "
        f"{settings.free_text_retention_days} days"
    )
    return 0
