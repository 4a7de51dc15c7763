"""``llais invite|poll|yousaid``: a school lead's side of learner voice.

``invite schedule`` sets check-in windows, ``invite calendar`` gives a school its own term dates,
``poll create`` stores a validated poll, ``poll close`` closes one now and works out its results,
``yousaid post`` shares what the school changed (text the safeguarding check warns about is
stored only with ``--confirm-concern`` and the digest that warning printed for those words),
and ``yousaid list`` shows the posts of one school or of every school (officers).
``llais serve`` sends what these queue.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from core.clock import utcnow
from core.errors import LlaisError
from core.settings import Settings
from flows.polls import load_poll
from llais.app import running_app
from llais.commands.setup import in_session
from llais.voice import admin
from llais.voice.results import themer
from nlu.themes import THEMES
from nlu.understand import build_understander
from storage.aggregate.terms import load_calendar
from storage.db import AsyncSession
from storage.models import Poll, School
from storage.repo import voice as repo
from storage.repo.accounts import log_event
from storage.repo.schools import resolve_school

T = TypeVar("T")
log = logging.getLogger(__name__)
CONFIRMED = "voice_text_confirmed"  # published over a warning: recorded, never the text


class VoiceCommandError(LlaisError):
    """A learner-voice command was given something it cannot use."""


def register(sub: Any) -> None:
    """Add the ``invite``, ``poll`` and ``yousaid`` commands."""
    invite: argparse.ArgumentParser = sub.add_parser("invite", help="check-in invitations")
    invite_sub = invite.add_subparsers(dest="invite_command", required=True)
    schedule = invite_sub.add_parser("schedule", help="invite a school's learners to check in")
    schedule.add_argument("--school", required=True, help="school id or an enrolment code")
    schedule.add_argument("--days", required=True, help="e.g. mon,thu")
    schedule.add_argument("--time", required=True, help="local time, e.g. 10:30")
    schedule.add_argument("--years", default="", help="year groups, e.g. 7,8 (default: all)")
    schedule.add_argument("--until", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    schedule.add_argument("--window", type=int, help="minutes the window stays open")
    schedule.set_defaults(func=_schedule)
    listing = invite_sub.add_parser("list", help="a school's schedules, one JSON line each")
    listing.add_argument("--school", required=True)
    listing.set_defaults(func=_list_schedules)
    calendar = invite_sub.add_parser("calendar", help="give a school its own term dates")
    calendar.add_argument("file", type=Path, help="a term calendar file like the default")
    calendar.add_argument("--school", required=True)
    calendar.set_defaults(func=_calendar)

    poll: argparse.ArgumentParser = sub.add_parser("poll", help="polls as data")
    poll_sub = poll.add_subparsers(dest="poll_command", required=True)
    create = poll_sub.add_parser("create", help="validate and store a poll file (YAML or JSON)")
    create.add_argument("file", type=Path)
    create.add_argument("--school", required=True, action="append", help="repeat for more")
    create.add_argument(
        "--confirm-concern",
        default="",
        metavar="DIGEST",
        help="publish over a safeguarding warning: the digest that warning gave for this text",
    )
    create.set_defaults(func=_create_poll)
    close = poll_sub.add_parser("close", help="close a poll now and work out its results")
    close.add_argument("id", type=int)
    close.set_defaults(func=_close_poll)
    results = poll_sub.add_parser("results", help="a closed poll's published results (JSON)")
    results.add_argument("id", type=int)
    results.set_defaults(func=_poll_results)

    yousaid: argparse.ArgumentParser = sub.add_parser("yousaid", help='"you said, we did"')
    yousaid_sub = yousaid.add_subparsers(dest="yousaid_command", required=True)
    post = yousaid_sub.add_parser("post", help="share what the school changed")
    post.add_argument("--school", required=True)
    post.add_argument("--en", required=True, help="the text in English")
    post.add_argument("--cy", required=True, help="the text in Welsh")
    post.add_argument("--poll", type=int, help="the poll it answers")
    post.add_argument("--theme", choices=THEMES, help="or the check-in theme it answers")
    post.add_argument(
        "--confirm-concern",
        default="",
        metavar="DIGEST",
        help="publish over a safeguarding warning: the digest that warning gave for this text",
    )
    post.set_defaults(func=_post)
    posts = yousaid_sub.add_parser("list", help="posts of one school, or of every school")
    posts.add_argument("--school")
    posts.set_defaults(func=_list_posts)


def _schedule(args: argparse.Namespace, settings: Settings) -> int:
    request = admin.check_schedule(
        days=args.days,
        at=args.time,
        years=args.years,
        until=args.until,
        today=utcnow().astimezone(settings.tz).date(),
    )

    async def work(session: AsyncSession) -> dict[str, Any]:
        schedule = await admin.add_schedule(
            session,
            settings,
            school_id=await resolve_school(session, code=args.school),
            request=request,
            window_minutes=args.window,
            now=utcnow(),
        )
        return _schedule_json(schedule)

    print(json.dumps(in_session(settings, work)))
    return 0


def _schedule_json(schedule: Any) -> dict[str, Any]:
    return {
        "id": schedule.id,
        "school_id": schedule.school_id,
        "weekdays": schedule.weekdays,
        "time": schedule.at_time,
        "window_minutes": schedule.window_minutes,
        "year_groups": schedule.year_groups,
        "until": schedule.until.isoformat(),
        "active": schedule.active,
    }


def _list_schedules(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        school_id = await resolve_school(session, code=args.school)
        return [
            _schedule_json(s) for s in await repo.school_schedules(session, school_id=school_id)
        ]

    for line in in_session(settings, work):
        print(json.dumps(line))
    return 0


def _calendar(args: argparse.Namespace, settings: Settings) -> int:
    calendar = load_calendar(args.file)  # validated like the authority's default

    async def work(session: AsyncSession) -> int:
        school_id = await resolve_school(session, code=args.school)
        await repo.set_school_calendar(
            session,
            school_id=school_id,
            document=json.loads(calendar.model_dump_json()),
            source=str(args.file),
            now=utcnow(),
        )
        return school_id

    school_id = in_session(settings, work)
    print(f"school {school_id}: {len(calendar.years)} school year(s) of term dates")
    return 0


def _create_poll(args: argparse.Namespace, settings: Settings) -> int:
    poll = load_poll(args.file)
    understander = build_understander(settings)  # the poll's wording passes the detector

    async def work(session: AsyncSession) -> int:
        schools = [await resolve_school(session, code=code) for code in args.school]
        stored = await admin.create_poll(
            session,
            understander,
            poll=poll,
            school_ids=schools,
            now=utcnow(),
            confirm=args.confirm_concern,
        )
        if admin.over_warning(args.confirm_concern, admin.poll_texts(poll)):
            log.info("poll stored over a safeguarding warning, confirmed")
            await log_event(session, event=CONFIRMED, now=utcnow(), subject=f"poll:{stored.id}")
        return stored.id

    poll_id = in_session(settings, work)
    print(
        json.dumps(
            {"id": poll_id, "opens": poll.opens.isoformat(), "closes": poll.closes.isoformat()}
        )
    )
    return 0


async def close_poll_now(settings: Settings, poll_id: int) -> Poll:
    """Close a poll now (if still open) and work out its results with the real NLU's themes."""
    async with running_app(settings) as app:
        return await admin.close_poll(
            settings, app.sessions, themer(app.understander), poll_id=poll_id, now=app.clock()
        )


