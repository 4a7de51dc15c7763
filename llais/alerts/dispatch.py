"""Deliver safeguarding alerts to safeguarding leads, and escalate those not acknowledged in time.

Everything the job needs is in the database: an open alert's ``escalation_step`` says who should
have it (0: the school's DSLs; 1: and its deputies; 2: and the authority's contact; later steps are
reminders to all of them), ``next_escalation_at`` says when the next step is due, and
``alert_deliveries`` says who has it at this step already. So each run is idempotent, and a
restarted app carries on where the last one stopped. A failed send is retried on the next run.

Any number of processes may run the job over one PostgreSQL database: every send is claimed by
locking the alert's row (``SELECT ... FOR UPDATE SKIP LOCKED``) and recorded before the lock is
released, so the scheduler in each process only triggers claims. SQLite runs one process.
A message sent whose record could not be committed (the database went away in between) leaves a
receipt on local disk (``receipts.py``), recorded by the next run before it claims anything, so
an outage does not make the lead read the same alert twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.channel import Reply
from core.clock import Clock, utcnow
from core.settings import Settings
from core.vocabulary import DEFAULT_LANGUAGE, AlertStatus, RiskLevel, StaffRole
from llais.alerts.closing import Notice, plan_late_updates, plan_notices
from llais.alerts.out_of_hours import OutOfHours
from llais.alerts.receipts import Receipt, Receipts
from llais.alerts.render import AUTHORITY_STEP, DEPUTY_STEP, AlertView, render_alert
from llais.alerts.sender import AlertSender
from storage.db import AsyncSession, takes_row_locks
from storage.models import SafeguardingAlert
from storage.repo import alerts as repo
from storage.repo.alerts import Recipient

log = logging.getLogger(__name__)

ROLES_BY_STEP: dict[int, tuple[StaffRole, ...]] = {
    0: (StaffRole.DSL,),
    DEPUTY_STEP: (StaffRole.DSL, StaffRole.DEPUTY_DSL),
    AUTHORITY_STEP: (StaffRole.DSL, StaffRole.DEPUTY_DSL, StaffRole.AUTHORITY),
}
LATE_ANSWERS = timedelta(days=1)  # how long answers after acknowledgement are still passed on
MAX_SENDS_PER_ALERT = 200  # a bound on one run's sends for one alert (recipients x kinds)


def roles_for(alert: SafeguardingAlert) -> tuple[StaffRole, ...]:
    """Who should have the alert at its current step (no school: the authority's contact)."""
    if alert.school_id is None:
        return (StaffRole.AUTHORITY,)
    return ROLES_BY_STEP[min(alert.escalation_step, AUTHORITY_STEP)]


@dataclass(frozen=True)
class _Send:
    """The next message one alert needs: the alert itself, an update of it, or the notice that
    someone else acknowledged it."""

    alert_id: str
    recipient: Recipient
    view: AlertView | None = None  # an alert or an update
    step: int = 0
    update: bool = False
    notice: Notice | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.alert_id, self.recipient.ref, "notice" if self.notice else str(self.update))

    def receipt(self, now: datetime) -> Receipt:
        """What recording this send writes (kept on disk too when the record cannot commit)."""
        assert self.notice is not None or self.view is not None
        digest = self.view.digest if self.notice is None and self.view is not None else None
        return Receipt.of(self.alert_id, self.recipient, step=self.step, digest=digest, now=now)


@dataclass
class RunReport:
    """What one run did (counts only: nothing that identifies anyone)."""

    escalated: int = 0
    delivered: int = 0
    failed: int = 0
    closed: int = 0  # told that someone else acknowledged
    undeliverable: list[str] = field(default_factory=list)  # alert ids with nobody to send to


