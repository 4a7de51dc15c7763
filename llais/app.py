"""The composition root: build every component once from the settings and hand them to the entry
points. The only module that imports the channel adapters (``bot``, and later ``web``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.telegram import (
    TelegramAlertSender,
    TelegramApp,
    TelegramCampaignTransport,
    TelegramSender,
    TelegramWebhook,
    build_application,
    quiet_library_loggers,
    run_bots,
    serve_webhooks,
    webhook_secret,
)
from bot.terminal import run_chat
from core.channel import Channel
from core.clock import Clock, utcnow
from core.i18n import Catalogue, catalogue
from core.settings import Settings
from core.vocabulary import Audience
from flows.engine import Engine
from flows.learner_actions import LEARNER_ACTIONS
from flows.loader import FlowSet, load_flowset
from flows.mydata import KEYS as MYDATA_KEYS
from flows.polls import MESSAGE_KEYS as poll_keys
from flows.polls import PollFlows
from flows.staff_actions import STAFF_ACTIONS
from flows.staff_actions import message_keys as staff_action_keys
from llais.alerts import AlertSender
from llais.alerts import message_keys as alert_keys
from llais.alerts.lifecycle import message_keys as lifecycle_keys
from llais.learner import LEARNER_VOCABULARY, LearnerService
from llais.logs import configure_logging
from llais.outbox import ChannelSender
from llais.replay import Replayer
from llais.requests import message_keys as request_keys
from llais.signposter import build_signposter
from llais.spool import Spool
from llais.staff import STAFF_VOCABULARY, StaffService
from llais.voice import CampaignPlanner, CampaignSender, Transport, VoiceJob, quiet_hours
from llais.voice.render import MESSAGE_KEYS as voice_keys
from llais.voice.render import theme_key
from llais.voice.results import themer
from llais.webhooks import UpdateReceiver
from nlu.themes import THEMES
from nlu.understand import Understander, build_understander
from signposting.keys import message_keys as signposting_keys
from storage.db import AsyncSession, make_engine, make_sessionmaker

if TYPE_CHECKING:
    from web.server import WebServer


@dataclass
class App:
    """The running parts of Llais."""

    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    learner: LearnerService
    staff: StaffService
    understander: Understander
    spool: Spool
    clock: Clock = utcnow
    # the bots' webhooks by kind ("learner", "staff"), when updates come by webhook
    webhooks: dict[str, UpdateReceiver] = field(default_factory=dict)


def check_messages(messages: Catalogue) -> None:
    """Every catalogue key the code builds at run time must exist, in Welsh and English."""
    messages.require(
        {
            "signposting": signposting_keys(),
            "flows.staff_actions": staff_action_keys(),
            "flows.mydata": MYDATA_KEYS,
            "llais.alerts": alert_keys(),
            "llais.alerts.lifecycle": lifecycle_keys(),
            "llais.requests": request_keys(),
            "the learner service": LEARNER_VOCABULARY.message_keys(),
            "the staff service": STAFF_VOCABULARY.message_keys(),
            "llais.voice": voice_keys | poll_keys | {theme_key(t) for t in THEMES},
        }
    )


async def build_app(settings: Settings, *, clock: Clock = utcnow) -> App:
    """Check the messages; load and validate flows, the NLU and the directory; connect to the
    database."""
    check_messages(catalogue())
    db = make_engine(settings.database_url)
    sessions = make_sessionmaker(db)
    loaded = load_flowset(Audience.LEARNER, LEARNER_ACTIONS)
    # polls are flows too, added from the database as they are created
    flowset = FlowSet(flows=PollFlows(loaded.flows), routes=loaded.routes, sources=loaded.sources)
    understander = build_understander(settings)
    signposter = await build_signposter(settings, sessions)
    spool = Spool(settings.spool_dir)
    learner = LearnerService(
        settings=settings,
        sessions=sessions,
        engine=Engine(flowset, LEARNER_ACTIONS),
        understander=understander,
        signposter=signposter,
        clock=clock,
        spool=spool,
    )
    staff = StaffService(
        settings=settings,
        sessions=sessions,
        engine=Engine(load_flowset(Audience.STAFF, STAFF_ACTIONS), STAFF_ACTIONS),
        understander=understander,
        signposter=signposter,
        clock=clock,
        spool=spool,
    )
    return App(
        settings=settings,
        db=db,
        sessions=sessions,
        learner=learner,
        staff=staff,
        understander=understander,
        clock=clock,
        spool=spool,
    )


@asynccontextmanager
async def running_app(settings: Settings, *, clock: Clock = utcnow) -> AsyncIterator[App]:
    """Build the app and dispose of its database connections afterwards."""
    app = await build_app(settings, clock=clock)
    try:
        yield app
    finally:
        await app.db.dispose()


def configure_logs(level: str | int, *, json_lines: bool = False) -> None:
    """Logging for an entry point: ours, then the channel libraries held back from data."""
    configure_logging(level, json_lines=json_lines)
    quiet_library_loggers()


@dataclass
class Bots:
    """The Telegram bots whose tokens are configured, and the alert sender over the staff bot."""

    settings: Settings
    apps: list[TelegramApp]
    alert_sender: AlertSender | None
    senders: dict[str, ChannelSender]  # the outbox's sender for each bot's channel
    webhooks: list[TelegramWebhook] = field(default_factory=list)
    campaign_transport: Transport | None = None  # the outbox's campaign lane (learner bot)

    async def run(self, stop: asyncio.Event) -> None:
        """Run every bot until ``stop`` is set: long polling, or (with a webhook URL) updates
        through the web app's ``/telegram/<kind>`` routes."""
        if self.settings.telegram_webhook_url:
            await serve_webhooks(self.webhooks, stop, base_url=self.settings.telegram_webhook_url)
        else:
            await run_bots(self.apps, stop, self.settings)


