"""The safeguarding detector: normalise, rules first, then the model, which can only raise."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from core.vocabulary import RiskLevel
from nlu.safeguarding.everyday import Frames
from nlu.safeguarding.figurative import is_figurative
from nlu.safeguarding.levels import CueSpan, RiskAssessment
from nlu.safeguarding.model import RiskModel
from nlu.safeguarding.neutral import is_neutral
from nlu.safeguarding.normalise import model_form, standard_welsh
from nlu.safeguarding.offsets import offset_map
from nlu.safeguarding.rules import assess_rules, find_hits, is_urgent
from nlu.safeguarding.situations import assess_situations

logger = logging.getLogger(__name__)

# Returned if assessment itself fails: a gentle check is safer than silence.
_FAILED = RiskAssessment(level=RiskLevel.MEDIUM, categories=(), cues=("detector_error",))
_FIGURATIVE = RiskAssessment(level=RiskLevel.LOW, categories=(), cues=("figurative",))
_EVERYDAY = RiskAssessment(level=RiskLevel.LOW, categories=(), cues=("everyday",))
CONTEXT_CUE = "context"
MAX_CONTEXT = 3  # earlier messages of the session that are read with this one
_JOIN = "\n"


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

    def assess(self, text: str, context: Sequence[str] = ()) -> RiskAssessment:
        """Return the risk level, categories, cues and cue spans for ``text``.

        ``context`` is the learner's previous messages in this session, oldest first (the last
        three are used). The message joined with its context counts only when that is graded
        higher than the message alone and than every context message alone; it then carries
        the cue "context".
        """
        try:
            alone = self._assess_one(text)
            earlier = [str(c) for c in context][-MAX_CONTEXT:]
            if not earlier:
                return alone
            joined_text = _JOIN.join([*earlier, text])
            joint = self._assess_one(joined_text)
            if not all(_rank(joint) > _rank(self._assess_one(c)) for c in earlier):
                return alone
            if _rank(joint) <= _rank(alone):
                return alone
            return _for_last_message(joint, len(joined_text) - len(text), len(text))
        except Exception as exc:  # the detector must answer whatever it is given
            # type only: a traceback or exception message could quote the learner's text
            logger.error(
                "safeguarding assessment failed (%s); returning a gentle check", type(exc).__name__
            )
            return _FAILED

    def _assess_one(self, text: str) -> RiskAssessment:
        """Assess one text, with spans as offsets into ``text``."""
        if not isinstance(text, str):
            text = str(text)
        base = model_form(text)  # what the model was trained on
        norm = standard_welsh(base)  # what the rules read
        hits = find_hits(norm)
        frames = Frames(norm)
        result = assess_rules(norm, hits, frames).raised_with(
            assess_situations(norm, frames.harmless)
        )
        if self._model is not None and not is_neutral(base, text):
            located = result.level >= RiskLevel.MEDIUM and bool(result.spans)
            model = self._model.assess(base, urgent=is_urgent(hits), spans=not located)
            if model.level > RiskLevel.LOW and is_figurative(norm):
                model = _FIGURATIVE  # the model may not raise a figure of speech or a lesson
            elif model.level > RiskLevel.LOW and _everyday_only(model, frames):
                model = _EVERYDAY  # an accident, an idle threat or a lesson, as the rules read it
            elif model.spans and base != norm:
                model = replace(model, spans=tuple(_rebased(s, base, norm) for s in model.spans))
            result = result.raised_with(model)
        if result.level < RiskLevel.MEDIUM:
            return replace(result, spans=()) if result.spans else result
        mapping = offset_map(text, norm)
        spans = []
        for span in result.spans:
            start, end = mapping.original(span.start, span.end)
            spans.append(CueSpan(start, end, span.cue))
        return replace(result, spans=tuple(dict.fromkeys(spans)))


def _everyday_only(model: RiskAssessment, frames: Frames) -> bool:
    """Return True when every category the model raised is made harmless by an everyday frame."""
    if frames.taught:
        return True
    return bool(model.categories) and set(model.categories) <= frames.harmless


def _rebased(span: CueSpan, base: str, norm: str) -> CueSpan:
    """Move a span over the model's form to the same words of the rules' form (best effort)."""
    starts = [0] + [i + 1 for i, c in enumerate(norm) if c == " "]
    first = base.count(" ", 0, span.start)
    last = base.count(" ", 0, max(span.start, span.end - 1))
    first, last = min(first, len(starts) - 1), min(last, len(starts) - 1)
    end = norm.find(" ", starts[last])
    return CueSpan(starts[first], len(norm) if end < 0 else end, span.cue)


def _rank(risk: RiskAssessment) -> tuple[RiskLevel, bool]:
    """Order assessments by level, and a check question above nothing at the same level."""
    return (risk.level, risk.check is not None)


def _for_last_message(joint: RiskAssessment, offset: int, length: int) -> RiskAssessment:
    """Keep the joint result for the last message: its spans shifted into it, cue "context"."""
    spans = [
        CueSpan(s.start - offset, s.end - offset, s.cue)
        for s in joint.spans
        if s.end > offset and s.start >= offset
    ]
    if joint.level >= RiskLevel.MEDIUM:
        spans.append(CueSpan(0, length, CONTEXT_CUE))
    return replace(
        joint,
        cues=tuple(dict.fromkeys((*joint.cues, CONTEXT_CUE))),
        spans=tuple(dict.fromkeys(spans)),
    )
