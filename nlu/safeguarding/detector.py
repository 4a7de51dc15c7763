"""The safeguarding detector: normalise, rules first, then the model, which can only raise."""

from __future__ import annotations

import logging
from pathlib import Path

from core.vocabulary import RiskLevel
from nlu.safeguarding.levels import RiskAssessment
from nlu.safeguarding.model import RiskModel
from nlu.safeguarding.normalise import normalise
from nlu.safeguarding.rules import assess_rules
from nlu.safeguarding.situations import assess_situations

logger = logging.getLogger(__name__)

# Returned if assessment itself fails: a gentle check is safer than silence.
_FAILED = RiskAssessment(level=RiskLevel.MEDIUM, categories=(), cues=("detector_error",))


class SafeguardingDetector:
    """Assess one learner message for safeguarding risk; deterministic and never raising."""

    def __init__(self, model: RiskModel | None = None) -> None:
        self._model = model

    @classmethod
    def load(cls, model_dir: Path | None) -> SafeguardingDetector:
        """Load the trained model from ``model_dir``, or run on rules alone if there is none."""
        model = RiskModel.load(model_dir) if model_dir is not None else None
        if model is None:
            logger.warning("safeguarding model not found; running on rules only")
        return cls(model)

    @property
    def has_model(self) -> bool:
        """Return True when a trained model backs up the rules."""
        return self._model is not None

    def assess(self, text: str) -> RiskAssessment:
        """Return the risk level, categories and cues for ``text``."""
        try:
            norm = normalise(text)
            result = assess_rules(norm).raised_with(assess_situations(norm))
            if self._model is not None:
                result = result.raised_with(self._model.assess(norm))
            return result
        except Exception as exc:  # the detector must answer whatever it is given
            # type only: a traceback or exception message could quote the learner's text
            logger.error(
                "safeguarding assessment failed (%s); returning a gentle check", type(exc).__name__
            )
            return _FAILED
