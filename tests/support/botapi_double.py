"""A local Telegram Bot API test double: a real aiohttp server on loopback.

Point python-telegram-bot's ``base_url`` at :attr:`BotApiDouble.base_url` and it talks HTTP to
this server exactly as it would to Telegram: ``/bot<TOKEN>/<method>`` with form-encoded, multipart
or JSON bodies, answered with Bot API JSON (``{"ok": true, "result": ...}``). Tests push updates
(private text, commands, button presses, stickers, group messages...) and read back what the bot
sent.

One double serves one bot token; run two doubles for two bots. After ``setWebhook`` the double
delivers updates as Telegram does in webhook mode: it POSTs each to the URL with the secret
header, one at a time per chat, and re-delivers one that got no 2xx (``webhook_statuses`` holds
every answer; a new connection each time, so a balancing proxy in front sees each call).

A request with another token gets Telegram's ``401 Unauthorized``; a method the double does not
serve gets ``404 Not Found`` and is recorded in :attr:`BotApiDouble.unknown_calls` so a test can
assert none were hit.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from core.settings import Settings

JsonDict = dict[str, Any]

# Parameters Telegram types as String: never JSON-decode these, so a text of "123" stays a string.
_STRING_PARAMETERS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "url",
        "secret_token",
        "ip_address",
        "inline_message_id",
        "description",
        "short_description",
        "name",
        "language_code",
        "parse_mode",
        "scope_type",
    }
)

DEFAULT_TOKEN = "123456789:LLAIS-TEST-TOKEN-not-a-real-one"


def _file(prefix: str, **fields: Any) -> JsonDict:
    return {"file_id": f"{prefix}-file-id", "file_unique_id": f"{prefix}-unique", **fields}


# Message content as Telegram sends it for each kind of non-text message.
MEDIA: dict[str, JsonDict] = {
    "sticker": {
        "sticker": _file(
            "sticker",
            type="regular",
            width=512,
            height=512,
            is_animated=False,
            is_video=False,
            emoji="🙂",
        )
    },
    "photo": {"photo": [_file(f"photo{w}", width=w, height=w) for w in (90, 320)]},
    "voice": {"voice": _file("voice", duration=3, mime_type="audio/ogg")},
    "video": {"video": _file("video", width=640, height=360, duration=5)},
    "video_note": {"video_note": _file("video-note", length=240, duration=4)},
    "audio": {"audio": _file("audio", duration=120, title="Song")},
    "animation": {
        "animation": _file("gif", width=320, height=240, duration=2),
        "document": _file("gif", file_name="funny.gif.mp4"),
    },
    "document": {"document": _file("doc", file_name="homework.pdf", mime_type="application/pdf")},
    "location": {"location": {"latitude": 51.48, "longitude": -3.18}},
    "contact": {"contact": {"phone_number": "+440000000000", "first_name": "Friend"}},
    "dice": {"dice": {"emoji": "🎲", "value": 4}},
    "poll": {
        "poll": {
            "id": "1",
            "question": "Pizza?",
            "options": [
                {"persistent_id": "a", "text": "Yes", "voter_count": 0},
                {"persistent_id": "b", "text": "No", "voter_count": 0},
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,  # required since Bot API 9.6
            "members_only": False,  # required since Bot API 10.0
        }
    },
}


@dataclass
class ApiCall:
    """One Bot API request the double received."""

    method: str
    params: JsonDict


@dataclass
class SentMessage:
    """A message the bot sent, as the double stores it (edits update it in place)."""

    chat_id: int
    message_id: int
    text: str
    reply_markup: JsonDict | None
    edits: list[JsonDict] = field(default_factory=list)

    @property
    def buttons(self) -> list[list[JsonDict]]:
        """The inline keyboard rows, or an empty list."""
        if not self.reply_markup:
            return []
        rows: list[list[JsonDict]] = self.reply_markup.get("inline_keyboard", [])
        return rows

    @property
    def button_labels(self) -> list[str]:
        """Every inline button label, row by row."""
        return [button["text"] for row in self.buttons for button in row]


@dataclass
class _PendingUpdate:
    update_id: int
    payload: JsonDict


class BotApiError(Exception):
    """Raised inside a method handler to answer with a Bot API error."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


