"""Safeguarding detection: rules with negation and figurative handling, backed by a small model."""

from nlu.safeguarding.detector import SafeguardingDetector
from nlu.safeguarding.levels import CATEGORIES, NONE_ASSESSMENT, CueSpan, RiskAssessment, RiskLevel
from nlu.safeguarding.model import RiskModel, train_model
from nlu.safeguarding.normalise import normalise

__all__ = [
    "CATEGORIES",
    "CueSpan",
    "NONE_ASSESSMENT",
    "RiskAssessment",
    "RiskLevel",
    "RiskModel",
    "SafeguardingDetector",
    "normalise",
    "train_model",
]
