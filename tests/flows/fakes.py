"""A small in-memory stand-in for the ports actions ask (the engine needs no database)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from core.vocabulary import CodeKind, Language, RiskLevel
from flows.actions import CodeInfo, MyData

CODES = {"DEMO-Y9": CodeInfo("DEMO-Y9", 1, "Ysgol Llais Demo", CodeKind.LEARNER, 9)}


@dataclass
class FakePorts:
    language: Language | None = None
    enrolled: bool = False
    checkin_count: int = 0
    age: int | None = 14
    streak: int = 0
    code_attempts_left: int = 5
    code_block_minutes: int = 15
    school_id: int | None = None
    year_group: int | None = None
    stored: MyData = field(default_factory=lambda: MyData(school=None, checkins=0))

    async def lookup_code(self, code: str) -> CodeInfo | None:
        return CODES.get(code.strip().upper())

    async def my_data(self) -> MyData:
        return self.stored

    async def low_streak(self) -> int:
        return self.streak

    def crisis_text(self, language: Language, at: datetime) -> str:
        return f"CRISIS[{language}]"

    async def support_text(
        self,
        needs: Sequence[str],
        language: Language,
        at: datetime,
        *,
        level: RiskLevel = RiskLevel.LOW,
    ) -> str:
        return f"SUPPORT[{','.join(needs)}:{level.label}:{language}]"

    def wellbeing_tip(self, language: Language, at: datetime) -> str:
        return f"TIP[{language}]"
