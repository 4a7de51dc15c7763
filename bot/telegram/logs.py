"""Keep library loggers from writing message text or bot tokens."""

from __future__ import annotations

import logging

# telegram logs whole updates (message text) at DEBUG; httpx logs URLs (with the token) at INFO;
# aiohttp's client (the bots' requests) is held to the same level
LIBRARY_LOGGERS = ("telegram", "httpx", "httpcore", "aiohttp.client")
# PTB loggers that put raw update data in their arguments, even at CRITICAL (a parse error)
DATA_LOGGERS = (
    "telegram.Bot",
    "telegram.ext.ExtBot",
    "telegram.request.BaseRequest",
    "telegram.ext.Updater",
    "telegram.ext.Application",
)


class RedactArguments(logging.Filter):
    """Replace a record's %-arguments with a placeholder: the message template stays readable."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place and let it through."""
        if record.args:
            count = len(record.args) if isinstance(record.args, tuple) else 1
            try:
                record.msg = str(record.msg) % (("[redacted]",) * count)
            except (TypeError, ValueError, KeyError):  # %d or %(name)s placeholders
                record.msg = f"{record.msg} [arguments redacted]"
            record.args = None
        return True


REDACT = RedactArguments()


def quiet_library_loggers(level: int = logging.WARNING) -> None:
    """Raise library loggers to ``level`` and redact PTB's data; call once when setting up logs."""
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(level)
    for name in DATA_LOGGERS:
        logging.getLogger(name).addFilter(REDACT)
