"""Play a learner against a ConversationHandler: type, run commands and press buttons by label."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.channel import Channel, ConversationHandler, Inbound, InboundKind, Reply


@dataclass
class PlayedLearner:
    """One pretend learner on one channel, remembering the buttons last offered."""

    handler: ConversationHandler
    user_id: str = "1001"
    channel: Channel = Channel.TELEGRAM
    last: list[Reply] = field(default_factory=list)

    async def _send(
        self, kind: InboundKind, *, text: str = "", choice: str = "", command: str = ""
    ) -> list[Reply]:
        inbound = Inbound(
            channel=self.channel,
            user_id=self.user_id,
            chat_id=self.user_id,
            kind=kind,
            at=datetime.now(UTC),
            text=text,
            choice=choice,
            command=command,
        )
        self.last = await self.handler.handle(inbound)
        return self.last

    async def say(self, text: str) -> list[Reply]:
        """Type free text."""
        return await self._send(InboundKind.TEXT, text=text)

    async def command(self, name: str, args: str = "") -> list[Reply]:
        """Send /name."""
        return await self._send(InboundKind.COMMAND, command=name, text=args)

    async def sticker(self) -> list[Reply]:
        """Send something that is not text."""
        return await self._send(InboundKind.UNSUPPORTED)

    async def press(self, label: str) -> list[Reply]:
        """Press the button with this label in the latest replies."""
        for reply in reversed(self.last):
            for row in reply.buttons:
                for button in row:
                    if button.label == label:
                        return await self._send(InboundKind.CHOICE, choice=button.payload)
        raise AssertionError(f"no button {label!r}; offered: {self.labels()}")

    def labels(self) -> list[str]:
        """Labels of every button in the latest replies."""
        return [b.label for r in self.last for row in r.buttons for b in row]

    def text(self) -> str:
        """All the latest replies' text."""
        return "\n".join(r.text for r in self.last)
