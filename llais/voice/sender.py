"""The outbox's campaign lane: send its CAMPAIGN messages under the broadcast limit, one per
second per chat, backing off on 429, recording each as soon as it went, so a restart carries on
where it stopped (a message claimed by a sender that died comes back when its lease ends).

Alerts and replies leave from the outbox job, most urgent first, and never wait behind a
campaign: that job claims only ALERT and REPLY messages while this lane runs, safeguarding
alerts go over the staff bot (its own token and Telegram limits), and ``campaign_rate`` stays
below Telegram's ~30/s so replies over the learner bot keep some room.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from typing import Protocol

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.channel import Channel
from core.clock import Clock, utcnow
from core.errors import LlaisError
from core.vocabulary import DEFAULT_LANGUAGE
from llais.outbox import render
from llais.voice.windows import QuietHours
from storage.db import AsyncSession
from storage.models import Author, OutboxMessage
from storage.repo import voice as repo
from storage.repo import web_mailbox
from storage.repo.voice import ClaimedSend

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)  # a claimed send comes back to the queue after this
MAX_TRIES_IN_PLACE = 5  # 429s retried in place before the send goes back to the queue
NETWORK_BACKOFF = 5.0  # seconds before a send that failed on the network is tried again


class Blocked(LlaisError):
    """The learner blocked the bot (Telegram 403): stop messaging them."""


class Undeliverable(LlaisError):
    """The chat cannot be reached (e.g. it no longer exists): drop this send."""


class RetryLater(LlaisError):
    """Too many requests (429) or a network failure: try again after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class Transport(Protocol):
    """Sends one text to one chat; raises Blocked, Undeliverable or RetryLater."""

    async def send_text(self, chat_id: str, text: str) -> None: ...


@dataclass
class SendReport:
    """What one drain did."""

    sent: int = 0
    stopped: int = 0
    expired: int = 0
    retried: int = 0  # 429s and network failures
    by_campaign: dict[str, int] = field(default_factory=dict)


class Pacer:
    """At most ``rate`` sends per second overall and one per second per chat; a 429 pauses all.

    Sends get evenly spaced slots; on waking, a sender also checks that no more than ``rate``
    sends started in the last second (a late wake-up must not turn into a burst) and that no
    429 pause began while it slept. A 429 also slows the pace a little (down to 85% of
    ``rate``), and each quiet spell brings it back up: on a busy machine requests bunch on
    the way, and a 429 costs every sender a whole ``retry_after``.
    """

    SLOWER = 0.5  # messages/s less after a 429 pause
    FASTER = 0.5  # messages/s more after each quiet spell, up to the configured rate
    QUIET_SPELL = 10.0  # seconds without a 429 before speeding up again

    def __init__(self, rate: float, per_chat: float = 1.0) -> None:
        self.rate_max = rate
        self.floor = rate * 0.85
        self._set_rate(rate)
        self._changed = time.monotonic()
        self.per_chat = per_chat
        self._next = 0.0
        self._paused_until = 0.0
        self._last_by_chat: dict[str, float] = {}
        self._started: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def wait(self, chat_id: str) -> None:
        """Wait for this chat's turn."""
        async with self._lock:
            now = time.monotonic()
            if self.rate < self.rate_max and now - self._changed > self.QUIET_SPELL:
                self._set_rate(min(self.rate_max, self.rate + self.FASTER))
                self._changed = now
            slot = max(now, self._next, self._paused_until)
            last = self._last_by_chat.get(chat_id)
            if last is not None:
                slot = max(slot, last + self.per_chat)
            self._next = slot + self.interval
            self._last_by_chat[chat_id] = slot
        await _sleep_until(slot)
        while True:
            async with self._lock:
                now = time.monotonic()
                while self._started and self._started[0] <= now - 1.0:
                    self._started.popleft()
                ready = max(
                    self._paused_until,
                    self._started[0] + 1.0 if len(self._started) >= self.per_second else now,
                )
                if ready <= now:
                    self._started.append(now)
                    return
            await _sleep_until(ready)

    def pause(self, seconds: float) -> None:
        """Telegram asked us to wait: nobody sends until then, and a little slower after."""
        now = time.monotonic()
        until = now + seconds
        if until > self._paused_until:  # one slow-down per pause, not per 429 in it
            self._set_rate(max(self.floor, self.rate - self.SLOWER))
            self._changed = now
        self._paused_until = max(self._paused_until, until)
        self._next = max(self._next, until)

    def _set_rate(self, rate: float) -> None:
        self.rate = rate
        self.interval = 1.0 / rate
        self.per_second = max(1, int(rate))


async def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


