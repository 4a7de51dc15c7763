"""An empty database per backend, for migrating from an older revision."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_ENV, REQUIRE_PG, _pg_admin, run_in_thread


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    server = os.environ.get(PG_ENV)
    if not server:
        if REQUIRE_PG:
            pytest.fail(f"{PG_ENV} is not set but PostgreSQL is required")
        pytest.skip(f"{PG_ENV} not set: PostgreSQL tests skipped")
    name = f"llais_m_{uuid.uuid4().hex[:10]}"
    try:
        run_in_thread(_pg_admin(server, f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL at {PG_ENV} is not reachable: {exc!r}")
        pytest.skip(f"PostgreSQL not reachable ({type(exc).__name__}): its tests are skipped")
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    run_in_thread(_pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
