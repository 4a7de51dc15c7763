"""PTB callbacks: thin glue between Telegram updates and the conversation service."""

from __future__ import annotations

import logging
import traceback
from dataclasses import replace

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.telegram.failures import note_failure
from bot.telegram.inbound import callback_to_inbound, message_to_inbound
from bot.telegram.outbound import bilingual, send_replies
from core.channel import Channel, ConversationHandler, Reply

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


class TelegramCallbacks:
    """The callbacks one bot registers; each turns an update into an ``Inbound`` and replies."""

    def __init__(self, handler: ConversationHandler, *, channel: Channel, bot_kind: str) -> None:
        self.handler = handler
        self.channel = channel
        self.bot_kind = bot_kind

    async def on_private_message(self, update: Update, context: Context) -> None:
        """Pass a private message (new or edited) to the conversation service and reply."""
        message = update.effective_message
        if message is None:
            return
        edited = update.edited_message is not None
        inbound = message_to_inbound(message, channel=self.channel, edited=edited)
        if inbound is None:
            return
        inbound = replace(inbound, delivery=f"{self.channel}:{update.update_id}")
        replies = await self.handler.handle(inbound)
        await self._reply(context, message.chat.id, replies)

    async def on_button(self, update: Update, context: Context) -> None:
        """Acknowledge a button press, pass the choice on, mark what was chosen, then reply."""
        query = update.callback_query
        if query is None:
            return
        await _answer(query)
        if query.data is None or (query.message and query.message.chat.type != ChatType.PRIVATE):
            return
        inbound = callback_to_inbound(query, channel=self.channel)
        inbound = replace(inbound, delivery=f"{self.channel}:{update.update_id}")
        replies = await self.handler.handle(inbound)
        # close the keyboard only once the choice is handled, so a failed press can be retried
        await _close_keyboard(query)
        await self._reply(context, inbound.chat_id, replies)

    async def on_shared_chat(self, update: Update, context: Context) -> None:
        """Refuse groups, supergroups and channels in both languages; nothing reaches the core."""
        chat = update.effective_chat
        if chat is not None:
            await self._reply(context, chat.id, [Reply(bilingual("telegram.private_only"))])

    async def _reply(self, context: Context, chat_id: int | str, replies: list[Reply]) -> None:
        """Send the replies; a chat that is gone (blocked the bot, never existed) is logged, not
        an error: the turn is committed, and there is nobody to tell."""
        try:
            await send_replies(context.bot, chat_id, replies)
        except Forbidden as exc:
            logger.warning("%s bot: replies not delivered (%s)", self.bot_kind, type(exc).__name__)
        except BadRequest as exc:
            if "chat not found" not in str(exc).lower():
                raise
            logger.warning("%s bot: replies not delivered (chat not found)", self.bot_kind)

    async def on_error(self, update: object, context: Context) -> None:
        """Log the error without message text or user ids, then apologise where there is a chat."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error(
            "%s bot: %s while handling update %s at %s",
            self.bot_kind,
            type(error).__name__,
            update_id,
            _where(error),
        )
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            note_failure(told=False)
            return
        key = "telegram.error_staff" if self.bot_kind == "staff" else "telegram.error"
        try:
            await context.bot.send_message(chat.id, bilingual(key))
        except TelegramError as exc:
            note_failure(told=False)
            logger.warning(
                "%s bot: could not send the apology: %s", self.bot_kind, type(exc).__name__
            )
            return
        note_failure(told=True)


async def _answer(query: CallbackQuery) -> None:
    """Stop the button's spinner; an expired query must not stop the choice being handled."""
    try:
        await query.answer()
    except TelegramError as exc:
        logger.info("could not answer a button press: %s", type(exc).__name__)


async def _close_keyboard(query: CallbackQuery) -> None:
    """Replace the pressed message's buttons with the chosen label, so none is pressed twice."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    label = next(
        (
            button.text
            for row in message.reply_markup.inline_keyboard
            for button in row
            if button.callback_data == query.data
        ),
        None,
    )
    try:
        if label and message.text:
            await message.edit_text(f"{message.text}\n\n» {label}", reply_markup=None)
        else:
            await message.edit_reply_markup(reply_markup=None)
    except TelegramError as exc:  # e.g. the message is too old to edit
        logger.info("could not close a keyboard: %s", type(exc).__name__)


def _where(error: BaseException | None) -> str:
    """Return where ``error`` was raised (file, line, function): code locations, never values."""
    if error is None or error.__traceback__ is None:
        return "unknown"
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return f"{frame.filename}:{frame.lineno} in {frame.name}"
