"""Whether the update being handled failed: the error handler notes it, the webhook reads it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Handling:
    """What the error handler noted while one update was handled."""

    failed: bool = False
    told: bool = False  # the person was told, in both languages, to try again


_CURRENT: ContextVar[Handling | None] = ContextVar("llais_update_handling", default=None)


@contextmanager
def handling(outcome: Handling) -> Iterator[Handling]:
    """Note failures of the update handled inside the block in ``outcome``."""
    token = _CURRENT.set(outcome)
    try:
        yield outcome
    finally:
        _CURRENT.reset(token)


def note_failure(*, told: bool) -> None:
    """The update being handled failed (and whether the person was told so). Outside
    :func:`handling` (polling) it does nothing."""
    current = _CURRENT.get()
    if current is not None:
        current.failed = True
        current.told = current.told or told
