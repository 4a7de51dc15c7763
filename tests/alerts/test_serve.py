"""``llais serve`` with the staff bot token: the staff bot polls and the alert job delivers."""

from __future__ import annotations

import asyncio

from pydantic import SecretStr

from core.settings import Settings
from llais.app import running_app
from llais.commands.demo import seed_demo
from llais.commands.serve import serve
from tests.staff.conftest import STAFF_TOKEN, link_staff
from tests.support.botapi_double import BotApiDouble
from tests.support.learner import PlayedLearner

DSL = 630001


async def test_serve_runs_the_staff_bot_and_delivers_a_new_alert_promptly(
    settings: Settings, staff_api: BotApiDouble
) -> None:
    await seed_demo(settings.database_url)
    config = settings.model_copy(
        update={"staff_bot_token": SecretStr(STAFF_TOKEN), "alert_poll_seconds": 0.2}
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(config, stop))
    try:
        await staff_api.wait_for_call("getUpdates")
        await link_staff(staff_api, DSL, "DEMO-DSL")
        # a learner talks to another instance of the app on the same database
        async with running_app(settings) as other:
            played = PlayedLearner(other.learner, user_id="555777")
            for step in ("start", "English", "OK, got it", "DEMO-Y9", "I want to die"):
                if step == "start":
                    await played.command(step)
                elif step in ("English", "OK, got it"):
                    await played.press(step)
                else:
                    await played.say(step)
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