class AlertDispatcher:
    """One run: escalate what is due, then deliver each open alert to whoever lacks it."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        sender: AlertSender,
        clock: Clock = utcnow,
        out_of_hours: OutOfHours | None = None,
        receipts: Receipts | None = None,
    ) -> None:
        self.settings = settings
        self.receipts = receipts if receipts is not None else Receipts.beside(settings.spool_dir)
        self.sessions = sessions
        self.sender = sender
        self.clock = clock
        self.out_of_hours = out_of_hours
        self._told_undeliverable: set[str] = set()
        # alerts whose every send at a school step failed, with nobody ever reached: the next
        # run takes them straight to the authority's contact (a restart retries from scratch)
        self._unreached: set[str] = set()

    def ack_minutes(self, level: RiskLevel) -> int:
        """How long an alert at ``level`` may wait for acknowledgement."""
        return self.settings.ack_minutes(level)

    async def run_once(self) -> RunReport:
        """Escalate due alerts and deliver pending ones; safe to call at any time, repeatedly, and
        from any number of processes at once.

        Each message is one claim: lock the alert's row (``FOR UPDATE SKIP LOCKED`` on
        PostgreSQL: an alert another worker is sending is skipped, not waited for), work out the
        next message it needs, send it, record it, commit. So each recipient gets each step once
        whichever worker sends it; only a crash between a send and its commit repeats that send.
        """
        report = RunReport()
        now = self.clock()
        await self._record_receipts()
        async with self.sessions() as session:
            alert_ids = await repo.alerts_to_work_on(session, since=now - LATE_ANSWERS)
        failed: set[tuple[str, str, str]] = set()  # sends that failed in this run
        for alert_id in alert_ids:
            for _ in range(MAX_SENDS_PER_ALERT):
                if not await self._send_next(alert_id, now, report, failed):
                    break
        for alert_id in self._first_sends_failed(failed) - self._unreached:
            async with self.sessions() as session:
                if not await repo.deliveries_of(session, alert_id=alert_id):
                    self._unreached.add(alert_id)
        return report

    @staticmethod
    def _first_sends_failed(failed: set[tuple[str, str, str]]) -> set[str]:
        """Alerts with a first delivery (not a notice or an update) that failed in this run."""
        return {alert_id for alert_id, _, what in failed if what == str(False)}

    async def _send_next(
        self, alert_id: str, now: datetime, report: RunReport, failed: set[tuple[str, str, str]]
    ) -> bool:
        """Claim the alert and send the next message it needs; False when there is none to send
        here (nothing left, or another worker holds it)."""
        sent: _Send | None = None
        try:
            async with self.sessions() as session:
                async with session.begin():
                    alert = await repo.claim_alert(session, alert_id=alert_id)
                    if alert is None:
                        return False
                    send = await self._next(session, alert, now, report, failed)
                    if send is None:
                        return False
                    if takes_row_locks(session):
                        # the row stays locked through the send: no other worker sends it
                        if await self._transmit(send, report, failed):
                            sent = send
                            await self._record(session, send, report)
                        return True
                # SQLite: one process, and the send must not hold the database's one write lock
                if await self._transmit(send, report, failed):
                    sent = send
                    async with session.begin():
                        await self._record(session, send, report)
                return True
        except Exception:
            if sent is not None:  # it went, but the database does not know: keep a receipt
                self._keep_receipt(sent)
            raise

    def _keep_receipt(self, send: _Send) -> None:
        try:
            self.receipts.keep(send.receipt(self.clock()))
        except OSError as exc:  # the disk too: the message may be sent again (not lost)
            log.error("alert %s: a receipt could not be kept (%s)", send.alert_id, exc)
            return
        log.warning("alert %s: sent but not recorded; receipt kept for the next run", send.alert_id)

    async def _record_receipts(self) -> None:
        """Record the messages sent before an outage cut their commit (by any process here)."""
        for path, receipt in self.receipts.pending():
            async with self.sessions() as session, session.begin():
                await receipt.record(session)
            self.receipts.remove(path)
            log.info("alert %s: a kept receipt was recorded", receipt.alert_id)

    async def _next(
        self,
        session: AsyncSession,
        alert: SafeguardingAlert,
        now: datetime,
        report: RunReport,
        failed: set[tuple[str, str, str]],
    ) -> _Send | None:
        """The next message the claimed alert needs (escalating it first when due), or None."""
        if alert.status is AlertStatus.OPEN:
            candidates = await self._next_open(session, alert, now, report)
        else:
            candidates = [
                _Send(alert.id, notice.recipient, notice=notice)
                for notice in await plan_notices(session, alert=alert, now=now, tz=self.settings.tz)
            ]
            late = await plan_late_updates(session, alert=alert, now=now, window=LATE_ANSWERS)
            candidates += [
                _Send(alert.id, recipient, view=view, step=step, update=True)
                for view, step, recipient in late
            ]
        return next((send for send in candidates if send.key not in failed), None)

    async def _next_open(
        self, session: AsyncSession, alert: SafeguardingAlert, now: datetime, report: RunReport
    ) -> list[_Send]:
        report.escalated += self._escalate_overdue(alert, now)
        if alert.id in self._unreached:
            self._unreached.discard(alert.id)
            while alert.school_id is not None and alert.escalation_step < AUTHORITY_STEP:
                self._escalate(alert, now, "nobody at the school could receive it")
                report.escalated += 1
        wanted = await repo.recipients(session, school_id=alert.school_id, roles=roles_for(alert))
        while not wanted and alert.school_id is not None:
            if alert.escalation_step >= AUTHORITY_STEP:
                break
            # nobody linked at this step: go straight to the next instead of waiting
            self._escalate(alert, now, "nobody linked to receive it")
            report.escalated += 1
            wanted = await repo.recipients(
                session, school_id=alert.school_id, roles=roles_for(alert)
            )
        if not wanted:
            if alert.id not in report.undeliverable:
                report.undeliverable.append(alert.id)
            if alert.id not in self._told_undeliverable:  # once per alert, not every run
                self._told_undeliverable.add(alert.id)
                log.error("alert %s: nobody is linked to receive it", alert.id)
            return []
        names = await repo.school_names(
            session, ids=[alert.school_id] if alert.school_id is not None else []
        )
        school = names.get(alert.school_id) if alert.school_id is not None else None
        view = AlertView.of(alert, school)
        done = await repo.delivered_to(session, alert_id=alert.id, step=alert.escalation_step)
        pending = [
            _Send(alert.id, r, view=view, step=view.step) for r in wanted if r.ref not in done
        ]
        changed = [
            _Send(alert.id, r, view=view, step=view.step, update=True)
            for r in wanted
            if r.ref in done and done[r.ref] != view.digest
        ]
        return pending + changed

    async def _transmit(
        self, send: _Send, report: RunReport, failed: set[tuple[str, str, str]]
    ) -> bool:
        """Send one message; a failure is counted, logged and retried on the next run."""
        try:
            await self.sender.send(send.recipient.chat_id, self._reply(send))
        except Exception as exc:  # any failure: keep going, and retry on the next run
            failed.add(send.key)
            report.failed += 1
            what = "acknowledgement notice" if send.notice else "delivery"
            log.warning(
                "alert %s: %s to a %s failed (%s); will retry",
                send.alert_id,
                what,
                send.recipient.role,
                type(exc).__name__,
            )
            return False
        return True

    def _reply(self, send: _Send) -> Reply:
        if send.notice is not None:
            return send.notice.reply
        assert send.view is not None
        language = send.recipient.language or DEFAULT_LANGUAGE
        return render_alert(
            send.view,
            language,
            tz=self.settings.tz,
            minutes=self.ack_minutes(send.view.level),
            authority=self.settings.authority_safeguarding_contact,
            update=send.update,
            out_of_hours=self.out_of_hours.note(send.view.created_at, language)
            if self.out_of_hours
            else None,
        )

    async def _record(self, session: AsyncSession, send: _Send, report: RunReport) -> None:
        """Record what was sent (no text is stored), in the transaction of the claim."""
        await send.receipt(self.clock()).record(session)
        if send.notice is not None:
            report.closed += 1
            return
        report.delivered += 1
        what = "update" if send.update else "alert"
        log.info(
            "alert %s: %s delivered to a %s at step %d",
            send.alert_id,
            what,
            send.recipient.role,
            send.step,
        )

    def _escalate_overdue(self, alert: SafeguardingAlert, now: datetime) -> int:
        """Take every step whose deadline has passed (after downtime, several at once)."""
        deadline = alert.next_escalation_at
        steps = 0
        while deadline is not None and deadline <= now:
            self._escalate(alert, now, "not acknowledged in time")
            steps += 1
            if alert.school_id is None or alert.escalation_step >= AUTHORITY_STEP:
                break  # reminders are not stacked up
            deadline += timedelta(minutes=self.ack_minutes(alert.level))
        return steps

    def _escalate(self, alert: SafeguardingAlert, now: datetime, why: str) -> None:
        alert.escalation_step += 1
        alert.next_escalation_at = now + timedelta(minutes=self.ack_minutes(alert.level))
        log.warning(
            "alert %s escalated to step %d (%s, level %s)",
            alert.id,
            alert.escalation_step,
            why,
            alert.level.label,
        )
