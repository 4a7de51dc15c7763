"""``llais chat``: talk to the learner flows in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from core.settings import Settings
from llais.app import chat_in_terminal, running_app


def register(sub: Any) -> None:
    """Add the ``chat`` command."""
    parser: argparse.ArgumentParser = sub.add_parser("chat", help="chat with Llais in a terminal")
    parser.add_argument("--user", default="terminal-user", help="pretend user id (one per learner)")
    parser.set_defaults(func=_chat)


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    logging.getLogger().setLevel(logging.WARNING)  # keep the conversation readable

    async def main() -> None:
        async with running_app(settings) as app:
            await chat_in_terminal(app, read_line=input, out=sys.stdout, user_id=args.user)

    asyncio.run(main())
    return 0
