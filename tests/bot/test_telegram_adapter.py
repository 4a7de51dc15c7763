"""The Telegram adapter end to end: real python-telegram-bot over HTTP against the double."""

from __future__ import annotations

import logging

import pytest

from core.channel import InboundKind
from tests.bot.conftest import RunBot
from tests.bot.handlers import LEARNER, FailingHandler, RecordingHandler
from tests.support.botapi_double import MEDIA, BotApiDouble


async def test_private_text_reaches_the_handler_and_the_reply_has_buttons(
    botapi: BotApiDouble, run_bot: RunBot
) -> None:
    handler = RecordingHandler()
    async with run_bot(handler):
        await botapi.push_text(LEARNER, "dw i'n iawn diolch")
        [sent] = await botapi.wait_for_messages(LEARNER, 1)

    [event] = handler.events
    assert event.kind is InboundKind.TEXT
    assert event.text == "dw i'n iawn diolch"
    assert (event.channel, event.user_id, event.chat_id) == ("telegram", str(LEARNER), str(LEARNER))
    assert event.at.tzinfo is not None
    assert sent.text == "got text: dw i'n iawn diolch"
    assert sent.buttons == [
        [
            {"text": "Iawn / OK", "callback_data": "ok"},
            {"text": "Na / No", "callback_data": "no"},
        ]
    ]


async def test_pressing_a_button_is_a_choice_and_closes_the_keyboard(
    botapi: BotApiDouble, run_bot: RunBot
) -> None:
    handler = RecordingHandler()
    async with run_bot(handler):
        await botapi.push_text(LEARNER, "hi")
        [question] = await botapi.wait_for_messages(LEARNER, 1)
        await botapi.press(LEARNER, "Na / No")
        messages = await botapi.wait_for_messages(LEARNER, 2)

    assert [e.kind for e in handler.events] == [InboundKind.TEXT, InboundKind.CHOICE]
    assert handler.events[1].choice == "no"
    assert len(botapi.calls_to("answerCallbackQuery")) == 1
    # the pressed message now shows what was chosen and has no buttons left to press twice
    assert question.text == "got text: hi\n\n» Na / No"
    assert question.buttons == []
    assert messages[1].text == "got choice: no"


async def test_a_press_on_a_message_too_old_to_edit_still_counts(
    botapi: BotApiDouble, run_bot: RunBot
) -> None:
    handler = RecordingHandler()
    async with run_bot(handler):
        await botapi.push_callback(LEARNER, "ok", message_id=99999)
        await botapi.wait_for_messages(LEARNER, 1)

    assert [(e.kind, e.choice) for e in handler.events] == [(InboundKind.CHOICE, "ok")]
    assert len(botapi.calls_to("answerCallbackQuery")) == 1


@pytest.mark.parametrize(
    ("command", "args", "mention"),
    [
        ("start", "", ""),
        ("start", "", "llais_test_bot"),
        ("enrol", "AB12 CD", ""),
        ("Help", "now", "llais_test_bot"),
    ],
)
async def test_commands_arrive_without_slash_or_bot_name(
    botapi: BotApiDouble, run_bot: RunBot, command: str, args: str, mention: str
) -> None:
    handler = RecordingHandler()
    async with run_bot(handler):
        await botapi.push_command(LEARNER, command, args, mention=mention)
        await botapi.wait_for_messages(LEARNER, 1)

    [event] = handler.events
    assert event.kind is InboundKind.COMMAND
    assert (event.command, event.text) == (command.lower(), args)


@pytest.mark.parametrize("kind", sorted(MEDIA))
async def test_non_text_messages_are_unsupported_and_answered(
    botapi: BotApiDouble, run_bot: RunBot, kind: str
) -> None:
    handler = RecordingHandler()
    async with run_bot(handler):
        await botapi.push_media(LEARNER, kind)
        [reply] = await botapi.wait_for_messages(LEARNER, 1)

    assert [e.kind for e in handler.events] == [InboundKind.UNSUPPORTED]
    assert reply.text == "got unsupported:"


