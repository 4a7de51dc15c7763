"""``llais spool list|retry|discard``: what an operator does with the messages kept on this
machine, above all those set aside in ``failed/`` (``llais.spool``, ``llais.replay``).

Kept records hold what people wrote, so nothing here prints or logs their text or reference:
only ids, channels, kinds, counts and ages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from core.clock import utcnow
from core.errors import LlaisError
from core.settings import Settings
from llais.app import replayer, running_app
from llais.replay import Replayed
from llais.spool import Spool, kept_at_of, record_id_of

log = logging.getLogger(__name__)


class SpoolCommandError(LlaisError):
    """A ``llais spool`` command that cannot be carried out (an unknown id, say)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``spool`` command."""
    parser = sub.add_parser("spool", help="messages kept while the database was away")
    actions = parser.add_subparsers(dest="spool_command", required=True)
    show = actions.add_parser("list", help="counts and ages of kept and set-aside records")
    show.set_defaults(func=_list)
    retry = actions.add_parser("retry", help="put set-aside record(s) back and apply them")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", help="the record's id (from llais spool list)")
    which.add_argument("--all", action="store_true", help="every set-aside record")
    retry.set_defaults(func=_retry)
    discard = actions.add_parser("discard", help="delete one set-aside record, recording that")
    discard.add_argument("id", help="the record's id (from llais spool list)")
    discard.set_defaults(func=_discard)


def describe(spool: Spool, path: Path, *, where: str, now: datetime) -> dict[str, Any]:
    """One record as an operator sees it: id, where it is, channel, kind and age, no text."""
    line: dict[str, Any] = {"id": record_id_of(path), "where": where}
    kept = kept_at_of(path)
    try:
        record = spool.read(path)
    except (OSError, ValueError):
        line.update(channel=None, kind=None, readable=False)
    else:
        line.update(channel=record.channel.value, kind=record.kind.value, readable=True)
    line.update(kept_at=kept.isoformat(), age_minutes=int((now - kept).total_seconds() // 60))
    return line


def listing(spool: Spool, *, now: datetime) -> list[dict[str, Any]]:
    """Every record waiting in the spool and set aside in ``failed/``, oldest first."""
    waiting = [describe(spool, p, where="waiting", now=now) for p in spool.files()]
    aside = [describe(spool, p, where="failed", now=now) for p in spool.failed_files()]
    return waiting + aside


def _list(args: argparse.Namespace, settings: Settings) -> int:
    spool = Spool(settings.spool_dir)
    lines = listing(spool, now=utcnow())
    for line in lines:
        print(json.dumps(line))
    waiting = sum(1 for line in lines if line["where"] == "waiting")
    print(f"{waiting} waiting to be applied, {len(lines) - waiting} set aside in failed/")
    return 0


async def retry(settings: Settings, record_id: str | None) -> tuple[int, Replayed]:
    """Put one set-aside record (or all) back in the spool and run the normal replay."""
    spool = Spool(settings.spool_dir)
    if record_id is None:
        chosen = spool.failed_files()
    else:
        found = spool.find_failed(record_id)
        if found is None:
            raise SpoolCommandError(f"no set-aside record {record_id!r} (see llais spool list)")
        chosen = [found]
    # the app is built first: while the database is away it cannot start, and then nothing moves
    async with running_app(settings) as app:
        for path in chosen:
            spool.restore(path)
        log.info("spool: %d set-aside record(s) put back to be applied", len(chosen))
        return len(chosen), await replayer(app).run_once()


def _retry(args: argparse.Namespace, settings: Settings) -> int:
    moved, report = asyncio.run(retry(settings, None if args.all else args.id))
    print(
        f"{moved} record(s) put back: {report.applied} applied, {report.repeated} applied before, "
        f"{report.set_aside} set aside again, {report.waiting} still waiting"
    )
    if report.waiting:
        print("the waiting ones are applied by the next replay (llais serve, or retry later)")
    return 0 if not report.set_aside else 1


def discard(settings: Settings, record_id: str, *, now: datetime) -> None:
    """Delete one set-aside record, recording its id and times in ``failed/discarded.jsonl``."""
    spool = Spool(settings.spool_dir)
    found = spool.find_failed(record_id)
    if found is None:
        raise SpoolCommandError(f"no set-aside record {record_id!r} (see llais spool list)")
    spool.discard(found, now=now)
    log.info("spool: one set-aside record discarded by an operator")


def _discard(args: argparse.Namespace, settings: Settings) -> int:
    discard(settings, args.id, now=utcnow())
    print(f"record {args.id} discarded (recorded in failed/discarded.jsonl)")
    return 0


__all__ = ["SpoolCommandError", "discard", "listing", "register", "retry"]
