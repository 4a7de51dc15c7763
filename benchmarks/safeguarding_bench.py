"""Throughput and latency of SafeguardingDetector.assess over the held-out texts (20k messages).

Run: .venv/bin/python benchmarks/safeguarding_bench.py [--model-dir DIR] [--messages N]
Without --model-dir a model is trained into a temporary directory first, so the figures include
the model as it runs in production.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from nlu.safeguarding import SafeguardingDetector, train_model

HELDOUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "heldout" / "risk.jsonl"


def texts(count: int) -> list[str]:
    """Return ``count`` held-out texts, repeated in order."""
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    base = [str(json.loads(line)["text"]) for line in lines if line]
    return [base[i % len(base)] for i in range(count)]


def run(detector: SafeguardingDetector, messages: list[str], label: str) -> None:
    """Time each call and print throughput and p50/p99 latency."""
    for text in messages[:500]:  # warm-up
        detector.assess(text)
    wall: list[float] = []
    cpu: list[float] = []  # thread CPU time: not inflated when other processes share the core
    started = time.perf_counter()
    for text in messages:
        w0, c0 = time.perf_counter(), time.thread_time()
        detector.assess(text)
        cpu.append(time.thread_time() - c0)
        wall.append(time.perf_counter() - w0)
    elapsed = time.perf_counter() - started
    print(
        f"{label:12s} {len(messages)} messages in {elapsed:.2f} s "
        f"({len(messages) / elapsed:,.0f} msg/s); wall {_percentiles(wall)}; "
        f"cpu {_percentiles(cpu)}"
    )


def _percentiles(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1e3
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1e3
    return f"p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {ordered[-1] * 1e3:.3f} ms"


def main() -> None:
    """Benchmark rules alone and rules with the model."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--messages", type=int, default=20_000)
    args = parser.parse_args()
    messages = texts(args.messages)
    run(SafeguardingDetector(), messages, "rules")
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model_dir
        if model_dir is None:
            model_dir = Path(tmp)
            train_model(model_dir)
        run(SafeguardingDetector.load(model_dir), messages, "rules+model")


if __name__ == "__main__":
    main()
