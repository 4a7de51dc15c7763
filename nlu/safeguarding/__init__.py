"""Safeguarding detection: rules with negation and figurative handling, backed by a small model."""

from nlu.safeguarding.detector import SafeguardingDetector
from nlu.safeguarding.levels import NONE_ASSESSMENT, CueSpan, RiskAssessment
from nlu.safeguarding.model import RiskModel, train_model
from nlu.safeguarding.normalise import normalise

__all__ = [
    "NONE_ASSESSMENT",
    "CueSpan",
    "RiskAssessment",
    "RiskModel",
    "SafeguardingDetector",
    "normalise",
    "train_model",
]
