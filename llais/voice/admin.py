"""What a school lead or an officer does to learner voice, shared by the CLI (``llais invite|
poll|yousaid``) and the dashboard's learner-voice pages: one copy of the checks and the writes.

Every check raises :class:`VoiceInputError` with a catalogue key (``voicepages.<key>``) so a page
can say what is wrong in its own language, and an English sentence for the CLI. Whatever goes to
learners (a poll's wording, a post's text) passes the safeguarding detector before it is stored
(``llais.staff.screening``): a concern holds it (:class:`HeldForConcern`, which carries the
warning's :func:`~llais.staff.screening.digest`) until the writer confirms those exact words
(``confirm``, given back the digest); changed words are read again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.errors import FlowDefinitionError, LlaisError
from core.settings import Settings
from core.vocabulary import Language
from flows.polls import PollDefinition, dump_definition, parse_poll
from llais.staff.screening import Screened, bilingual_texts, digest, screen
from llais.voice.campaigns import CampaignPlanner, PlanReport
from llais.voice.results import Themer
from llais.voice.windows import parse_days, parse_hhmm
from nlu.themes import THEMES
from nlu.understand import Understander
from storage.db import AsyncSession
from storage.models import Announcement, InviteSchedule, Poll
from storage.repo import voice as repo

YEARS = range(7, 14)
MAX_POST = 2000  # characters of one language's text in a post


class VoiceInputError(LlaisError):
    """Something a lead or officer gave cannot be used; ``key`` names the catalogue message."""

    def __init__(self, key: str, english: str, detail: str = "") -> None:
        super().__init__(english)
        self.key = key
        self.detail = detail  # technical detail shown as is (a poll file's paths), or ""


class HeldForConcern(VoiceInputError):
    """Text for learners in which the detector reads a concern: not stored, nor sent, until the
    writer confirms these exact words with :attr:`digest`."""

    def __init__(self, screened: Screened, fingerprint: str) -> None:
        own = screened.own
        super().__init__(
            "held_own" if own else "held_concern",
            "not saved: the safeguarding check reads a concern in this text "
            f"({screened.categories(Language.EN) or 'no category'}); text for learners "
            "carrying one is published only when you confirm it"
            + ("; if it is about you, staff wellbeing support is on the staff bot" if own else "")
            + "; to publish these exact words anyway, run again with "
            + f"--confirm-concern {fingerprint}",
        )
        self.screened = screened
        self.digest = fingerprint


def poll_texts(poll: PollDefinition) -> list[str]:
    """What of a poll goes to learners and passes the detector: every string, both languages."""
    return bilingual_texts(poll)


def post_texts(text_en: str, text_cy: str) -> list[str]:
    """What of a post goes to learners and passes the detector: both languages, trimmed."""
    return [text_en.strip(), text_cy.strip()]


def over_warning(confirm: str, texts: Sequence[str]) -> bool:
    """Whether ``confirm`` is the writer's "publish anyway" for exactly ``texts``."""
    return bool(confirm) and confirm == digest(texts)


async def check_for_learners(
    understander: Understander,
    texts: Sequence[str],
    *,
    language: Language | None = None,
    confirm: str = "",
) -> None:
    """Raise :class:`HeldForConcern` when the detector reads a concern in any of ``texts``,
    unless ``confirm`` is the digest of exactly these texts (published over the warning)."""
    screened = await screen(understander, texts, language=language)
    if screened.held and not over_warning(confirm, texts):
        raise HeldForConcern(screened, digest(texts))


@dataclass(frozen=True)
class ScheduleRequest:
    """A checked check-in schedule, not yet stored."""

    weekdays: tuple[int, ...]
    at: time
    years: tuple[int, ...]
    until: date


def parse_years(text: str) -> tuple[int, ...]:
    """``"7,8"`` as year groups (empty: every year group)."""
    try:
        years = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise VoiceInputError(
            "bad_years", f"year groups must be numbers like 7,8 (got {text!r})"
        ) from None
    if any(year not in YEARS for year in years):
        raise VoiceInputError("bad_years", "year groups run from 7 to 13")
    return tuple(sorted(set(years)))


def check_schedule(
    *, days: str, at: str, years: str | Sequence[int], until: date | None, today: date
) -> ScheduleRequest:
    """Check a schedule's days, time, year groups and end date (which may not be past)."""
    try:
        weekdays = parse_days(days)
    except ValueError as exc:
        raise VoiceInputError("bad_days", str(exc)) from None
    try:
        local = parse_hhmm(at)
    except ValueError as exc:
        raise VoiceInputError("bad_time", str(exc)) from None
    if isinstance(years, str):
        chosen = parse_years(years)
    elif any(year not in YEARS for year in years):
        raise VoiceInputError("bad_years", "year groups run from 7 to 13")
    else:
        chosen = tuple(sorted(set(years)))
    if until is None:
        raise VoiceInputError("bad_until", "the end date is not a date like 2026-07-20")
    if until < today:
        raise VoiceInputError("until_past", "the end date is in the past")
    return ScheduleRequest(weekdays, local, chosen, until)


