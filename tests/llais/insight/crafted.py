"""Crafted voice data for the insight tests: small known numbers in three schools."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Audience
from storage.models import Checkin, CheckinAnswer, EnrolmentCode, MoodLog, Person, School

TERM = "2025-26.autumn"
IN_TERM = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)
BEFORE = datetime(2025, 8, 1, 9, 0, tzinfo=UTC)
# school code -> year group -> (learners, the value every one of them answers)
LAYOUT: dict[str, dict[int, tuple[int, int]]] = {
    "AAA": {9: (24, 7), 10: (18, 6), 11: (3, 2)},  # Year 11 at AAA: 3 learners, must be withheld
    "BBB": {9: (21, 5), 10: (16, 8), 11: (14, 6)},
    "CCC": {9: (12, 4), 10: (27, 7), 11: (11, 9)},
}


async def craft(session: AsyncSession) -> dict[str, int]:
    """Write the layout (each learner: one PERMA check-in in the term, one mood); school ids."""
    ids: dict[str, int] = {}
    answer = checkin = 0
    for code, years in LAYOUT.items():
        school = School(name=f"School {code}", name_cy=f"Ysgol {code}", created_at=BEFORE)
        session.add(school)
        await session.flush()
        ids[code] = school.id
        session.add(EnrolmentCode(code=code, school_id=school.id, active=True))
        for year, (learners, value) in years.items():
            for n in range(learners):
                ref = f"{code}-{year}-{n}"
                session.add(
                    Person(
                        ref=ref,
                        audience=Audience.LEARNER,
                        channel="test",
                        school_id=school.id,
                        year_group=year,
                        stopped=False,
                        created_at=BEFORE,
                    )
                )
                await session.flush()
                checkin += 1
                session.add(
                    Checkin(
                        id=checkin,
                        person_ref=ref,
                        audience=Audience.LEARNER,
                        school_id=school.id,
                        completed_at=IN_TERM,
                    )
                )
                await session.flush()
                for domain in "PERMA":
                    answer += 1
                    session.add(
                        CheckinAnswer(
                            id=answer,
                            checkin_id=checkin,
                            person_ref=ref,
                            domain=domain,
                            item_id=f"{domain}_x",
                            value=value,
                            answered_at=IN_TERM,
                        )
                    )
                session.add(
                    MoodLog(
                        learner_ref=ref, score=1 + value // 2, tags=["friends"], logged_at=IN_TERM
                    )
                )
        await session.flush()
    return ids
