"""An index map from the matching form back to the original text, for cue spans.

``normalise`` works word by word except where it joins spaced-out letters ("k i l l"), so each
original whitespace-separated token is normalised on its own and its words are lined up with the
words of the whole text's matching form. Where the two disagree (joined letters), the words are
aligned with ``difflib`` and an unmatched stretch maps to the original tokens around it. The map
is best effort: a span always lies inside the text and covers the cue's words, or a little more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from nlu.safeguarding.normalise import normalise

_TOKEN = re.compile(r"\S+")
_DIFFLIB_WORDS = 400  # longer texts are aligned by a linear walk
_LOOKAHEAD = 8


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """The matching form of a text and, for each of its words, the original (start, end)."""

    norm: str
    words: tuple[tuple[int, int], ...]
    starts: tuple[int, ...]  # where each word starts in ``norm``

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of ``norm`` to a range of the original text."""
        if not self.words:
            return (0, 0)
        first = _word_at(self.starts, start)
        last = _word_at(self.starts, max(start, end - 1))
        return (self.words[first][0], self.words[last][1])


def _word_at(starts: tuple[int, ...], position: int) -> int:
    index = 0
    for i, begin in enumerate(starts):
        if begin > position:
            break
        index = i
    return index


def offset_map(text: str, norm: str | None = None) -> OffsetMap:
    """Return the matching form of ``text`` with an index map back to ``text``.

    ``norm`` may carry ``normalise(text)`` if the caller has already computed it.
    """
    if norm is None:
        norm = normalise(text)
    norm_words = norm.split()
    token_words: list[str] = []
    token_spans: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text):
        for word in _token_words(match.group()):
            token_words.append(word)
            token_spans.append(match.span())
    if token_words == norm_words:
        spans = token_spans
    else:
        spans = _align(norm_words, token_words, token_spans, len(text))
    starts, position = [], 0
    for word in norm_words:
        starts.append(position)
        position += len(word) + 1
    return OffsetMap(norm, tuple(spans), tuple(starts))


@lru_cache(maxsize=65_536)
def _token_words(token: str) -> tuple[str, ...]:
    return tuple(normalise(token).split())


def _align(
    norm_words: list[str],
    token_words: list[str],
    token_spans: list[tuple[int, int]],
    length: int,
) -> list[tuple[int, int]]:
    """Line up the two word lists; unmatched words map to the original tokens between matches.

    Short texts use ``difflib``; long ones a linear walk that resynchronises on the next equal
    word within a short look-ahead, so a huge message never costs quadratic time.
    """
    if len(norm_words) <= _DIFFLIB_WORDS:
        return _align_difflib(norm_words, token_words, token_spans, length)
    spans: list[tuple[int, int]] = []
    j = 0
    for word in norm_words:
        ahead = token_words[j : j + _LOOKAHEAD]
        if word in ahead:
            k = j + ahead.index(word)
            spans.append(token_spans[k] if k == j else (token_spans[j][0], token_spans[k][1]))
            j = k + 1
        elif j < len(token_spans):
            spans.append(token_spans[j])  # a joined or split word: the token where we stand
        else:
            spans.append((token_spans[-1][0], length) if token_spans else (0, length))
    return spans


def _align_difflib(
    norm_words: list[str],
    token_words: list[str],
    token_spans: list[tuple[int, int]],
    length: int,
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int] | None] = [None] * len(norm_words)
    matcher = SequenceMatcher(a=norm_words, b=token_words, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(a1 - a0):
                spans[a0 + k] = token_spans[b0 + k]
        elif b1 > b0:
            covered = (token_spans[b0][0], token_spans[b1 - 1][1])
            for k in range(a0, a1):
                spans[k] = covered
    whole = (0, length)
    return [span if span is not None else whole for span in spans]
