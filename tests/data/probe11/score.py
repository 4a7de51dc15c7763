"""Score the safeguarding detector on the probe 11 sets (see README.md beside this file).

    .venv/bin/python tests/data/probe11/score.py            # readable report
    .venv/bin/python tests/data/probe11/score.py --misses   # ... and every miss and false alarm
    .venv/bin/python tests/data/probe11/score.py --json     # machine-readable, to compare runs

The scoring is shared by every probe: tests/data/probe_score.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.data import probe_score  # noqa: E402
from tests.data.probe_score import load_jsonl  # noqa: E402

__all__ = ["load_jsonl", "report"]


def report(model_dir: Path) -> dict[str, Any]:
    """Every figure for probe 11."""
    return probe_score.report(model_dir, HERE)


if __name__ == "__main__":
    sys.exit(probe_score.main(HERE))
