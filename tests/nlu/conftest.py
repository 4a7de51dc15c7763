"""Shared NLU fixtures: the builtin model trained once per session, and the real detector."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.builtin import BuiltinBackend
from nlu.safeguarding import SafeguardingDetector
from nlu.understand import Understander


@pytest.fixture(scope="session")
def nlu_model_dir(intent_model_dir: Path) -> Path:
    """A model directory holding the builtin backend trained from the shipped data (only)."""
    return intent_model_dir


@pytest.fixture(scope="session")
def builtin_backend(nlu_model_dir: Path) -> BuiltinBackend:
    """The builtin backend loaded back from disk."""
    return BuiltinBackend.load(nlu_model_dir)


@pytest.fixture(scope="session")
def detector() -> SafeguardingDetector:
    """The real safeguarding detector, on its rules (its model is tested by its own tests)."""
    return SafeguardingDetector.load(None)


@pytest.fixture
def understander(detector: SafeguardingDetector, builtin_backend: BuiltinBackend) -> Understander:
    """The understanding pipeline over the real detector and the builtin backend."""
    return Understander(detector, builtin_backend)
