"""Fixtures for the conversation service: trained NLU, settings and the real wired app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from llais.app import App, build_app
from llais.commands.demo import seed_demo
from llais.settings import Settings
from nlu.builtin import BuiltinBackend
from nlu.safeguarding import train_model
from nlu.training_data import load_training_data

SECRET = "test-secret-key-which-is-long-enough"


@pytest.fixture(scope="session")
def nlu_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The builtin NLU and the detector's model, trained once for the whole run."""
    path = tmp_path_factory.mktemp("nlu-model")
    BuiltinBackend.train(load_training_data()).persist(path)
    train_model(path)
    return path


@pytest.fixture
def settings(database_url: str, nlu_model_dir: Path) -> Settings:
    """Settings for a test database and the trained model."""
    return Settings(database_url=database_url, secret_key=SECRET, nlu_model_dir=nlu_model_dir)


class Clock:
    """A clock the test moves by hand (Europe/London daytime by default)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 25, 10, 30, tzinfo=UTC))


@pytest.fixture
async def app(settings: Settings, clock: Clock) -> AsyncIterator[App]:
    """The real app on the test database, with the demo school seeded."""
    await seed_demo(settings.database_url)
    built = await build_app(settings, clock=clock)
    try:
        yield built
    finally:
        await built.db.dispose()
