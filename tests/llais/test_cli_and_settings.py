"""The command line and the settings object, through their real entry points."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from bot.terminal import run_chat
from core.settings import PLACEHOLDER_SECRET, Settings
from llais.app import App
from llais.cli import main
from llais.commands.demo import seed_demo
from storage.db import make_engine, make_sessionmaker
from storage.models import EnrolmentCode, School
from tests.support.learner import PlayedLearner


def test_the_placeholder_secret_is_refused_outside_demo_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LLAIS_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="LLAIS_SECRET_KEY"):
        Settings(_env_file=None)
    assert Settings(_env_file=None, demo=True).secret_key.get_secret_value() == PLACEHOLDER_SECRET


def test_environment_variables_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLAIS_SECRET_KEY", "s" * 20)
    monkeypatch.setenv("LLAIS_TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = Settings(_env_file=None)
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.timezone == "Europe/London" and settings.tz.key == "Europe/London"
    monkeypatch.setenv("LLAIS_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Settings(_env_file=None)


def test_a_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LLAIS_SECRET_KEY", raising=False)
    env = tmp_path / ".env"
    env.write_text("LLAIS_SECRET_KEY=from-dotenv-file-123456\nLLAIS_LOG_LEVEL=WARNING\n")
    settings = Settings(_env_file=env)
    assert settings.secret_key.get_secret_value() == "from-dotenv-file-123456"


async def test_demo_seed_is_idempotent(database_url: str) -> None:
    assert await seed_demo(database_url) == 11  # DEMO-Y7..Y13, staff, DSL, deputy, authority
    assert await seed_demo(database_url) == 0
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            assert await session.scalar(select(func.count()).select_from(School)) == 1
            codes = set(await session.scalars(select(EnrolmentCode.code)))
    finally:
        await engine.dispose()
    assert {f"DEMO-Y{year}" for year in range(7, 14)} <= codes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _interrupt_once_serving(address: str, seen: list[int]) -> None:
    """Wait until the web app answers, then interrupt this process as Ctrl-C would."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            seen.append(httpx.get(f"{address}/healthz", timeout=1).status_code)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    os.kill(os.getpid(), signal.SIGINT)


def test_serve_without_a_token_serves_the_web_chat_and_explains_the_bots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    port = _free_port()
    monkeypatch.setenv("LLAIS_SECRET_KEY", "s" * 20)
    monkeypatch.setenv("LLAIS_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/llais.db")
    monkeypatch.setenv("LLAIS_WEB_PORT", str(port))
    monkeypatch.delenv("LLAIS_LEARNER_BOT_TOKEN", raising=False)
    monkeypatch.delenv("LLAIS_STAFF_BOT_TOKEN", raising=False)
    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "seed"]) == 0
    seen: list[int] = []
    address = f"http://127.0.0.1:{port}"
    watcher = threading.Thread(target=_interrupt_once_serving, args=(address, seen))
    watcher.start()
    try:
        assert main(["serve"]) == 0
    finally:
        watcher.join()
    assert seen == [200]
    out = capsys.readouterr().out
    assert "LLAIS_LEARNER_BOT_TOKEN" in out and "llais chat" in out
    assert f"Llais web chat: {address}/chat" in out


def test_a_configuration_error_is_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LLAIS_SECRET_KEY", raising=False)
    monkeypatch.delenv("LLAIS_DEMO", raising=False)
    assert main(["db", "upgrade"]) == 2
    assert "LLAIS_SECRET_KEY must be set" in capsys.readouterr().err


async def test_the_terminal_chat_runs_the_same_flows(app: App) -> None:
    lines = iter(["/start", "#2", "#1", "DEMO-Y7", "/mydata"])

    def read_line() -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    await run_chat(app.learner, read_line=read_line, out=out)
    screen = out.getvalue()
    assert "#1 Cymraeg   #2 English" in screen
    assert "Ysgol Llais Demo, Year 7" in screen
    assert "Check-ins: 0" in screen


async def test_a_school_records_its_own_contacts_and_learners_see_them_first(
    app: App,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LLAIS_SECRET_KEY", settings.secret_key.get_secret_value())
    monkeypatch.setenv("LLAIS_DATABASE_URL", settings.database_url)
    argv = [
        "school", "contact", "add", "--school", "DEMO-Y9", "--role", "wellbeing_lead",
        "--label", "Mrs Jones, wellbeing lead", "--label-cy", "Mrs Jones, arweinydd lles",
        "--how", "Room 12 at break", "--how-cy", "Ystafell 12 amser egwyl",
    ]  # fmt: skip
    assert await asyncio.to_thread(main, argv) == 0
    assert await asyncio.to_thread(main, ["school", "contact", "list", "--school", "DEMO-Y7"]) == 0
    assert "Mrs Jones" in capsys.readouterr().out
    bad = ["school", "contact", "add", "--school", "NOPE", "--role", "elsa", "--label", "x",
           "--how", "y"]  # fmt: skip
    assert await asyncio.to_thread(main, bad) == 1
    assert "No school has the id or enrolment code 'NOPE'" in capsys.readouterr().err

    learner = PlayedLearner(app.learner)
    await learner.command("start")
    await learner.press("English")
    await learner.press("OK, got it")
    await learner.say("DEMO-Y9")
    await learner.command("help")
    await learner.press("Friends")
    first = learner.text().split("•")[1]
    assert "Mrs Jones" in first and "Room 12" in first
