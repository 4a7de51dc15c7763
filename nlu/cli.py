"""``llais nlu train | classify | evaluate``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from core.settings import Settings
from core.vocabulary import RiskLevel
from nlu.builtin import BuiltinBackend
from nlu.classify import classify_lines
from nlu.evaluation import predict, read_labelled, report
from nlu.evaluation_text import format_report
from nlu.safeguarding import train_model
from nlu.training_data import DATA_DIR, load_training_data
from nlu.understand import Understander, build_understander


def register(subparsers: Any) -> None:
    """Add the ``nlu`` command and its sub-commands."""
    parser = subparsers.add_parser("nlu", help="train, run and evaluate language understanding")
    commands = parser.add_subparsers(dest="nlu_command", required=True)

    train = commands.add_parser("train", help="train the builtin NLU and the detector's model")
    train.add_argument("--data", type=Path, default=DATA_DIR, help="Rasa NLU data folder")
    train.set_defaults(func=train_command)

    classify = commands.add_parser("classify", help="JSON lines on stdin -> JSON lines on stdout")
    classify.set_defaults(func=classify_command)

    evaluate = commands.add_parser("evaluate", help="scores on labelled held-out JSON lines")
    evaluate.add_argument("files", nargs="+", type=Path)
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.set_defaults(func=evaluate_command)


def train_command(args: argparse.Namespace, settings: Settings) -> int:
    """Train and persist the builtin backend, then the detector's model, into nlu_model_dir."""
    started = time.perf_counter()
    data = load_training_data(args.data)
    BuiltinBackend.train(data).persist(settings.nlu_model_dir)
    print(
        f"NLU: {len(data.examples)} examples, {len(data.intents)} intents, "
        f"{time.perf_counter() - started:.1f} s -> {settings.nlu_model_dir}"
    )
    started = time.perf_counter()
    train_model(settings.nlu_model_dir)
    print(f"safeguarding model: {time.perf_counter() - started:.1f} s -> {settings.nlu_model_dir}")
    return 0


def classify_command(args: argparse.Namespace, settings: Settings) -> int:
    """Classify stdin to stdout, loading the models once."""
    understander = build_understander(settings)

    async def run() -> None:
        try:
            counts = await classify_lines(understander, sys.stdin.buffer, sys.stdout)
        finally:
            await understander.aclose()
        print(f"classified {counts.classified}, errors {counts.errors}", file=sys.stderr)

    asyncio.run(run())
    return 0


def evaluate_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print per-language precision, recall, F1 and confusions for the given files."""
    items = read_labelled(args.files)
    if not items:
        print("no labelled lines found", file=sys.stderr)
        return 1
    understander = build_understander(settings)
    asyncio.run(_predict(understander, items))
    result = report(items, [level.label for level in RiskLevel])
    print(json.dumps(result, indent=2) if args.json else format_report(result))
    return 0


async def _predict(understander: Understander, items: Any) -> None:
    try:
        await predict(understander, items)
    finally:
        await understander.aclose()
