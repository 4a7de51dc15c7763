"""Intent classifier: word and char_wb n-gram counts into logistic regression, as in Rasa."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from nlu.langid import NGRAM_RANGE
from nlu.text import WordNgramCache, normalise
from nlu.training_data import TrainingData

FILE_NAME: Final = "intent_classifier.joblib"
FORMAT_VERSION: Final = 1
RANKING_LENGTH: Final = 10


class IntentClassifier:
    """Train, persist, load and process; ``process`` featurises with plain Python for speed."""

    def __init__(
        self,
        vectorizers: Sequence[CountVectorizer],
        weights: np.ndarray,
        bias: np.ndarray,
        labels: Sequence[str],
        fingerprint: str = "",
    ) -> None:
        self._vectorizers = tuple(vectorizers)
        self._analyzers = tuple(v.build_analyzer() for v in self._vectorizers)
        self._vocabularies = tuple(v.vocabulary_ for v in self._vectorizers)
        # char_wb n-grams are made word by word, so a word's n-grams and their vocabulary ids
        # are cached (learners reuse their words); concatenated they are exactly the analyzer's
        # list for the whole text
        self._word_caches: tuple[WordNgramCache | None, ...] = tuple(
            WordNgramCache(a, v) if z.analyzer == "char_wb" else None
            for a, v, z in zip(self._analyzers, self._vocabularies, self._vectorizers, strict=True)
        )
        self._offsets = tuple(np.cumsum([0] + [len(v) for v in self._vocabularies])[:-1].tolist())
        self._blank = frozenset(  # whitespace-only n-grams say nothing on their own
            i for vocabulary in self._vocabularies for g, i in vocabulary.items() if not g.strip()
        )
        self._weights = np.ascontiguousarray(weights.T)  # (features, intents): rows gather fast
        ends = [*self._offsets[1:], len(self._weights)]
        # each block's rows as a view, so a block's ids index it without adding its offset
        self._block_weights = tuple(
            self._weights[start:end] for start, end in zip(self._offsets, ends, strict=True)
        )
        self._bias = bias
        self.labels = tuple(labels)
        self.fingerprint = fingerprint

    @property
    def char_ngram_range(self) -> tuple[int, int]:
        """The char_wb n-gram range of the last block (language id can share its n-grams)."""
        low, high = self._vectorizers[-1].ngram_range
        return int(low), int(high)

    @classmethod
    def train(cls, data: TrainingData, c: float = 10.0) -> IntentClassifier:
        """Fit the vectorizers and the classifier on every intent example."""
        texts = [normalise(example.text) for example in data.examples]
        intents = [example.intent for example in data.examples]
        vectorizers = [_word_vectorizer(), _char_vectorizer()]
        blocks = [normalize(v.fit_transform(texts)) for v in vectorizers]
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(sp.hstack(blocks).tocsr(), intents)
        return cls(
            vectorizers,
            model.coef_,
            model.intercept_,
            [str(c) for c in model.classes_],
            data.fingerprint,
        )

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The (normalised) feature matrix sklearn sees for ``texts``; used to check ``process``."""
        cleaned = [normalise(text) for text in texts]
        return sp.hstack([normalize(v.transform(cleaned)) for v in self._vectorizers]).tocsr()

    def analyse(self, cleaned: str) -> list[list[str]]:
        """Split normalised text into word n-grams and char_wb n-grams (the model's tokens)."""
        return self.encode(cleaned)[0]

    def encode(self, cleaned: str) -> tuple[list[list[str]], list[list[int]]]:
        """Return ``analyse``'s n-grams and, per block, the vocabulary ids of the known ones."""
        grams: list[list[str]] = []
        ids: list[list[int]] = []
        for analyzer, vocabulary, cache in zip(
            self._analyzers, self._vocabularies, self._word_caches, strict=True
        ):
            if cache is None:
                block = analyzer(cleaned)
                get = vocabulary.get
                grams.append(block)
                ids.append([i for g in block if (i := get(g)) is not None])
            else:
                block, known = cache.encode(cleaned)
                grams.append(block)
                ids.append(known)
        return grams, ids

    def encode_ids(self, cleaned: str) -> list[list[int]]:
        """Return only the vocabulary ids of ``encode`` (what ``rank_ids`` needs)."""
        ids: list[list[int]] = []
        for analyzer, vocabulary, cache in zip(
            self._analyzers, self._vocabularies, self._word_caches, strict=True
        ):
            if cache is None:
                get = vocabulary.get
                ids.append([i for g in analyzer(cleaned) if (i := get(g)) is not None])
            else:
                ids.append(cache.ids(cleaned))
        return ids

    def process(self, text: str) -> list[tuple[str, float]]:
        """Return (intent, probability) for every intent, best first; [] if nothing is known."""
        return self.rank_ids(self.encode_ids(normalise(text)))

    def rank(self, grams: Sequence[list[str]]) -> list[tuple[str, float]]:
        """Rank intents for the n-grams from ``analyse``."""
        ids = [
            [i for g in block if (i := vocabulary.get(g)) is not None]
            for block, vocabulary in zip(grams, self._vocabularies, strict=True)
        ]
        return self.rank_ids(ids)

    def rank_ids(self, ids: Sequence[list[int]]) -> list[tuple[str, float]]:
        """Rank intents for the known n-gram ids from ``encode``, with one gather per block."""
        logits = self._bias.copy()
        seen = False
        for block, weights in zip(ids, self._block_weights, strict=True):
            if not block:
                continue
            counted = Counter(block)  # ids in order of first occurrence, as the n-grams were
            size = len(counted)
            index = np.fromiter(counted.keys(), dtype=np.intp, count=size)
            values = np.fromiter(counted.values(), dtype=np.float64, count=size)
            values /= math.sqrt(values.dot(values))
            # take() and dot() give the same rows and sums as indexing and @, with less overhead
            logits += values.dot(weights.take(index, axis=0))
            seen = seen or not self._blank.issuperset(counted)
        if not seen:  # only padding spaces matched: empty, emoji-only or another script
            return []
        probabilities = np.exp(logits - np.maximum.reduce(logits))
        probabilities /= np.add.reduce(probabilities)
        order = (-probabilities).argsort().tolist()
        listed = probabilities.tolist()
        labels = self.labels
        return [(labels[i], listed[i]) for i in order]

    def persist(self, directory: Path) -> Path:
        """Write the classifier into ``directory``; return the file written."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / FILE_NAME
        state = {
            "format": FORMAT_VERSION,
            "vectorizers": self._vectorizers,
            "weights": self._weights.T,
            "bias": self._bias,
            "labels": self.labels,
            "fingerprint": self.fingerprint,
        }
        joblib.dump(state, path)
        return path

    @classmethod
    def load(cls, directory: Path) -> IntentClassifier:
        """Read a classifier written by ``persist``; ValueError if its format is unknown."""
        state = joblib.load(directory / FILE_NAME)
        if not isinstance(state, dict) or state.get("format") != FORMAT_VERSION:
            raise ValueError(f"{directory / FILE_NAME}: unknown model format")
        return cls(
            state["vectorizers"],
            state["weights"],
            state["bias"],
            state["labels"],
            state["fingerprint"],
        )


def _word_vectorizer() -> CountVectorizer:
    # single letters matter in Welsh ("i", "y", "a") so keep one-character tokens
    return CountVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", lowercase=False
    )


def _char_vectorizer() -> CountVectorizer:
    return CountVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, lowercase=False)
