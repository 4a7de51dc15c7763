"""The rasa backend against a local aiohttp server: good answers pass, failures fall back."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from core.vocabulary import Language
from nlu.builtin import BuiltinBackend
from nlu.rasa_client import RasaBackend

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RASA_ANSWER = {
    "text": "(not echoed)",
    "intent": {"name": "topic_sleep", "confidence": 0.91},
    "entities": [],
    "intent_ranking": [
        {"name": "topic_sleep", "confidence": 0.91},
        {"name": "feeling_low", "confidence": 0.05},
    ],
}


@asynccontextmanager
async def rasa_double(handler: Handler) -> AsyncIterator[tuple[str, list[web.Request]]]:
    """Serve ``handler`` at POST /model/parse on a free port; yield its URL and requests."""
    seen: list[web.Request] = []

    async def recording(request: web.Request) -> web.StreamResponse:
        seen.append(request)
        return await handler(request)

    app = web.Application()
    app.router.add_post("/model/parse", recording)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


async def answer(request: web.Request) -> web.StreamResponse:
    await request.json()
    return web.json_response(RASA_ANSWER)


async def test_a_good_answer_is_used_and_the_token_sent(builtin_backend: BuiltinBackend) -> None:
    async with rasa_double(answer) as (url, seen):
        backend = RasaBackend(url, builtin_backend, token="s3cret", timeout=1.0)
        result = await backend.parse("dw i methu cysgu", Language.EN)
        await backend.aclose()
    assert (result.intent, result.confidence, result.language) == ("topic_sleep", 0.91, "cy")
    assert result.ranking == (("topic_sleep", 0.91), ("feeling_low", 0.05))
    assert seen[0].query["token"] == "s3cret"


async def test_a_slow_server_falls_back_to_builtin(builtin_backend: BuiltinBackend) -> None:
    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(1.5)
        return await answer(request)

    async with rasa_double(slow) as (url, _):
        backend = RasaBackend(url, builtin_backend, timeout=0.2)
        started = asyncio.get_running_loop().time()
        result = await backend.parse("diolch yn fawr")
        elapsed = asyncio.get_running_loop().time() - started
        await backend.aclose()
    assert result == builtin_backend.parse_sync("diolch yn fawr")
    assert elapsed < 1.0


async def test_server_errors_and_bad_answers_fall_back(builtin_backend: BuiltinBackend) -> None:
    async def error(request: web.Request) -> web.StreamResponse:
        return web.Response(status=500, text="boom")

    async def not_json(request: web.Request) -> web.StreamResponse:
        return web.Response(status=200, text="<html>")

    async def wrong_shape(request: web.Request) -> web.StreamResponse:
        return web.json_response({"intent": {"confidence": 3}})

    for handler in (error, not_json, wrong_shape):
        async with rasa_double(handler) as (url, seen):
            backend = RasaBackend(url, builtin_backend, timeout=1.0, cooldown=0)
            result = await backend.parse("thanks so much")
            await backend.aclose()
        assert seen, handler.__name__
        assert result == builtin_backend.parse_sync("thanks so much"), handler.__name__


async def test_no_server_listening_falls_back(builtin_backend: BuiltinBackend) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = RasaBackend(f"http://127.0.0.1:{port}", builtin_backend, timeout=1.0)
    result = await backend.parse("i need someone to talk to", Language.EN)
    await backend.aclose()
    assert result.intent == "ask_help" and result.language == "en"


async def test_after_a_failure_rasa_is_skipped_until_the_cooldown_ends(
    builtin_backend: BuiltinBackend,
) -> None:
    calls = 0

    async def flaky(request: web.Request) -> web.StreamResponse:
        nonlocal calls
        calls += 1
        if calls == 1:
            return web.Response(status=503)
        return await answer(request)

    async with rasa_double(flaky) as (url, _):
        backend = RasaBackend(url, builtin_backend, timeout=1.0, cooldown=0.3)
        first = await backend.parse("helo")
        second = await backend.parse("helo")
        await asyncio.sleep(0.35)
        third = await backend.parse("helo")
        await backend.aclose()
    assert first.intent == second.intent == "greet"
    assert calls == 2 and third.intent == "topic_sleep"


async def test_the_token_never_reaches_the_logs(
    builtin_backend: BuiltinBackend, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with rasa_double(answer) as (url, seen):
        backend = RasaBackend(url, builtin_backend, token="tok-9f8e7d", timeout=1.0)
        await backend.parse("my private words")
        await backend.aclose()
    assert seen[0].query["token"] == "tok-9f8e7d"
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("aiohttp")]
    assert any("/model/parse" in line for line in ours)  # httpx did log the request
    assert not [line for line in ours if "tok-9f8e7d" in line or "my private words" in line]
