"""Raw rows of one measure in one fixed reporting period, for the aggregate layer only.

Each function returns ``storage.aggregate.Row`` objects, one per person (people are the unit of
every learner and staff measure, so distinct-people counts never add up across nested periods),
or one per alert and category for safeguarding. Nothing here is ever shown directly: every
figure goes through ``storage.aggregate.publish``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from core.vocabulary import Audience
from storage.aggregate import Period, Row
from storage.db import AsyncSession
from storage.models import (
    Checkin,
    CheckinAnswer,
    ContactRequest,
    GroupMember,
    InterventionGroup,
    MoodLog,
    Person,
    SafeguardingAlert,
    School,
)

PERMA_DOMAINS = ("P", "E", "R", "M", "A")
PERMA_VALUES = (*PERMA_DOMAINS, "overall")
PERMA_BANDS = ("low", "medium", "high")
STAFF_PILLARS = ("mental", "physical", "social", "financial")
MOOD_LEVELS = ("1", "2", "3", "4", "5")
UNKNOWN = "unknown"


def perma_band(overall: float) -> str:
    """low below 5, medium from 5 to below 7.5, high from 7.5 (0–10 scale)."""
    return "low" if overall < 5 else ("medium" if overall < 7.5 else "high")


def _year(value: int | None) -> str:
    return str(value) if value is not None else UNKNOWN


async def _domain_means(
    session: AsyncSession,
    *,
    audience: Audience,
    start: datetime,
    end: datetime,
    people: list[str] | None = None,
) -> dict[tuple[str, int, str], dict[str, float]]:
    """(person, school, year group) -> domain -> mean of that person's answers in [start, end)."""
    query = (
        select(
            Checkin.person_ref,
            Checkin.school_id,
            Person.year_group,
            CheckinAnswer.domain,
            func.avg(CheckinAnswer.value),
        )
        .join(CheckinAnswer, CheckinAnswer.checkin_id == Checkin.id)
        .join(Person, Person.ref == Checkin.person_ref)
        .where(
            Checkin.audience == audience,
            Checkin.school_id.is_not(None),
            Checkin.completed_at >= start,
            Checkin.completed_at < end,
        )
        .group_by(Checkin.person_ref, Checkin.school_id, Person.year_group, CheckinAnswer.domain)
    )
    if people is not None:
        query = query.where(Checkin.person_ref.in_(people))
    found: dict[tuple[str, int, str], dict[str, float]] = defaultdict(dict)
    for ref, school, year, domain, mean in await session.execute(query):
        found[(ref, int(school), _year(year))][domain] = float(mean)
    return found


async def perma_rows(session: AsyncSession, *, period: Period) -> list[Row]:
    """One row per learner with a complete PERMA check-in in the period: domain means, overall."""
    rows = []
    means = await _domain_means(
        session, audience=Audience.LEARNER, start=period.start, end=period.end
    )
    for (ref, school, year), by_domain in means.items():
        if not all(d in by_domain for d in PERMA_DOMAINS):
            continue
        values = [by_domain[d] for d in PERMA_DOMAINS]
        overall = sum(values) / len(values)
        rows.append(
            Row(
                person=ref,
                school=str(school),
                dims={"year_group": year, "band": perma_band(overall)},
                values=(*values, overall),
            )
        )
    return rows


async def participation_rows(session: AsyncSession, *, period: Period) -> list[Row]:
    """One row per learner enrolled by the period's end: active if they checked in or logged a
    mood in the period."""
    active_checkin = (
        select(Checkin.person_ref)
        .where(Checkin.completed_at >= period.start, Checkin.completed_at < period.end)
        .distinct()
    )
    active_mood = (
        select(MoodLog.learner_ref)
        .where(MoodLog.logged_at >= period.start, MoodLog.logged_at < period.end)
        .distinct()
    )
    active = {r for (r,) in await session.execute(active_checkin)} | {
        r for (r,) in await session.execute(active_mood)
    }
    learners = await session.execute(
        select(Person.ref, Person.school_id, Person.year_group).where(
            Person.audience == Audience.LEARNER,
            Person.school_id.is_not(None),
            Person.created_at < period.end,
        )
    )
    return [
        Row(
            person=ref,
            school=str(school),
            dims={"year_group": _year(year), "status": "active" if ref in active else "inactive"},
        )
        for ref, school, year in learners
    ]


