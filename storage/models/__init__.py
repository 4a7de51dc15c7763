"""SQLAlchemy 2 table models, one module per area; importing this package registers them all."""

from storage.models.base import Base
from storage.models.contacts import DirectoryImport, SchoolContact
from storage.models.insight import (
    DashboardEvent,
    DashboardSession,
    DashboardUser,
    GroupMember,
    InterventionGroup,
)
from storage.models.outbox import OutboxMessage
from storage.models.people import (
    Checkin,
    CheckinAnswer,
    ConversationStateRow,
    MoodLog,
    Person,
    ReplyAddress,
)
from storage.models.requests import ContactRequest, SchoolMessage
from storage.models.safeguarding import AlertDelivery, AlertEvent, SafeguardingAlert
from storage.models.schools import EnrolmentCode, School
from storage.models.updates import ProcessedUpdate
from storage.models.voice import (
    Announcement,
    Campaign,
    InvitationOptIn,
    InviteSchedule,
    Poll,
    PollAnswer,
    SchoolCalendar,
)
from storage.models.web import Author, WebMessage

__all__ = [
    "AlertDelivery",
    "AlertEvent",
    "Announcement",
    "Author",
    "Base",
    "Campaign",
    "Checkin",
    "CheckinAnswer",
    "ContactRequest",
    "ConversationStateRow",
    "DashboardEvent",
    "DashboardSession",
    "DashboardUser",
    "DirectoryImport",
    "EnrolmentCode",
    "GroupMember",
    "InterventionGroup",
    "InvitationOptIn",
    "InviteSchedule",
    "MoodLog",
    "OutboxMessage",
    "Person",
    "Poll",
    "PollAnswer",
    "ProcessedUpdate",
    "ReplyAddress",
    "SafeguardingAlert",
    "School",
    "SchoolCalendar",
    "SchoolContact",
    "SchoolMessage",
    "WebMessage",
]
