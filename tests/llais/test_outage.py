"""Nothing lost while the database is down (issue 11): a message that arrives then is kept in the
spool and answered at once (a concern with care and the crisis contacts), and applied once, in
order, as a normal turn when the database is back: the alert committed and delivered to the DSL,
the replies queued in the outbox, none twice. The real learner and staff services, the real
detector, a real database made unreachable (PostgreSQL through a TCP proxy that cuts it; SQLite
by taking its file away), and a worker dropped mid-outage as a crash would.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from core.channel import Channel, Reply
from core.settings import Settings
from core.vocabulary import Audience, OutboxPriority
from llais.alerts import AlertDispatcher
from llais.alerts.receipts import Receipts
from llais.app import App, build_app, replayer
from llais.cli import main
from llais.commands.demo import seed_demo
from llais.learner import LearnerService
from llais.outbox import Delivery, Outbox
from llais.replay import Replayer
from llais.spool import Answered, Spool, SpoolRecord, record_id_of
from storage.models import CheckinAnswer, SafeguardingAlert
from storage.models.outbox import OutboxMessage
from storage.repo import alerts as alerts_repo
from tests.conftest import SECRET, Clock, _truncate, run_in_thread
from tests.support.learner import PlayedLearner
from tests.support.outage import Outage, block_spool, mode, outage_for

DISCLOSURE = "my dad hits me when he's been drinking"
LEARNER = "581001"
DSL = "681001"
CRISIS = ("Thank you for telling me", "999", "Childline")
KEPT_EN = "I've kept your message safe"
KEPT_CY = "dw i wedi cadw dy neges yn ddiogel"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A clean migrated database, a SQLite file in a folder of its own (the outage moves it)."""
    if request.param == "sqlite":
        folder = tmp_path / "db"
        folder.mkdir()
        shutil.copy(sqlite_template, folder / "llais.db")
        return f"sqlite+aiosqlite:///{folder / 'llais.db'}"
    url: str = request.getfixturevalue("postgres_url")
    run_in_thread(_truncate(url))
    return url


@pytest.fixture
async def outage(db_url: str) -> AsyncIterator[Outage]:
    await seed_demo(db_url)
    async with outage_for(db_url) as cut:
        yield cut


@pytest.fixture
def spool_dir(tmp_path: Path) -> Path:
    return tmp_path / "spool"


@pytest.fixture
def outage_settings(outage: Outage, nlu_model_dir: Path, spool_dir: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=outage.url,
        secret_key=SECRET,
        nlu_model_dir=nlu_model_dir,
        spool_dir=spool_dir,
    )


async def started(settings: Settings, outage: Outage, clock: Clock) -> App:
    """A worker: the app built while the database is up."""
    app = await build_app(settings, clock=clock)
    outage.engines.append(app.db)
    return app


@pytest.fixture
async def worker(outage_settings: Settings, outage: Outage, clock: Clock) -> AsyncIterator[App]:
    app = await started(outage_settings, outage, clock)
    try:
        yield app
    finally:
        outage.restore()
        await app.db.dispose()


@dataclass
class Sent:
    chat_id: str
    reply: Reply


class RecordingAlertSender:
    """The staff bot as the alert job sees it: records what it would send to whom."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []

    async def send(self, chat_id: str, reply: Reply) -> None:
        self.sent.append(Sent(chat_id, reply))


class RecordingChannel:
    """A channel as the outbox sees it: records each delivery."""

    def __init__(self) -> None:
        self.delivered: list[Delivery] = []

    async def send(self, delivery: Delivery) -> None:
        self.delivered.append(delivery)


async def link_dsl(app: App, user_id: str) -> None:
    """A member of staff links as the demo school's DSL through the staff service."""
    member = PlayedLearner(app.staff, user_id=user_id, channel=Channel.STAFF_TELEGRAM)
    await member.command("start")
    await member.press("English")
    await member.say("DEMO-DSL")
    assert "Thanks" in member.text(), member.text()


async def enrolled(app: App) -> PlayedLearner:
    played = PlayedLearner(app.learner, user_id=LEARNER)
    await played.command("start")
    await played.press("English")
    await played.press("OK, got it")
    await played.say("DEMO-Y10")
    assert "Year 10" in played.text()
    return played


async def count(app: App, model: type) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def alerts(app: App) -> list[SafeguardingAlert]:
    async with app.sessions() as session:
        return list((await session.scalars(select(SafeguardingAlert))).all())