class BotApiDouble:
    """A Bot API server on 127.0.0.1 with helpers to push updates and inspect what the bot sent."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_id: int = 7000000001,
        bot_username: str = "llais_test_bot",
    ) -> None:
        self.token = token
        self.bot_user: JsonDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Llais",
            "username": bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[ApiCall] = []
        self.unknown_calls: list[ApiCall] = []
        self.sent: list[SentMessage] = []
        # the same messages by chat: a test waiting on one chat's replies looks only at those
        # (with many chats waiting at once, scanning every message on every request adds up)
        self._sent_to: dict[int, list[SentMessage]] = {}
        self.callback_answers: list[JsonDict] = []
        self.blocked: set[int] = set()  # chats whose user blocked the bot: sends get 403
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_retry_delay = 0.2  # seconds between re-deliveries (Telegram backs off more)
        self.webhook_attempts = 50
        self.webhook_statuses: dict[int, list[int]] = {}  # update id -> answers (0: no answer)
        self._chat_gates: dict[int, asyncio.Lock] = {}
        self._others: dict[str, BotApiDouble] = {}
        self._client: aiohttp.ClientSession | None = None
        self._deliveries: set[asyncio.Task[None]] = set()
        self.commands: list[JsonDict] = []
        self._pending: list[_PendingUpdate] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._known_callbacks: set[str] = set()
        self._chats: dict[int, JsonDict] = {}
        self._changed = asyncio.Condition()
        self._holds: dict[str, asyncio.Event] = {}
        self.held = 0  # requests waiting on a hold now
        self.waiting_polls = 0  # getUpdates long polls waiting for an update now
        self._closing = False
        # opt-in: Telegram's broadcast limits (limit_rate)
        self._rate: tuple[float, float, int] | None = None
        self._recent_sends: collections.deque[float] = collections.deque()
        self._last_send_to: dict[int, float] = {}
        self.rate_limited = 0  # sendMessage requests answered 429
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._methods: dict[str, Callable[[JsonDict], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "sendChatAction": self._true,
            "leaveChat": self._true,
        }

    # ---- lifecycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to give python-telegram-bot as ``base_url`` (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What to give python-telegram-bot as ``base_file_url``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        """Start serving on a free loopback port."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Release any waiting long polls and held requests, and stop serving."""
        self._closing = True
        for task in list(self._deliveries):
            task.cancel()
        if self._client is not None:
            await self._client.close()
            self._client = None
        for gate in self._holds.values():
            gate.set()
        await self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiDouble:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ---- HTTP ------------------------------------------------------------------------------

    def also_serve(self, other: BotApiDouble) -> None:
        """Answer ``other``'s token here too, from ``other``'s state: one ``base_url`` for two
        bots, as Telegram has (a process running both bots has one base URL setting)."""
        self._others[other.token] = other

    async def _dispatch(self, request: web.Request) -> web.Response:
        other = self._others.get(request.match_info["token"])
        if other is not None:
            return await other._dispatch(request)
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method_name = request.match_info["method"]
        params = await _read_params(request)
        call = ApiCall(method_name, params)
        self.calls.append(call)  # on arrival, so a test can see a long poll is waiting
        await self._notify()
        method = self._find_method(method_name)
        if method is None:
            self.unknown_calls.append(call)
            return _error(404, "Not Found: method not found")
        gate = self._holds.get(method_name.lower())
        if gate is not None and not gate.is_set():
            self.held += 1
            await self._notify()
            try:
                await gate.wait()
            finally:
                self.held -= 1
        try:
            result = await method(params)
        except BotApiError as exc:
            return _error(exc.code, exc.description, exc.retry_after)
        finally:
            await self._notify()
        return web.json_response({"ok": True, "result": result})

    def limit_rate(
        self, per_second: float = 30.0, per_chat_seconds: float = 1.0, retry_after: int = 1
    ) -> None:
        """Opt in to Telegram's limits: a sendMessage beyond ``per_second`` in the last second,
        or within ``per_chat_seconds`` of the last one to the same chat, is answered 429 with
        ``retry_after``, as Telegram does."""
        self._rate = (per_second, per_chat_seconds, retry_after)

    def _check_rate(self, chat_id: int) -> None:
        if self._rate is None:
            return
        per_second, per_chat, retry_after = self._rate
        now = time.monotonic()
        while self._recent_sends and self._recent_sends[0] <= now - 1.0:
            self._recent_sends.popleft()
        last = self._last_send_to.get(chat_id)
        if len(self._recent_sends) >= per_second or (last is not None and now - last < per_chat):
            self.rate_limited += 1
            raise BotApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        self._recent_sends.append(now)
        self._last_send_to[chat_id] = now

    def hold(self, method: str) -> asyncio.Event:
        """Keep every ``method`` request waiting, unanswered, until the returned event is set."""
        gate = asyncio.Event()
        self._holds[method.lower()] = gate
        return gate

    def _find_method(self, name: str) -> Callable[[JsonDict], Awaitable[Any]] | None:
        # Telegram method names are case-insensitive
        for known, method in self._methods.items():
            if known.lower() == name.lower():
                return method
        return None

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---- methods ---------------------------------------------------------------------------

    async def _true(self, params: JsonDict) -> bool:
        return True

    async def _get_me(self, params: JsonDict) -> JsonDict:
        return self.bot_user

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            # an offset confirms every update before it, as on Telegram
            self._pending = [u for u in self._pending if u.update_id >= offset]
        deadline = time.monotonic() + timeout
        async with self._changed:
            self.waiting_polls += 1
            self._changed.notify_all()
            try:
                while not self._pending and not self._closing:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    try:
                        await asyncio.wait_for(self._changed.wait(), remaining)
                    except TimeoutError:
                        break
            finally:
                self.waiting_polls -= 1
        return [u.payload for u in self._pending[:limit]]

    async def _delete_webhook(self, params: JsonDict) -> bool:
        self.webhook_url = ""
        if _truthy(params.get("drop_pending_updates")):
            self._pending.clear()
        return True

    async def _set_webhook(self, params: JsonDict) -> bool:
        self.webhook_url = str(params.get("url") or "")
        self.webhook_secret = str(params.get("secret_token") or "")
        if _truthy(params.get("drop_pending_updates")):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: JsonDict) -> JsonDict:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": 0 if self.webhook_url else len(self._pending),
        }

    async def _send_message(self, params: JsonDict) -> JsonDict:
        chat_id = _chat_id(params)
        if chat_id in self.blocked:
            raise BotApiError(403, "Forbidden: bot was blocked by the user")
        text = str(params.get("text") or "")
        if not text.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise BotApiError(400, "Bad Request: message is too long")
        markup = _markup(params)
        _check_callback_data(markup)
        self._check_rate(chat_id)
        message = SentMessage(chat_id, next(self._message_ids), text, markup)
        self.sent.append(message)
        self._sent_to.setdefault(chat_id, []).append(message)
        return self._message_json(message)

    async def _edit_message_text(self, params: JsonDict) -> JsonDict:
        message = self._find_sent(params)
        text = str(params.get("text") or "")
        if not text.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        markup = _markup(params)
        if text == message.text and markup == message.reply_markup:
            raise BotApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message.edits.append({"text": text, "reply_markup": markup})
        message.text, message.reply_markup = text, markup
        return self._message_json(message)

    async def _edit_message_reply_markup(self, params: JsonDict) -> JsonDict:
        message = self._find_sent(params)
        markup = _markup(params)
        if markup == message.reply_markup:
            raise BotApiError(400, "Bad Request: message is not modified")
        message.edits.append({"reply_markup": markup})
        message.reply_markup = markup
        return self._message_json(message)

    async def _answer_callback_query(self, params: JsonDict) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._known_callbacks:
            raise BotApiError(400, "Bad Request: query is too old and response timeout expired")
        self.callback_answers.append(params)
        return True

    async def _set_my_commands(self, params: JsonDict) -> bool:
        self.commands = list(params.get("commands") or [])
        return True

    async def _delete_my_commands(self, params: JsonDict) -> bool:
        self.commands = []
        return True

    async def _get_my_commands(self, params: JsonDict) -> list[JsonDict]:
        return self.commands

    def _find_sent(self, params: JsonDict) -> SentMessage:
        if "inline_message_id" in params:
            raise BotApiError(400, "Bad Request: inline messages are not used by this bot")
        chat_id, message_id = _chat_id(params), int(params.get("message_id") or 0)
        for message in self.sent:
            if message.chat_id == chat_id and message.message_id == message_id:
                return message
        raise BotApiError(400, "Bad Request: message to edit not found")

    def _message_json(self, message: SentMessage) -> JsonDict:
        payload: JsonDict = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": self._chats.get(message.chat_id, _private_chat(message.chat_id)),
            "date": int(time.time()),
            "text": message.text,
        }
        if message.edits:
            payload["edit_date"] = int(time.time())
        if message.reply_markup and message.reply_markup.get("inline_keyboard"):
            payload["reply_markup"] = message.reply_markup
        return payload

    # ---- pushing updates -------------------------------------------------------------------

    async def push_update(self, payload: JsonDict) -> int:
        """Queue a raw update (without ``update_id``) for the next getUpdates, or with a webhook
        set deliver it there; return its id."""
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **payload}
        if self.webhook_url:
            task = asyncio.create_task(self._deliver(update_id, update))
            self._deliveries.add(task)
            task.add_done_callback(self._deliveries.discard)
            return update_id
        self._pending.append(_PendingUpdate(update_id, update))
        await self._notify()
        return update_id

    async def _deliver(self, update_id: int, update: JsonDict) -> None:
        """POST ``update`` to the webhook until it is answered 2xx (in order within its chat)."""
        statuses = self.webhook_statuses.setdefault(update_id, [])
        gate = self._chat_gates.setdefault(_update_chat(update), asyncio.Lock())
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret}
        async with gate:
            for _ in range(self.webhook_attempts):
                try:
                    async with self._webhook_client().post(
                        self.webhook_url,
                        json=update,
                        headers=headers,
                        timeout=aiohttp.ClientTimeout(total=60),
                    ) as response:
                        statuses.append(response.status)
                        if 200 <= response.status < 300:
                            break
                except (aiohttp.ClientError, TimeoutError):
                    statuses.append(0)
                await asyncio.sleep(self.webhook_retry_delay)
        await self._notify()

    def _webhook_client(self) -> aiohttp.ClientSession:
        if self._client is None:
            # a new connection for every call, so a balancing proxy in front sees each one
            connector = aiohttp.TCPConnector(force_close=True, limit=0)
            self._client = aiohttp.ClientSession(connector=connector)
        return self._client

    def webhook_delivered(self, update_id: int) -> bool:
        """Whether the webhook answered 2xx for the update."""
        return any(200 <= code < 300 for code in self.webhook_statuses.get(update_id, []))

    async def push_message(
        self,
        user_id: int,
        content: JsonDict,
        *,
        chat: JsonDict | None = None,
        kind: str = "message",
    ) -> int:
        """Queue a message update with ``content`` (text, sticker, photo...); return its id."""
        chat = chat or _private_chat(user_id)
        self._chats[chat["id"]] = chat
        message: JsonDict = {
            "message_id": next(self._message_ids),
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        if chat["type"] != "channel":
            message["from"] = _user(user_id)
        return await self.push_update({kind: message})

    async def push_text(self, user_id: int, text: str, chat_type: str = "private") -> int:
        """Queue a text from ``user_id``; another ``chat_type`` sends it to a group or channel."""
        if chat_type != "private":
            return await self.push_group_text(user_id, text, chat_type)
        return await self.push_message(user_id, {"text": text})

    async def push_group_text(self, user_id: int, text: str, chat_type: str = "supergroup") -> int:
        """Queue a text message in a group, supergroup or channel."""
        kind = "channel_post" if chat_type == "channel" else "message"
        return await self.push_message(
            user_id, {"text": text}, chat=_chat(user_id, chat_type), kind=kind
        )

    async def push_command(
        self, user_id: int, command: str, args: str = "", *, mention: str = ""
    ) -> int:
        """Queue ``/command[@mention] [args]`` with a bot_command entity, as Telegram sends it."""
        name = f"/{command}" + (f"@{mention}" if mention else "")
        text = f"{name} {args}" if args else name
        entity = {"type": "bot_command", "offset": 0, "length": len(name)}
        return await self.push_message(user_id, {"text": text, "entities": [entity]})

    async def push_edited_text(self, user_id: int, text: str, message_id: int) -> int:
        """Queue an edited_message update: ``message_id`` now says ``text``."""
        now = int(time.time())
        message = {
            "message_id": message_id,
            "from": _user(user_id),
            "chat": _private_chat(user_id),
            "date": now - 30,
            "edit_date": now,
            "text": text,
        }
        return await self.push_update({"edited_message": message})

    async def push_media(self, user_id: int, kind: str, caption: str = "") -> int:
        """Queue a non-text message of ``kind`` (a key of ``MEDIA``) with an optional caption."""
        content = dict(MEDIA[kind])
        if caption:
            content["caption"] = caption
        return await self.push_message(user_id, content)

    async def push_sticker(self, user_id: int) -> int:
        """Queue a sticker from ``user_id``."""
        return await self.push_media(user_id, "sticker")

    async def push_photo(self, user_id: int, caption: str = "") -> int:
        """Queue a photo (two sizes, as Telegram sends) with an optional caption."""
        return await self.push_media(user_id, "photo", caption)

    async def push_voice(self, user_id: int) -> int:
        """Queue a voice note from ``user_id``."""
        return await self.push_media(user_id, "voice")

    async def push_callback(self, user_id: int, data: str, message_id: int) -> int:
        """Queue a button press on the bot's message ``message_id`` in ``user_id``'s chat."""
        query_id = str(next(self._callback_ids))
        self._known_callbacks.add(query_id)
        message = next(
            (m for m in self.sent if m.chat_id == user_id and m.message_id == message_id), None
        )
        query: JsonDict = {
            "id": query_id,
            "from": _user(user_id),
            "chat_instance": f"-{user_id}",
            "data": data,
        }
        if message is not None:
            query["message"] = self._message_json(message)
        else:  # Telegram's InaccessibleMessage
            query["message"] = {"chat": _private_chat(user_id), "message_id": message_id, "date": 0}
        return await self.push_update({"callback_query": query})

    async def press(self, user_id: int, label: str) -> int:
        """Press the button labelled ``label`` on the last message with buttons sent to the user."""
        for message in reversed(self.sent):
            if message.chat_id == user_id and message.buttons:
                for button in _iter_buttons(message):
                    if button["text"] == label:
                        return await self.push_callback(
                            user_id, button["callback_data"], message.message_id
                        )
                raise AssertionError(f"no button {label!r} in {message.button_labels}")
        raise AssertionError(f"no message with buttons was sent to {user_id}")

    # ---- waiting ---------------------------------------------------------------------------

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until ``condition()`` holds after a request; fail after ``timeout`` seconds."""
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(condition), timeout)
            except TimeoutError:
                recent = [call.method for call in self.calls[-15:]]
                raise AssertionError(
                    f"timed out after {timeout}s; {len(self.calls)} calls, the last: {recent}"
                ) from None

    async def wait_for_messages(
        self,
        chat_id: int,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - fails with the calls so far, unlike asyncio.timeout
    ) -> list[SentMessage]:
        """Wait until at least ``n`` messages were sent to ``chat_id``; return all sent there."""
        await self.wait_until(lambda: len(self.messages_to(chat_id)) >= n, timeout)
        return self.messages_to(chat_id)

    async def wait_for_call(
        self,
        method: str,
        n: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - fails with the calls so far
    ) -> list[ApiCall]:
        """Wait until ``method`` was called at least ``n`` times; return those calls."""
        await self.wait_until(lambda: len(self.calls_to(method)) >= n, timeout)
        return self.calls_to(method)

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """Every message sent to ``chat_id``, oldest first."""
        return list(self._sent_to.get(chat_id, ()))

    def calls_to(self, method: str) -> list[ApiCall]:
        """Every call of ``method``, oldest first."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    @property
    def pending_updates(self) -> int:
        """How many updates the bot has not yet confirmed."""
        return len(self._pending)


@pytest.fixture
async def botapi() -> AsyncIterator[BotApiDouble]:
    """A running Bot API double; fails the test if the bot called a method it does not serve."""
    async with BotApiDouble() as double:
        yield double
    assert double.unknown_calls == [], [call.method for call in double.unknown_calls]


def _iter_buttons(message: SentMessage) -> Iterator[JsonDict]:
    for row in message.buttons:
        yield from row


def _error(code: int, description: str, retry_after: int | None = None) -> web.Response:
    body: JsonDict = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=code)


