"""Library logs carry neither message text nor tokens once quietened."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.telegram import DATA_LOGGERS, LIBRARY_LOGGERS, REDACT, quiet_library_loggers
from tests.bot.conftest import RunBot
from tests.bot.handlers import LEARNER, RecordingHandler
from tests.support.botapi_double import MEDIA, BotApiDouble


@pytest.fixture
def quiet_logs() -> Iterator[None]:
    """Apply ``quiet_library_loggers`` as the entry point does, and undo it afterwards."""
    levels = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    quiet_library_loggers()
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    for name in DATA_LOGGERS:
        logging.getLogger(name).removeFilter(REDACT)


async def test_an_update_the_library_cannot_parse_is_logged_without_its_text(
    botapi: BotApiDouble, run_bot: RunBot, caplog: pytest.LogCaptureFixture, quiet_logs: None
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    secret = "please don't tell anyone what happened"
    broken_poll = {**MEDIA["poll"]["poll"], "options": [{"text": "x", "voter_count": 0}]}
    async with run_bot(RecordingHandler()):
        await botapi.push_message(LEARNER, {"text": secret, "poll": broken_poll})
        await botapi.wait_until(lambda: any(r.levelno == logging.CRITICAL for r in caplog.records))

    assert any("[redacted]" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        assert secret not in record.getMessage()
        assert botapi.token not in record.getMessage()


def test_redaction_survives_placeholders_it_cannot_fill() -> None:
    record = logging.LogRecord("telegram.Bot", logging.ERROR, __file__, 1, "%d updates", (3,), None)
    REDACT.filter(record)
    assert record.getMessage() == "%d updates [arguments redacted]"
