"""The domain vocabulary: the names Llais uses end to end, from flow data to database columns.

Each is an enum whose values are the strings stored and shown today ('high', 'dsl', 'open'...),
so a value read from a file, a button or a row is checked once, where it enters.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any, TypeVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema


class RiskLevel(IntEnum):
    """How urgent a message is, from nothing of concern to immediate danger (ordered)."""

    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        """The lower-case name used in data files, the database and message keys."""
        return self.name.lower()

    @property
    def is_concern(self) -> bool:
        """Whether this level calls for a safeguarding response (medium or above)."""
        return self >= RiskLevel.MEDIUM

    @property
    def urgent(self) -> bool:
        """Whether this level needs crisis contacts first and the short acknowledgement time."""
        return self >= RiskLevel.HIGH

    @classmethod
    def parse(cls, label: str) -> RiskLevel:
        """The level named by ``label`` (case-insensitive); ValueError otherwise."""
        try:
            return cls[label.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown risk level: {label!r}") from None

    @classmethod
    def coerce(cls, value: object) -> RiskLevel:
        """A level from a level, its number or its label; ValueError otherwise."""
        if isinstance(value, RiskLevel):
            return value
        if isinstance(value, str):
            return cls.parse(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value)
        raise ValueError(f"not a risk level: {value!r}")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """In pydantic models a level is read from its label or number, written as its label."""
        return core_schema.no_info_plain_validator_function(
            cls.coerce,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda level: level.label, when_used="json"
            ),
        )


CONCERN_LEVELS: tuple[RiskLevel, ...] = tuple(level for level in RiskLevel if level.is_concern)


class Category(StrEnum):
    """The ten safeguarding categories; a concern in one of them goes to the school's DSL."""

    SUICIDE = "suicide"
    SELF_HARM = "self_harm"
    ABUSE = "abuse"
    DOMESTIC_ABUSE = "domestic_abuse"
    EXPLOITATION = "exploitation"
    BULLYING = "bullying"
    SUBSTANCE = "substance"
    EATING = "eating"
    RUNNING_AWAY = "running_away"
    HARM_OTHERS = "harm_others"


class Language(StrEnum):
    """The two languages every person-facing string exists in."""

    CY = "cy"
    EN = "en"


DEFAULT_LANGUAGE = Language.EN


E = TypeVar("E", bound=StrEnum)


def parse_member(kind: type[E], value: object) -> E | None:
    """``value`` as one of ``kind``'s members (from a button, a file or a row), or None."""
    if not isinstance(value, str):
        return None
    try:
        return kind(value)
    except ValueError:
        return None


def parse_language(value: str | None) -> Language | None:
    """``cy``/``en`` for a stored or chosen language, or None for anything else."""
    return parse_member(Language, value)


class Audience(StrEnum):
    """Who a person is to Llais: each audience has its own bot, flows and vocabulary."""

    LEARNER = "learner"
    STAFF = "staff"


class StaffRole(StrEnum):
    """A member of staff's role; ``receives_alerts`` says whether safeguarding alerts reach them."""

    STAFF = "staff"
    DSL = "dsl"
    DEPUTY_DSL = "deputy_dsl"
    WELLBEING_LEAD = "wellbeing_lead"
    AUTHORITY = "authority"  # the authority's safeguarding contact, not tied to one school

    @property
    def receives_alerts(self) -> bool:
        """Whether safeguarding alerts are delivered to this role (so a chat id is kept)."""
        return self in ALERT_ROLES

    @property
    def keeps_address(self) -> bool:
        """Whether Llais keeps this role's chat id: alerts or learners' requests reach them."""
        return self in ALERT_ROLES or self is StaffRole.WELLBEING_LEAD


ALERT_ROLES: frozenset[StaffRole] = frozenset(
    {StaffRole.DSL, StaffRole.DEPUTY_DSL, StaffRole.AUTHORITY}
)


class ContactRole(StrEnum):
    """Who a school's own contact is, as a learner is told."""

    DSL = "dsl"
    DEPUTY_DSL = "deputy_dsl"
    WELLBEING_LEAD = "wellbeing_lead"
    COUNSELLOR = "counsellor"
    ELSA = "elsa"


class CodeKind(StrEnum):
    """What an enrolment code links: a learner (with a year group) or a member of staff's role."""

    LEARNER = "learner"
    STAFF = "staff"
    DSL = "dsl"
    DEPUTY_DSL = "deputy_dsl"
    WELLBEING_LEAD = "wellbeing_lead"
    AUTHORITY = "authority"

    @property
    def staff_role(self) -> StaffRole | None:
        """The role a staff code links, or None for a learner code."""
        return None if self is CodeKind.LEARNER else StaffRole(self.value)


class AlertStatus(StrEnum):
    """Where a safeguarding alert is in its lifecycle: new (open) -> acknowledged -> action taken
    or referred -> closed (with a reason)."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    ACTION_TAKEN = "action_taken"
    REFERRED = "referred"
    CLOSED = "closed"


class AlertEventKind(StrEnum):
    """One entry in an alert's append-only chronology."""

    ACKNOWLEDGED = "acknowledged"
    ACTION_TAKEN = "action_taken"
    REFERRED = "referred"
    NOTE = "note"
    CLOSED = "closed"
    MESSAGE = "message"  # a safeguarding lead wrote to the learner through Llais
    ANSWER = "answer"  # the learner answered


class Referral(StrEnum):
    """Where a safeguarding lead referred a concern."""

    CHILDRENS_SERVICES = "childrens_services"
    POLICE = "police"
    CAMHS = "camhs"
    OTHER = "other"


class CloseReason(StrEnum):
    """Why an alert was closed."""

    RESOLVED = "resolved"
    HANDED_ON = "handed_on"  # another agency now leads
    NO_FURTHER_ACTION = "no_further_action"
    OTHER = "other"


class RequestStatus(StrEnum):
    """A learner's request to talk to someone at school."""

    OPEN = "open"
    TAKEN = "taken"
    CLOSED = "closed"


class MessageDirection(StrEnum):
    """Which way a message between school and learner went."""

    TO_LEARNER = "to_learner"
    TO_STAFF = "to_staff"


class OutboxPriority(IntEnum):
    """Which outbox messages leave first when many are due (lower goes first)."""

    ALERT = 0  # safeguarding: alerts, the authority told an alert reached nobody
    REPLY = 1  # a person answering a person: staff replies, requests taken, answers
    CAMPAIGN = 2  # messages nobody wrote in answer to (polls, campaigns)


class OutboxStatus(StrEnum):
    """Where an outbox message is: waiting (or being retried), sent, or given up on."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class SafeNow(StrEnum):
    """A learner's answer to "are you safe right now?"."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class SpiceWell(StrEnum):
    """The SPICE wells of the staff check-in (the one that feels lowest is stored)."""

    SPIRITUAL = "spiritual"
    PHYSICAL = "physical"
    INTELLECTUAL = "intellectual"
    CREATIVE = "creative"
    EMOTIONAL = "emotional"
