"""Wiring: build every component once from the settings, and hand them to the entry points."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from core.clock import Clock, utcnow
from core.settings import Settings
from flows.engine import Engine
from flows.learner_actions import LEARNER_ACTIONS
from flows.loader import load_flowset
from flows.staff_actions import STAFF_ACTIONS
from llais.learner import LearnerService
from llais.signposter import build_signposter
from llais.staff import StaffService
from nlu.understand import build_understander
from storage.db import AsyncSession, make_engine, make_sessionmaker


@dataclass
class App:
    """The running parts of Llais."""

    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    learner: LearnerService
    staff: StaffService


async def build_app(settings: Settings, *, clock: Clock = utcnow) -> App:
    """Load and validate flows, the NLU and the directory, and connect to the database."""
    db = make_engine(settings.database_url)
    sessions = make_sessionmaker(db)
    flowset = load_flowset("learner", LEARNER_ACTIONS)
    understander = build_understander(settings)
    signposter = await build_signposter(settings, sessions)
    learner = LearnerService(
        settings=settings,
        sessions=sessions,
        engine=Engine(flowset, LEARNER_ACTIONS),
        understander=understander,
        signposter=signposter,
        clock=clock,
    )
    staff = StaffService(
        settings=settings,
        sessions=sessions,
        engine=Engine(load_flowset("staff", STAFF_ACTIONS), STAFF_ACTIONS),
        understander=understander,
        signposter=signposter,
        clock=clock,
    )
    return App(settings=settings, db=db, sessions=sessions, learner=learner, staff=staff)


@asynccontextmanager
async def running_app(settings: Settings, *, clock: Clock = utcnow) -> AsyncIterator[App]:
    """Build the app and dispose of its database connections afterwards."""
    app = await build_app(settings, clock=clock)
    try:
        yield app
    finally:
        await app.db.dispose()
