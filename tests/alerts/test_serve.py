"""``llais serve`` with the staff bot token: the staff bot polls, the alert job delivers, and a
stop is prompt and loses nothing, even with the job mid-send and a long poll outstanding."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select

from core.settings import Settings
from llais.app import running_app
from llais.commands.demo import seed_demo
from llais.commands.serve import serve
from storage.models import AlertDelivery
from tests.staff.conftest import STAFF_TOKEN, link_staff
from tests.support.botapi_double import BotApiDouble
from tests.support.learner import PlayedLearner

DSL = 630001


async def _learner_discloses(settings: Settings) -> None:
    """A learner talks to another instance of the app on the same database."""
    async with running_app(settings) as other:
        played = PlayedLearner(other.learner, user_id="555777")
        await played.command("start")
        await played.press("English")
        await played.press("OK, got it")
        await played.say("DEMO-Y9")
        await played.say("I want to die")


def _serving(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"staff_bot_token": SecretStr(STAFF_TOKEN), "alert_poll_seconds": 0.2}
    )


async def test_serve_runs_the_staff_bot_and_delivers_a_new_alert_promptly(
    settings: Settings, staff_api: BotApiDouble
) -> None:
    await seed_demo(settings.database_url)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(_serving(settings), stop))
    try:
        await staff_api.wait_for_call("getUpdates", timeout=30)  # start-up, on a busy machine
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await _learner_discloses(settings)
        await staff_api.wait_until(
            lambda: any("SAFEGUARDING ALERT" in m.text for m in staff_api.messages_to(DSL)),
            timeout=10,
        )
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)

    alert = staff_api.messages_to(DSL)[-1]
    assert "Year group: 9" in alert.text and "I want to die" in alert.text
    assert alert.button_labels == ["✅ Acknowledge"]


class ServeThread:
    """``serve()`` on its own thread and event loop, run by ``asyncio.run`` as ``llais serve`` is.

    So the loop's final cancellation of leftover tasks is part of what a test waits for.
    """

    def __init__(self, settings: Settings, **options: Any) -> None:
        self.error: BaseException | None = None
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        # daemon: if it hangs, the failing test must still let the run end
        self._thread = threading.Thread(target=self._run, args=(settings, options), daemon=True)

    def _run(self, settings: Settings, options: dict[str, Any]) -> None:
        async def main() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            self._started.set()
            await serve(settings, self._stop, **options)

        try:
            asyncio.run(main())
        except BaseException as exc:
            self.error = exc

    async def start(self) -> None:
        self._thread.start()
        assert await asyncio.to_thread(self._started.wait, 30)

    def stop(self) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)

    async def join(self, timeout: float) -> bool:  # noqa: ASYNC109 - a thread, not a coroutine
        """Wait up to ``timeout`` seconds for the thread to end; return whether it did."""
        await asyncio.to_thread(self._thread.join, timeout)
        return not self._thread.is_alive()


async def _alert_job_mid_send(
    settings: Settings, staff_api: BotApiDouble, *, start_up: float = 30
) -> asyncio.Event:
    """Link the DSL, then hold sendMessage, disclose, and wait until the alert job is sending
    the alert (its answer held back) while the staff bot's long poll is waiting; return the gate.
    """
    await staff_api.wait_for_call("getUpdates", timeout=start_up)
    await link_staff(staff_api, DSL, "DEMO-DSL")
    gate = staff_api.hold("sendMessage")
    await _learner_discloses(settings)
    await staff_api.wait_until(
        lambda: staff_api.held == 1 and staff_api.waiting_polls >= 1, timeout=15
    )
    sending = staff_api.calls_to("sendMessage")[-1]
    assert int(sending.params["chat_id"]) == DSL and "SAFEGUARDING ALERT" in sending.params["text"]
    return gate


async def _deliveries(settings: Settings) -> int:
    async with running_app(settings) as app, app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(AlertDelivery)) or 0)


async def test_a_stop_lets_the_alert_job_finish_its_send_and_record_it(
    settings: Settings, staff_api: BotApiDouble
) -> None:
    await seed_demo(settings.database_url)
    served = ServeThread(_serving(settings))
    await served.start()
    try:
        gate = await _alert_job_mid_send(settings, staff_api)
        started = time.monotonic()
        served.stop()
        await asyncio.sleep(0.5)  # Telegram answers the send half a second after the stop
        gate.set()
    finally:
        ended = await served.join(timeout=30)
    took = time.monotonic() - started

    assert ended, "serve() did not return within 30 s of the stop"
    assert served.error is None
    assert took < 5.0, f"serve() took {took:.1f} s to stop"
    # the DSL has the alert and it is recorded: a restart does not send it again
    assert sum("SAFEGUARDING ALERT" in m.text for m in staff_api.messages_to(DSL)) == 1
    assert await _deliveries(settings) == 1


async def test_a_stop_cancels_a_job_still_running_after_the_grace_period(
    settings: Settings, staff_api: BotApiDouble
) -> None:
    await seed_demo(settings.database_url)
    served = ServeThread(_serving(settings), grace=1.0)
    await served.start()
    try:
        await _alert_job_mid_send(settings, staff_api)  # and Telegram never answers
        started = time.monotonic()
        served.stop()
    finally:
        ended = await served.join(timeout=30)
    took = time.monotonic() - started

    assert ended, "serve() did not return within 30 s of the stop"
    assert served.error is None
    assert 1.0 <= took < 5.0, f"serve() took {took:.1f} s to stop with a 1 s grace"
    assert await _deliveries(settings) == 0  # not recorded: the next start sends it again


async def test_llais_serve_exits_promptly_on_sigterm_with_the_alert_job_mid_send(
    settings: Settings, staff_api: BotApiDouble, tmp_path: Path
) -> None:
    await seed_demo(settings.database_url)
    env = {key: value for key, value in os.environ.items() if not key.startswith("LLAIS_")}
    env |= {
        "LLAIS_DATABASE_URL": settings.database_url,
        "LLAIS_SECRET_KEY": settings.secret_key.get_secret_value(),
        "LLAIS_NLU_MODEL_DIR": str(settings.nlu_model_dir),
        "LLAIS_STAFF_BOT_TOKEN": STAFF_TOKEN,
        "LLAIS_TELEGRAM_BASE_URL": staff_api.base_url,
        "LLAIS_TELEGRAM_BASE_FILE_URL": staff_api.base_file_url,
        "LLAIS_ALERT_POLL_SECONDS": "0.2",
        "LLAIS_WEB_PORT": "0",
    }
    code = "from llais.cli import main; raise SystemExit(main(['serve']))"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, env=env, cwd=tmp_path
    )
    try:
        # a new process imports everything and loads the models: slow on a busy machine
        gate = await _alert_job_mid_send(settings, staff_api, start_up=60)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        gate.set()
        exit_code = await asyncio.wait_for(process.wait(), 30)
        took = time.monotonic() - started
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    assert exit_code == 0
    # serve() itself returns within 5 s (above); the process then has to exit, slower when busy
    assert took < 10.0, f"llais serve took {took:.1f} s to exit after SIGTERM"
    assert sum("SAFEGUARDING ALERT" in m.text for m in staff_api.messages_to(DSL)) == 1
    assert await _deliveries(settings) == 1
