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
    code: str | None = None  # the code typed: an intervention group's code also joins the group


@dataclass(frozen=True, slots=True)
class CodeRefused:
    """A wrong (or spent, or expired) code was typed: count it towards the attempt limit."""


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
    """Record the learner's answers to the safety questions, a raised level, or a further
    disclosure (never lowers, never drops what was said)."""

    alert_id: str
    contact_requested: bool | None = None
    safe_now: SafeNow | None = None
    level: RiskLevel | None = None
    categories: tuple[Category, ...] = field(default_factory=tuple)
    cues: tuple[str, ...] = field(default_factory=tuple)
    excerpt: str | None = None  # a further disclosure, added to the alert's excerpts
    # whether the further disclosure is about someone else: one about the learner makes the
    # whole alert about them (a friend's concern never hides the learner's own)
    about_other: bool | None = None


@dataclass(frozen=True, slots=True)
class RequestContact:
    """A non-urgent request for the school's wellbeing lead to get in touch: with a first name
    and form to be found by, or ``reply_here`` (through Llais)."""

    need: str | None
    first_name: str | None = None
    form: str | None = None
    reply_here: bool = False


@dataclass(frozen=True, slots=True)
class AnswerSchool:
    """The learner's answer to a message from school (a request's or an alert's)."""

    thread: str  # "r:<request id>" or "a:<alert id>"
    text: str


@dataclass(frozen=True, slots=True)
class LinkStaffRole:
    """Link a member of staff to a school (or the authority, with no school) in a role."""

    school_id: int | None
    role: StaffRole
    code: str | None = None  # the invitation to spend


@dataclass(frozen=True, slots=True)
class SendToLearner:
    """A member of staff's message to a learner, through Llais (request or alert thread)."""

    thread: str  # "r:<request id>" or "a:<alert id>"
    text: str


@dataclass(frozen=True, slots=True)
class AddAlertNote:
    """A note in an alert's append-only chronology."""

    alert_id: str
    note: str


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
    | CodeRefused
    | AnswerSchool
    | SaveCheckin
    | SaveMood
    | EraseMyData
    | SetStopped
    | RaiseAlert
    | UpdateAlert
    | RequestContact
    | LinkStaffRole
    | SendToLearner
    | AddAlertNote
    | SaveStaffCheckin
    | SetInvitations
    | SavePollAnswers
)
