"""SQLAlchemy 2 table models, one module per area; importing this package registers them all."""

from storage.models.base import Base
from storage.models.contacts import DirectoryImport, SchoolContact
from storage.models.learners import (
    Checkin,
    CheckinAnswer,
    ConversationStateRow,
    Learner,
    MoodLog,
    ReplyAddress,
)
from storage.models.requests import ContactRequest
from storage.models.safeguarding import SafeguardingAlert
from storage.models.schools import EnrolmentCode, School
from storage.models.staff import (
    AlertDelivery,
    StaffAddress,
    StaffCheckin,
    StaffCheckinAnswer,
    StaffMember,
)

__all__ = [
    "AlertDelivery",
    "Base",
    "Checkin",
    "CheckinAnswer",
    "ContactRequest",
    "ConversationStateRow",
    "DirectoryImport",
    "EnrolmentCode",
    "Learner",
    "MoodLog",
    "ReplyAddress",
    "SafeguardingAlert",
    "School",
    "SchoolContact",
    "StaffAddress",
    "StaffCheckin",
    "StaffCheckinAnswer",
    "StaffMember",
]
