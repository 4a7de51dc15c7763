"""Keep library loggers from writing message text or bot tokens."""

from __future__ import annotations

import logging

# telegram logs whole updates (message text) at DEBUG; httpx logs URLs (with the token) at INFO
LIBRARY_LOGGERS = ("telegram", "httpx", "httpcore")


def quiet_library_loggers(level: int = logging.WARNING) -> None:
    """Raise the library loggers to ``level``; call once from the entry point's logging setup."""
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(level)
