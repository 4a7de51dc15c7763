"""SQLAlchemy 2 table models, one module per area; importing this package registers them all."""

from storage.models.base import Base
from storage.models.contacts import DirectoryImport, SchoolContact
from storage.models.people import (
    Checkin,
    CheckinAnswer,
    ConversationStateRow,
    MoodLog,
    Person,
    ReplyAddress,
)
from storage.models.requests import ContactRequest
from storage.models.safeguarding import AlertDelivery, SafeguardingAlert
from storage.models.schools import EnrolmentCode, School
from storage.models.voice import (
    Announcement,
    CampaignSend,
    InvitationOptIn,
    InviteSchedule,
    Poll,
    PollAnswer,
    SchoolCalendar,
    SendStatus,
)

__all__ = [
    "AlertDelivery",
    "Announcement",
    "Base",
    "CampaignSend",
    "Checkin",
    "CheckinAnswer",
    "ContactRequest",
    "ConversationStateRow",
    "DirectoryImport",
    "EnrolmentCode",
    "InvitationOptIn",
    "InviteSchedule",
    "MoodLog",
    "Person",
    "Poll",
    "PollAnswer",
    "ReplyAddress",
    "SafeguardingAlert",
    "School",
    "SchoolCalendar",
    "SchoolContact",
    "SendStatus",
]
