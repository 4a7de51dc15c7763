"""The kernel: what every part of Llais shares, importing nothing else of the project.

The domain vocabulary (risk levels, categories, languages, audiences, roles, alert states), what
"low" means, the channel contract (``Inbound``, ``Reply``), bilingual text and the message
catalogue, the one settings object, errors and the clock. Importing the kernel loads no model and
no rule file; the catalogue is read on first use.
"""

from core.channel import Button, Channel, ConversationHandler, Inbound, InboundKind, Reply
from core.clock import Clock, ensure_aware, utcnow
from core.errors import ConfigurationError, FlowDefinitionError, LlaisError, NotFoundError
from core.i18n import Catalogue, Text, catalogue
from core.settings import Settings
from core.vocabulary import (
    ALERT_ROLES,
    CONCERN_LEVELS,
    DEFAULT_LANGUAGE,
    AlertStatus,
    Audience,
    Category,
    CodeKind,
    ContactRole,
    Language,
    RiskLevel,
    SafeNow,
    SpiceWell,
    StaffRole,
    parse_language,
)

__all__ = [
    "ALERT_ROLES",
    "CONCERN_LEVELS",
    "DEFAULT_LANGUAGE",
    "AlertStatus",
    "Audience",
    "Button",
    "Catalogue",
    "Category",
    "Channel",
    "Clock",
    "CodeKind",
    "ConfigurationError",
    "ContactRole",
    "ConversationHandler",
    "FlowDefinitionError",
    "Inbound",
    "InboundKind",
    "Language",
    "LlaisError",
    "NotFoundError",
    "Reply",
    "RiskLevel",
    "SafeNow",
    "Settings",
    "SpiceWell",
    "StaffRole",
    "Text",
    "catalogue",
    "ensure_aware",
    "parse_language",
    "utcnow",
]
