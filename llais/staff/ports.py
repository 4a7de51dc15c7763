"""What the staff flows may ask about a member of staff, from the database and the directory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.vocabulary import Language, RiskLevel, parse_language
from flows.actions import CodeInfo
from llais.signposter import DirectorySignposter
from signposting import NEEDS, crisis_contacts, format_contacts, match
from storage.db import AsyncSession
from storage.models import StaffMember
from storage.repo import schools as schools_repo
from storage.repo import staff as staff_repo

MAX_MATCHES = 4


@dataclass
class StaffPorts:
    """Ports bound to one member of staff for one turn, inside the turn's transaction."""

    session: AsyncSession
    member: StaffMember
    signposter: DirectorySignposter
    checkins: int

    @property
    def language(self) -> Language | None:
        return parse_language(self.member.language)

    @property
    def enrolled(self) -> bool:
        return self.member.school_id is not None

    @property
    def checkin_count(self) -> int:
        return self.checkins

    @property
    def age(self) -> int | None:
        return None  # adults: no age limits apply

    async def lookup_code(self, code: str) -> CodeInfo | None:
        return await schools_repo.lookup_code(self.session, code=code)

    async def my_data(self) -> dict[str, Any]:
        mine = await staff_repo.my_data(self.session, ref=self.member.ref)
        school = await schools_repo.school_name(self.session, school_id=self.member.school_id)
        return {**mine, "school": school}

    async def low_streak(self) -> int:
        return 0  # staff check-ins do not offer support by streak

    def crisis_text(self, language: Language, at: datetime) -> str:
        directory = self.signposter.directory
        found = crisis_contacts(directory, at, language, None, audience="staff")
        return format_contacts(found, language)

    async def support_text(
        self,
        needs: Sequence[str],
        language: Language,
        at: datetime,
        *,
        level: RiskLevel = RiskLevel.LOW,
    ) -> str:
        known = [need for need in needs if need in NEEDS] or ["staff_wellbeing"]
        found = match(
            self.signposter.directory,
            known,
            "staff",
            None,
            language,
            at,
            level=level,
            limit=MAX_MATCHES,
        )
        return format_contacts(found, language)

    def wellbeing_tip(self, language: Language, at: datetime) -> str:
        return self.signposter.wellbeing_tip(language, at)
