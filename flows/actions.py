"""The registry of code that flow files may name in ``action`` steps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from core.vocabulary import Language, RiskLevel
from flows.effects import Effect


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What an enrolment code gives."""

    code: str
    school_id: int
    school_name: str
    kind: str
    year_group: int | None


class Ports(Protocol):
    """Read-only questions actions may ask about the person and the world (bound per turn)."""

    @property
    def language(self) -> Language | None: ...

    @property
    def enrolled(self) -> bool: ...

    @property
    def checkin_count(self) -> int: ...

    @property
    def age(self) -> int | None: ...

    async def lookup_code(self, code: str) -> CodeInfo | None: ...

    async def my_data(self) -> dict[str, Any]: ...

    async def low_streak(self) -> int: ...

    def crisis_text(self, language: Language, at: datetime) -> str: ...

    async def support_text(
        self,
        needs: Sequence[str],
        language: Language,
        at: datetime,
        *,
        level: RiskLevel = RiskLevel.LOW,
    ) -> str: ...

    def wellbeing_tip(self, language: Language, at: datetime) -> str: ...


@dataclass
class ActionCall:
    """What an action sees: the flow's data (it may add to it), the person's language and time."""

    data: dict[str, Any]
    language: Language
    at: datetime
    ports: Ports
    args: Mapping[str, str] = field(default_factory=dict)


@dataclass
class ActionResult:
    """An outcome name (picks the next step), effects to persist, and a language change if any."""

    outcome: str = "ok"
    effects: list[Effect] = field(default_factory=list)
    language: Language | None = None


ActionFn = Callable[[ActionCall], Awaitable[ActionResult]]
ActionRegistry = Mapping[str, ActionFn]
