"""The assessment the detector returns (levels and categories are the kernel's vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass

from core.vocabulary import Category, RiskLevel


@dataclass(frozen=True, slots=True)
class CueSpan:
    """Where a cue was found: offsets into the original text (best effort) and the cue label."""

    start: int
    end: int
    cue: str


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """What the detector found in one message: level, categories and short cue labels.

    ``spans`` locate the cues in the message (so an excerpt can be centred on one); ``check``
    names the most likely category when the level is below a concern but something may be
    wrong, so the conversation can ask one gentle check question.
    """

    level: RiskLevel
    categories: tuple[Category, ...]
    cues: tuple[str, ...]
    about_other: bool = False
    spans: tuple[CueSpan, ...] = ()
    check: Category | None = None

    def raised_with(self, other: RiskAssessment) -> RiskAssessment:
        """Combine with ``other``: the higher level, and the union of categories, cues, spans.

        A check question is kept only while the combined level is below a concern.
        """
        if self._is_bare() and other._is_bare():  # the common case: nothing found by either
            return self if self.level >= other.level else other
        level = max(self.level, other.level)
        return RiskAssessment(
            level=level,
            categories=tuple(sorted(set(self.categories) | set(other.categories))),
            cues=tuple(dict.fromkeys(self.cues + other.cues)),
            about_other=self.about_other or other.about_other,
            spans=tuple(dict.fromkeys(self.spans + other.spans)),
            check=None if level >= RiskLevel.MEDIUM else (self.check or other.check),
        )

    def _is_bare(self) -> bool:
        """A level and nothing else (combining two of these keeps the higher unchanged)."""
        bare = not (self.categories or self.cues or self.spans or self.about_other)
        return bare and self.check is None

    @property
    def is_concern(self) -> bool:
        """Return True when the level calls for a safeguarding response (medium or above)."""
        return self.level.is_concern


NONE_ASSESSMENT = RiskAssessment(level=RiskLevel.NONE, categories=(), cues=())