async def add_schedule(
    session: AsyncSession,
    settings: Settings,
    *,
    school_id: int,
    request: ScheduleRequest,
    window_minutes: int | None,
    now: datetime,
) -> InviteSchedule:
    """Store a checked schedule for a school."""
    return await repo.add_schedule(
        session,
        school_id=school_id,
        weekdays=request.weekdays,
        at_time=request.at.strftime("%H:%M"),
        window_minutes=window_minutes or settings.invite_window_minutes,
        year_groups=request.years,
        until=request.until,
        now=now,
    )


def check_poll(text: str, source: str) -> PollDefinition:
    """A poll definition (YAML or JSON) validated by ``flows.polls``; errors name the path."""
    try:
        return parse_poll(text, source)
    except FlowDefinitionError as exc:
        raise VoiceInputError("bad_poll", str(exc), detail=str(exc)) from None


async def create_poll(
    session: AsyncSession,
    understander: Understander,
    *,
    poll: PollDefinition,
    school_ids: Sequence[int],
    now: datetime,
    confirm: str = "",
) -> Poll:
    """Store a validated poll for the given schools, once the detector has read its wording
    (a concern in it: only with ``confirm``, the warning's digest)."""
    if not school_ids:
        raise VoiceInputError("no_schools", "a poll needs at least one school")
    await check_for_learners(understander, poll_texts(poll), confirm=confirm)
    return await repo.create_poll(
        session,
        definition=dump_definition(poll),
        school_ids=school_ids,
        year_groups=poll.year_groups,
        opens_at=poll.opens,
        closes_at=poll.closes,
        min_answers=poll.min_answers,
        now=now,
    )


async def close_poll(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    themer: Themer,
    *,
    poll_id: int,
    now: datetime,
) -> Poll:
    """Close a poll now (if still open) and work out its published results (once)."""
    async with sessions() as session, session.begin():
        poll = await session.get(Poll, poll_id)
        if poll is None:
            raise VoiceInputError("no_poll", f"no poll {poll_id}")
        if poll.results_at is not None:
            return poll
        poll.closes_at = min(poll.closes_at, now)
    planner = CampaignPlanner(settings=settings, sessions=sessions, themer=themer)
    return await planner.close_poll(poll_id, now, PlanReport())


async def post_you_said(
    session: AsyncSession,
    understander: Understander,
    *,
    school_id: int,
    text_en: str,
    text_cy: str,
    poll_id: int | None,
    theme: str | None,
    now: datetime,
    confirm: str = "",
) -> Announcement:
    """Store a school's "you said, we did" post, linked to one of its polls or to a theme, once
    the detector has read both languages' text (a concern in it: only with ``confirm``)."""
    text_en, text_cy = text_en.strip(), text_cy.strip()
    if not text_en or not text_cy:
        raise VoiceInputError("post_languages", "a post needs its text in English and in Welsh")
    if len(text_en) > MAX_POST or len(text_cy) > MAX_POST:
        raise VoiceInputError("post_long", f"a post's text is at most {MAX_POST} characters")
    if theme is not None and theme not in THEMES:
        raise VoiceInputError("bad_theme", f"unknown theme {theme!r}")
    await check_for_learners(understander, post_texts(text_en, text_cy), confirm=confirm)
    if poll_id is not None:
        poll = await session.get(Poll, poll_id)
        if poll is None or school_id not in poll.school_ids:
            raise VoiceInputError("post_poll", f"poll {poll_id} was not asked at this school")
    return await repo.post_announcement(
        session,
        school_id=school_id,
        text_en=text_en,
        text_cy=text_cy,
        poll_id=poll_id,
        theme=theme,
        now=now,
    )


def school_results(poll: Poll, school_id: int | None) -> dict[str, Any]:
    """A closed poll's published results (``llais.voice.results``), of one school or all."""
    schools: dict[str, Any] = (poll.results or {}).get("schools", {})
    if school_id is None:
        return schools
    return {k: v for k, v in schools.items() if k == str(school_id)}


__all__ = [
    "HeldForConcern",
    "ScheduleRequest",
    "VoiceInputError",
    "add_schedule",
    "check_for_learners",
    "check_poll",
    "check_schedule",
    "close_poll",
    "create_poll",
    "over_warning",
    "parse_years",
    "poll_texts",
    "post_texts",
    "post_you_said",
    "school_results",
]
