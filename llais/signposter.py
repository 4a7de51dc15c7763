"""Signposting text for the conversation, from the directory loaded once at start-up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import get_args

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.i18n import catalogue
from core.settings import Settings
from core.vocabulary import Language, RiskLevel
from llais.directory import load_directory
from signposting import (
    NEEDS,
    Directory,
    SchoolContactInfo,
    crisis_contacts,
    format_contacts,
    match,
)
from signposting.taxonomy import Audience as ServiceAudience
from signposting.wellbeing import WayName, five_ways
from storage.db import AsyncSession

WAYS: tuple[WayName, ...] = get_args(WayName)
# Built in, so a crisis reply is never empty: used when the loaded directory has no open
# emergency line, or no open crisis line (catalogue keys in signposting.yml).
BUILTIN_EMERGENCY = ("builtin_999",)
BUILTIN_CRISIS = ("builtin_childline", "builtin_samaritans")
# Specialist services shown first when following up a need (the directory's service ids):
# online sexual harm goes to CEOP and Childline's Report Remove.
SPECIALISTS: dict[str, tuple[str, ...]] = {
    "exploitation": ("ceop-safety-centre", "childline-report-remove"),
}


@dataclass(frozen=True)
class SignpostPolicy:
    """How one audience is signposted: whose services, the fallback need, and how many."""

    audience: ServiceAudience
    default_need: str
    max_matches: int
    max_school_contacts: int  # the school's own people first, within ``max_matches``


LEARNER_SIGNPOSTS = SignpostPolicy("learner", "low_mood", max_matches=3, max_school_contacts=1)
STAFF_SIGNPOSTS = SignpostPolicy("staff", "staff_wellbeing", max_matches=4, max_school_contacts=0)


class DirectorySignposter:
    """Turns matches into the short text blocks the flows show."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def crisis_text(
        self, language: Language, at: datetime, age: int | None, *, policy: SignpostPolicy
    ) -> str:
        """The verified crisis contacts open at ``at`` for the audience (999 first); never
        empty: built-in 999, Childline and Samaritans stand in for what the directory lacks."""
        found = crisis_contacts(self.directory, at, language, age, audience=policy.audience)
        cat = catalogue()
        lines = [format_contacts(found, language)] if found else []
        if not any(m.reason == "immediate_danger" for m in found):
            lines.insert(0, cat.get(f"signposting.{BUILTIN_EMERGENCY[0]}", language))
        if not any(m.reason in ("crisis_open", "welsh_language") for m in found):
            learner = policy.audience == "learner"
            keys = [k for k in BUILTIN_CRISIS if learner or "childline" not in k]
            lines += [cat.get(f"signposting.{key}", language) for key in keys]
        return "\n".join(lines)

    def support_text(
        self,
        needs: Sequence[str],
        language: Language,
        at: datetime,
        age: int | None,
        school_contacts: Sequence[SchoolContactInfo],
        level: RiskLevel = RiskLevel.LOW,
        *,
        policy: SignpostPolicy,
    ) -> str:
        """The best few matches for ``needs`` (a school's own contacts first, for learners)."""
        known = [need for need in needs if need in NEEDS] or [policy.default_need]
        found = match(
            self.directory,
            known,
            policy.audience,
            age,
            language,
            at,
            level=level,
            school_contacts=school_contacts,
        )
        if level.urgent:  # nobody in crisis is offered a number still being checked
            found = [m for m in found if m.verified]
        first = {sid for need in known for sid in SPECIALISTS.get(need, ())}
        found.sort(key=lambda m: m.service_id not in first)  # stable: the rest keep their order
        school = [m for m in found if m.kind == "school_contact"][: policy.max_school_contacts]
        chosen = [m for m in found if m.kind != "school_contact" or m in school]
        return format_contacts(chosen[: policy.max_matches], language)

    def wellbeing_tip(self, language: Language, at: datetime) -> str:
        """One Five Ways to Wellbeing tip, rotating by day, with NEF's attribution."""
        tips = five_ways()
        day = at.toordinal()
        way = WAYS[day % len(WAYS)]
        title = tips.ways[way].title.get(language)
        tip = tips.tip(way, day // len(WAYS)).get(language)
        return f"💡 {title}: {tip}\n({tips.attribution.get(language)})"


async def build_signposter(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> DirectorySignposter:
    """Load the directory (newest import, else the bundled seed) once."""
    async with sessions() as session:
        directory = await load_directory(session, tz=settings.tz)
    return DirectorySignposter(directory)
