"""``llais directory import|export`` and ``llais signpost``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError

from core.clock import utcnow
from core.errors import ConfigurationError, NotFoundError
from core.settings import Settings
from core.vocabulary import Language, RiskLevel
from llais.contacts import list_school_contacts
from llais.directory import load_directory, save_document
from signposting.directory import Directory, read_document, require_crisis_lines
from signposting.errors import SignpostInputError
from signposting.export import export_document
from signposting.matching import Match, check_request, match
from signposting.taxonomy import AUDIENCES
from storage.db import AsyncSession, make_engine, make_sessionmaker
from storage.repo.schools import resolve_school


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``directory`` and ``signpost`` commands."""
    directory = sub.add_parser("directory", help="import or export the services directory")
    actions = directory.add_subparsers(dest="directory_command", required=True)
    do_import = actions.add_parser("import", help="validate an HSDS JSON file and store it")
    do_import.add_argument("file", type=Path)
    do_import.add_argument("--check", action="store_true", help="validate only, store nothing")
    do_import.set_defaults(func=run_import)
    do_export = actions.add_parser("export", help="write the directory in use as HSDS JSON")
    do_export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    do_export.set_defaults(func=run_export)

    signpost = sub.add_parser("signpost", help="list services for needs, one JSON line each")
    signpost.add_argument("--need", action="append", required=True, help="repeat for several")
    signpost.add_argument("--audience", required=True, help=f"one of {', '.join(AUDIENCES)}")
    signpost.add_argument("--age", type=int)
    signpost.add_argument("--lang", default="en", help="cy or en")
    signpost.add_argument(
        "--level", default="low", help=f"one of {', '.join(lv.label for lv in RiskLevel)}"
    )
    signpost.add_argument("--at", help="ISO-8601 time (default now; no zone means Europe/London)")
    signpost.add_argument("--school", help="school id or enrolment code, for its own contacts")
    signpost.add_argument("--limit", type=int)
    signpost.set_defaults(func=run_signpost)


@asynccontextmanager
async def _session(settings: Settings) -> AsyncIterator[AsyncSession]:
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            yield session
    except DBAPIError as exc:
        raise ConfigurationError(
            f"The database at {settings.database_url} could not be used ({exc.orig}); "
            "run `llais db upgrade` first."
        ) from None
    finally:
        await engine.dispose()


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    """Validate a directory file and, unless --check, store it as the newest directory."""
    document = read_document(args.file)
    # a directory without 999 and a 24/7 crisis line would leave a disclosure with no contacts
    require_crisis_lines(Directory(document, settings.tz, str(args.file)))
    if args.check:
        print(f"{args.file}: valid, {len(document.services)} services.")
        return 0

    async def store() -> int:
        async with _session(settings) as session:
            row_id = await save_document(
                session, document=document, source=str(args.file), at=utcnow()
            )
            await session.commit()
            return row_id

    row_id = asyncio.run(store())
    print(f"Imported {len(document.services)} services from {args.file} (import {row_id}).")
    return 0


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the directory in use (newest import, else the bundled seed) as HSDS JSON."""

    async def load() -> dict[str, Any]:
        async with _session(settings) as session:
            directory = await load_directory(session, tz=settings.tz)
        return export_document(directory.document)

    text = json.dumps(asyncio.run(load()), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _parse_at(value: str | None, settings: Settings) -> datetime:
    if value is None:
        return utcnow()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise SignpostInputError(
            f"--at {value!r} is not an ISO-8601 time; use e.g. 2026-11-25T19:30 or "
            "2026-11-25T19:30:00+00:00."
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=settings.tz)


def _line(found: Match, language: Language) -> str:
    return json.dumps(
        {
            "service_id": found.service_id,
            "name": found.name.get(language),
            "phones": [
                {"number": p.number, "type": p.type, "how": p.how.get(language)}
                for p in found.phones
            ],
            "url": found.url,
            "contact": found.contact.get(language) if found.contact else None,
            "open_now": found.open_now,
            "next_open": found.next_open.isoformat() if found.next_open else None,
            "verified": found.verified,
            "why": {"reason": found.reason, "text": found.why.get(language)},
        },
        ensure_ascii=False,
    )


def run_signpost(args: argparse.Namespace, settings: Settings) -> int:
    """Print the matched services, one JSON object per line, best first."""
    try:
        check_request(args.need, args.audience, args.lang, args.level)
        at = _parse_at(args.at, settings)
        if args.age is not None and not 0 <= args.age <= 120:
            raise SignpostInputError(f"--age {args.age} is not an age; give 0 to 120.")
        if args.limit is not None and args.limit < 1:
            raise SignpostInputError("--limit must be 1 or more.")
    except SignpostInputError as exc:
        print(f"llais signpost: {exc}", file=sys.stderr)
        return 2
    language = Language(args.lang)

    async def find() -> list[Match]:
        async with _session(settings) as session:
            directory = await load_directory(session, tz=settings.tz)
            contacts = []
            if args.school:
                school_id = await resolve_school(session, code=args.school)
                contacts = await list_school_contacts(session, school_id=school_id)
        return match(
            directory,
            args.need,
            args.audience,
            args.age,
            language,
            at,
            level=RiskLevel.parse(args.level),
            school_contacts=contacts,
            limit=args.limit,
        )

    try:
        found_all = asyncio.run(find())
    except NotFoundError as exc:
        print(f"llais signpost: {exc}", file=sys.stderr)
        return 2
    for found in found_all:
        print(_line(found, language))
    return 0
