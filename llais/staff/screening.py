"""The safeguarding detector on what staff write, and what its reading does with the text.

Staff type text that Llais stores or sends to learners: a "you said, we did" post and a poll's
wording (the dashboard and the CLI), a message to one learner and a note on an alert's record
(the staff bot). Each goes through the detector the way a learner's message does, through
``Understander.understand``; what a concern then does depends on where the text goes:

- **to learners** (a post, a poll, a message): it is not stored or sent at first; the writer is
  warned, in their language, with the categories the detector saw, and decides again: publish
  or send it anyway (a second, explicit decision bound to that exact text by :func:`digest`, so
  a text edited after the warning is read again), change it, or cancel.
- **the writer's own** words (a concern not about someone else): the warning also offers the
  staff wellbeing support, never an alert or a broadcast.
- **an alert's record** (a DSL's note): kept, since quoting what the learner said is the work;
  it is written to the record and goes to nobody else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from core.i18n import Text, catalogue
from core.vocabulary import Language
from nlu.safeguarding import RiskAssessment
from nlu.safeguarding.levels import NONE_ASSESSMENT
from nlu.understand import Understander


@dataclass(frozen=True)
class Screened:
    """The detector's combined reading of one piece of staff writing (all its parts)."""

    risk: RiskAssessment

    @property
    def held(self) -> bool:
        """Whether the text may not go to learners: the detector reads a concern in it."""
        return self.risk.is_concern

    @property
    def own(self) -> bool:
        """Whether the concern reads as the writer's own (not about someone else)."""
        return self.risk.is_concern and not self.risk.about_other

    def categories(self, language: Language) -> str:
        """The categories the detector saw, named in ``language`` ("" when none)."""
        cat = catalogue()
        names = [cat.get(f"dashboard.l_category_{c.value}", language) for c in self.risk.categories]
        return ", ".join(names)


async def screen(
    understander: Understander, texts: Iterable[str], *, language: Language | None = None
) -> Screened:
    """Read every part of a piece of staff writing with the detector; the highest reading wins."""
    risk = NONE_ASSESSMENT
    for text in texts:
        if text.strip():
            understanding = await understander.understand(text, language_hint=language)
            risk = risk.raised_with(understanding.risk)
    return Screened(risk)


def digest(texts: Sequence[str]) -> str:
    """A short fingerprint of the exact texts a warning was given for: a confirmation carries
    it, so publishing anyway applies to those words only, never to an edited version."""
    joined = "\x1f".join(texts).encode("utf-8")
    return hashlib.sha256(joined).hexdigest()[:16]


def bilingual_texts(model: BaseModel) -> list[str]:
    """Every English and Welsh string in a model's ``Text`` fields (a poll's title, questions,
    options and anchors), in the order they appear."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, Text):
            found.extend((value.en, value.cy))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)

    walk(model)
    return found


__all__ = ["Screened", "bilingual_texts", "digest", "screen"]