async def test_a_photo_caption_is_read_as_text(botapi: BotApiDouble, run_bot: RunBot) -> None:
    handler = RecordingHandler()
    async with run_bot(handler):
        await botapi.push_photo(LEARNER, caption="this is me today")
        await botapi.wait_for_messages(LEARNER, 1)

    assert [(e.kind, e.text) for e in handler.events] == [(InboundKind.TEXT, "this is me today")]


async def test_an_edited_message_is_passed_on_as_new_text(
    botapi: BotApiDouble, run_bot: RunBot
) -> None:
    handler = RecordingHandler()
    async with run_bot(handler):
        await botapi.push_edited_text(LEARNER, "/start actually I'm not ok", message_id=5)
        await botapi.wait_for_messages(LEARNER, 1)

    [event] = handler.events
    assert (event.kind, event.text) == (InboundKind.TEXT, "/start actually I'm not ok")


@pytest.mark.parametrize("chat_type", ["group", "supergroup", "channel"])
async def test_shared_chats_are_refused_in_both_languages(
    botapi: BotApiDouble, run_bot: RunBot, chat_type: str
) -> None:
    handler = RecordingHandler()
    async with run_bot(handler):
        await botapi.push_text(LEARNER, "hello everyone", chat_type=chat_type)
        await botapi.wait_for_call("sendMessage")

    assert handler.events == []
    [refusal] = botapi.sent
    assert refusal.chat_id < 0
    assert "sgwrs breifat" in refusal.text
    assert "private chat" in refusal.text
    assert refusal.buttons == []


async def test_a_failing_handler_is_logged_without_text_and_the_person_gets_an_apology(
    botapi: BotApiDouble, run_bot: RunBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("telegram", "httpx", "httpcore"):  # as quiet_library_loggers leaves them
        caplog.set_level(logging.WARNING, logger=name)
    handler = FailingHandler()
    secret = "nobody would notice if I was gone"
    async with run_bot(handler):
        update_id = await botapi.push_text(LEARNER, secret)
        [apology] = await botapi.wait_for_messages(LEARNER, 1)

    assert handler.calls == 1
    assert "Sori" in apology.text
    assert "Sorry" in apology.text
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "RuntimeError" in errors[0].getMessage()
    assert str(update_id) in errors[0].getMessage()
    for record in caplog.records:
        logged = record.getMessage() + (record.exc_text or "") + str(record.exc_info or "")
        assert secret not in logged
        assert str(LEARNER) not in logged


async def test_unsupported_message_with_the_core_down_still_gets_an_answer(
    botapi: BotApiDouble, run_bot: RunBot
) -> None:
    async with run_bot(FailingHandler()):
        await botapi.push_sticker(LEARNER)
        [apology] = await botapi.wait_for_messages(LEARNER, 1)
        await botapi.push_text(LEARNER, "still there?")
        await botapi.wait_for_messages(LEARNER, 2)  # the bot kept running

    assert "Childline" in apology.text


async def test_a_failed_press_leaves_the_buttons_to_try_again(
    botapi: BotApiDouble, run_bot: RunBot
) -> None:
    async with run_bot(RecordingHandler()):
        await botapi.push_text(LEARNER, "hi")
        [question] = await botapi.wait_for_messages(LEARNER, 1)
    async with run_bot(FailingHandler()):
        await botapi.press(LEARNER, "Iawn / OK")
        await botapi.wait_for_messages(LEARNER, 2)

    assert len(botapi.calls_to("answerCallbackQuery")) == 1
    assert question.button_labels == ["Iawn / OK", "Na / No"]


async def test_the_bot_talks_to_the_base_url_from_settings(
    botapi: BotApiDouble, run_bot: RunBot
) -> None:
    async with run_bot(RecordingHandler()) as app:
        assert app.bot.base_url == f"{botapi.base_url}{botapi.token}"
        assert app.bot.username == "llais_test_bot"

    # all python-telegram-bot calls to start, long-poll and stop when nobody writes
    assert {call.method for call in botapi.calls} == {"getMe", "deleteWebhook", "getUpdates"}
    assert botapi.calls[0].method == "getMe"
    assert botapi.calls_to("getUpdates")[-1].params["timeout"] == 0  # confirms the offset
    assert botapi.unknown_calls == []
