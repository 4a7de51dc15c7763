"""Replies become Telegram messages: order, long texts, keyboards and bilingual notices."""

from __future__ import annotations

from bot.telegram.outbound import MAX_MESSAGE_LENGTH, bilingual, keyboard, split_text
from core.channel import Button, Inbound, Reply
from core.i18n import catalogue
from tests.bot.conftest import RunBot
from tests.bot.handlers import LEARNER
from tests.support.botapi_double import BotApiDouble


class ManyReplies:
    """Answer every message with a short reply, a very long one, then a question with buttons."""

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Return three replies; the second is longer than one Telegram message."""
        long_text = "\n\n".join(f"Paragraph {i}. " + "word " * 60 for i in range(30))
        question = Reply("How are you?", buttons=((Button("Good", "good"),), ()))
        return [Reply("First"), Reply(long_text, buttons=((Button("More", "more"),),)), question]


async def test_replies_go_out_in_order_and_long_ones_are_split(
    botapi: BotApiDouble, run_bot: RunBot
) -> None:
    async with run_bot(ManyReplies()):
        await botapi.push_text(LEARNER, "hi")
        await botapi.wait_for_messages(LEARNER, 4)
        await botapi.wait_until(lambda: botapi.messages_to(LEARNER)[-1].text == "How are you?")
    sent = botapi.messages_to(LEARNER)

    assert sent[0].text == "First"
    long_parts = sent[1:-1]
    assert len(long_parts) >= 2
    assert all(len(part.text) <= MAX_MESSAGE_LENGTH for part in long_parts)
    assert long_parts[0].text.startswith("Paragraph 0.")
    assert long_parts[-1].text.rstrip().endswith(("word", "word."))
    assert [part.button_labels for part in long_parts] == [[]] * (len(long_parts) - 1) + [["More"]]
    assert sent[-1].button_labels == ["Good"]


def test_split_text_breaks_at_paragraphs_and_keeps_every_word() -> None:
    text = "\n\n".join(["a" * 3000, "b" * 3000, "c" * 10])
    pieces = split_text(text)
    assert pieces == ["a" * 3000, "b" * 3000 + "\n\n" + "c" * 10]
    assert split_text("x" * 5000) == ["x" * 4096, "x" * 904]
    assert split_text("   ") == []


def test_keyboard_uses_payloads_as_callback_data_and_skips_empty_rows() -> None:
    markup = keyboard(((Button("Ydw / Yes", "y"), Button("Na / No", "n")), ()))
    assert markup is not None
    assert [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard] == [
        [("Ydw / Yes", "y"), ("Na / No", "n")]
    ]
    assert keyboard(()) is None


def test_adapter_notices_exist_in_welsh_then_english() -> None:
    for key in ("telegram.private_only", "telegram.error", "telegram.error_staff"):
        text = catalogue().text(key)
        assert bilingual(key) == f"{text.cy}\n\n{text.en}"
        assert text.cy != text.en
