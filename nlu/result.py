"""What every NLU backend returns, and the interface they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from core.vocabulary import Language
from nlu import keys


@dataclass(frozen=True, slots=True)
class NluResult:
    """Intent with confidence, the ranking of alternatives, entities and the message's language."""

    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...]
    entities: tuple[dict[str, Any], ...]
    language: Language


class NluBackend(Protocol):
    """Anything that can understand one message."""

    async def parse(self, text: str, language_hint: Language | None = None) -> NluResult:
        """Return intent, entities and language for ``text``."""
        ...


def fallback_result(language: Language) -> NluResult:
    """The result when no backend could say anything (Rasa's ``nlu_fallback``)."""
    return NluResult(keys.FALLBACK_INTENT, 0.0, (), (), language)
