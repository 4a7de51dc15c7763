"""Logging set-up: event kinds, ids and timings only; libraries that log SQL parameters or
payloads (which can hold message text) are held at WARNING whatever the configured level.

With ``LLAIS_LOG_FORMAT=json`` every record is one JSON object on one line (time, level, logger,
message, process id, and for an exception its type and code locations only: an exception's own
text can quote data, such as a failed statement's parameters).
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from datetime import UTC, datetime

# aiosqlite and SQLAlchemy log statements with their parameters (message text) at DEBUG/INFO.
DATA_LIBRARIES = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool", "alembic")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """Return ``record`` as a JSON line."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": os.getpid(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["where"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(record.exc_info[2])
            ]
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str | int, *, json_lines: bool = False) -> None:
    """Configure the root logger and quieten libraries that could log personal data."""
    root = logging.getLogger()
    if json_lines:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLines())
        for old in list(root.handlers):
            root.removeHandler(old)
        root.addHandler(handler)
    else:
        logging.basicConfig(level=level, format=TEXT_FORMAT)
    root.setLevel(level)
    for name in DATA_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
