"""Send ``Reply`` objects as Telegram messages, and the adapter's own bilingual notices."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from core.channel import Button, Reply
from core.i18n import catalogue

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 4096  # Telegram's limit for one message's text


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """Return the inline keyboard for ``rows`` of buttons, or None when there are none."""
    markup_rows = [
        [InlineKeyboardButton(button.label, callback_data=button.payload) for button in row]
        for row in rows
        if row
    ]
    return InlineKeyboardMarkup(markup_rows) if markup_rows else None


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split ``text`` into pieces Telegram accepts, at paragraph or line breaks where possible."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind(sep, 0, limit) for sep in ("\n\n", "\n", " "))
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces


async def send_replies(bot: Bot, chat_id: int | str, replies: Iterable[Reply]) -> None:
    """Send each reply in order; buttons go under the last piece of a long reply."""
    for reply in replies:
        pieces = split_text(reply.text)
        if not pieces:
            logger.warning("skipped a reply with no text (%d button rows)", len(reply.buttons))
            continue
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            await bot.send_message(
                chat_id, piece, reply_markup=keyboard(reply.buttons) if last else None
            )


def bilingual(key: str) -> str:
    """Return catalogue message ``key`` in Welsh then English, for when the language is unknown."""
    text = catalogue().text(key)
    return f"{text.cy}\n\n{text.en}"
