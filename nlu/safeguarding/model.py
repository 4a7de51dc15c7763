"""The model part: TF-IDF over character and word n-grams with logistic regression.

scikit-learn is only used to train. The fitted vocabulary, idf and weights are saved as JSON and
a NumPy ``.npz`` (no pickle), and inference is a sparse dot product in NumPy, so assessing one
message stays well under a millisecond. The model can only *raise* the rules' level, and only to
medium (a gentle check), and only above a high probability threshold.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding.levels import NONE_ASSESSMENT, RiskAssessment

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
SUBDIR = "safeguarding"
_META = "model.json"
_WEIGHTS = "weights.npz"
_CATEGORIES = frozenset(Category)
# The summed probability of the concern categories needed to raise a gentle check. Chosen by
# 5-fold cross-validation (repeated 3 times) on the training data: recall 0.51 of concerns while
# raising 4% of the (deliberately figurative) "none" examples. 0.80 gives 0.64 at 6% and looked
# fine on our own negatives, but raised false alarms on the independent set past its floor
# (tests/nlu/test_independent_probe.py), so it stays at 0.85. The model is a safety net behind
# the rules: it can only raise, and only to medium.
CONCERN_THRESHOLD = 0.85
LOW_THRESHOLD = 0.7


def features(norm: str) -> list[str]:
    """Return the n-gram features of a normalised message (char 3-5 grams, words, word pairs)."""
    words = norm.split()[:400]
    feats = [f"w:{w}" for w in words]
    feats += [f"b:{a}_{b}" for a, b in pairwise(words)]
    for word in words:
        padded = f" {word} "
        for n in (3, 4, 5):
            feats += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
    return feats


class RiskModel:
    """A fitted n-gram logistic regression that maps a normalised message to a label."""

    def __init__(
        self,
        labels: list[str],
        vocabulary: dict[str, int],
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.labels = labels
        self.vocabulary = vocabulary
        self.idf = idf
        self.coef = coef  # shape (n_features, n_labels)
        self.intercept = intercept

    def probabilities(self, norm: str) -> dict[str, float]:
        """Return the probability of each label for a normalised message."""
        counts = Counter(f for f in features(norm) if f in self.vocabulary)
        if not counts:
            scores = self.intercept
        else:
            index = np.fromiter((self.vocabulary[f] for f in counts), dtype=np.int64)
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64)
            values = tf * self.idf[index]
            values /= float(np.linalg.norm(values)) or 1.0
            scores = values @ self.coef[index] + self.intercept
        exp = np.exp(scores - scores.max())
        probs = exp / exp.sum()
        return {label: float(p) for label, p in zip(self.labels, probs, strict=True)}

    def assess(self, norm: str) -> RiskAssessment:
        """Return what the model alone would raise for a normalised message."""
        probs = self.probabilities(norm)
        concern = sum(p for label, p in probs.items() if label in _CATEGORIES)
        category = max(Category, key=lambda c: probs.get(c, 0.0))
        if concern >= CONCERN_THRESHOLD:
            return RiskAssessment(RiskLevel.MEDIUM, (category,), (f"model:{category}",))
        if concern + probs.get("low", 0.0) >= LOW_THRESHOLD:
            return RiskAssessment(RiskLevel.LOW, (), ("model:distress",))
        return NONE_ASSESSMENT

    def save(self, model_dir: Path) -> None:
        """Persist the model under ``model_dir/safeguarding``."""
        target = model_dir / SUBDIR
        target.mkdir(parents=True, exist_ok=True)
        meta = {"version": FORMAT_VERSION, "labels": self.labels, "vocabulary": self.vocabulary}
        (target / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.savez(target / _WEIGHTS, idf=self.idf, coef=self.coef, intercept=self.intercept)

    @classmethod
    def load(cls, model_dir: Path) -> RiskModel | None:
        """Load a saved model; return None if there is none or it is unusable (with a warning)."""
        target = model_dir / SUBDIR
        if not (target / _META).is_file() or not (target / _WEIGHTS).is_file():
            return None
        try:
            meta = json.loads((target / _META).read_text(encoding="utf-8"))
            if meta.get("version") != FORMAT_VERSION:
                raise ValueError("unsupported safeguarding model version")
            with np.load(target / _WEIGHTS, allow_pickle=False) as arrays:
                idf, coef, intercept = arrays["idf"], arrays["coef"], arrays["intercept"]
            labels = [str(x) for x in meta["labels"]]
            vocabulary = {str(k): int(v) for k, v in meta["vocabulary"].items()}
            if coef.shape != (len(vocabulary), len(labels)) or idf.shape != (len(vocabulary),):
                raise ValueError("safeguarding model arrays do not match its vocabulary")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("safeguarding model in %s is unusable: %s", target, exc)
            return None
        return cls(labels, vocabulary, idf, coef, intercept)


def train_model(model_dir: Path) -> None:
    """Train the model from the packaged training data and save it under ``model_dir``."""
    from nlu.safeguarding.training import fit

    model = fit()
    model.save(model_dir)
    logger.info("safeguarding model saved: %d features, %d labels", len(model.vocabulary),
                len(model.labels))  # fmt: skip
