"""The builtin backend: intent classifier, entities and language id, in process."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Final

from core.vocabulary import Language
from nlu.entities import EntityExtractor
from nlu.intent_classifier import IntentClassifier
from nlu.langid import LanguageIdentifier
from nlu.result import NluResult, fallback_result
from nlu.text import normalise
from nlu.training_data import DATA_DIR, TrainingData, fingerprint, load_training_data

logger = logging.getLogger(__name__)

ENTITIES_FILE: Final = "entities.json"


class BuiltinBackend:
    """Rasa-like pipeline with scikit-learn: train, persist, load, process."""

    def __init__(
        self,
        classifier: IntentClassifier,
        entities: EntityExtractor,
        language_identifier: LanguageIdentifier,
        ranking_length: int = 10,
    ) -> None:
        self.classifier = classifier
        self.entities = entities
        self.language_identifier = language_identifier
        self._ranking_length = ranking_length

    @classmethod
    def train(cls, data: TrainingData) -> BuiltinBackend:
        """Train every component from ``data``."""
        return cls(
            IntentClassifier.train(data),
            EntityExtractor.train(data),
            LanguageIdentifier.train(data),
        )

    def persist(self, directory: Path) -> None:
        """Write every component into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        self.classifier.persist(directory)
        self.language_identifier.persist(directory)
        (directory / ENTITIES_FILE).write_text(json.dumps(self.entities.state), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BuiltinBackend:
        """Read a backend written by ``persist``; raises OSError/ValueError if absent or broken."""
        state = json.loads((directory / ENTITIES_FILE).read_text(encoding="utf-8"))
        return cls(
            IntentClassifier.load(directory),
            EntityExtractor.from_state(state),
            LanguageIdentifier.load(directory),
        )

    @classmethod
    def load_or_train(cls, directory: Path, data_dir: Path = DATA_DIR) -> BuiltinBackend:
        """Load from ``directory``; if there is no usable model, train from ``data_dir`` now."""
        try:
            backend = cls.load(directory)
        except (OSError, ValueError, KeyError, EOFError) as exc:
            logger.info(
                "no NLU model in %s (%s); training from %s", directory, type(exc).__name__, data_dir
            )
            started = time.perf_counter()
            backend = cls.train(load_training_data(data_dir))
            logger.info("trained NLU model in %.1f s", time.perf_counter() - started)
            return backend
        if backend.classifier.fingerprint != fingerprint(data_dir):
            logger.warning(
                "NLU model in %s is older than %s; run 'llais nlu train'", directory, data_dir
            )
        return backend

    def parse_sync(self, text: str, language_hint: Language | None = None) -> NluResult:
        """Understand ``text`` synchronously (for the CLI and benchmarks)."""
        cleaned = normalise(text)
        ids = self.classifier.encode_ids(cleaned)
        language = self.language_identifier.identify(text, language_hint, cleaned=cleaned)
        ranking = self.classifier.rank_ids(ids)
        if not ranking:  # nothing the model knows: empty, emoji only, another script
            return fallback_result(language)
        intent, confidence = ranking[0]
        return NluResult(
            intent=intent,
            confidence=confidence,
            ranking=tuple(ranking[: self._ranking_length]),
            entities=self.entities.process(text),
            language=language,
        )

    async def parse(self, text: str, language_hint: Language | None = None) -> NluResult:
        """Understand ``text`` (CPU-bound and well under a millisecond, so inline)."""
        return self.parse_sync(text, language_hint)
