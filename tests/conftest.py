"""Shared fixtures: a fresh, migrated database per test, on SQLite and on a real PostgreSQL.

``database_url`` is parametrised over both backends. PostgreSQL comes from
``LLAIS_TEST_DATABASE_URL`` (the Makefile defaults it to the local server); when it cannot be
reached the PostgreSQL half is skipped with the reason, except with ``LLAIS_REQUIRE_POSTGRES=1``
(CI), where that is a failure.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.settings import Settings
from llais.app import App, build_app
from llais.commands.demo import seed_demo
from nlu.builtin import BuiltinBackend
from nlu.safeguarding import train_model
from nlu.safeguarding.model import SUBDIR as SAFEGUARDING_SUBDIR
from nlu.training_data import load_training_data
from storage.db import AsyncSession, make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Base
from tests.support.model_cache import trained

PG_ENV = "LLAIS_TEST_DATABASE_URL"

# Real-browser fixtures (browser, page, page_nojs, new_page) and the live ASGI server (serve).
pytest_plugins = ["tests.support.live_server", "tests.support.browser"]


@pytest.fixture(autouse=True)
def restore_log_levels() -> Iterator[None]:
    """Put every logger's level back after each test (``llais`` configures logging globally)."""
    names = ["", *logging.root.manager.loggerDict]
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


REQUIRE_PG = os.environ.get("LLAIS_REQUIRE_POSTGRES") == "1"


def run_in_thread(coro: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to completion on a fresh event loop in another thread."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


async def _pg_admin(url: str, statement: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")  # session fixtures set up outside any event loop
    return path


@contextmanager
def own_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards (skipped without a server,
    except with ``LLAIS_REQUIRE_POSTGRES=1``)."""
    server = os.environ.get(PG_ENV)
    if not server:
        if REQUIRE_PG:
            pytest.fail(f"{PG_ENV} is not set but PostgreSQL is required")
        pytest.skip(f"{PG_ENV} not set: PostgreSQL tests skipped")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        run_in_thread(_pg_admin(server, f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL at {PG_ENV} is not reachable: {exc!r}")
        pytest.skip(f"PostgreSQL not reachable ({type(exc).__name__}): its tests are skipped")
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        run_in_thread(_pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of our own on the test server, migrated once, dropped at the end."""
    with own_postgres_database("llais_t") as url:
        upgrade(url)
        yield url


async def _truncate(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A clean, fully migrated database: a SQLite file, or the PostgreSQL test database."""
    if request.param == "sqlite":
        path = tmp_path / "llais.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    run_in_thread(_truncate(url))
    return url


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory on the clean database."""
    engine = make_engine(database_url)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


SECRET = "test-secret-key-which-is-long-enough"


# Each model is trained once for the whole run and only read after that: training is the
# costliest set-up in the suite, and every test that needs a model shares these. A later run
# copies them from var/test-models while nothing they are trained from has changed
# (tests/support/model_cache.py); a fresh clone trains.
@pytest.fixture(scope="session")
def intent_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The builtin intent model alone (a detector loaded from here runs on its rules)."""

    def train(path: Path) -> None:
        BuiltinBackend.train(load_training_data()).persist(path)

    return trained("intent", train, tmp_path_factory.mktemp("intent-model"))


@pytest.fixture(scope="session")
def safeguarding_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The detector's model alone, trained from the packaged data."""
    return trained("safeguarding", train_model, tmp_path_factory.mktemp("safeguarding-model"))


@pytest.fixture(scope="session")
def nlu_model_dir(
    tmp_path_factory: pytest.TempPathFactory, intent_model_dir: Path, safeguarding_model_dir: Path
) -> Path:
    """The builtin NLU and the detector's model together, as ``llais nlu train`` writes them."""
    path = tmp_path_factory.mktemp("nlu-model")
    shutil.copytree(intent_model_dir, path, dirs_exist_ok=True)
    shutil.copytree(safeguarding_model_dir / SAFEGUARDING_SUBDIR, path / SAFEGUARDING_SUBDIR)
    return path


@pytest.fixture
def settings(database_url: str, nlu_model_dir: Path, tmp_path: Path) -> Settings:
    """Settings for a test database and the trained model."""
    # web_port 0: an app that serves the web chat listens on a port the kernel picks
    return Settings(
        database_url=database_url,
        secret_key=SECRET,
        nlu_model_dir=nlu_model_dir,
        web_port=0,
        spool_dir=tmp_path / "spool",
    )


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
