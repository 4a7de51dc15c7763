"""Regex and lookup-table entities with synonym mapping, as Rasa's RegexEntityExtractor does."""

from __future__ import annotations

import re
from typing import Any

from nlu import keys
from nlu.training_data import TrainingData


class EntityExtractor:
    """Find entities with the data's regexes and lookup tables, then map synonyms."""

    def __init__(self, patterns: dict[str, re.Pattern[str]], synonyms: dict[str, str]) -> None:
        self._patterns = patterns
        self._synonyms = synonyms

    @classmethod
    def train(cls, data: TrainingData) -> EntityExtractor:
        """Compile one pattern per entity that is annotated in the examples (as Rasa does)."""
        patterns: dict[str, re.Pattern[str]] = {}
        for name in sorted(data.entity_names):
            alternatives = list(data.regexes.get(name, ()))
            alternatives += [r"\b" + re.escape(item) + r"\b" for item in data.lookups.get(name, ())]
            if alternatives:
                patterns[name] = re.compile(
                    "|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE
                )
        return cls(patterns, dict(data.synonyms))

    def process(self, text: str) -> tuple[dict[str, Any], ...]:
        """Return the entities found in ``text``, in order of position."""
        found: list[dict[str, Any]] = []
        for name, pattern in self._patterns.items():
            for match in pattern.finditer(text):
                if match.start() == match.end():
                    continue
                entity: dict[str, Any] = {
                    keys.ENTITY: name,
                    keys.START: match.start(),
                    keys.END: match.end(),
                    keys.VALUE: match.group(0),
                    keys.EXTRACTOR: keys.REGEX_EXTRACTOR,
                }
                mapped = self._synonyms.get(match.group(0).lower())
                if mapped is not None:
                    entity[keys.VALUE] = mapped
                    entity[keys.PROCESSORS] = [keys.SYNONYM_MAPPER]
                found.append(entity)
        return tuple(sorted(found, key=lambda e: (e[keys.START], e[keys.ENTITY])))

    @property
    def state(self) -> dict[str, Any]:
        """Plain data to persist: pattern sources and synonyms."""
        return {
            "patterns": {n: p.pattern for n, p in self._patterns.items()},
            "synonyms": self._synonyms,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> EntityExtractor:
        """Rebuild from ``state``."""
        patterns = {n: re.compile(p, re.IGNORECASE) for n, p in state["patterns"].items()}
        return cls(patterns, dict(state["synonyms"]))
