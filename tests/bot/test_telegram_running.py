"""Running bots in one event loop: per-chat ordering, two bots polling, and the webhook mode."""

from __future__ import annotations

import asyncio
import socket

from bot.telegram import build_application, run_bots
from core.channel import Channel, Inbound, Reply
from tests.bot.conftest import RunBot
from tests.bot.handlers import LEARNER, FailingHandler, RecordingHandler, settings_for
from tests.support.botapi_double import BotApiDouble

OTHER_LEARNER = 515151


class FirstWaitsForOtherChat:
    """Hold the first learner's first message until the other learner's message has been handled."""

    def __init__(self) -> None:
        self.other_handled = asyncio.Event()
        self.order: list[tuple[str, str]] = []

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Block on the first message from LEARNER; record the order of everything."""
        if inbound.chat_id == str(LEARNER) and inbound.text == "1":
            await asyncio.wait_for(self.other_handled.wait(), 5)
        if inbound.chat_id == str(OTHER_LEARNER):
            self.other_handled.set()
        self.order.append((inbound.chat_id, inbound.text))
        return [Reply(f"done {inbound.text}")]


async def test_chats_are_handled_concurrently_but_each_in_order(
    botapi: BotApiDouble, run_bot: RunBot
) -> None:
    handler = FirstWaitsForOtherChat()
    async with run_bot(handler):
        for text in ("1", "2", "3"):
            await botapi.push_text(LEARNER, text)
        await botapi.push_text(OTHER_LEARNER, "x")
        mine = await botapi.wait_for_messages(LEARNER, 3)

    # the other learner was not held up behind the slow step...
    assert handler.order[0] == (str(OTHER_LEARNER), "x")
    # ...and the first learner's messages were handled and answered in the order sent
    assert [text for chat, text in handler.order if chat == str(LEARNER)] == ["1", "2", "3"]
    assert [m.text for m in mine] == ["done 1", "done 2", "done 3"]


async def test_run_bots_polls_the_learner_and_staff_bots_in_one_loop() -> None:
    learner, staff = RecordingHandler(), FailingHandler()
    async with (
        BotApiDouble() as learner_api,
        BotApiDouble("987654321:STAFF-TEST-TOKEN", bot_username="llais_staff_bot") as staff_api,
    ):
        settings = settings_for(learner_api)
        apps = [
            build_application(learner_api.token, settings, learner),
            build_application(
                staff_api.token,
                settings_for(staff_api),
                staff,
                channel=Channel.STAFF_TELEGRAM,
                bot_kind="staff",
            ),
        ]
        stop = asyncio.Event()
        running = asyncio.create_task(run_bots(apps, stop, settings))
        await learner_api.wait_for_call("getUpdates")
        await staff_api.wait_for_call("getUpdates")
        await learner_api.push_text(LEARNER, "helo")
        await staff_api.push_text(LEARNER, "ack")
        await learner_api.wait_for_messages(LEARNER, 1)
        [apology] = await staff_api.wait_for_messages(LEARNER, 1)
        stop.set()
        await asyncio.wait_for(running, 10)

    assert [(e.channel, e.text) for e in learner.events] == [("telegram", "helo")]
    assert staff.calls == 1
    assert "safeguarding lead" in apology.text
    assert "Childline" not in apology.text
    assert learner_api.unknown_calls == staff_api.unknown_calls == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
