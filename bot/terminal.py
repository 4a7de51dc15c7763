"""``llais chat``: the same flows in a terminal, as one pretend learner.

Type to write; ``/command`` for commands; ``#N`` presses button N of the last message; Ctrl-D ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TextIO

from core.channel import Button, Channel, ConversationHandler, Inbound, InboundKind, Reply
from core.clock import utcnow

CHANNEL = Channel.TERMINAL


def to_inbound(line: str, buttons: list[Button], user_id: str) -> Inbound:
    """Turn one typed line into an inbound event."""
    text = line.strip()

    def make(kind: InboundKind, *, body: str = "", choice: str = "", command: str = "") -> Inbound:
        return Inbound(
            channel=CHANNEL,
            user_id=user_id,
            chat_id=user_id,
            kind=kind,
            at=utcnow(),
            text=body,
            choice=choice,
            command=command,
        )

    if text.startswith("#") and text[1:].isdigit() and 1 <= int(text[1:]) <= len(buttons):
        return make(InboundKind.CHOICE, choice=buttons[int(text[1:]) - 1].payload)
    if text.startswith("/") and len(text) > 1:
        name, _, rest = text[1:].partition(" ")
        return make(InboundKind.COMMAND, command=name, body=rest)
    return make(InboundKind.TEXT, body=line)


def render(replies: list[Reply], out: TextIO) -> list[Button]:
    """Print replies with numbered buttons; return the buttons of the last reply that had any."""
    buttons: list[Button] = []
    for reply in replies:
        out.write(f"\nLlais: {reply.text}\n")
        flat = [b for row in reply.buttons for b in row]
        if flat:
            buttons = flat
            out.write("   " + "   ".join(f"#{i} {b.label}" for i, b in enumerate(flat, 1)) + "\n")
    out.flush()
    return buttons


async def run_chat(
    handler: ConversationHandler,
    *,
    read_line: Callable[[], str],
    out: TextIO,
    user_id: str = "terminal-user",
) -> None:
    """Read lines until end of input, passing each to ``handler`` and printing the replies."""
    out.write("Llais chat. Type /start to begin, #N to press a button, Ctrl-D to leave.\n")
    buttons: list[Button] = []
    while True:
        try:
            line = await asyncio.to_thread(read_line)
        except EOFError:
            out.write("\n")
            return
        if not line.strip():
            continue
        replies = await handler.handle(to_inbound(line, buttons, user_id))
        buttons = render(replies, out) or buttons
