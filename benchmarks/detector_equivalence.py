"""Equivalence harness: dump what the detector and the NLU decide for every labelled message.

Run:
  .venv/bin/python benchmarks/detector_equivalence.py dump OUT.json [--model-dir var/nlu-model]
  .venv/bin/python benchmarks/detector_equivalence.py compare BEFORE.json AFTER.json

``dump`` reads every labelled set (``tests/data/**/*.jsonl``, ``tests/nlu/**/data/*.jsonl``,
the detector's calibration, training and context files), the string literals of the NLU tests,
and variants made from them (upper case, leetspeak, spaced letters, long texts that are read in
windows or aligned by the linear walk). Each message is assessed alone and with the up to three
messages before it (its conversation, or the previous rows of its file) as context. For each it
records the level, categories, check question, cues, spans, about_other, the fused help-seeking
flag, the NLU intent, language and entities, and the model's raw scores.

``compare`` reports every decision that differs (exit 1), and separately the largest
floating-point difference in scores and confidences (these may differ in the last digits).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nlu.builtin import BuiltinBackend
from nlu.safeguarding import RiskAssessment, SafeguardingDetector, normalise
from nlu.understand import fuse

REPO = Path(__file__).resolve().parents[1]
SG_DATA = REPO / "nlu" / "safeguarding" / "data"
CONTEXT = 3
FLOAT_KEYS = frozenset({"confidence", "scores"})
_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})

Conversation = list[str]


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def _csv_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle) if row.get("text")]


def _test_literals() -> list[str]:
    """String literals of the NLU tests that look like messages (at least one letter)."""
    found: list[str] = []
    for path in sorted((REPO / "tests" / "nlu").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if 2 <= len(text) <= 5000 and any(c.isalpha() for c in text):
                    found.append(text)
    return list(dict.fromkeys(found))


def _variants(texts: list[str]) -> list[str]:
    """Harder forms of real messages: case, leetspeak, spacing, and long joined texts."""
    out: list[str] = []
    for text in texts[::7]:
        out.append(text.upper())
        out.append(text.translate(_LEET))
        out.append(" ".join(text.replace(" ", "  ")))  # "k i l l  m y s e l f"
        out.append(text.replace(" ", ""))  # run together
    for size in (12, 40, 90):  # over one window; over the 400-word alignment limit
        for start in range(0, len(texts) - size, size * 5):
            out.append(" ".join(texts[start : start + size]))
            out.append("\n".join(t.translate(_LEET) for t in texts[start : start + size]))
    return out


def sets() -> dict[str, list[Conversation]]:
    """Every set: a list of conversations (a file of single messages is one conversation)."""
    found: dict[str, list[Conversation]] = {}
    paths = sorted((REPO / "tests" / "data").rglob("*.jsonl"))
    paths += sorted((REPO / "tests" / "nlu").rglob("data/*.jsonl"))
    paths.append(SG_DATA / "context_training.jsonl")
    for path in paths:
        rows = list(_jsonl(path))
        if rows and "messages" in rows[0]:
            found[str(path.relative_to(REPO))] = [[str(m) for m in r["messages"]] for r in rows]
        else:
            found[str(path.relative_to(REPO))] = [[str(r["text"]) for r in rows if "text" in r]]
    for name in ("calibration.csv", "training.csv", "training_v2.csv"):
        found[f"nlu/safeguarding/data/{name}"] = [_csv_texts(SG_DATA / name)]
    literals = _test_literals()
    found["tests/nlu literals"] = [literals]
    everything = [t for convs in found.values() for conv in convs for t in conv]
    found["variants"] = [_variants(everything)]
    return found


def _risk(risk: RiskAssessment) -> dict[str, Any]:
    return {
        "level": risk.level.label,
        "categories": [str(c) for c in risk.categories],
        "check": None if risk.check is None else str(risk.check),
        "cues": list(risk.cues),
        "spans": [[s.start, s.end, s.cue] for s in risk.spans],
        "about_other": risk.about_other,
    }


def _record(
    detector: SafeguardingDetector, backend: BuiltinBackend, text: str, context: list[str]
) -> dict[str, Any]:
    risk = detector.assess(text, context)
    nlu = backend.parse_sync(text)
    fused = fuse(risk, nlu)
    record = {
        "text": text,
        "context": len(context),
        **_risk(risk),
        "fused_level": fused.risk.level.label,
        "help_seeking": fused.help_seeking,
        "intent": nlu.intent,
        "confidence": nlu.confidence,
        "ranking": [label for label, _ in nlu.ranking],
        "language": str(nlu.language),
        "entities": [dict(e) for e in nlu.entities],
    }
    model = detector._model  # the raw scores show float drift that decisions hide
    if not context and model is not None:
        scored = model.scores(normalise(text))
        record["scores"] = [*scored.categories.values(), *scored.levels.values()]
    return record


def dump(out: Path, model_dir: Path) -> None:
    """Write every record to ``out``."""
    detector = SafeguardingDetector.load(model_dir)
    backend = BuiltinBackend.load_or_train(model_dir)
    records: dict[str, list[dict[str, Any]]] = {}
    for name, conversations in sets().items():
        rows = records.setdefault(name, [])
        for conversation in conversations:
            for i, text in enumerate(conversation):
                rows.append(_record(detector, backend, text, []))
                if i:
                    rows.append(_record(detector, backend, text, conversation[i - CONTEXT : i]))
    out.write_text(json.dumps(records, ensure_ascii=False, indent=0), encoding="utf-8")
    total = sum(len(r) for r in records.values())
    print(f"{total} records from {len(records)} sets -> {out}")


def _max_float_diff(a: Any, b: Any) -> float:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return max((_max_float_diff(x, y) for x, y in zip(a, b, strict=True)), default=0.0)
    return 0.0 if a == b else float("inf")


def _keyed(records: list[dict[str, Any]]) -> dict[tuple[str, int, int], dict[str, Any]]:
    """Records by text, context size and occurrence (sets read from test files can grow)."""
    keyed: dict[tuple[str, int, int], dict[str, Any]] = {}
    seen: dict[tuple[str, int], int] = {}
    for record in records:
        base = (str(record["text"]), int(record["context"]))
        seen[base] = seen.get(base, -1) + 1
        keyed[(*base, seen[base])] = record
    return keyed


def compare(before: Path, after: Path) -> int:
    """Print differences; return 1 if any decision differs."""
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    if a.keys() != b.keys():
        print(f"sets differ: {sorted(a.keys() ^ b.keys())}")
        return 1
    decisions = 0
    drift = 0.0
    total = 0
    for name in a:
        x_all, y_all = _keyed(a[name]), _keyed(b[name])
        if x_all.keys() != y_all.keys():
            only_a, only_b = len(x_all.keys() - y_all.keys()), len(y_all.keys() - x_all.keys())
            print(f"{name}: {only_a} records only before, {only_b} only after (not compared)")
        for key in x_all.keys() & y_all.keys():
            x, y = x_all[key], y_all[key]
            total += 1
            changed = sorted(k for k in x.keys() | y.keys()
                             if k not in FLOAT_KEYS and x.get(k) != y.get(k))  # fmt: skip
            for field in FLOAT_KEYS:
                drift = max(drift, _max_float_diff(x.get(field), y.get(field)))
            if changed:
                decisions += 1
                if decisions <= 20:
                    print(f"{name}: {x['text'][:60]!r} context={x['context']}")
                    for field in changed:
                        print(f"    {field}: {x.get(field)!r} -> {y.get(field)!r}")
    print(f"{total} records compared; {decisions} with a different decision")
    print(f"largest float difference (scores, confidence): {drift:.3g}")
    return 1 if decisions else 0


def main() -> int:
    """Dump or compare."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    dumping = sub.add_parser("dump")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--model-dir", type=Path, default=REPO / "var" / "nlu-model")
    comparing = sub.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.model_dir)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
