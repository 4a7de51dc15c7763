"""The model part: TF-IDF n-grams into two logistic-regression heads, a category and a level.

scikit-learn is only used to train. The fitted vocabulary, idf and weights of both heads are
saved as JSON and a NumPy ``.npz`` (no pickle); inference is one sparse gather and dot product in
NumPy. The category head says what a message is about (none, low or one of the ten categories);
the level head says how serious it is (none .. critical). ``RiskModel.assess`` turns both into a
``RiskAssessment`` with the thresholds in ``thresholds.py`` (chosen on ``calibration.csv``):
the model may raise to high on its own, and to critical only when ``urgent`` is set (a plan,
means, time or "now" cue found by the rules) or its own critical probability is very high.
Long texts are read in overlapping windows; the most worrying window counts.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise
from pathlib import Path

import numpy as np

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding.levels import NONE_ASSESSMENT, CueSpan, RiskAssessment
from nlu.safeguarding.thresholds import THRESHOLDS, Thresholds

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2
SUBDIR = "safeguarding"
_META = "model.json"
_WEIGHTS = "weights.npz"
LEVEL_LABELS: tuple[str, ...] = tuple(level.label for level in RiskLevel)
_CACHE_SIZE = 50_000  # words whose feature indices are kept
WINDOW_WORDS = 120  # a window of this many words, every STRIDE_WORDS words
STRIDE_WORDS = 60


def features(norm: str) -> list[str]:
    """Return the n-gram features of a normalised text (char 3-5 grams, words, word pairs)."""
    words = norm.split()
    feats = [f"b:{a}_{b}" for a, b in pairwise(words)]
    for word in words:
        feats += _word_features(word)
    return feats


@lru_cache(maxsize=65_536)
def _word_features(word: str) -> tuple[str, ...]:
    """The word itself and its character 3-5 grams (cached: learners reuse their words)."""
    padded = f" {word} "
    grams = [f"w:{word}"]
    for n in (3, 4, 5):
        grams += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
    return tuple(grams)


def windows(norm: str) -> list[str]:
    """Split a normalised text into overlapping windows of words (one window if it is short)."""
    words = norm.split()
    if len(words) <= WINDOW_WORDS:
        return [norm]
    starts = range(0, len(words) - WINDOW_WORDS + STRIDE_WORDS, STRIDE_WORDS)
    return [" ".join(words[s : s + WINDOW_WORDS]) for s in starts]


@dataclass(frozen=True, slots=True)
class Scores:
    """What both heads say about one text."""

    categories: dict[str, float]  # none, low and the ten categories; sums to 1
    levels: dict[str, float]  # none .. critical; sums to 1

    @property
    def concern(self) -> float:
        """Probability that the text is a concern, from the category head (it ranks best)."""
        return 1.0 - self.categories.get("none", 0.0) - self.categories.get("low", 0.0)

    @property
    def serious(self) -> float:
        """Probability that the text is high or critical."""
        return self.levels["high"] + self.levels["critical"]

    @property
    def category(self) -> Category:
        """The most likely concern category."""
        return max(Category, key=lambda c: self.categories.get(c, 0.0))


class RiskModel:
    """A fitted n-gram model with a category head and a level head."""

    def __init__(
        self,
        labels: list[str],
        vocabulary: dict[str, int],
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        thresholds: Thresholds = THRESHOLDS,
    ) -> None:
        if labels[len(labels) - len(LEVEL_LABELS) :] != [f"level:{x}" for x in LEVEL_LABELS]:
            raise ValueError("the last labels must be the levels, in order")
        self.labels = labels
        self.vocabulary = vocabulary
        self.idf = idf
        self.coef = coef  # shape (n_features, n_categories + n_levels)
        self.intercept = intercept
        self.thresholds = thresholds
        self._split = len(labels) - len(LEVEL_LABELS)
        self._cache: dict[str, tuple[int, ...]] = {}
        # each feature's idf-weighted none-logit weight, multiplied once (the same products
        # ``_spans`` used to form per word)
        self._none_weight = idf * coef[:, self._split + LEVEL_LABELS.index("none")]

    def _word_index(self, word: str) -> tuple[int, ...]:
        """Vocabulary indices of a word's own features, cached per model."""
        found = self._cache.get(word)
        if found is None:
            found = tuple(self.vocabulary[f] for f in _word_features(word) if f in self.vocabulary)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[word] = found
        return found

    def _logits(self, norm: str) -> np.ndarray:
        words = norm.split()
        get = self.vocabulary.get
        # one count over every word's features, then the word pairs: the same ids in the same
        # first-seen order (so the same sums) as counting word by word
        counts = Counter(
            chain(
                chain.from_iterable(map(self._word_index, words)),
                (i for a, b in pairwise(words) if (i := get(f"b:{a}_{b}")) is not None),
            )
        )
        if not counts:
            return self.intercept
        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        values = tf * self.idf[index]
        # the Euclidean norm as numpy.linalg.norm forms it (sqrt of the dot product), without
        # its per-call checks
        values /= math.sqrt(values.dot(values)) or 1.0
        # take() and dot() give the same rows and sums as indexing and @, with less overhead
        return np.asarray(values.dot(self.coef.take(index, axis=0)) + self.intercept)

    def scores(self, norm: str) -> Scores:
        """Return both heads' probabilities for one window of normalised text."""
        logits = self._logits(norm)
        cat = _softmax(logits[: self._split]).tolist()
        lvl = _softmax(logits[self._split :]).tolist()
        return Scores(
            categories=dict(zip(self.labels, cat, strict=False)),
            levels=dict(zip(LEVEL_LABELS, lvl, strict=True)),
        )

    def probabilities(self, norm: str) -> dict[str, float]:
        """Return the category head's probability of each label (none, low, categories)."""
        return self.scores(norm).categories

    def worst_window(self, norm: str) -> tuple[str, Scores]:
        """Return the window of ``norm`` the model finds most worrying, with its scores."""
        best: tuple[str, Scores] | None = None
        for window in windows(norm):
            scored = self.scores(window)
            if best is None or scored.concern > best[1].concern:
                best = (window, scored)
        assert best is not None
        return best

    def assess(self, norm: str, *, urgent: bool = False, spans: bool = True) -> RiskAssessment:
        """Return what the model alone would raise for a normalised text.

        ``urgent`` says the rules found a plan, means, time or "now" cue: only then (or with a
        very confident critical head) may the model raise to critical. ``spans=False`` skips
        locating the words behind a concern (when the rules have already located one).
        """
        window, scored = self.worst_window(norm)
        t = self.thresholds
        concern = scored.concern
        if concern >= t.concern:
            category = scored.category
            level = RiskLevel.MEDIUM
            if scored.serious >= t.high:
                level = RiskLevel.HIGH
                critical = scored.levels["critical"]
                if (urgent and critical >= t.critical_with_cue) or critical >= t.critical_alone:
                    level = RiskLevel.CRITICAL
            found = self._spans(norm, window) if spans else ()
            return RiskAssessment(level, (category,), (f"model:{category}",), spans=found)
        if concern >= t.check:
            return RiskAssessment(RiskLevel.LOW, (), (), check=scored.category)
        if concern + scored.categories.get("low", 0.0) >= t.low:
            return RiskAssessment(RiskLevel.LOW, (), ("model:distress",))
        return NONE_ASSESSMENT

    def _spans(self, norm: str, window: str) -> tuple[CueSpan, ...]:
        """The words that push hardest toward a concern, as offsets into ``norm`` (best effort)."""
        words = window.split()
        if not words:
            return ()
        vocabulary = self.vocabulary
        none_weight = self._none_weight
        weights = []
        for a, word in enumerate(words):
            idx = list(self._word_index(word))
            if a + 1 < len(words) and (i := vocabulary.get(f"b:{word}_{words[a + 1]}")) is not None:
                idx.append(i)
            # evidence against "none": the idf-weighted negated none-logit of the word's features
            weights.append(-float(_add(none_weight.take(idx))) if idx else 0.0)
        best = int(np.argmax(weights))
        lo, hi = best, best
        while lo > 0 and weights[lo - 1] > 0 and best - lo < 2:
            lo -= 1
        while hi + 1 < len(words) and weights[hi + 1] > 0 and hi - best < 2:
            hi += 1
        offset = norm.find(window)
        start = offset + sum(len(w) + 1 for w in words[:lo])
        end = start + len(" ".join(words[lo : hi + 1]))
        return (CueSpan(start, end, "model"),)

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
            return cls(labels, vocabulary, idf, coef, intercept)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("safeguarding model in %s is unusable: %s", target, exc)
            return None


# the ufunc reductions behind ndarray.sum() and .max(), called without their Python wrappers
_add = np.add.reduce
_max = np.maximum.reduce


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - _max(scores))
    return np.asarray(exp / _add(exp))


def train_model(model_dir: Path) -> None:
    """Train the model from the packaged training data and save it under ``model_dir``."""
    from nlu.safeguarding.training import fit

    model = fit()
    model.save(model_dir)
    logger.info("safeguarding model saved: %d features, %d labels", len(model.vocabulary),
                len(model.labels))  # fmt: skip
