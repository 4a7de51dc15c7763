"""Effects: what a conversation step asks storage to do, all in one transaction before replying."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.vocabulary import Category, Language, RiskLevel, SafeNow, SpiceWell, StaffRole


@dataclass(frozen=True, slots=True)
class SetLanguage:
    language: Language


@dataclass(frozen=True, slots=True)
class Enrol:
    school_id: int
    year_group: int | None


@dataclass(frozen=True, slots=True)
class CheckinItem:
    domain: str
    item_id: str
    value: int


@dataclass(frozen=True, slots=True)
class SaveCheckin:
    answers: tuple[CheckinItem, ...]
    comment: str | None


@dataclass(frozen=True, slots=True)
class SaveMood:
    score: int
    tags: tuple[str, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class EraseMyData:
    """Erase the person's voice data, state and reply address (safeguarding records stay)."""


@dataclass(frozen=True, slots=True)
class SetStopped:
    stopped: bool


@dataclass(frozen=True, slots=True)
class RaiseAlert:
    alert_id: str
    level: RiskLevel
    categories: tuple[Category, ...]
    cues: tuple[str, ...]
    excerpt: str
    about_other: bool = False


@dataclass(frozen=True, slots=True)
class UpdateAlert:
    """Record the learner's answers to the safety questions, or a raised level."""

    alert_id: str
    contact_requested: bool | None = None
    safe_now: SafeNow | None = None
    level: RiskLevel | None = None
    categories: tuple[Category, ...] = field(default_factory=tuple)
    cues: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class RequestContact:
    """A non-urgent request for the school's wellbeing lead to get in touch."""

    need: str | None


@dataclass(frozen=True, slots=True)
class LinkStaffRole:
    """Link a member of staff to a school (or the authority, with no school) in a role."""

    school_id: int | None
    role: StaffRole


@dataclass(frozen=True, slots=True)
class SaveStaffCheckin:
    """A staff check-in: CARI pillar ratings and the SPICE well that feels lowest."""

    answers: tuple[CheckinItem, ...]
    lowest_well: SpiceWell | None


@dataclass(frozen=True, slots=True)
class SetInvitations:
    """Check-in invitations on (opted in) or off (the default)."""

    on: bool


@dataclass(frozen=True, slots=True)
class SavePollAnswers:
    """A learner's answers to a poll: option ids and scale values, and free-text answers (kept
    only until the poll's themes are worked out)."""

    poll_id: int
    values: tuple[tuple[str, str], ...]  # (question id, option id or scale value)
    texts: tuple[tuple[str, str], ...] = ()  # (question id, text)


Effect = (
    SetLanguage
    | Enrol
    | SaveCheckin
    | SaveMood
    | EraseMyData
    | SetStopped
    | RaiseAlert
    | UpdateAlert
    | RequestContact
    | LinkStaffRole
    | SaveStaffCheckin
    | SetInvitations
    | SavePollAnswers
)
