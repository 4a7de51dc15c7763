"""The bots' requests go through aiohttp and PTB sees what it saw through httpx: the same
answers and errors, form-encoded parameters (multipart with files), its timeouts."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram import build_application
from bot.telegram.request import AiohttpRequest
from core.settings import Settings
from tests.bot.handlers import LEARNER, RecordingHandler
from tests.support.botapi_double import BotApiDouble
from tests.support.tcp_proxy import HOST

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def bot(botapi: BotApiDouble) -> AsyncIterator[Bot]:
    """A bot on the double whose requests go through ``AiohttpRequest``."""
    async with Bot(botapi.token, base_url=botapi.base_url, request=AiohttpRequest()) as bot:
        yield bot


async def serve(handler: Handler) -> tuple[web.AppRunner, str]:
    """A one-route server on loopback answering every path with ``handler``; its base URL."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://{HOST}:{port}"


async def test_the_application_sends_through_aiohttp(
    botapi: BotApiDouble, settings: Settings
) -> None:
    app = build_application(botapi.token, settings, RecordingHandler())
    assert isinstance(app.bot.request, AiohttpRequest)
    async with app:
        sent = await app.bot.send_message(LEARNER, "Shwmae! ŵ ŷ — 🙂")
    assert botapi.messages_to(LEARNER)[-1].text == "Shwmae! ŵ ŷ — 🙂"
    assert sent.text == "Shwmae! ŵ ŷ — 🙂" and sent.chat.id == LEARNER


async def test_parameters_keyboards_and_answers_arrive_as_through_httpx(
    botapi: BotApiDouble, bot: Bot
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Da iawn", callback_data="good")]])
    sent = await bot.send_message(LEARNER, "Sut wyt ti? & = + %", reply_markup=markup)

    message = botapi.messages_to(LEARNER)[-1]
    assert message.text == "Sut wyt ti? & = + %"
    assert message.button_labels == ["Da iawn"]
    assert sent.message_id == message.message_id
    assert (await bot.get_me()).username == botapi.bot_user["username"]


async def test_api_errors_keep_their_ptb_types(botapi: BotApiDouble, bot: Bot) -> None:
    botapi.blocked.add(LEARNER)
    with pytest.raises(Forbidden):
        await bot.send_message(LEARNER, "hello")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message("@nobody_here", "hello")


async def test_a_silent_server_times_out_as_ptb_expects() -> None:
    done = asyncio.Event()

    async def silent(request: web.Request) -> web.StreamResponse:
        await done.wait()
        return web.Response()

    runner, base = await serve(silent)
    try:
        async with AiohttpRequest(read_timeout=0.3) as request:
            started = time.monotonic()
            with pytest.raises(TimedOut):
                await request.post(f"{base}/botX/getMe")
            assert time.monotonic() - started < 2
        async with AiohttpRequest(read_timeout=3) as request:
            started = time.monotonic()
            with pytest.raises(TimedOut):  # a timeout given for one call wins
                await request.post(f"{base}/botX/getMe", read_timeout=0.2)
            assert time.monotonic() - started < 2
    finally:
        done.set()
        await runner.cleanup()


async def test_nobody_listening_is_a_network_error() -> None:
    async def answer(request: web.Request) -> web.StreamResponse:
        return web.Response()

    runner, base = await serve(answer)
    await runner.cleanup()  # the port is free again: connections are refused
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"{base}/botX/getMe")
    assert not isinstance(raised.value, TimedOut)


async def test_files_go_as_multipart_with_the_other_parameters() -> None:
    seen: dict[str, object] = {}

    async def upload(request: web.Request) -> web.StreamResponse:
        seen["type"] = request.content_type
        form = await request.post()
        seen["chat_id"] = form["chat_id"]
        document = form["document"]
        assert isinstance(document, web.FileField)
        seen["file"] = (document.filename, document.content_type, document.file.read())
        return web.json_response({"ok": True, "result": True})

    runner, base = await serve(upload)
    try:
        data = RequestData(
            [
                RequestParameter.from_input("chat_id", LEARNER),
                RequestParameter.from_input(
                    "document", InputFile(b"llythyr", filename="nodyn.txt", attach=False)
                ),
            ]
        )
        assert data.contains_files
        async with AiohttpRequest() as request:
            assert await request.post(f"{base}/botX/sendDocument", data) is True
    finally:
        await runner.cleanup()
    assert seen["type"] == "multipart/form-data"
    assert seen["chat_id"] == str(LEARNER)
    assert seen["file"] == ("nodyn.txt", "text/plain", b"llythyr")


async def test_form_parameters_and_the_user_agent() -> None:
    seen: dict[str, object] = {}

    async def record(request: web.Request) -> web.StreamResponse:
        seen["type"] = request.content_type
        seen["agent"] = request.headers.get("User-Agent")
        seen["form"] = dict(await request.post())
        return web.json_response({"ok": True, "result": {"ok": 1}})

    runner, base = await serve(record)
    try:
        data = RequestData(
            [
                RequestParameter.from_input("chat_id", LEARNER),
                RequestParameter.from_input("text", "Helô & croeso"),
                RequestParameter.from_input("entities", [{"type": "bold", "offset": 0}]),
            ]
        )
        async with AiohttpRequest() as request:
            assert await request.post(f"{base}/botX/sendMessage", data) == {"ok": 1}
            await request.shutdown()
            with pytest.raises(NetworkError, match="not initialized"):  # as through httpx
                await request.post(f"{base}/botX/sendMessage", data)
            await request.initialize()  # open again after a shutdown, as PTB may
            assert await request.post(f"{base}/botX/sendMessage", data) == {"ok": 1}
    finally:
        await runner.cleanup()
    assert seen["type"] == "application/x-www-form-urlencoded"
    assert seen["agent"] == AiohttpRequest.USER_AGENT
    form = seen["form"]
    assert isinstance(form, dict)
    assert form["chat_id"] == str(LEARNER) and form["text"] == "Helô & croeso"
    assert json.loads(form["entities"]) == [{"type": "bold", "offset": 0}]


async def test_a_proxy_in_the_environment_is_used_unless_the_host_is_exempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    async def proxy(request: web.Request) -> web.StreamResponse:
        asked.append(str(request.url))  # a proxy is asked for the absolute URL
        return web.json_response({"ok": True, "result": True})

    runner, base = await serve(proxy)
    monkeypatch.setenv("HTTP_PROXY", base)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    try:
        async with AiohttpRequest() as request:
            assert await request.post("http://api.telegram.invalid/botX/getMe") is True
            assert await request.post("http://api.telegram.invalid/botX/close") is True
        monkeypatch.setenv("NO_PROXY", "api.telegram.invalid")
        async with AiohttpRequest() as request:
            with pytest.raises(NetworkError):  # straight to a host that does not exist
                await request.post("http://api.telegram.invalid/botX/getMe")
    finally:
        await runner.cleanup()
    assert asked == [
        "http://api.telegram.invalid/botX/getMe",
        "http://api.telegram.invalid/botX/close",
    ]
