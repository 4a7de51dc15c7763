"""``LLAIS_LOG_FORMAT=json``: one JSON object per line, and an exception's text stays out."""

from __future__ import annotations

import json
import logging

import pytest

from core.settings import Settings
from llais.logs import configure_logging


def test_records_are_json_lines_without_exception_text(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = root.handlers[:]
    try:
        configure_logging("INFO", json_lines=True)
        log = logging.getLogger("llais.test")
        log.info("learner turn kind=%s replies=%d", "text", 2)
        try:
            raise ValueError("a learner's words")
        except ValueError:
            log.exception("turn failed")
    finally:
        root.handlers[:] = saved
    err = capsys.readouterr().err
    first, second = (json.loads(line) for line in err.splitlines())
    assert first["message"] == "learner turn kind=text replies=2"
    assert first["level"] == "INFO" and first["logger"] == "llais.test"
    assert second["exception"] == "ValueError" and second["where"]
    assert "a learner's words" not in err


def test_the_format_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLAIS_LOG_FORMAT", "json")
    assert Settings(_env_file=None, secret_key="x" * 20).log_format == "json"
    monkeypatch.setenv("LLAIS_LOG_FORMAT", "xml")
    with pytest.raises(ValueError):
        Settings(_env_file=None, secret_key="x" * 20)
