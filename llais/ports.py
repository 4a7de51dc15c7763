"""What the flows may ask about a person, answered from the database and the directory.

One set of ports for every audience (a view of the person, enrolment codes, what is stored,
signposting by the audience's policy); learners add their low streak. Staff flows cannot name an
action that needs a streak: their registry is typed without it (``flows.actions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.channel import Channel
from core.vocabulary import Language, RiskLevel
from flows.actions import CodeInfo, MyData
from llais.contacts import list_school_contacts
from llais.signposter import DirectorySignposter, SignpostPolicy
from storage.db import AsyncSession
from storage.models import Person
from storage.repo import people as people_repo
from storage.repo import rights
from storage.repo import schools as schools_repo

YEAR7_AGE = 11  # a learner in year N is at least N + 4 years old


@dataclass
class PersonPorts:
    """Ports bound to one person for one turn, inside the turn's transaction."""

    session: AsyncSession
    person: Person
    signposter: DirectorySignposter
    policy: SignpostPolicy
    retention_days: int
    checkins: int
    now: datetime | None = None
    code_attempts: int = 5
    code_block_minutes: int = 15

    @property
    def code_attempts_left(self) -> int:
        blocked = self.person.code_blocked_until
        if blocked is not None and self.now is not None and blocked > self.now:
            return 0
        return max(self.code_attempts - (self.person.code_failures or 0), 0)

    @property
    def school_id(self) -> int | None:
        return self.person.school_id

    @property
    def year_group(self) -> int | None:
        return self.person.year_group

    @property
    def language(self) -> Language | None:
        return self.person.language

    @property
    def enrolled(self) -> bool:
        return self.person.school_id is not None

    @property
    def checkin_count(self) -> int:
        return self.checkins

    @property
    def age(self) -> int | None:
        year = self.person.year_group  # staff have none: no age limits apply
        return None if year is None else year + YEAR7_AGE - 7

    async def lookup_code(self, code: str) -> CodeInfo | None:
        found = await schools_repo.lookup_code(
            self.session, code=code, by=self.person.ref, now=self.now
        )
        if found is None:
            return None
        enrolment, school = found
        return CodeInfo(
            enrolment.code, school.id, school.name, enrolment.kind, enrolment.year_group
        )

    async def my_data(self) -> MyData:
        held = await rights.held(self.session, ref=self.person.ref)
        school = await schools_repo.school_name(self.session, school_id=self.person.school_id)
        return MyData(
            school=school,
            checkins=held.checkins,
            year_group=self.person.year_group,
            moods=held.moods,
            notes=held.notes,
            alerts=held.alerts,
            role=self.person.role,
            address=held.address,
            retention_days=self.retention_days,
            web=self.person.channel == Channel.WEB,
            stopped=self.person.stopped,
            polls=held.polls,
            invitations=held.invitations,
            requests=held.requests,
            school_messages=held.school_messages,
            alert_messages=held.alert_messages,
            groups=held.groups,
            sent=held.sent,
            pending=held.pending,
            web_messages=held.web_messages,
        )

    def crisis_text(self, language: Language, at: datetime) -> str:
        return self.signposter.crisis_text(language, at, self.age, policy=self.policy)

    async def support_text(
        self,
        needs: Sequence[str],
        language: Language,
        at: datetime,
        *,
        level: RiskLevel = RiskLevel.LOW,
    ) -> str:
        school_id = self.person.school_id
        contacts = []
        if self.policy.max_school_contacts and school_id is not None:
            contacts = await list_school_contacts(self.session, school_id=school_id)
        return self.signposter.support_text(
            needs, language, at, self.age, contacts, level, policy=self.policy
        )

    def wellbeing_tip(self, language: Language, at: datetime) -> str:
        return self.signposter.wellbeing_tip(language, at)


@dataclass
class LearnerPorts(PersonPorts):
    """A learner's ports: a person's, and how many low check-ins and moods in a row."""

    async def low_streak(self) -> int:
        return await people_repo.low_streak(self.session, ref=self.person.ref)
