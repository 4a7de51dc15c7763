"""Turn Telegram messages and button presses into plain ``Inbound`` events."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import CallbackQuery, Message, MessageEntity

from core.channel import Channel, Inbound, InboundKind


def message_to_inbound(
    message: Message, *, channel: Channel, edited: bool = False
) -> Inbound | None:
    """Return the event for a private message, or None when it carries nothing a person said."""
    if message.from_user is None:
        return None
    user_id, chat_id = str(message.from_user.id), str(message.chat.id)
    at = _aware(message.edit_date or message.date)
    if message.text is not None:
        command = None if edited else _command(message)
        if command is not None:
            name, args = command
            return Inbound(
                channel, user_id, chat_id, InboundKind.COMMAND, at, text=args, command=name
            )
        # an edit is read as new text so the safeguarding detector sees what the message now says
        return Inbound(channel, user_id, chat_id, InboundKind.TEXT, at, text=message.text)
    if message.caption:
        # a photo or video with a caption: the caption is text a person wrote and must be read
        return Inbound(channel, user_id, chat_id, InboundKind.TEXT, at, text=message.caption)
    return Inbound(channel, user_id, chat_id, InboundKind.UNSUPPORTED, at)


def callback_to_inbound(query: CallbackQuery, *, channel: Channel) -> Inbound:
    """Return the CHOICE event for a button press."""
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    return Inbound(
        channel=channel,
        user_id=str(query.from_user.id),
        chat_id=str(chat_id),
        kind=InboundKind.CHOICE,
        at=datetime.now(UTC),
        choice=query.data or "",
    )


def _command(message: Message) -> tuple[str, str] | None:
    """Return (name, arguments) when the message starts with a bot command, ``@botname`` removed."""
    for entity in message.entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            word = message.parse_entity(entity)
            name = word[1:].split("@", 1)[0].lower()
            args = message.text[len(word) :].strip() if message.text else ""
            return name, args
    return None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
