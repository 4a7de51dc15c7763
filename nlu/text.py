"""Normalise learner text before featurising: case, apostrophes, accents, whitespace, length."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

MAX_CHARS: Final = 2000  # longer messages are cut for the intent model (never for the detector)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Return ``text`` lower-cased, NFKD-folded without accents (ŵ→w), apostrophes unified."""
    text = text[:MAX_CHARS].translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", folded).strip()


def letter_count(text: str) -> int:
    """Count alphabetic characters (how much language evidence a message carries)."""
    return sum(1 for ch in text if ch.isalpha())