def telegram_bots(app: App) -> Bots:
    """A Telegram application for each configured bot token, wired to its conversation service."""
    settings = app.settings
    apps: list[TelegramApp] = []
    sender: AlertSender | None = None
    transport: Transport | None = None
    senders: dict[str, ChannelSender] = {}
    token = settings.token(Audience.LEARNER)
    if token:
        learner = build_application(token, settings, app.learner, bot_kind="learner")
        apps.append(learner)
        transport = TelegramCampaignTransport(learner.bot)
        senders[Channel.TELEGRAM] = TelegramSender(learner.bot)
    staff_token = settings.token(Audience.STAFF)
    if staff_token:
        staff = build_application(
            staff_token, settings, app.staff, channel=Channel.STAFF_TELEGRAM, bot_kind="staff"
        )
        apps.append(staff)
        sender = TelegramAlertSender(staff.bot)
        senders[Channel.STAFF_TELEGRAM] = TelegramSender(staff.bot)
    bots = Bots(
        settings=settings,
        apps=apps,
        alert_sender=sender,
        senders=senders,
        campaign_transport=transport,
    )
    if settings.telegram_webhook_url:
        for bot_app in apps:
            hook = TelegramWebhook(bot_app, secret=webhook_secret(settings, bot_app.bot.token))
            bots.webhooks.append(hook)
            app.webhooks[hook.kind] = hook
    return bots


def replayer(app: App) -> Replayer:
    """Applies the messages kept while the database was away, through their services."""
    return Replayer(app.spool, {Audience.LEARNER: app.learner, Audience.STAFF: app.staff})


def web_senders(app: App) -> dict[str, ChannelSender]:
    """The outbox's sender for the web chat: messages wait in the learner's mailbox."""
    from web.chat.outbox import WebMailboxSender  # web imports this module: import it late

    return {Channel.WEB: WebMailboxSender(app.sessions)}


def voice_job(app: App, transport: Transport | None) -> VoiceJob:
    """The learner-voice job: plans invitations, polls, results and posts, and sends them."""
    settings = app.settings

    planner = CampaignPlanner(
        settings=settings, sessions=app.sessions, themer=themer(app.understander)
    )
    sender = CampaignSender(
        sessions=app.sessions,
        transport=transport,
        rate=settings.campaign_rate,
        quiet=quiet_hours(settings),
        tz=settings.tz,
        clock=app.clock,
    )
    return VoiceJob(planner=planner, sender=sender, clock=app.clock)


def web_server(app: App, *, clock: Clock = utcnow) -> WebServer:
    """The web application over the running services, on ``web_listen:web_port``."""
    from web.app import create_web_app  # web imports this module: import it late
    from web.server import WebServer

    settings = app.settings
    web = create_web_app(settings, clock=clock, llais=app)
    return WebServer(web, host=settings.web_listen, port=settings.web_port)


async def chat_in_terminal(
    app: App, *, read_line: Callable[[], str], out: TextIO, user_id: str
) -> None:
    """Talk to the learner flows in a terminal until end of input."""
    await run_chat(app.learner, read_line=read_line, out=out, user_id=user_id)