async def mood_rows(session: AsyncSession, *, period: Period) -> tuple[list[Row], list[Row]]:
    """Two row sets per learner who logged a mood in the period: their typical mood (the rounded
    mean score, with the mean), and one row per reason tag they gave (``none`` for no tag)."""
    logs = await session.execute(
        select(
            MoodLog.learner_ref, Person.school_id, Person.year_group, MoodLog.score, MoodLog.tags
        )
        .join(Person, Person.ref == MoodLog.learner_ref)
        .where(
            Person.school_id.is_not(None),
            MoodLog.logged_at >= period.start,
            MoodLog.logged_at < period.end,
        )
    )
    scores: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    tags: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    for ref, school_id, year_group, score, logged_tags in logs:
        key = (str(ref), int(school_id or 0), _year(year_group))
        scores[key].append(int(score))
        tags[key].update(str(t) for t in logged_tags or ())
    mood = []
    reasons = []
    for key, values in scores.items():
        person, school, year = key
        mean = sum(values) / len(values)
        level = str(min(5, max(1, int(mean + 0.5))))
        mood.append(
            Row(
                person=person,
                school=str(school),
                dims={"year_group": year, "mood": level},
                values=(mean,),
            )
        )
        for tag in sorted(tags[key]) or ["none"]:
            reasons.append(
                Row(person=person, school=str(school), dims={"year_group": year, "tag": tag})
            )
    return mood, reasons


async def help_rows(session: AsyncSession, *, period: Period) -> list[Row]:
    """One row per learner and theme of their requests for someone at school to get in touch
    in the period (the theme is the need they chose; ``none`` when they chose none)."""
    found = await session.execute(
        select(
            ContactRequest.learner_ref,
            ContactRequest.school_id,
            Person.year_group,
            ContactRequest.need,
        )
        .join(Person, Person.ref == ContactRequest.learner_ref)
        .where(ContactRequest.created_at >= period.start, ContactRequest.created_at < period.end)
    )
    seen: set[tuple[str, int, str]] = set()
    rows = []
    for ref, school, year, need in found:
        key = (str(ref), int(school), str(need or "none"))
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            Row(
                person=key[0],
                school=str(key[1]),
                dims={"year_group": _year(year), "need": key[2]},
            )
        )
    return rows


async def staff_rows(session: AsyncSession, *, period: Period) -> list[Row]:
    """One row per member of staff who checked in during the period: pillar means and the SPICE
    well they named lowest most recently."""
    means = await _domain_means(
        session, audience=Audience.STAFF, start=period.start, end=period.end
    )
    wells: dict[str, str] = {}
    latest = await session.execute(
        select(Checkin.person_ref, Checkin.lowest_well)
        .where(
            Checkin.audience == Audience.STAFF,
            Checkin.completed_at >= period.start,
            Checkin.completed_at < period.end,
            Checkin.lowest_well.is_not(None),
        )
        .order_by(Checkin.completed_at)
    )
    for ref, well in latest:
        wells[ref] = str(well)
    rows = []
    for (ref, school, _), by_pillar in means.items():
        if not all(p in by_pillar for p in STAFF_PILLARS):
            continue
        rows.append(
            Row(
                person=ref,
                school=str(school),
                dims={"well": wells.get(ref, "none")},
                values=tuple(by_pillar[p] for p in STAFF_PILLARS),
            )
        )
    return rows


async def alert_rows(
    session: AsyncSession, *, period: Period, window_minutes: dict[str, int]
) -> list[Row]:
    """One row per alert and category raised in the period (record = the alert), with whether it
    was acknowledged within its window (``window_minutes`` by level label)."""
    alerts = await session.execute(
        select(SafeguardingAlert).where(
            SafeguardingAlert.school_id.is_not(None),
            SafeguardingAlert.created_at >= period.start,
            SafeguardingAlert.created_at < period.end,
        )
    )
    rows = []
    for alert in alerts.scalars():
        level = alert.level.label
        waited = math.nan  # minutes to acknowledge (a median leaves out the alerts still open)
        if alert.acknowledged_at is None:
            ack = "open"
        else:
            waited = (alert.acknowledged_at - alert.created_at).total_seconds() / 60
            ack = "within" if waited <= window_minutes.get(level, 0) else "late"
        for category in [str(c) for c in alert.categories] or ["none"]:
            rows.append(
                Row(
                    person=alert.learner_ref,
                    school=str(alert.school_id),
                    dims={"level": level, "category": category, "ack": ack},
                    values=(waited,),
                    record=alert.id,
                )
            )
    return rows


