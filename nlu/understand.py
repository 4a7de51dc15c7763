"""The understanding pipeline: the safeguarding detector first, always; then intent and language."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from core.settings import NluBackend as BackendKind
from core.settings import Settings
from core.vocabulary import DEFAULT_LANGUAGE, Language, RiskLevel
from nlu import keys
from nlu.builtin import BuiltinBackend
from nlu.rasa_client import RasaBackend
from nlu.result import NluBackend, NluResult, fallback_result
from nlu.safeguarding import RiskAssessment, SafeguardingDetector

logger = logging.getLogger(__name__)

HELP_CONFIDENCE: Final = 0.5  # ask_help/ask_services at least this sure counts as help-seeking
LOW_MOOD_CONFIDENCE: Final = 0.7  # feeling_low at least this sure lifts NONE to LOW
# a backend slower than this is abandoned; the detector's result stands
BACKEND_TIMEOUT: Final = 5.0


@dataclass(frozen=True, slots=True)
class Understanding:
    """The detector's assessment (never lowered), the NLU result, and whether help was sought."""

    risk: RiskAssessment
    nlu: NluResult
    help_seeking: bool


class Understander:
    """Run the detector, then the NLU backend, and fuse the two."""

    def __init__(
        self,
        detector: SafeguardingDetector,
        backend: NluBackend,
        backend_timeout: float = BACKEND_TIMEOUT,
    ) -> None:
        self.detector = detector
        self.backend = backend
        self._backend_timeout = backend_timeout

    async def understand(
        self, text: str, language_hint: Language | None = None, context: Sequence[str] = ()
    ) -> Understanding:
        """Assess risk first, then intent; a failing backend never costs the risk assessment.

        ``context`` is the learner's previous messages in this session, oldest first; the
        detector reads the message with them (see ``SafeguardingDetector.assess``).
        """
        risk = self.detector.assess(text, context)
        try:
            async with asyncio.timeout(self._backend_timeout):
                result = await self.backend.parse(text, language_hint)
        except Exception as exc:  # whatever the backend does, the detector's result stands
            logger.error(
                "NLU backend failed (%s); keeping the detector's result", type(exc).__name__
            )
            result = fallback_result(language_hint or DEFAULT_LANGUAGE)
        return fuse(risk, result)

    async def aclose(self) -> None:
        """Release the backend's connections, if it holds any."""
        if isinstance(self.backend, RasaBackend):
            await self.backend.aclose()


def fuse(risk: RiskAssessment, result: NluResult) -> Understanding:
    """Combine detector and NLU: the NLU may raise the level (NONE to LOW), never lower it."""
    if result.intent == keys.FEELING_LOW and result.confidence >= LOW_MOOD_CONFIDENCE:
        risk = risk.raised_with(RiskAssessment(RiskLevel.LOW, (), ()))
    asked = result.intent in keys.HELP_INTENTS and result.confidence >= HELP_CONFIDENCE
    return Understanding(risk=risk, nlu=result, help_seeking=asked or risk.is_concern)


def build_backend(settings: Settings) -> NluBackend:
    """The configured backend: builtin, or rasa with builtin as its fallback."""
    builtin = BuiltinBackend.load_or_train(settings.nlu_model_dir)
    if settings.nlu_backend == BackendKind.RASA:
        token = settings.rasa_token.get_secret_value() if settings.rasa_token else None
        return RasaBackend(settings.rasa_url, builtin, token=token, timeout=settings.rasa_timeout)
    return builtin


def build_understander(settings: Settings) -> Understander:
    """Load the detector and the configured backend from ``settings``."""
    detector = SafeguardingDetector.load(settings.nlu_model_dir)
    return Understander(detector, build_backend(settings))
