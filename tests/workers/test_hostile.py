"""Hostile input at both channels: hypothesis throws malformed and hostile Telegram updates at
both bots' webhook routes (through ``llais serve``, real python-telegram-bot and the Bot API
double), and hostile form posts at every form the web app takes; nothing is unhandled: no 5xx,
and no error logged by the bots' error handler or the web app's."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from core.settings import Settings
from tests.staff.conftest import STAFF_TOKEN
from tests.support.botapi_double import BotApiDouble
from tests.workers.test_webhooks import HOOK_SECRET, serving

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# more by hand: 400 ran clean on 2026-12-01
EXAMPLES = int(os.environ.get("LLAIS_HOSTILE_EXAMPLES", "50"))
HANDLED = {200, 400, 403, 404, 405, 413, 415, 422, 429}

ids = st.one_of(st.integers(-(2**63), 2**63), st.integers(1, 10**6), st.text(max_size=5))
hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=4000, max_size=5000),
    st.sampled_from(
        ["/start", "/start@other_bot x", "/", "/mydata", "\u202e\u0000", "I want to die"]
    ),
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
users = st.fixed_dictionaries(
    {"id": ids, "is_bot": st.booleans(), "first_name": st.text(max_size=10)},
    optional={"language_code": st.text(max_size=5)},
)
chats = st.fixed_dictionaries(
    {"id": ids, "type": st.sampled_from(["private", "group", "supergroup", "channel", "odd"])}
)
entities = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["bot_command", "bold", "url", "nonsense"]),
            "offset": st.integers(-5, 50),
            "length": st.integers(-5, 50),
        }
    ),
    max_size=3,
)
messages = st.fixed_dictionaries(
    {"message_id": ids, "date": st.integers(-(2**31), 2**40), "chat": chats},
    optional={
        "from": users,
        "text": hostile_text,
        "caption": hostile_text,
        "entities": entities,
        "sticker": json_values,
        "photo": json_values,
        "edit_date": st.integers(0, 2**33),
    },
)
callbacks = st.fixed_dictionaries(
    {"id": st.text(max_size=10), "from": users, "chat_instance": st.text(max_size=10)},
    optional={
        "data": st.one_of(st.text(max_size=80), st.sampled_from(["ack:", "ack:nope", "x" * 64])),
        "message": messages,
    },
)
updates = st.one_of(
    st.fixed_dictionaries(
        {"update_id": ids},
        optional={
            "message": messages,
            "edited_message": messages,
            "channel_post": messages,
            "callback_query": callbacks,
        },
    ),
    json_values,
)
forms = st.dictionaries(st.text(max_size=20), st.text(max_size=200), max_size=6)


def _errors(records: list[logging.LogRecord]) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in records if r.levelno >= logging.ERROR]


@pytest.mark.timeout(180)
async def test_hostile_updates_and_form_posts_are_all_handled(
    hook_settings: Settings, botapi: BotApiDouble, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with BotApiDouble(STAFF_TOKEN, bot_id=7000000002, bot_username="staff_bot") as staff:
        botapi.also_serve(staff)
        config = hook_settings.model_copy(update={"staff_bot_token": SecretStr(STAFF_TOKEN)})
        async with serving(config, botapi) as address:
            from llais.app import running_app
            from web.app import create_web_app

            async with running_app(config) as probe:
                form_paths = [
                    route.path  # type: ignore[attr-defined]
                    for route in create_web_app(config, llais=probe).routes
                    if "POST" in getattr(route, "methods", set())
                    and not route.path.startswith("/telegram/")  # type: ignore[attr-defined]
                ]
            statuses: list[int] = []

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            @given(
                kind=st.sampled_from(["learner", "staff"]),
                update=updates,
                raw=st.one_of(st.none(), st.binary(max_size=300)),
                secret=st.sampled_from([HOOK_SECRET, HOOK_SECRET, HOOK_SECRET, "", "x" * 300]),
                form=forms,
            )
            def throw(kind: str, update: Any, raw: bytes | None, secret: str, form: Any) -> None:
                with httpx.Client(base_url=address, timeout=30) as client:
                    body = raw if raw is not None else None
                    answer = client.post(
                        f"/telegram/{kind}",
                        content=body,
                        json=None if body is not None else update,
                        headers={SECRET_HEADER: secret},
                    )
                    statuses.append(answer.status_code)
                    assert answer.status_code in HANDLED, answer.status_code
                    for path in form_paths:
                        posted = client.post(path, data=form)
                        statuses.append(posted.status_code)
                        assert posted.status_code < 500, (path, posted.status_code)

            await asyncio.to_thread(throw)

    assert statuses.count(200) > 10  # most updates got through to the bots
    assert _errors(caplog.records) == []
    assert botapi.unknown_calls == [] and staff.unknown_calls == []
