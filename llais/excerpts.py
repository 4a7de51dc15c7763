"""The excerpt a safeguarding lead reads: the part of a message around what the detector found."""

from __future__ import annotations

from collections.abc import Sequence

from nlu.safeguarding import CueSpan

EXCERPT_CHARS = 500
ELLIPSIS = "…"
CONTEXT_CUE = "context"  # a span covering a whole message read with its context


def excerpt_around(
    text: str, spans: Sequence[CueSpan], limit: int = EXCERPT_CHARS, *, tail: bool = False
) -> str:
    """Up to ``limit`` characters of ``text`` centred on its first located cue; with no cue,
    the start (or with ``tail`` the end: the latest of several messages).

    A cut end is marked with an ellipsis, inside the limit.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    room = limit - 2 * len(ELLIPSIS)  # space for an ellipsis at each cut end
    located = [s for s in spans if s.cue != CONTEXT_CUE and 0 <= s.start < s.end <= len(text)]
    first = min(located, key=lambda s: s.start) if located else None
    if first is not None:
        middle = (first.start + min(first.end, first.start + room)) // 2
    else:
        middle = len(text) if tail else 0
    start = max(0, min(middle - room // 2, len(text) - room))
    end = start + room
    return f"{ELLIPSIS if start else ''}{text[start:end]}{ELLIPSIS if end < len(text) else ''}"
