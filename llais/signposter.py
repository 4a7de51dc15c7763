"""Signposting text for the conversation, from the directory loaded once at start-up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import get_args

from sqlalchemy.ext.asyncio import async_sessionmaker

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
from signposting.wellbeing import WayName, five_ways
from storage.db import AsyncSession

MAX_MATCHES = 3
MAX_SCHOOL_CONTACTS = 1  # the school's own person first, then services, within MAX_MATCHES
WAYS: tuple[WayName, ...] = get_args(WayName)


class DirectorySignposter:
    """Turns matches into the short text blocks the flows show."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def crisis_text(self, language: Language, at: datetime, age: int | None) -> str:
        """The verified crisis contacts open at ``at`` (999 first)."""
        return format_contacts(crisis_contacts(self.directory, at, language, age), language)

    def support_text(
        self,
        needs: Sequence[str],
        language: Language,
        at: datetime,
        age: int | None,
        school_contacts: Sequence[SchoolContactInfo],
        level: RiskLevel = RiskLevel.LOW,
    ) -> str:
        """Up to three best matches for ``needs`` (the school's own contacts first)."""
        known = [need for need in needs if need in NEEDS] or ["low_mood"]
        found = match(
            self.directory,
            known,
            "learner",
            age,
            language,
            at,
            level=level,
            school_contacts=school_contacts,
        )
        school = [m for m in found if m.kind == "school_contact"][:MAX_SCHOOL_CONTACTS]
        chosen = [m for m in found if m.kind != "school_contact" or m in school]
        return format_contacts(chosen[:MAX_MATCHES], language)

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
