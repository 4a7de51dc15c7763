"""What the flows may ask about a learner, answered from the database and the directory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from core.vocabulary import Language, RiskLevel, parse_language
from flows.actions import CodeInfo
from llais.contacts import list_school_contacts
from signposting import SchoolContactInfo
from storage.db import AsyncSession
from storage.models import Learner
from storage.repo import learners as learners_repo
from storage.repo import schools as schools_repo

YEAR7_AGE = 11  # a learner in year N is at least N + 4 years old


class Signposter(Protocol):
    """Signposting text for the conversation (implemented over the directory)."""

    def crisis_text(self, language: Language, at: datetime, age: int | None) -> str: ...

    def support_text(
        self,
        needs: Sequence[str],
        language: Language,
        at: datetime,
        age: int | None,
        school_contacts: Sequence[SchoolContactInfo],
        level: RiskLevel = RiskLevel.LOW,
    ) -> str: ...

    def wellbeing_tip(self, language: Language, at: datetime) -> str: ...


@dataclass
class LearnerPorts:
    """Ports bound to one learner for one turn, inside the turn's transaction."""

    session: AsyncSession
    learner: Learner
    signposter: Signposter
    retention_days: int
    checkins: int

    @property
    def language(self) -> Language | None:
        return parse_language(self.learner.language)

    @property
    def enrolled(self) -> bool:
        return self.learner.school_id is not None

    @property
    def checkin_count(self) -> int:
        return self.checkins

    @property
    def age(self) -> int | None:
        year = self.learner.year_group
        return None if year is None else year + YEAR7_AGE - 7

    async def lookup_code(self, code: str) -> CodeInfo | None:
        return await schools_repo.lookup_code(self.session, code=code)

    async def my_data(self) -> dict[str, Any]:
        counts = await learners_repo.my_data(self.session, ref=self.learner.ref)
        school = await schools_repo.school_name(self.session, school_id=self.learner.school_id)
        return {
            **counts,
            "school": school,
            "year_group": self.learner.year_group,
            "retention_days": self.retention_days,
        }

    async def low_streak(self) -> int:
        return await learners_repo.low_streak(self.session, ref=self.learner.ref)

    def crisis_text(self, language: Language, at: datetime) -> str:
        return self.signposter.crisis_text(language, at, self.age)

    async def support_text(
        self,
        needs: Sequence[str],
        language: Language,
        at: datetime,
        *,
        level: RiskLevel = RiskLevel.LOW,
    ) -> str:
        school_id = self.learner.school_id
        contacts = (
            await list_school_contacts(self.session, school_id=school_id) if school_id else []
        )
        return self.signposter.support_text(needs, language, at, self.age, contacts, level)

    def wellbeing_tip(self, language: Language, at: datetime) -> str:
        return self.signposter.wellbeing_tip(language, at)