class CampaignSender:
    """Drains the outbox's campaign messages: to the learner bot through ``transport`` (paced),
    and into the web chat's mailbox (seen the next time the learner opens the page)."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        transport: Transport | None,
        rate: float,
        quiet: QuietHours,
        tz: tzinfo,
        clock: Clock = utcnow,
        concurrency: int = 16,
    ) -> None:
        self.sessions = sessions
        self.transport = transport
        self.pacer = Pacer(rate)
        self.quiet = quiet
        self.tz = tz
        self.clock = clock
        self.concurrency = concurrency
        self.batch = max(concurrency, int(rate * 2))
        # without a learner bot, its messages wait in the outbox for one
        self.channels = [Channel.WEB.value] + ([Channel.TELEGRAM.value] if transport else [])

    async def drain(self, stop: asyncio.Event | None = None) -> SendReport:
        """Send everything due, until the queue has nothing due or ``stop`` is set; sends in
        flight when ``stop`` is set finish and are recorded."""
        report = SendReport()
        slots = asyncio.Semaphore(self.concurrency)
        running: set[asyncio.Task[None]] = set()
        try:
            while stop is None or not stop.is_set():
                async with self.sessions() as session, session.begin():
                    claimed = await repo.claim(
                        session,
                        now=self.clock(),
                        limit=self.batch,
                        lease=LEASE,
                        channels=self.channels,
                    )
                    ready = await self._ready(session, claimed, report)
                    for send, text in [r for r in ready if r[0].channel == Channel.WEB]:
                        await self._to_mailbox(session, send, text, report)
                if not claimed:
                    break
                for send, text in [r for r in ready if r[0].channel != Channel.WEB]:
                    await slots.acquire()
                    if stop is not None and stop.is_set():
                        slots.release()
                        await self._release([send.id])
                        continue
                    task = asyncio.create_task(self._send(send, text, report, slots))
                    running.add(task)
                    task.add_done_callback(running.discard)
        finally:
            if running:
                await asyncio.gather(*running, return_exceptions=True)
        return report

    async def _ready(
        self, session: AsyncSession, claimed: list[ClaimedSend], report: SendReport
    ) -> list[tuple[ClaimedSend, str]]:
        """The claimed messages that may go now, with their text; the others are put off."""
        now = self.clock()
        expired = [s.id for s in claimed if s.expires_at is not None and s.expires_at <= now]
        if self.quiet.contains(now.astimezone(self.tz).time().replace(tzinfo=None)):
            resume = self.quiet.next_end(now, self.tz)
            expired = [s.id for s in claimed if s.expires_at and s.expires_at <= resume]
            later = [s.id for s in claimed if s.id not in expired]
            await repo.retry_later(session, ids=later, at=resume)
            claimed = []
        await repo.finish(session, ids=expired, now=now, sent=False, reason="Expired")
        report.expired += len(expired)
        return [(send, self._text(send)) for send in claimed if send.id not in expired]

    async def _to_mailbox(
        self, session: AsyncSession, send: ClaimedSend, text: str, report: SendReport
    ) -> None:
        """A web chat learner finds it on the page next time (in the same transaction)."""
        now = self.clock()
        await web_mailbox.append(
            session, mailbox=send.address, author=Author.LLAIS, text=text, now=now
        )
        await repo.finish(session, ids=[send.id], now=now)
        report.sent += 1
        kind = send.campaign.partition(":")[0]
        report.by_campaign[kind] = report.by_campaign.get(kind, 0) + 1

    @staticmethod
    def _text(send: ClaimedSend) -> str:
        row = OutboxMessage(message=send.message, text=None, buttons=[])
        return render(row, send.language or DEFAULT_LANGUAGE).text

    async def _send(
        self, send: ClaimedSend, text: str, report: SendReport, slots: asyncio.Semaphore
    ) -> None:
        assert self.transport is not None  # only claimed for the bot when there is one
        try:
            for _ in range(MAX_TRIES_IN_PLACE):
                await self.pacer.wait(send.address)
                try:
                    await self.transport.send_text(send.address, text)
                except RetryLater as exc:
                    report.retried += 1
                    self.pacer.pause(exc.seconds)
                    continue
                except Blocked:
                    await self._record(send, "Blocked", blocked=True)
                    report.stopped += 1
                    return
                except Undeliverable:
                    await self._record(send, "Undeliverable")
                    report.stopped += 1
                    return
                await self._record(send, None)
                report.sent += 1
                kind = send.campaign.partition(":")[0]
                report.by_campaign[kind] = report.by_campaign.get(kind, 0) + 1
                return
            await self._release([send.id], after=NETWORK_BACKOFF)
        except Exception as exc:
            log.error("campaign send failed: %s", type(exc).__name__)
            await self._release([send.id], after=NETWORK_BACKOFF)
        finally:
            slots.release()

    async def _record(
        self, send: ClaimedSend, failed: str | None, *, blocked: bool = False
    ) -> None:
        """Record a send at once: sent (``failed`` None) or given up for that reason."""
        async with self.sessions() as session, session.begin():
            await repo.finish(
                session, ids=[send.id], now=self.clock(), sent=failed is None, reason=failed
            )
            if blocked:
                await repo.stop_person(session, ref=send.person_ref)

    async def _release(self, ids: list[int], *, after: float = 0.0) -> None:
        async with self.sessions() as session, session.begin():
            at = self.clock() + timedelta(seconds=after)
            await repo.retry_later(session, ids=ids, at=at)
