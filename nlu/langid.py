"""Welsh/English identification per message: a character n-gram model trained from nlu/data."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import joblib
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from core.vocabulary import DEFAULT_LANGUAGE, Language
from nlu.text import WordNgramCache, letter_count, normalise
from nlu.training_data import TrainingData

logger = logging.getLogger(__name__)

FILE_NAME: Final = "langid.joblib"
MIN_LETTERS: Final = 3  # below this ("k", "ok", emoji) a message says nothing about its language
NGRAM_RANGE: Final = (1, 4)
HINT_MARGIN: Final = 0.25  # when P(cy) is within this of 0.5 the learner's chosen language decides


class LanguageIdentifier:
    """Binary logistic regression over character 1–4-grams within word boundaries."""

    def __init__(self, vocabulary: dict[str, int], weights: np.ndarray, bias: float) -> None:
        self._vocabulary = vocabulary
        self._weights = weights
        self._bias = bias
        self._analyzer = _vectorizer(vocabulary).build_analyzer()
        self._words = WordNgramCache(self._analyzer, vocabulary)

    @classmethod
    def train(cls, data: TrainingData) -> LanguageIdentifier:
        """Fit on every example whose folder names its language (cy/ or en/)."""
        pairs = [(ex.text, ex.language) for ex in data.examples if ex.language is not None]
        texts = [normalise(text) for text, _ in pairs]
        labels = np.array([language == "cy" for _, language in pairs], dtype=int)
        vectorizer = _vectorizer()
        features = vectorizer.fit_transform(texts)
        model = LogisticRegression(C=4.0, max_iter=1000).fit(features, labels)
        weights = np.asarray(model.coef_[0], dtype=np.float64)
        return cls(dict(vectorizer.vocabulary_), weights, float(model.intercept_[0]))

    def probability_welsh(
        self, text: str, grams: Iterable[str] | None = None, cleaned: str | None = None
    ) -> float:
        """Return P(cy) for ``text`` (0.5 when nothing in it is known).

        ``grams`` may carry the char_wb 1–4-grams of ``normalise(text)`` if already computed,
        or ``cleaned`` ``normalise(text)`` itself.
        """
        if grams:
            get = self._vocabulary.get
            ids = {i for g in grams if (i := get(g)) is not None}
        else:
            ids = self._known_ids(normalise(text) if cleaned is None else cleaned)
        score = self._bias + float(np.add.reduce(self._weights.take(list(ids)))) if ids else 0.0
        return 1.0 / (1.0 + math.exp(-max(min(score, 50.0), -50.0)))

    def _known_ids(self, cleaned: str) -> set[int]:
        """The ids of the known n-grams of ``cleaned``, added in the analyzer's order (so the
        set sums in the same order as from the whole text's n-grams)."""
        return set(self._words.ids(cleaned))

    def identify(
        self,
        text: str,
        hint: Language | None = None,
        grams: Iterable[str] | None = None,
        cleaned: str | None = None,
    ) -> Language:
        """Return cy or en; the hint decides very short or undecided messages."""
        fallback = hint or DEFAULT_LANGUAGE
        if letter_count(text) < MIN_LETTERS:
            return fallback
        p_welsh = self.probability_welsh(text, grams, cleaned)
        if hint is not None and abs(p_welsh - 0.5) < HINT_MARGIN:
            return hint
        return Language.CY if p_welsh >= 0.5 else Language.EN

    def persist(self, directory: Path) -> Path:
        """Write the model into ``directory``; return the file written."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / FILE_NAME
        joblib.dump(
            {"vocabulary": self._vocabulary, "weights": self._weights, "bias": self._bias}, path
        )
        return path

    @classmethod
    def load(cls, directory: Path) -> LanguageIdentifier:
        """Read a model written by ``persist``."""
        state = joblib.load(directory / FILE_NAME)
        return cls(state["vocabulary"], state["weights"], state["bias"])


def _vectorizer(vocabulary: dict[str, int] | None = None) -> CountVectorizer:
    return CountVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        binary=True,
        lowercase=False,
        vocabulary=vocabulary,
    )
