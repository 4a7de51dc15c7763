"""The registry of code that flow files may name in ``action`` steps, and the small capability
ports actions ask through.

Each action says, by the type of its ``call.ports``, which capabilities it needs (a view of the
person, enrolment codes, stored records, low streaks, signposting). Each audience's registry is
typed with the capabilities that audience has, so an action that needs one it lacks (a low streak
for staff) does not type-check in its registry; the loader then checks every flow's actions
against its audience's registry at start-up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from core.vocabulary import CodeKind, Language, RiskLevel, StaffRole
from flows.effects import Effect
from flows.state import Frame

P = TypeVar("P")
P_co = TypeVar("P_co", covariant=True)


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What an enrolment code gives."""

    code: str
    school_id: int
    school_name: str
    kind: CodeKind
    year_group: int | None


@dataclass(frozen=True, slots=True)
class MyData:
    """What is stored about a person, as ``/mydata`` shows it."""

    school: str | None
    checkins: int
    year_group: int | None = None
    moods: int = 0
    notes: int = 0
    alerts: int = 0  # safeguarding records, kept when the person erases their data
    role: StaffRole | None = None
    address: bool = False  # a chat id is kept (staff who receive alerts)
    retention_days: int = 30
    web: bool = False  # the person uses the web chat (its address is a mailbox)
    stopped: bool = False  # asked for no messages they did not ask for (/stop)
    polls: int = 0  # polls answered
    invitations: bool = False  # opted in to check-in invitations
    requests: int = 0  # requests to talk to someone at school
    school_messages: int = 0  # messages with school staff about a request
    alert_messages: int = 0  # messages with a safeguarding lead, kept with the alert
    groups: int = 0  # groups joined with a code
    sent: int = 0  # messages sent to them that were not replies
    pending: int = 0  # such messages still waiting to be sent
    web_messages: int = 0  # the web chat's transcript


class PersonView(Protocol):
    """Who the person is, as far as the flows need to know."""

    @property
    def language(self) -> Language | None: ...

    @property
    def enrolled(self) -> bool: ...

    @property
    def checkin_count(self) -> int: ...

    @property
    def age(self) -> int | None: ...

    @property
    def code_attempts_left(self) -> int:
        """Wrong codes this person may still type before codes are refused for a while."""
        ...

    @property
    def school_id(self) -> int | None: ...

    @property
    def year_group(self) -> int | None: ...


class Codes(Protocol):
    """Enrolment codes."""

    async def lookup_code(self, code: str) -> CodeInfo | None: ...


class CodeHolder(Codes, PersonView, Protocol):
    """Codes, and the person typing them (how many wrong ones they may still type)."""

    @property
    def code_block_minutes(self) -> int:
        """How long codes are refused after too many wrong ones."""
        ...


class Records(Protocol):
    """What is stored about the person."""

    async def my_data(self) -> MyData: ...


class Streaks(Protocol):
    """Low check-ins and moods in a row (learners)."""

    async def low_streak(self) -> int: ...


class Signposts(Protocol):
    """Contacts and tips from the services directory, for this person."""

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


class LearnerCapabilities(CodeHolder, Records, Streaks, Signposts, Protocol):
    """Everything a learner's actions may ask."""


class StaffCapabilities(CodeHolder, Records, Signposts, Protocol):
    """Everything a member of staff's actions may ask (no streaks)."""


@dataclass(frozen=True)
class ActionCall(Generic[P_co]):
    """What an action sees: the running frame (it may add to it), the person's language and
    time, and the ports it asks through."""

    frame: Frame
    language: Language
    at: datetime
    ports: P_co
    args: Mapping[str, str] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any]:
        """The flow's data: what its steps stored, and display values for say-templates."""
        return self.frame.data


@dataclass
class ActionResult:
    """An outcome name (picks the next step), effects to persist, and a language change if any."""

    outcome: str = "ok"
    effects: list[Effect] = field(default_factory=list)
    language: Language | None = None


ActionFn = Callable[[ActionCall[P]], Awaitable[ActionResult]]
ActionRegistry = Mapping[str, ActionFn[P]]


def registry(*actions: ActionFn[P]) -> dict[str, ActionFn[P]]:
    """A registry naming each action by its function name."""
    return {action.__name__: action for action in actions}
