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

__all__ = [
    "AlertDelivery",
    "Base",
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
    "MoodLog",
    "Person",
    "ReplyAddress",
    "SafeguardingAlert",
    "School",
    "SchoolContact",
]