def _close_poll(args: argparse.Namespace, settings: Settings) -> int:
    poll = asyncio.run(close_poll_now(settings, args.id))
    schools = (poll.results or {}).get("schools", {})
    met = sum(1 for school in schools.values() if school.get("met"))
    print(f"poll {poll.id} closed: {len(schools)} school(s) answered, {met} reached the minimum")
    return 0


def _poll_results(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> dict[str, Any] | None:
        poll = await session.get(Poll, args.id)
        if poll is None:
            raise VoiceCommandError(f"no poll {args.id}")
        return poll.results

    results = in_session(settings, work)
    if results is None:
        print(f"poll {args.id} has no results yet (it closes first)")
        return 1
    print(json.dumps(results, ensure_ascii=False))
    return 0


def _post(args: argparse.Namespace, settings: Settings) -> int:
    understander = build_understander(settings)  # the post's text passes the detector

    async def work(session: AsyncSession) -> int:
        post = await admin.post_you_said(
            session,
            understander,
            school_id=await resolve_school(session, code=args.school),
            text_en=args.en,
            text_cy=args.cy,
            poll_id=args.poll,
            theme=args.theme,
            now=utcnow(),
            confirm=args.confirm_concern,
        )
        if admin.over_warning(args.confirm_concern, admin.post_texts(args.en, args.cy)):
            log.info("post stored over a safeguarding warning, confirmed")
            await log_event(session, event=CONFIRMED, now=utcnow(), subject=f"yousaid:{post.id}")
        return post.id

    post_id = in_session(settings, work)
    print(f"post {post_id} saved: learners of the school get it once, outside quiet hours")
    return 0


def _list_posts(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        school_id = await resolve_school(session, code=args.school) if args.school else None
        lines = []
        for post in await repo.announcements(session, school_id=school_id, limit=1000):
            school = await session.get(School, post.school_id)
            sent = await repo.send_counts(session, campaign=f"yousaid:{post.id}")
            lines.append(
                {
                    "id": post.id,
                    "school": school.name if school else None,
                    "posted_at": post.posted_at.isoformat(),
                    "poll": post.poll_id,
                    "theme": post.theme,
                    "en": post.text_en,
                    "cy": post.text_cy,
                    "sent": sent.get("sent", 0),
                }
            )
        return lines

    for line in in_session(settings, work):
        print(json.dumps(line, ensure_ascii=False))
    return 0


__all__ = ["close_poll_now", "register"]
