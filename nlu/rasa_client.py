"""The rasa backend: POST /model/parse on a Rasa server, falling back to builtin on any failure."""

from __future__ import annotations

import logging
import time
from typing import Any, Final

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.vocabulary import Language
from nlu.builtin import BuiltinBackend
from nlu.result import NluResult

logger = logging.getLogger(__name__)

PARSE_PATH: Final = "/model/parse"


class _RedactToken(logging.Filter):
    """Hide the Rasa token in httpx's request log lines (it travels in the query string)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                str(arg).replace(self.token, "***") if self.token in str(arg) else arg
                for arg in record.args
            )
        return True


class _RankedIntent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)


class _ParseResponse(BaseModel):
    """The part of Rasa's /model/parse answer Llais uses."""

    model_config = ConfigDict(extra="ignore")

    intent: _RankedIntent
    entities: list[dict[str, Any]] = []
    intent_ranking: list[_RankedIntent] = []


class RasaBackend:
    """Ask a Rasa server; on timeout, connection error or a bad answer use ``fallback``."""

    def __init__(
        self,
        url: str,
        fallback: BuiltinBackend,
        *,
        token: str | None = None,
        timeout: float = 1.5,
        cooldown: float = 10.0,
    ) -> None:
        self._fallback = fallback
        self._params = {"token": token} if token else {}
        httpx_logger = logging.getLogger("httpx")
        if token and not any(getattr(f, "token", None) == token for f in httpx_logger.filters):
            httpx_logger.addFilter(_RedactToken(token))
        self._cooldown = cooldown
        self._down_until = 0.0
        self._client = httpx.AsyncClient(base_url=url.rstrip("/"), timeout=httpx.Timeout(timeout))

    async def parse(self, text: str, language_hint: Language | None = None) -> NluResult:
        """Return Rasa's intent and entities, with language from the builtin identifier."""
        if time.monotonic() < self._down_until:
            return self._fallback.parse_sync(text, language_hint)
        started = time.perf_counter()
        try:
            response = await self._client.post(PARSE_PATH, params=self._params, json={"text": text})
            response.raise_for_status()
            parsed = _ParseResponse.model_validate(response.json())
            if not parsed.intent.name:
                raise ValueError("no intent in response")
        except (httpx.HTTPError, ValueError, ValidationError) as exc:
            # never log the text: only what went wrong and how long it took
            logger.warning(
                "rasa parse failed (%s after %.0f ms); using builtin for %.0f s",
                type(exc).__name__,
                (time.perf_counter() - started) * 1000,
                self._cooldown,
            )
            self._down_until = time.monotonic() + self._cooldown
            return self._fallback.parse_sync(text, language_hint)
        language = self._fallback.language_identifier.identify(text, language_hint)
        ranking = tuple((r.name, r.confidence) for r in parsed.intent_ranking if r.name)
        return NluResult(
            intent=parsed.intent.name,
            confidence=parsed.intent.confidence,
            ranking=ranking or ((parsed.intent.name, parsed.intent.confidence),),
            entities=tuple(parsed.entities),
            language=language,
        )

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._client.aclose()
