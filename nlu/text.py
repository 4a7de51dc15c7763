"""Normalise learner text before featurising: case, apostrophes, accents, whitespace, length."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final

MAX_CHARS: Final = 2000  # longer messages are cut for the intent model (never for the detector)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Return ``text`` lower-cased, NFKD-folded without accents (ŵ→w), apostrophes unified."""
    text = text[:MAX_CHARS].translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():  # no combining marks to drop
        folded = decomposed
    else:
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", folded).strip()


def letter_count(text: str) -> int:
    """Count alphabetic characters (how much language evidence a message carries)."""
    return sum(map(str.isalpha, text))


WORD_CACHE_SIZE: Final = 50_000  # words whose n-grams and ids a cache keeps


class WordNgramCache:
    """A char_wb analyzer's n-grams and known vocabulary ids per word, bounded in size (char_wb
    n-grams are made word by word, so a text's are its words' in order)."""

    def __init__(self, analyzer: Callable[[str], list[str]], vocabulary: dict[str, int]) -> None:
        self._analyzer = analyzer
        self._vocabulary = vocabulary
        self._words: dict[str, tuple[list[str], list[int]]] = {}

    def encode(self, cleaned: str) -> tuple[list[str], list[int]]:
        """The n-grams of ``cleaned`` (as the analyzer makes them) and the ids of the known ones."""
        grams: list[str] = []
        ids: list[int] = []
        words = self._words
        for word in cleaned.split():
            found = words.get(word) or self._add(word)
            grams += found[0]
            ids += found[1]
        return grams, ids

    def ids(self, cleaned: str) -> list[int]:
        """The ids of the known n-grams of ``cleaned``, as ``encode`` gives them."""
        ids: list[int] = []
        words = self._words
        for word in cleaned.split():
            ids += (words.get(word) or self._add(word))[1]
        return ids

    def _add(self, word: str) -> tuple[list[str], list[int]]:
        words = self._words
        if len(words) >= WORD_CACHE_SIZE:
            words.clear()
        block = self._analyzer(word)
        get = self._vocabulary.get
        found = words[word] = (block, [i for g in block if (i := get(g)) is not None])
        return found
