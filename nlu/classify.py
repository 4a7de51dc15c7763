"""Classify JSON lines of messages into one JSON line each; never stop on bad input."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, TextIO

from core.vocabulary import parse_language
from nlu.understand import Understander, Understanding

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS: Final = 20_000  # longer texts are cut (Telegram's own limit is 4,096)


@dataclass(slots=True)
class Counts:
    """How many lines were classified and how many were answered with an error."""

    classified: int = 0
    errors: int = 0


def parse_line(raw: bytes) -> dict[str, Any]:
    """Decode one input line into a JSON object; ValueError says why not."""
    try:
        item = json.loads(raw.decode("utf-8", errors="replace"))
    except json.JSONDecodeError:
        raise ValueError("invalid JSON") from None
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object")
    return item


def as_record(item_id: Any, understanding: Understanding) -> dict[str, Any]:
    """The output line for one understood message."""
    risk, result = understanding.risk, understanding.nlu
    return {
        "id": item_id,
        "lang": result.language,
        "intent": result.intent,
        "confidence": round(result.confidence, 4),
        "help_seeking": understanding.help_seeking,
        "risk": {
            "level": risk.level.label,
            "categories": list(risk.categories),
            "cues": list(risk.cues),
        },
    }


async def classify_lines(understander: Understander, lines: Iterable[bytes], out: TextIO) -> Counts:
    """Classify each non-blank line in order, writing one JSON line per input line."""
    counts = Counts()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        item: dict[str, Any] = {}
        try:
            item = parse_line(raw)
            if not isinstance(item.get("text"), str):
                raise ValueError("'text' must be a string")
            text = item["text"][:MAX_TEXT_CHARS]
            understanding = await understander.understand(text, parse_language(item.get("lang")))
            record = as_record(item.get("id"), understanding)
            counts.classified += 1
        except Exception as exc:
            reason = str(exc)
            if not isinstance(exc, ValueError):  # an internal fault: name it, never echo text
                logger.error("line %d could not be classified (%s)", number, type(exc).__name__)
                reason = f"internal error ({type(exc).__name__})"
            record = {"id": _safe_id(item.get("id")), "line": number, "error": reason}
            counts.errors += 1
        out.write(json.dumps(record, ensure_ascii=True) + "\n")
    out.flush()
    return counts


def _safe_id(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
