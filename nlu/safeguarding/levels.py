"""Risk levels, categories and the assessment the detector returns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

CATEGORIES: tuple[str, ...] = (
    "suicide",
    "self_harm",
    "abuse",
    "domestic_abuse",
    "exploitation",
    "bullying",
    "substance",
    "eating",
    "running_away",
    "harm_others",
)


class RiskLevel(IntEnum):
    """How urgent a message is, from nothing of concern to immediate danger."""

    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        """Return the lower-case name used in data files and the database."""
        return self.name.lower()

    @classmethod
    def parse(cls, label: str) -> RiskLevel:
        """Return the level named by ``label`` (case-insensitive); raise ValueError otherwise."""
        try:
            return cls[label.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown risk level: {label!r}") from None


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
    categories: tuple[str, ...]
    cues: tuple[str, ...]
    about_other: bool = False
    spans: tuple[CueSpan, ...] = ()
    check: str | None = None

    def raised_with(self, other: RiskAssessment) -> RiskAssessment:
        """Combine with ``other``: the higher level, and the union of categories, cues, spans.

        A check question is kept only while the combined level is below a concern.
        """
        level = max(self.level, other.level)
        return RiskAssessment(
            level=level,
            categories=tuple(sorted(set(self.categories) | set(other.categories))),
            cues=tuple(dict.fromkeys(self.cues + other.cues)),
            about_other=self.about_other or other.about_other,
            spans=tuple(dict.fromkeys(self.spans + other.spans)),
            check=None if level >= RiskLevel.MEDIUM else (self.check or other.check),
        )

    @property
    def is_concern(self) -> bool:
        """Return True when the level calls for a safeguarding response (medium or above)."""
        return self.level >= RiskLevel.MEDIUM


NONE_ASSESSMENT = RiskAssessment(level=RiskLevel.NONE, categories=(), cues=())
