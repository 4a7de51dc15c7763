"""Small real ConversationHandlers and settings for the adapter tests."""

from __future__ import annotations

from core.channel import Button, Inbound, Reply
from core.settings import Settings
from tests.support.botapi_double import BotApiDouble

LEARNER = 424242  # a private chat's id is the user's id


class RecordingHandler:
    """A real ConversationHandler: records each event and answers with one reply and buttons."""

    def __init__(self) -> None:
        self.events: list[Inbound] = []

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Record ``inbound`` and say what arrived, offering two buttons."""
        self.events.append(inbound)
        what = inbound.text or inbound.choice or inbound.command
        buttons = ((Button("Iawn / OK", "ok"), Button("Na / No", "no")),)
        return [Reply(f"got {inbound.kind.value}: {what}", buttons=buttons)]


class FailingHandler:
    """A ConversationHandler whose store is down: it raises with the person's text in the error."""

    def __init__(self) -> None:
        self.calls = 0

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Fail the way a careless library might, quoting the message."""
        self.calls += 1
        raise RuntimeError(f"could not store {inbound.text!r} for {inbound.user_id}")


def settings_for(double: BotApiDouble, **overrides: object) -> Settings:
    """Settings pointing python-telegram-bot at ``double``."""
    return Settings(
        _env_file=None,
        demo=True,
        telegram_base_url=double.base_url,
        telegram_base_file_url=double.base_file_url,
        **overrides,  # type: ignore[arg-type]
    )
