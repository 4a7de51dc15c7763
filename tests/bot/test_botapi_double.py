"""The Bot API double speaks the wire format: form and JSON bodies, errors, long polling."""

from __future__ import annotations

import asyncio
import time

import httpx

from tests.support.botapi_double import BotApiDouble


async def test_form_and_json_bodies_are_read_as_the_bot_api_types(botapi: BotApiDouble) -> None:
    url = f"{botapi.base_url}{botapi.token}/sendMessage"
    async with httpx.AsyncClient() as client:
        form = await client.post(url, data={"chat_id": "42", "text": "123"})
        body = await client.post(url, json={"chat_id": 42, "text": "456"})

    assert form.json()["ok"] and body.json()["ok"]
    assert [(m.chat_id, m.text) for m in botapi.sent] == [(42, "123"), (42, "456")]
    assert form.json()["result"]["message_id"] + 1 == body.json()["result"]["message_id"]


async def test_unknown_methods_and_wrong_tokens_get_bot_api_errors(botapi: BotApiDouble) -> None:
    async with httpx.AsyncClient() as client:
        unknown = await client.post(f"{botapi.base_url}{botapi.token}/sendDice", data={})
        stranger = await client.post(f"{botapi.base_url}1:WRONG/getMe")

    assert unknown.status_code == 404
    assert unknown.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    assert stranger.status_code == 401
    assert [call.method for call in botapi.unknown_calls] == ["sendDice"]
    botapi.unknown_calls.clear()  # this test hit one on purpose


async def test_a_long_poll_returns_as_soon_as_an_update_is_pushed(botapi: BotApiDouble) -> None:
    url = f"{botapi.base_url}{botapi.token}/getUpdates"
    async with httpx.AsyncClient(timeout=15) as client:
        started = time.monotonic()
        poll = asyncio.create_task(client.post(url, data={"timeout": "10"}))
        await botapi.wait_for_call("getUpdates")
        update_id = await botapi.push_text(7, "hi")
        first = (await poll).json()["result"]
        elapsed = time.monotonic() - started
        # confirming with offset removes it; a zero timeout returns at once
        after = (await client.post(url, data={"offset": str(update_id + 1)})).json()["result"]

    assert elapsed < 5
    assert [u["update_id"] for u in first] == [update_id]
    assert first[0]["message"]["text"] == "hi"
    assert after == []
    assert botapi.pending_updates == 0
