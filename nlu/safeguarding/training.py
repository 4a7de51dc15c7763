"""Training data for the model (never the held-out set) and fitting with scikit-learn."""

from __future__ import annotations

import csv
import logging
from importlib import resources

import numpy as np

from core.vocabulary import Category
from nlu.safeguarding.model import RiskModel, features
from nlu.safeguarding.normalise import normalise

logger = logging.getLogger(__name__)

LABELS: tuple[str, ...] = ("none", "low", *Category)
_DATA = "nlu.safeguarding.data"
_EXAMPLES = "training.csv"
_LEXICON = "lexicon_construct_tracker.csv"
# Inverse regularisation strength of the logistic regression (chosen by cross-validation).
REGULARISATION = 8.0


def load_examples() -> list[tuple[str, str]]:
    """Return (text, label) pairs from the packaged CSV files; bad rows are skipped, warned."""
    pairs: list[tuple[str, str]] = []
    root = resources.files(_DATA)
    for name in (_EXAMPLES, _LEXICON):
        lines = root.joinpath(name).read_text(encoding="utf-8").splitlines()
        for number, row in enumerate(csv.reader(lines), start=1):
            if number == 1 or not row:
                continue  # header
            if len(row) != 2 or row[0] not in LABELS or not row[1].strip():
                logger.warning("%s line %d: expected label,text with a known label; skipped",
                               name, number)  # fmt: skip
                continue
            pairs.append((row[1], row[0]))
    return pairs


def fit() -> RiskModel:
    """Fit the TF-IDF + logistic-regression model on the packaged training data."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    pairs = load_examples()
    texts = [normalise(text) for text, _ in pairs]
    labels = [label for _, label in pairs]
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(C=REGULARISATION, max_iter=3000, class_weight="balanced")
    classifier.fit(matrix, labels)
    vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
    coef = np.ascontiguousarray(classifier.coef_.T, dtype=np.float64)
    intercept = np.asarray(classifier.intercept_, dtype=np.float64)
    logger.info("safeguarding model fitted on %d examples", len(pairs))
    return RiskModel(
        [str(c) for c in classifier.classes_],
        vocabulary,
        np.asarray(vectorizer.idf_, dtype=np.float64),
        coef,
        intercept,
    )
