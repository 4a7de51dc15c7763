"""The kernel: what every part of Llais shares, importing nothing else of the project.

The channel contract (``Inbound``, ``Reply``), bilingual text and the message catalogue, the one
settings object, errors and the clock. Importing the kernel loads no model and no rule file.
"""

from core.channel import Button, ConversationHandler, Inbound, InboundKind, Reply
from core.clock import Clock, ensure_aware, utcnow
from core.errors import ConfigurationError, FlowDefinitionError, LlaisError, NotFoundError
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogue, Language, Text, catalogue
from core.settings import Settings

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Button",
    "Catalogue",
    "Clock",
    "ConfigurationError",
    "ConversationHandler",
    "FlowDefinitionError",
    "Inbound",
    "InboundKind",
    "Language",
    "LlaisError",
    "NotFoundError",
    "Reply",
    "Settings",
    "Text",
    "catalogue",
    "ensure_aware",
    "utcnow",
]
