"""The kernel and the vocabulary are cheap to import: no project package above them, no model,
no rule file (checked in a fresh interpreter, where nothing else has been imported yet)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ("flows", "nlu", "signposting", "storage", "llais", "bot", "migrations")
DETECTOR = ("nlu.safeguarding.rules", "nlu.safeguarding.situations", "nlu.safeguarding.model")


def loaded_after(*modules: str) -> list[str]:
    """The modules in ``sys.modules`` after importing ``modules`` in a new interpreter."""
    script = "; ".join(
        ["import importlib, json, sys"]
        + [f"importlib.import_module({name!r})" for name in modules]
        + ["print(json.dumps(sorted(sys.modules)))"]
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def test_the_kernel_loads_nothing_else_of_ours() -> None:
    kernel = [f"core.{p.stem}" for p in (ROOT / "core").glob("*.py") if p.stem != "__init__"]
    loaded = loaded_after("core", *kernel)
    assert "core.vocabulary" in loaded  # the check saw the kernel load
    assert [m for m in loaded if m.split(".")[0] in OURS] == []


@pytest.mark.parametrize("module", ["core", "signposting.taxonomy", "storage.apply", "flows"])
def test_a_vocabulary_type_does_not_load_the_detector(module: str) -> None:
    loaded = loaded_after(module)
    assert module in loaded
    assert [m for m in loaded if m in DETECTOR] == []


def test_the_detector_module_does_load_its_rules() -> None:
    """The check above can fail: importing the detector itself loads them."""
    loaded = loaded_after("nlu.safeguarding")
    assert set(DETECTOR) <= set(loaded)
