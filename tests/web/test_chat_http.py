"""The web chat over real HTTP without JavaScript: the whole learner journey, and every bad input
getting a clear page. On SQLite and PostgreSQL."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from core.settings import Settings
from llais.commands.demo import seed_demo
from storage.db import make_engine, make_sessionmaker
from storage.models import CheckinAnswer, MoodLog, SafeguardingAlert, WebMessage
from tests.support.live_server import Serve
from tests.web.chat_client import ChatClient
from web.app import create_web_app


@pytest.fixture
async def seeded(settings: Settings) -> Settings:
    await seed_demo(settings.database_url)
    return settings


@pytest.fixture
def base(serve: Serve, seeded: Settings) -> str:
    return serve(create_web_app(seeded))


@pytest.fixture
def learner(base: str) -> Iterator[ChatClient]:
    chat = ChatClient(base)
    yield chat
    chat.close()


async def _count(settings: Settings, model: type) -> int:
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        await engine.dispose()


def enrol(learner: ChatClient, *, language: str = "English", code: str = "DEMO-Y10") -> None:
    learner.open()
    (start,) = learner.choices  # the first page offers only the start, in the page's language
    learner.press(start)
    assert "Which language" in learner.last() or "Pa iaith" in learner.last()
    learner.press(language)
    learner.press("OK, got it" if language == "English" else "Iawn, dw i'n deall")
    learner.say(code)


async def test_a_learner_chats_from_first_visit_to_mydata_without_javascript(
    learner: ChatClient, seeded: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    page = learner.open()
    assert '<html lang="en"' in page and 'role="log"' in page
    assert learner.choices == {"Start chatting": "llais:start"}
    enrol(learner)
    assert "Year 10" in learner.last()
    learner.say("/checkin")
    for value in ("6", "7", "8", "4"):
        learner.press(value)
    learner.press("9")
    assert "anything you'd like your school" in learner.last()
    learner.say("more quiet spaces please")
    assert "Thank you" in learner.last()
    learner.say("/mood")
    learner.press("😐")
    learner.press("School work")
    learner.press("✅ Done")
    learner.press("Skip")
    assert "mood is logged" in learner.last()
    learner.say("/mydata")
    assert "Check-ins: 1" in learner.last() and "Mood logs: 1" in learner.last()
    assert "more quiet spaces please" in learner.messages  # the learner's own words, shown back
    assert await _count(seeded, CheckinAnswer) == 5
    assert await _count(seeded, MoodLog) == 1
    assert "more quiet spaces" not in caplog.text
    assert "DEMO-Y10" not in caplog.text


async def test_welsh_commands_and_a_welsh_page(learner: ChatClient) -> None:
    learner.client.headers["accept-language"] = "cy-GB,cy;q=0.9"
    assert "Dechrau sgwrsio" in learner.open()
    enrol(learner, language="Cymraeg", code="DEMO-Y8")
    assert '<html lang="cy"' in learner.page
    assert "Blwyddyn 8" in learner.last()
    learner.say("/fydata")
    assert "Blwyddyn 8" in learner.last()
    learner.say("/anhysbys")
    assert "/gwirio" in learner.last()


async def test_a_disclosure_mid_checkin_gets_crisis_contacts_and_exactly_one_alert(
    learner: ChatClient, seeded: Settings
) -> None:
    enrol(learner)
    learner.say("/checkin")
    learner.press("3")
    learner.say("my stepdad hits me every night")
    said = learner.last()
    assert "Childline" in said and "999" in said
    assert await _count(seeded, SafeguardingAlert) == 1
    learner.say("he hits me and I am scared")
    assert await _count(seeded, SafeguardingAlert) == 1  # the same alert, updated


async def test_forged_replayed_and_unsent_choices_get_a_clear_page(
    learner: ChatClient, seeded: Settings
) -> None:
    enrol(learner)
    learner.say("/checkin")
    old_turn, old_csrf = learner.turn, learner.csrf
    learner.press("5")
    replayed = learner.post({"csrf": old_csrf, "turn": old_turn, "choice": "5"})
    assert replayed.status_code == 409
    assert "That button was for an earlier question" in html.unescape(replayed.text)
    forged = learner.post({"csrf": learner.csrf, "turn": learner.turn, "choice": "admin:drop"})
    assert forged.status_code == 409
    assert "Traceback" not in forged.text


async def test_bad_requests_get_clear_pages_never_a_traceback(
    learner: ChatClient, base: str, seeded: Settings
) -> None:
    learner.open()
    missing = learner.post({"text": "hello"})
    assert missing.status_code == 403
    assert "only accept messages sent from the chat page" in html.unescape(missing.text)
    wrong_type = learner.client.post(
        "/chat", content=b'{"text": "hi"}', headers={"content-type": "application/json"}
    )
    assert wrong_type.status_code == 415
    assert "in a form I cannot read" in wrong_type.text
    huge = learner.post({"csrf": learner.csrf, "text": "x" * 40_000})
    assert huge.status_code == 413
    assert "That message is too long" in huge.text
    multipart = learner.client.post("/chat", files={"text": ("a.txt", b"hi")})
    assert multipart.status_code == 415
    not_found = learner.client.get("/chat/nothing")
    assert not_found.status_code == 404
    for response in (missing, wrong_type, huge, multipart, not_found):
        assert response.headers["content-type"].startswith("text/html")
        assert "Traceback" not in response.text
    assert await _count(seeded, WebMessage) == 0  # none of it reached the conversation


async def test_posts_are_rate_limited_per_device_with_a_kind_message(
    serve: Serve, seeded: Settings
) -> None:
    limited = seeded.model_copy(update={"web_rate_per_device": 3})
    learner = ChatClient(serve(create_web_app(limited)))
    try:
        learner.open()
        learner.press("Start chatting")  # before the device exists: counted for the session
        learner.press("English")
        learner.say("hello")
        learner.say("again")  # the device's third post this minute
        response = learner.post({"csrf": learner.csrf, "turn": learner.turn, "text": "more"})
        assert response.status_code == 429
        assert "Take a breath" in response.text
        assert response.headers["retry-after"] == "60"
    finally:
        learner.close()


async def test_posts_are_rate_limited_per_address(serve: Serve, seeded: Settings) -> None:
    limited = seeded.model_copy(update={"web_rate_per_address": 2})
    base = serve(create_web_app(limited))
    statuses = []
    for _ in range(3):
        learner = ChatClient(base)  # a new device each time, all from 127.0.0.1
        learner.open()
        form = {"csrf": learner.csrf, "turn": learner.turn, "choice": "llais:start"}
        statuses.append(learner.post(form).status_code)
        learner.close()
    assert statuses == [200, 200, 429]


async def test_an_ended_session_keeps_what_was_typed_and_asks_to_send_again(
    serve: Serve, seeded: Settings
) -> None:
    from tests.conftest import Clock

    clock = Clock(__import__("datetime").datetime.now(__import__("datetime").UTC))
    learner = ChatClient(serve(create_web_app(seeded, clock=clock)))
    try:
        learner.open()
        learner.press("Start chatting")
        learner.press("English")
        clock.now += __import__("datetime").timedelta(minutes=seeded.web_session_minutes + 1)
        response = learner.post({"csrf": learner.csrf, "turn": learner.turn, "text": "still here"})
        assert response.status_code == 200
        assert "press Send again" in html.unescape(response.text)
        assert ">still here</textarea>" in response.text
        assert learner.messages == [] or "still here" not in learner.messages
        learner.say("still here")
        assert "still here" in learner.messages
    finally:
        learner.close()


async def test_forget_this_device_explains_then_clears_the_cookie_and_the_transcript(
    learner: ChatClient, seeded: Settings
) -> None:
    enrol(learner)
    assert await _count(seeded, WebMessage) > 0
    explained = learner.client.get("/chat/forget")
    assert "does not delete what Llais keeps" in html.unescape(explained.text)
    learner.page = explained.text
    done = learner.client.post("/chat/forget", data={"csrf": learner.csrf})
    assert done.status_code == 200
    assert "This device has been forgotten" in done.text
    assert "llais_device" not in learner.client.cookies
    assert await _count(seeded, WebMessage) == 0
    page = learner.open()
    assert learner.choices == {"Start chatting": "llais:start"}
    assert "Year 10" not in page


async def test_delete_erases_the_transcript_and_forgets_the_device(
    learner: ChatClient, seeded: Settings
) -> None:
    enrol(learner)
    learner.say("/delete")
    assert "safeguarding lead" in learner.last()  # what stays is said before anything goes
    learner.press("Yes, erase it all")
    assert "Your data has been erased" in learner.page
    assert "llais_device" not in learner.client.cookies
    assert await _count(seeded, WebMessage) == 0
    page = learner.open()
    assert learner.choices == {"Start chatting": "llais:start"}  # a new, empty chat
    assert "Year 10" not in page and learner.messages == []


def test_get_help_now_needs_no_conversation(base: str) -> None:
    for accept, expected in (("en-GB", "Childline"), ("cy", "Childline")):
        page = httpx.get(f"{base}/help-now", headers={"accept-language": accept})
        assert page.status_code == 200
        assert expected in page.text and "999" in page.text
        assert "llais_device" not in page.headers.get("set-cookie", "")
    assert "Cael help nawr" in httpx.get(f"{base}/help-now", headers={"accept-language": "cy"}).text


def test_leave_this_page_goes_to_the_neutral_page(base: str, seeded: Settings) -> None:
    page = httpx.get(f"{base}/chat").text
    assert 'href="/leave"' in page and "Leave this page" in page
    leave = httpx.get(f"{base}/leave")
    assert leave.status_code == 303
    assert leave.headers["location"] == seeded.web_exit_url
