"""Plan campaigns: which learners get which message, queued once per (campaign, learner).

Run by the voice job (and the CLI). Each campaign is planned once: a window's invitations when
the window opens (opted-in learners only, in term, outside quiet hours), a poll's invitation
when it opens (opted-in learners of its schools and year groups), its results when it closes
(only to the learners who were asked or answered, only at schools that reached the minimum), and
a "you said, we did" post when it is posted (every learner of the school who has not stopped
messages).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.settings import Settings
from flows.polls import PollDefinition
from llais.voice.render import bilingual, results_params
from llais.voice.results import Themer, poll_results
from llais.voice.windows import QuietHours, ScheduleTimes, current_window, parse_hhmm
from storage.aggregate import Policy
from storage.aggregate.terms import TermCalendar, load_calendar
from storage.db import AsyncSession
from storage.models import Announcement, InviteSchedule, Poll, School
from storage.repo import voice as repo

log = logging.getLogger(__name__)

POST_FRESH_DAYS = 7  # a post older than this is not sent any more (it stays in /yousaid)


def quiet_hours(settings: Settings) -> QuietHours:
    """The quiet hours in force."""
    return QuietHours(settings.quiet_hours_start, settings.quiet_hours_end)


def schedule_times(schedule: InviteSchedule) -> ScheduleTimes:
    """What the window logic needs of a stored schedule."""
    return ScheduleTimes(
        id=schedule.id,
        weekdays=tuple(schedule.weekdays),
        at_time=parse_hhmm(schedule.at_time),
        window_minutes=schedule.window_minutes,
        until=schedule.until,
    )


@dataclass
class PlanReport:
    """How many sends each kind of campaign queued."""

    queued: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int) -> None:
        if n:
            self.queued[kind] = self.queued.get(kind, 0) + n


class CampaignPlanner:
    """Queues campaign sends from schedules, polls and posts."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        themer: Themer,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.themer = themer
        self.quiet = quiet_hours(settings)
        self.policy = Policy(k=settings.suppression_k)

    async def plan(self, now: datetime) -> PlanReport:
        """Queue everything due at ``now``."""
        report = PlanReport()
        async with self.sessions() as session, session.begin():
            await self._invitations(session, now, report)
            await self._poll_invitations(session, now, report)
            await self._announcements(session, now, report)
        for poll_id in await self._closed(now):
            await self.close_poll(poll_id, now, report)
        return report

    async def _calendar(self, session: AsyncSession, school_id: int) -> TermCalendar:
        document = await repo.school_calendar(session, school_id=school_id)
        return TermCalendar.model_validate(document) if document else load_calendar()

    async def _invitations(self, session: AsyncSession, now: datetime, report: PlanReport) -> None:
        tz = self.settings.tz
        for schedule in await repo.active_schedules(session, on=now.astimezone(tz).date()):
            window = current_window(
                schedule_times(schedule),
                now,
                tz=tz,
                calendar=await self._calendar(session, schedule.school_id),
                quiet=self.quiet,
            )
            if window is None or await repo.planned(session, campaign=window.campaign):
                continue  # no window now, or this window was planned already
            to = await repo.recipients(
                session,
                school_ids=[schedule.school_id],
                year_groups=schedule.year_groups,
                opted_in=True,
            )
            added = await repo.enqueue(
                session,
                campaign=window.campaign,
                to=to,
                message_key="voice.invitation",
                params={},
                now=now,
                expires_at=window.ends,
            )
            report.add("invite", added)

    async def _poll_invitations(
        self, session: AsyncSession, now: datetime, report: PlanReport
    ) -> None:
        for poll in await repo.open_polls(session, now=now):
            campaign = f"poll:{poll.id}"
            if await repo.planned(session, campaign=campaign):
                continue
            to = await repo.recipients(
                session, school_ids=poll.school_ids, year_groups=poll.year_groups, opted_in=True
            )
            title = PollDefinition.model_validate(poll.definition).title
            added = await repo.enqueue(
                session,
                campaign=campaign,
                to=to,
                message_key="voice.poll_invitation",
                params={"title": bilingual(title.en, title.cy)},
                now=now,
                expires_at=poll.closes_at,
            )
            report.add("poll", added)

    async def _announcements(
        self, session: AsyncSession, now: datetime, report: PlanReport
    ) -> None:
        for post in await repo.announcements(session):
            if post.posted_at < now - timedelta(days=POST_FRESH_DAYS):
                break
            await self.queue_post(session, post, now, report)

    async def queue_post(
        self, session: AsyncSession, post: Announcement, now: datetime, report: PlanReport
    ) -> None:
        """Queue a post for every learner of its school, once."""
        campaign = f"yousaid:{post.id}"
        if await repo.planned(session, campaign=campaign):
            return
        to = await repo.recipients(session, school_ids=[post.school_id])
        school = await session.get(School, post.school_id)
        name = bilingual(school.name, school.name_cy) if school else bilingual("", "")
        added = await repo.enqueue(
            session,
            campaign=campaign,
            to=to,
            message_key="voice.yousaid",
            params={"school": name, "text": bilingual(post.text_en, post.text_cy)},
            now=now,
        )
        report.add("yousaid", added)

    async def _closed(self, now: datetime) -> list[int]:
        async with self.sessions() as session:
            return [p.id for p in await repo.closed_without_results(session, now=now)]

    async def close_poll(self, poll_id: int, now: datetime, report: PlanReport) -> Poll:
        """Turn free text into themes (and drop the text), work out the results, and queue them
        for the learners who were asked, at schools that reached the minimum."""
        async with self.sessions() as session, session.begin():
            poll = await session.get(Poll, poll_id)
            assert poll is not None
            answers = await repo.poll_answers(session, poll_id=poll_id)
            for answer in answers:
                if answer.text is not None:
                    answer.theme = await self.themer(answer.text)
                    answer.text = None
            definition = PollDefinition.model_validate(poll.definition)
            poll.results = poll_results(definition, answers, self.policy)
            poll.results_at = now
            schools = poll.results["schools"]
            met = {int(s) for s, r in schools.items() if r.get("met")}
            asked = set(await repo.campaign_refs(session, campaign=f"poll:{poll_id}"))
            asked |= {a.person_ref for a in answers}
            added = 0
            for school_id in sorted(met):
                to = await repo.recipients(session, school_ids=[school_id], refs=asked)
                added += await repo.enqueue(
                    session,
                    campaign=f"results:{poll_id}",
                    to=to,
                    message_key="voice.poll_results",
                    params=results_params(definition, schools[str(school_id)]),
                    now=now,
                )
            report.add("results", added)
            log.info(
                "poll %d closed: %d school(s), %d met the minimum, %d results queued",
                poll_id,
                len(poll.results["schools"]),
                len(met),
                added,
            )
            return poll


__all__ = ["CampaignPlanner", "PlanReport", "quiet_hours"]
