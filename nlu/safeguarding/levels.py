"""The assessment the detector returns (levels and categories are the kernel's vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass

from core.vocabulary import Category, RiskLevel


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """What the detector found in one message: level, categories and short cue labels."""

    level: RiskLevel
    categories: tuple[Category, ...]
    cues: tuple[str, ...]
    about_other: bool = False

    def raised_with(self, other: RiskAssessment) -> RiskAssessment:
        """Combine with ``other``: the higher level, and the union of categories and cues."""
        return RiskAssessment(
            level=max(self.level, other.level),
            categories=tuple(sorted(set(self.categories) | set(other.categories))),
            cues=tuple(dict.fromkeys(self.cues + other.cues)),
            about_other=self.about_other or other.about_other,
        )

    @property
    def is_concern(self) -> bool:
        """Return True when the level calls for a safeguarding response (medium or above)."""
        return self.level.is_concern


NONE_ASSESSMENT = RiskAssessment(level=RiskLevel.NONE, categories=(), cues=())
