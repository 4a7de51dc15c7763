"""The ``llais`` command: each sub-command lives in a module that registers itself here."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from core.errors import LlaisError
from core.settings import Settings
from llais.app import configure_logs

# Modules with ``register(subparsers)``; each sets ``func(args, settings) -> int`` on its parsers.
COMMAND_MODULES = (
    "llais.commands.db",
    "llais.commands.demo",
    "llais.commands.chat",
    "llais.commands.serve",
    "llais.commands.school",
    "llais.commands.staff",
    "llais.commands.directory",
    "llais.commands.insight",
    "llais.commands.voice",
    "llais.commands.spool",
    "nlu.cli",
)

Handler = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(prog="llais", description="Llais wellbeing assistant")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``llais`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"llais: configuration error:\n{exc}", file=sys.stderr)
        return 2
    configure_logs(settings.log_level, json_lines=settings.log_format == "json")
    handler: Handler = args.func
    try:
        return handler(args, settings)
    except LlaisError as exc:
        print(f"llais: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