async def request_rows(
    session: AsyncSession, *, period: Period, deadline: Callable[[datetime], datetime]
) -> list[Row]:
    """One row per request for someone at school to get in touch made in the period: ``within``
    when taken by ``deadline(created_at)`` (its window), ``late`` when taken after it or not
    taken once it has passed the period's end, ``open`` when not taken and still in its window."""
    found = await session.execute(
        select(
            ContactRequest.id,
            ContactRequest.learner_ref,
            ContactRequest.school_id,
            ContactRequest.created_at,
            ContactRequest.taken_at,
        ).where(ContactRequest.created_at >= period.start, ContactRequest.created_at < period.end)
    )
    rows = []
    for ident, ref, school, created, taken in found:
        due = deadline(created)
        if taken is not None:
            taken_state = "within" if taken <= due else "late"
        else:
            taken_state = "late" if due < period.end else "open"
        rows.append(
            Row(person=str(ref), school=str(school), dims={"taken": taken_state}, record=str(ident))
        )
    return rows


async def theme_rows(session: AsyncSession, *, period: Period) -> list[Row]:
    """One row per learner and theme of their check-in comments in the period (the theme the NLU
    gave the comment when it was typed; the text itself is never read here)."""
    found = await session.execute(
        select(Checkin.person_ref, Checkin.school_id, Person.year_group, Checkin.theme)
        .join(Person, Person.ref == Checkin.person_ref)
        .where(
            Checkin.audience == Audience.LEARNER,
            Checkin.school_id.is_not(None),
            Checkin.theme.is_not(None),
            Checkin.completed_at >= period.start,
            Checkin.completed_at < period.end,
        )
        .distinct()
    )
    return [
        Row(
            person=str(ref),
            school=str(school),
            dims={"year_group": _year(year), "theme": str(theme)},
        )
        for ref, school, year, theme in found
    ]


async def group_perma_rows(
    session: AsyncSession, *, group_ids: list[int], periods: dict[str, Period]
) -> list[Row]:
    """Members' PERMA before and after: one row per member and phase (``pre``/``post``), from
    their check-ins in the group's fixed pre and post periods (keyed ``"<group>:pre"``...)."""
    rows = []
    groups = (
        await session.execute(select(InterventionGroup).where(InterventionGroup.id.in_(group_ids)))
    ).scalars()
    for group in groups:
        members = [
            r
            for (r,) in await session.execute(
                select(GroupMember.person_ref).where(GroupMember.group_id == group.id)
            )
        ]
        for phase in ("pre", "post"):
            period = periods[f"{group.id}:{phase}"]
            means = await _domain_means(
                session,
                audience=Audience.LEARNER,
                start=period.start,
                end=period.end,
                people=members,
            )
            per_person: dict[str, list[float]] = defaultdict(list)
            for (ref, _, _), by_domain in means.items():
                if all(d in by_domain for d in PERMA_DOMAINS):
                    per_person[ref].append(sum(by_domain[d] for d in PERMA_DOMAINS) / 5)
            for ref, overalls in per_person.items():
                rows.append(
                    Row(
                        person=ref,
                        school=str(group.school_id),
                        dims={"phase": phase, "group": str(group.id)},
                        values=(sum(overalls) / len(overalls),),
                    )
                )
    return rows


async def group_size(session: AsyncSession, *, group_id: int) -> int:
    """How many learners joined a group (compared with k only, never shown)."""
    return int(
        await session.scalar(
            select(func.count()).select_from(GroupMember).where(GroupMember.group_id == group_id)
        )
        or 0
    )


async def school_names(session: AsyncSession) -> dict[str, tuple[str, str]]:
    """School id (as the ``school`` dimension holds it) -> (English name, Welsh name)."""
    found = await session.execute(select(School.id, School.name, School.name_cy))
    return {str(i): (name, name_cy) for i, name, name_cy in found}
