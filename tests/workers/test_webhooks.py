"""Webhooks through the one web app: ``llais serve`` with a webhook URL registers both bots, takes
their updates at ``POST /telegram/learner|staff`` (secret checked), answers 200 only once the turn
is committed and answered, and a re-delivered update is recognised and not applied twice. Real
python-telegram-bot, real uvicorn, the Bot API double as Telegram, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from core.settings import Settings
from llais.app import running_app
from llais.commands.demo import seed_demo
from llais.commands.serve import serve
from storage.models import ConversationStateRow, ProcessedUpdate
from tests.staff.conftest import STAFF_TOKEN
from tests.support.botapi_double import DEFAULT_TOKEN, BotApiDouble
from tests.workers.conftest import SECRET

LEARNER = 581001
HOOK_SECRET = "webhook-secret-for-tests_1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def hook_settings(database_url: str, intent_model_dir: Path, botapi: BotApiDouble) -> Settings:
    port = free_port()
    return Settings(
        _env_file=None,
        database_url=database_url,
        secret_key=SECRET,
        nlu_model_dir=intent_model_dir,
        learner_bot_token=SecretStr(DEFAULT_TOKEN),
        telegram_base_url=botapi.base_url,
        telegram_base_file_url=botapi.base_file_url,
        telegram_webhook_url=f"http://127.0.0.1:{port}",
        telegram_webhook_secret=SecretStr(HOOK_SECRET),
        web_port=port,
    )


@asynccontextmanager
async def serving(settings: Settings, double: BotApiDouble) -> AsyncIterator[str]:
    """``llais serve`` in this event loop until the block ends; yields the web app's address."""
    await seed_demo(settings.database_url)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop))
    try:
        await double.wait_for_call("setWebhook", timeout=30)
        yield str(settings.telegram_webhook_url)
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def _count(settings: Settings, model: type[object]) -> int:
    async with running_app(settings) as app, app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_updates_arrive_by_webhook_through_the_web_app_and_repeats_are_not_applied(
    hook_settings: Settings, botapi: BotApiDouble
) -> None:
    async with serving(hook_settings, botapi) as address:
        [registered] = botapi.calls_to("setWebhook")
        assert registered.params["url"] == f"{address}/telegram/learner"
        assert registered.params["secret_token"] == HOOK_SECRET

        first = await botapi.push_command(LEARNER, "start")
        await botapi.wait_for_messages(LEARNER, 1, timeout=15)
        await botapi.wait_until(lambda: botapi.webhook_delivered(first), timeout=15)
        assert botapi.webhook_statuses[first] == [200]

        english = await botapi.press(LEARNER, "English")
        await botapi.wait_until(lambda: botapi.webhook_delivered(english), timeout=15)
        answered = len(botapi.messages_to(LEARNER))
        assert "OK, got it" in botapi.messages_to(LEARNER)[-1].button_labels

        # Telegram re-delivers the button press (say its 200 was lost): recognised
        press = next(call.params for call in botapi.calls if call.method == "answerCallbackQuery")
        assert press
        async with httpx.AsyncClient(base_url=address) as client:
            replayed = await client.post(
                "/telegram/learner",
                json=_payload_of_press(botapi, english),
                headers={"X-Telegram-Bot-Api-Secret-Token": HOOK_SECRET},
            )
            forged = await client.post(
                "/telegram/learner",
                json={"update_id": 1, "message": {}},
                headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
            )
            unsigned = await client.post("/telegram/staff", json={"update_id": 2})
            garbage = await client.post(
                "/telegram/learner",
                content=b"{not json",
                headers={"X-Telegram-Bot-Api-Secret-Token": HOOK_SECRET},
            )
            ready = await client.get("/readyz")
        assert replayed.status_code == 200
        # not applied again: the learner is only shown the question they are at once more
        again = botapi.messages_to(LEARNER)[answered:]
        assert len(again) == 1 and "OK, got it" in again[0].button_labels
        assert forged.status_code == 403
        assert unsigned.status_code == 404  # no staff bot configured here
        assert garbage.status_code == 400
        assert ready.status_code == 200 and ready.json() == {"status": "ok"}
        assert not botapi.calls_to("getUpdates")

    assert await _count(hook_settings, ProcessedUpdate) == 2  # /start and the press
    assert await _count(hook_settings, ConversationStateRow) == 1


def _payload_of_press(double: BotApiDouble, update_id: int) -> dict[str, object]:
    """The callback_query update ``update_id`` as the double delivered it."""
    message = next(m for m in double.sent if m.chat_id == LEARNER and m.buttons)
    return {
        "update_id": update_id,
        "callback_query": {
            "id": "1",
            "from": {"id": LEARNER, "is_bot": False, "first_name": "Learner"},
            "chat_instance": f"-{LEARNER}",
            "data": message.buttons[0][0]["callback_data"],
            "message": {
                "message_id": message.message_id,
                "chat": {"id": LEARNER, "type": "private", "first_name": "Learner"},
                "date": 0,
            },
        },
    }


async def test_a_staff_bot_by_webhook_gets_its_own_route(
    hook_settings: Settings, botapi: BotApiDouble
) -> None:
    async with BotApiDouble(STAFF_TOKEN, bot_id=7000000002, bot_username="staff_bot") as staff:
        settings = hook_settings.model_copy(
            update={"learner_bot_token": None, "staff_bot_token": SecretStr(STAFF_TOKEN)}
        )
        settings = settings.model_copy(
            update={
                "telegram_base_url": staff.base_url,
                "telegram_base_file_url": staff.base_file_url,
            }
        )
        async with serving(settings, staff) as address:
            assert staff.calls_to("setWebhook")[0].params["url"] == f"{address}/telegram/staff"
            sent = await staff.push_command(630009, "start")
            await staff.wait_for_messages(630009, 1, timeout=15)
            await staff.wait_until(lambda: staff.webhook_delivered(sent), timeout=15)
            assert "Pa iaith" in staff.messages_to(630009)[0].text