async def test_a_disclosure_during_an_outage_is_answered_at_once_and_alerted_once_when_back(
    worker: App, outage: Outage, spool_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await link_dsl(worker, DSL)
    played = await enrolled(worker)
    await outage.cut()

    began = time.monotonic()
    replies = await played.say(DISCLOSURE)
    answered_in = time.monotonic() - began
    [reply] = replies
    assert all(part in reply.text for part in CRISIS), reply.text
    assert answered_in < 10, answered_in  # not held up by the database's timeouts

    spool = Spool(spool_dir)
    [kept] = spool.files()
    assert mode(kept) == 0o600
    assert mode(spool_dir) == 0o700
    assert spool.read(kept).answered is Answered.CONCERN
    assert DISCLOSURE not in caplog.text  # kept on disk, never logged

    # while it is down nothing can be applied, and the record stays
    report = await replayer(worker).run_once()
    assert (report.applied, report.waiting) == (0, 1)
    assert len(spool) == 1

    outage.restore()
    assert await count(worker, SafeguardingAlert) == 0  # not applied yet: only kept
    report = await replayer(worker).run_once()
    assert report.applied == 1 and len(spool) == 0
    assert (await replayer(worker).run_once()).applied == 0  # nothing twice
    [alert] = await alerts(worker)
    assert DISCLOSURE in alert.excerpt

    staff_bot = RecordingAlertSender()
    dispatcher = AlertDispatcher(
        settings=worker.settings, sessions=worker.sessions, sender=staff_bot, clock=worker.clock
    )
    await dispatcher.run_once()
    await dispatcher.run_once()
    to_dsl = [s for s in staff_bot.sent if s.chat_id == DSL]
    assert len(to_dsl) == 1, [s.chat_id for s in staff_bot.sent]
    assert DISCLOSURE in to_dsl[0].reply.text

    # the learner hears once that it has been passed on, with the question they are at;
    # the crisis answer is not sent a second time
    learner_bot = RecordingChannel()
    outbox = Outbox(
        sessions=worker.sessions, senders={Channel.TELEGRAM: learner_bot}, clock=worker.clock
    )
    await outbox.deliver_due()
    await outbox.deliver_due()
    texts = [d.reply.text for d in learner_bot.delivered]
    assert texts and texts[0].startswith("I'm back"), texts
    assert not any("Childline" in text for text in texts), texts
    assert all(d.address == LEARNER for d in learner_bot.delivered)


class CuttingAlertSender(RecordingAlertSender):
    """The staff bot's first send arrives, then the database goes away before it is recorded."""

    def __init__(self, outage: Outage) -> None:
        super().__init__()
        self.outage = outage

    async def send(self, chat_id: str, reply: Reply) -> None:
        await super().send(chat_id, reply)
        if len(self.sent) == 1:
            await self.outage.cut()


async def test_an_alert_sent_as_the_database_goes_away_reaches_the_dsl_once_not_twice(
    worker: App, outage: Outage, spool_dir: Path
) -> None:
    await link_dsl(worker, DSL)
    played = await enrolled(worker)
    await played.say(DISCLOSURE)
    staff_bot = CuttingAlertSender(outage)

    def dispatcher() -> AlertDispatcher:  # a worker's alert job (a fresh one: a restart)
        return AlertDispatcher(
            settings=worker.settings, sessions=worker.sessions, sender=staff_bot, clock=worker.clock
        )

    with pytest.raises((SQLAlchemyError, OSError)):  # the record's commit fails
        await dispatcher().run_once()
    assert [s.chat_id for s in staff_bot.sent] == [DSL]
    receipts = Receipts.beside(spool_dir)
    [(_, receipt)] = receipts.pending()  # what was sent, by reference: no alert text on disk
    assert DISCLOSURE not in receipt.model_dump_json() and receipt.step == 0

    outage.restore()
    await dispatcher().run_once()
    await dispatcher().run_once()
    assert [s.chat_id for s in staff_bot.sent] == [DSL], "the DSL was sent the alert again"
    assert receipts.pending() == []
    [alert] = await alerts(worker)
    async with worker.sessions() as session:
        [delivery] = await alerts_repo.deliveries_of(session, alert_id=alert.id)
    assert delivery.recipient_ref == receipt.recipient_ref and delivery.step == 0


async def test_an_ordinary_answer_kept_in_an_outage_is_applied_once_even_if_replayed_again(
    worker: App, outage: Outage, spool_dir: Path
) -> None:
    played = await enrolled(worker)
    await played.command("checkin")
    for value in ("7", "6", "8", "5", "9"):
        await played.press(value)
    assert "Skip" in played.labels(), played.text()
    await outage.cut()

    # the check-in's last step, a button: no words to tell the language by
    [told] = await played.press("Skip")
    assert KEPT_EN in told.text and KEPT_CY in told.text.lower(), told.text
    spool = Spool(spool_dir)
    [path] = spool.files()
    copy = path.read_bytes()

    outage.restore()
    assert (await replayer(worker).run_once()).applied == 1
    assert await count(worker, CheckinAnswer) == 5
    # a crash after the commit and before the record was removed: the same record again
    path.write_bytes(copy)
    report = await replayer(worker).run_once()
    assert (report.applied, report.repeated) == (0, 1)
    assert await count(worker, CheckinAnswer) == 5
    async with worker.sessions() as session:
        queued = (await session.scalars(select(OutboxMessage))).all()
    replies = [row for row in queued if row.priority == int(OutboxPriority.REPLY)]
    assert replies, "the answer's next question is queued for the learner"
    assert len({row.idempotency_key for row in replies}) == len(replies)


async def test_messages_kept_by_a_worker_that_crashed_are_applied_in_order_by_the_next(
    outage_settings: Settings, outage: Outage, clock: Clock, spool_dir: Path
) -> None:
    first = await started(outage_settings, outage, clock)
    played = await enrolled(first)
    await outage.cut()
    await played.say("hello")
    await played.say(DISCLOSURE)
    await played.say("i feel a bit better for saying it")
    assert len(Spool(spool_dir)) == 3
    # the worker dies: nothing of it runs again (its pool is simply dropped)
    first.db.sync_engine.pool.dispose()
    del first, played

    outage.restore()
    second = await started(outage_settings, outage, clock)
    try:
        # a later message of the same learner waits behind the kept ones, to keep the order
        late = PlayedLearner(second.learner, user_id=LEARNER)
        [reply] = await late.say("are you there?")
        assert KEPT_EN in reply.text
        assert len(Spool(spool_dir)) == 4
        report = await replayer(second).run_once()
        assert report.applied == 4 and len(Spool(spool_dir)) == 0
        [alert] = await alerts(second)
        assert DISCLOSURE in alert.excerpt
        # and now a message goes straight through again
        [*direct] = await late.say("thanks")
        assert not any(KEPT_EN in r.text for r in direct)
        assert len(Spool(spool_dir)) == 0
    finally:
        await second.db.dispose()


async def test_a_welsh_disclosure_in_an_outage_is_answered_in_welsh(
    worker: App, outage: Outage
) -> None:
    played = await enrolled(worker)
    await outage.cut()
    [reply] = await played.say("mae dad yn fy nharo i pan mae e wedi bod yn yfed")
    assert "Diolch am ddweud wrtha i" in reply.text, reply.text
    assert "999" in reply.text


async def test_the_spool_failing_too_leaves_the_try_again_path(
    worker: App, outage: Outage, spool_dir: Path
) -> None:
    played = await enrolled(worker)
    block_spool(spool_dir)  # the disk will not take the record
    await outage.cut()
    with pytest.raises(Exception) as raised:
        await asyncio.wait_for(played.say("hello"), 30)
    assert not isinstance(raised.value, AssertionError)


class FlakyService:
    """The learner service, except that one kept message fails with a socket error every time
    although the database answers (as a bug elsewhere might)."""

    def __init__(self, real: LearnerService, failing: str) -> None:
        self.real = real
        self.sessions = real.sessions
        self.failing = failing
        self.tries = 0

    async def apply_kept(self, record: SpoolRecord) -> bool:
        if record.text == self.failing:
            self.tries += 1
            raise ConnectionResetError("not the database")
        return await self.real.apply_kept(record)


async def test_a_record_that_cannot_be_applied_is_set_aside_and_does_not_block_the_rest(
    worker: App, outage: Outage, spool_dir: Path
) -> None:
    played = await enrolled(worker)
    await outage.cut()
    await played.say("first")
    await played.say("second")
    outage.restore()
    spool = Spool(spool_dir)
    unreadable = spool_dir / "00000000000000000001-broken-record.json"
    unreadable.write_text("{not json")
    flaky = FlakyService(worker.learner, failing="first")
    report = await Replayer(spool, {Audience.LEARNER: flaky}).run_once()  # type: ignore[dict-item]
    assert (report.applied, report.set_aside, report.waiting) == (1, 2, 0)
    assert flaky.tries == 2  # tried again once, since the database answered
    assert len(spool) == 0
    assert len(list((spool_dir / "failed").iterdir())) == 2  # kept for an operator


# ----- ``llais spool``: what an operator does with records set aside --------------------------


Operator = Callable[..., Awaitable[int]]


@pytest.fixture
def operator(
    outage_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Operator:
    """Run ``llais spool ...`` as an operator would, configured from the environment."""
    monkeypatch.chdir(tmp_path)  # no .env file of the worktree's
    monkeypatch.setenv("LLAIS_DATABASE_URL", outage_settings.database_url)
    monkeypatch.setenv("LLAIS_SECRET_KEY", SECRET)
    monkeypatch.setenv("LLAIS_NLU_MODEL_DIR", str(outage_settings.nlu_model_dir))
    monkeypatch.setenv("LLAIS_SPOOL_DIR", str(outage_settings.spool_dir))

    async def run(*argv: str) -> int:
        return await asyncio.to_thread(main, ["spool", *argv])

    return run


async def set_aside_disclosure(worker: App, outage: Outage, spool: Spool) -> str:
    """A disclosure kept in an outage, then set aside (as a bug once made its replay fail)."""
    await link_dsl(worker, DSL)
    played = await enrolled(worker)
    await outage.cut()
    await played.say(DISCLOSURE)
    outage.restore()
    [kept] = spool.files()
    spool.set_aside(kept)
    return record_id_of(kept)


async def test_an_operator_lists_and_retries_a_set_aside_disclosure_and_it_is_alerted_once(
    worker: App,
    outage: Outage,
    spool_dir: Path,
    operator: Operator,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    spool = Spool(spool_dir)
    record_id = await set_aside_disclosure(worker, outage, spool)
    assert (len(spool), len(spool.failed_files())) == (0, 1)
    capsys.readouterr()

    assert await operator("list") == 0
    listed = capsys.readouterr().out
    [line] = [json.loads(row) for row in listed.splitlines() if row.startswith("{")]
    assert line["id"] == record_id and line["where"] == "failed"
    assert (line["channel"], line["kind"], line["readable"]) == ("telegram", "text", True)
    assert 0 <= line["age_minutes"] < 5
    assert "0 waiting to be applied, 1 set aside in failed/" in listed
    assert "hits me" not in listed  # never the message

    assert await operator("retry", "no-such-id") == 1
    assert await count(worker, SafeguardingAlert) == 0
    assert await operator("retry", record_id) == 0
    assert "1 record(s) put back: 1 applied" in capsys.readouterr().out
    assert (len(spool), len(spool.failed_files())) == (0, 0)
    [alert] = await alerts(worker)
    assert DISCLOSURE in alert.excerpt
    # retrying everything again finds nothing and applies nothing twice
    assert await operator("retry", "--all") == 0
    assert "0 record(s) put back: 0 applied" in capsys.readouterr().out
    assert await count(worker, SafeguardingAlert) == 1
    assert "hits me" not in caplog.text


async def test_an_operator_discards_a_set_aside_record_only_by_its_id_and_it_is_recorded(
    worker: App,
    outage: Outage,
    spool_dir: Path,
    operator: Operator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spool = Spool(spool_dir)
    record_id = await set_aside_disclosure(worker, outage, spool)
    with pytest.raises(SystemExit):  # no id, no discard: argparse refuses
        await operator("discard")
    assert len(spool.failed_files()) == 1
    assert await operator("discard", record_id) == 0
    assert spool.failed_files() == []
    [entry] = (spool_dir / "failed" / "discarded.jsonl").read_text().splitlines()
    recorded = json.loads(entry)
    assert recorded["id"] == record_id and recorded["kind"] == "text"
    assert set(recorded) == {"id", "kept_at", "discarded_at", "channel", "kind"}  # no text
    assert mode(spool_dir / "failed" / "discarded.jsonl") == 0o600
    assert await operator("discard", record_id) == 1
    capsys.readouterr()
    assert await operator("list") == 0
    assert "0 waiting to be applied, 0 set aside in failed/" in capsys.readouterr().out
    assert await count(worker, SafeguardingAlert) == 0  # discarded: never applied
