"""Message keys and intent names shared by the NLU components (Rasa's names where Rasa has one)."""

from __future__ import annotations

from typing import Final

TEXT: Final = "text"
INTENT: Final = "intent"
INTENT_RANKING: Final = "intent_ranking"
NAME: Final = "name"
CONFIDENCE: Final = "confidence"
ENTITIES: Final = "entities"
ENTITY: Final = "entity"
VALUE: Final = "value"
START: Final = "start"
END: Final = "end"
EXTRACTOR: Final = "extractor"
PROCESSORS: Final = "processors"

REGEX_EXTRACTOR: Final = "RegexEntityExtractor"
SYNONYM_MAPPER: Final = "EntitySynonymMapper"

# Intents the understanding pipeline itself reasons about.
ASK_HELP: Final = "ask_help"
ASK_SERVICES: Final = "ask_services"
FEELING_LOW: Final = "feeling_low"
TALK_TO_SCHOOL: Final = "talk_to_school"  # asking for someone at school: help-seeking
FALLBACK_INTENT: Final = "nlu_fallback"  # what Rasa calls a message no intent fits

HELP_INTENTS: Final = frozenset({ASK_HELP, ASK_SERVICES, TALK_TO_SCHOOL})
