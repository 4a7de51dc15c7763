"""Several workers on one PostgreSQL database: apps of their own (own connection pools, as separate
processes have) over one clean, migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.channel import Channel, Reply
from core.settings import Settings
from llais.app import App, build_app
from llais.commands.demo import seed_demo
from tests.conftest import _truncate, run_in_thread
from tests.support.botapi_double import botapi
from tests.support.learner import PlayedLearner

__all__ = ["botapi"]

SECRET = "workers-test-secret-key-long-enough"
DISCLOSURE = "my dad hits me when he's been drinking"


@pytest.fixture
def pg_url(postgres_url: str) -> str:
    """The PostgreSQL test database, emptied."""
    run_in_thread(_truncate(postgres_url))
    return postgres_url


@pytest.fixture
def pg_settings(pg_url: str, intent_model_dir: Path, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=pg_url,
        secret_key=SECRET,
        nlu_model_dir=intent_model_dir,
        spool_dir=tmp_path / "spool",
    )


@pytest.fixture
async def workers(pg_settings: Settings) -> AsyncIterator[list[App]]:
    """Three apps on the one database, as three ``llais serve`` processes would have."""
    await seed_demo(pg_settings.database_url)
    apps = [await build_app(pg_settings) for _ in range(3)]
    try:
        yield apps
    finally:
        for app in apps:
            await app.db.dispose()


async def link_dsl(app: App, user_id: str) -> None:
    """A member of staff links as the demo school's DSL through the staff service."""
    member = PlayedLearner(app.staff, user_id=user_id, channel=Channel.STAFF_TELEGRAM)
    await member.command("start")
    await member.press("English")
    await member.say("DEMO-DSL")
    assert "Thanks" in member.text(), member.text()


async def disclose(app: App, user_id: str) -> list[Reply]:
    """A learner enrols in Year 10 and discloses abuse; return the reply to the disclosure."""
    played = PlayedLearner(app.learner, user_id=user_id)
    await played.command("start")
    await played.press("English")
    await played.press("OK, got it")
    await played.say("DEMO-Y10")
    return await played.say(DISCLOSURE)


from tests.workers.test_webhooks import hook_settings  # noqa: E402

__all__ += ["hook_settings"]