async def _read_params(request: web.Request) -> JsonDict:
    """Read Bot API parameters from the query string and a form, multipart or JSON body."""
    params: JsonDict = {key: _decode(key, value) for key, value in request.query.items()}
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = _decode(key, value)
            elif isinstance(value, web.FileField):
                params[key] = {"filename": value.filename}
    return params


def _decode(key: str, value: str) -> Any:
    # PTB form-encodes strings as they are and everything else (ints, bools, objects) as JSON
    if key in _STRING_PARAMETERS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _truthy(value: Any) -> bool:
    return value is True or value == "true"


def _chat_id(params: JsonDict) -> int:
    try:
        return int(params["chat_id"])
    except (KeyError, TypeError, ValueError):
        raise BotApiError(400, "Bad Request: chat not found") from None


def _markup(params: JsonDict) -> JsonDict | None:
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        raise BotApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    return markup if markup.get("inline_keyboard") else None


def _check_callback_data(markup: JsonDict | None) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data", "")
            if not 1 <= len(data.encode("utf-8")) <= 64:
                raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _user(user_id: int) -> JsonDict:
    return {"id": user_id, "is_bot": False, "first_name": "Learner", "language_code": "en"}


def _private_chat(user_id: int) -> JsonDict:
    return {"id": user_id, "type": "private", "first_name": "Learner"}


def _chat(user_id: int, chat_type: str) -> JsonDict:
    if chat_type == "private":
        return _private_chat(user_id)
    if chat_type == "group":
        return {"id": -(user_id % 10**9) - 1, "type": "group", "title": "Year 10 group"}
    return {"id": -1000000000000 - user_id, "type": chat_type, "title": "Year 10 channel"}


def _update_chat(update: JsonDict) -> int:
    """The chat an update belongs to (0 when it has none), for per-chat delivery order."""
    for kind in ("message", "edited_message", "channel_post"):
        if isinstance(update.get(kind), dict):
            return int(update[kind].get("chat", {}).get("id", 0))
    query = update.get("callback_query")
    if isinstance(query, dict):
        return int(query.get("from", {}).get("id", 0))
    return 0


def pointed_at(base: Settings, double: BotApiDouble, **more: object) -> Settings:
    """``base`` with the bots pointed at ``double`` (and no real learner token), plus ``more``."""
    return base.model_copy(
        update={
            "telegram_base_url": double.base_url,
            "telegram_base_file_url": double.base_file_url,
            "learner_bot_token": None,
            **more,
        }
    )
