"""``llais demo seed --voice N``: realistic synthetic learner voice, written with bulk inserts.

N learners in several schools (about 470 a school, 3 to 30 schools), year groups 7 to 13, PERMA
check-ins spread over the terms of the last school years (wellbeing varies by learner, school and
year group, and dips in the spring term), moods with reason tags, staff check-ins (CARI pillars,
SPICE wells) and a few acknowledged safeguarding alerts. Seeded: the same arguments give the
same data. Everyone is marked ``channel = "synthetic"``.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Audience, CodeKind, Language, RequestStatus, SpiceWell, StaffRole
from nlu.themes import THEMES
from storage.aggregate import PeriodKind, TermCalendar, all_periods
from storage.models import (
    Checkin,
    CheckinAnswer,
    ContactRequest,
    EnrolmentCode,
    MoodLog,
    Person,
    SafeguardingAlert,
    School,
)
from storage.repo.insight import PERMA_DOMAINS, STAFF_PILLARS

CHANNEL = "synthetic"
LEARNERS_PER_SCHOOL = 470
STAFF_PER_SCHOOL = 25
TAGS = ("school_work", "friends", "family", "sleep", "health", "online", "money", "bullying")
NEEDS = ("anxiety", "friendships", "family", "exam_stress", "bullying", "low_mood")
COMMENTED = 0.15  # share of learner check-ins with a comment (so a theme)
ASKED = 0.03  # share of learners who asked for someone at school to get in touch
CATEGORIES = ("self_harm", "bullying", "abuse", "suicide", "eating", "substance")
BATCH = 5000


@dataclass(frozen=True, slots=True)
class VoicePlan:
    """How much to make."""

    learners: int
    checkins_per_learner: int = 6
    moods_per_learner: int = 4
    school_years: int = 3
    schools: int | None = None
    seed: int = 12


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


async def _next_id(session: AsyncSession, column: Any) -> int:
    return int(await session.scalar(select(func.coalesce(func.max(column), 0))) or 0) + 1


async def _bulk(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        await session.execute(insert(table), rows[start : start + BATCH])


def _moments(
    calendar: TermCalendar, now: datetime, years: int
) -> list[tuple[datetime, datetime, str]]:
    """(start, end, term name) of each term of the last ``years`` school years, up to now."""
    started = [p for p in all_periods(PeriodKind.TERM, calendar) if p.start < now]
    first_year = max((p.school_year or 0) for p in started) - years + 1
    return [
        (p.start, min(p.end, now), str(p.term))
        for p in started
        if (p.school_year or 0) >= first_year
    ]


async def seed_voice(
    session: AsyncSession, *, plan: VoicePlan, calendar: TermCalendar, now: datetime
) -> dict[str, int]:
    """Write the synthetic data in the caller's transaction; returns how many rows of each."""
    rng = random.Random(plan.seed)
    terms = _moments(calendar, now, plan.school_years)
    first = terms[0][0]
    n_schools = plan.schools or max(3, min(30, round(plan.learners / LEARNERS_PER_SCHOOL)))
    school_ids = []
    for i in range(1, n_schools + 1):
        name = f"Synthetic School {i:02d}"
        found = await session.scalar(select(School).where(School.name == name))
        if found is None:
            found = School(name=name, name_cy=f"Ysgol Synthetig {i:02d}", created_at=first)
            session.add(found)
            await session.flush()
            session.add(
                EnrolmentCode(
                    code=f"SYN-{i:02d}", school_id=found.id, kind=CodeKind.LEARNER, active=True
                )
            )
        school_ids.append(found.id)
    school_effect = {s: rng.gauss(0, 0.6) for s in school_ids}
    people: list[dict[str, Any]] = []
    checkins: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    moods: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    requests: list[dict[str, Any]] = []
    checkin_id = await _next_id(session, Checkin.id)
    answer_id = await _next_id(session, CheckinAnswer.id)

    def when() -> tuple[datetime, str]:
        start, end, term = rng.choice(terms)
        seconds = max(1, int((end - start).total_seconds()))
        return start + timedelta(seconds=rng.randrange(seconds)), term

    for i in range(plan.learners):
        ref = f"syn-{plan.seed}-{i:07d}"
        school = school_ids[i % n_schools]
        year = 7 + rng.randrange(7)
        people.append(
            {
                "ref": ref,
                "audience": Audience.LEARNER,
                "channel": CHANNEL,
                "language": rng.choice((Language.CY, Language.EN)),
                "school_id": school,
                "year_group": year,
                "role": None,
                "stopped": False,
                "created_at": first,
            }
        )
        base = rng.gauss(6.6, 1.4) + school_effect[school] - (0.5 if year in (9, 10) else 0.0)
        offsets = {d: rng.gauss(0, 0.7) for d in PERMA_DOMAINS}
        for _ in range(plan.checkins_per_learner):
            moment, term = when()
            dip = 0.4 if term == "spring" else 0.0
            checkins.append(
                {
                    "id": checkin_id,
                    "person_ref": ref,
                    "audience": Audience.LEARNER,
                    "school_id": school,
                    "completed_at": moment,
                    "comment": None,  # no text: a comment's theme outlives it
                    "theme": rng.choice(THEMES) if rng.random() < COMMENTED else None,
                    "lowest_well": None,
                }
            )
            for domain in PERMA_DOMAINS:
                answers.append(
                    {
                        "id": answer_id,
                        "checkin_id": checkin_id,
                        "person_ref": ref,
                        "domain": domain,
                        "item_id": f"{domain.lower()}_synthetic",
                        "value": _clip(base + offsets[domain] - dip + rng.gauss(0, 1.2), 0, 10),
                        "answered_at": moment,
                    }
                )
                answer_id += 1
            checkin_id += 1
        for _ in range(plan.moods_per_learner):
            moment, _term = when()
            score = _clip((base - 1) / 2 + rng.gauss(0, 0.8), 1, 5)
            tags = rng.sample(TAGS, k=rng.choice((0, 1, 1, 2, 3)))
            if score <= 2 and "school_work" not in tags and rng.random() < 0.5:
                tags.append("school_work")
            moods.append(
                {
                    "learner_ref": ref,
                    "score": score,
                    "tags": tags,
                    "note": None,
                    "logged_at": moment,
                }
            )
        if rng.random() < ASKED:
            moment, _term = when()
            taken = rng.choice((2, 6, 20, 30, 50, 80, 130, None))  # hours later, or never
            requests.append(
                {
                    "learner_ref": ref,
                    "school_id": school,
                    "year_group": year,
                    "need": rng.choice(NEEDS),
                    "created_at": moment,
                    "status": RequestStatus.OPEN if taken is None else RequestStatus.TAKEN,
                    "channel": CHANNEL,
                    "reply_here": True,
                    "taken_at": None if taken is None else moment + timedelta(hours=taken),
                    "step": 0,
                }
            )
        if rng.random() < 0.01:
            moment, _term = when()
            level = rng.choice(("medium", "medium", "high", "critical"))
            waited = rng.choice((5, 10, 20, 60, 300))
            alerts.append(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "learner_ref": ref,
                    "school_id": school,
                    "year_group": year,
                    "level": level,
                    "categories": rng.sample(CATEGORIES, k=rng.choice((1, 1, 2))),
                    "cues": [],
                    "excerpt": "[synthetic]",
                    "channel": CHANNEL,
                    "contact_requested": False,
                    "safe_now": None,
                    "created_at": moment,
                    "status": "acknowledged",
                    "acknowledged_at": moment + timedelta(minutes=waited),
                    "acknowledged_by": None,
                    "escalation_step": 0,
                    "next_escalation_at": None,
                }
            )
    for school in school_ids:
        for j in range(STAFF_PER_SCHOOL):
            ref = f"syn-{plan.seed}-staff-{school}-{j:03d}"
            people.append(
                {
                    "ref": ref,
                    "audience": Audience.STAFF,
                    "channel": CHANNEL,
                    "language": rng.choice((Language.CY, Language.EN)),
                    "school_id": school,
                    "year_group": None,
                    "role": StaffRole.STAFF,
                    "stopped": False,
                    "created_at": first,
                    "linked_at": first,
                }
            )
            base = rng.gauss(6.0, 1.5)
            for _ in range(max(1, plan.checkins_per_learner // 2)):
                moment, _term = when()
                checkins.append(
                    {
                        "id": checkin_id,
                        "person_ref": ref,
                        "audience": Audience.STAFF,
                        "school_id": school,
                        "completed_at": moment,
                        "comment": None,
                        "theme": None,
                        "lowest_well": rng.choice(list(SpiceWell)),
                    }
                )
                for pillar in STAFF_PILLARS:
                    answers.append(
                        {
                            "id": answer_id,
                            "checkin_id": checkin_id,
                            "person_ref": ref,
                            "domain": pillar,
                            "item_id": f"{pillar}_synthetic",
                            "value": _clip(base + rng.gauss(0, 1.5), 0, 10),
                            "answered_at": moment,
                        }
                    )
                    answer_id += 1
                checkin_id += 1
    for person in people:
        person.setdefault("linked_at", None)
    await _bulk(session, Person, people)
    await _bulk(session, Checkin, checkins)
    await _bulk(session, CheckinAnswer, answers)
    await _bulk(session, MoodLog, moods)
    if alerts:
        await session.execute(insert(SafeguardingAlert), alerts)
    if requests:
        await session.execute(insert(ContactRequest), requests)
    if session.get_bind().dialect.name == "postgresql":
        for table in ("checkins", "checkin_answers"):
            await session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
            )
        for table in ("people", "checkins", "checkin_answers", "mood_logs"):
            await session.execute(text(f"ANALYZE {table}"))  # plan with the new row counts
    return {
        "schools": n_schools,
        "people": len(people),
        "checkins": len(checkins),
        "answers": len(answers),
        "moods": len(moods),
        "alerts": len(alerts),
        "requests": len(requests),
    }
