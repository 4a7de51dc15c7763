"""``llais db upgrade``: bring the database schema up to date."""

from __future__ import annotations

import argparse
from typing import Any

from llais.settings import Settings
from storage.migrate import upgrade


def register(sub: Any) -> None:
    """Add the ``db`` command."""
    parser: argparse.ArgumentParser = sub.add_parser("db", help="database schema")
    db_sub = parser.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply migrations (default: to the latest)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=_upgrade)


def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    upgrade(settings.database_url, args.revision)
    print(f"database is at revision {args.revision}")
    return 0
