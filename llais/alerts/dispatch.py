"""Deliver safeguarding alerts to safeguarding leads, and escalate those not acknowledged in time.

Everything the job needs is in the database: an open alert's ``escalation_step`` says who should
have it (0: the school's DSLs; 1: and its deputies; 2: and the authority's contact; later steps are
reminders to all of them), ``next_escalation_at`` says when the next step is due, and
``alert_deliveries`` says who has it at this step already. So each run is idempotent, and a
restarted app carries on where the last one stopped. A failed send is retried on the next run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.clock import Clock, utcnow
from core.settings import Settings
from core.vocabulary import DEFAULT_LANGUAGE, RiskLevel, StaffRole
from llais.alerts.closing import Notice, plan_late_updates, plan_notices
from llais.alerts.out_of_hours import OutOfHours
from llais.alerts.render import AUTHORITY_STEP, DEPUTY_STEP, AlertView, render_alert
from llais.alerts.sender import AlertSender
from storage.db import AsyncSession
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


def roles_for(alert: SafeguardingAlert) -> tuple[StaffRole, ...]:
    """Who should have the alert at its current step (no school: the authority's contact)."""
    if alert.school_id is None:
        return (StaffRole.AUTHORITY,)
    return ROLES_BY_STEP[min(alert.escalation_step, AUTHORITY_STEP)]


@dataclass
class _Plan:
    view: AlertView
    recipients: list[Recipient]
    updates: list[Recipient]  # had it at this step, but it has changed since


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
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.sender = sender
        self.clock = clock
        self.out_of_hours = out_of_hours
        self._told_undeliverable: set[str] = set()
        # alerts whose every send at a school step failed, with nobody ever reached: the next
        # run takes them straight to the authority's contact (the restart retries from scratch)
        self._unreached: set[str] = set()

    def ack_minutes(self, level: RiskLevel) -> int:
        """How long an alert at ``level`` may wait for acknowledgement."""
        return self.settings.ack_minutes(level)

    async def run_once(self) -> RunReport:
        """Escalate due alerts and deliver pending ones; safe to call at any time, repeatedly."""
        report = RunReport()
        now = self.clock()
        async with self.sessions() as session, session.begin():
            plans = await self._plan(session, now, report)
            notices = await plan_notices(session, now=now, tz=self.settings.tz)
            late = await plan_late_updates(session, now=now, window=LATE_ANSWERS)
        for notice in notices:
            await self._close(notice, report)
        for plan in plans:
            reached = [await self._deliver(plan.view, r, report) for r in plan.recipients]
            never = not plan.updates and plan.view.step < AUTHORITY_STEP
            if never and reached and not any(reached) and plan.view.school is not None:
                if not await self._ever_delivered(plan.view.id):
                    self._unreached.add(plan.view.id)
            for recipient in plan.updates:
                await self._deliver(plan.view, recipient, report, update=True)
        for view, step, recipient in late:
            await self._deliver(view, recipient, report, update=True, step=step)
        return report

    async def _plan(self, session: AsyncSession, now: datetime, report: RunReport) -> list[_Plan]:
        alerts = await repo.open_alerts(session)
        names = await repo.school_names(
            session, ids=[a.school_id for a in alerts if a.school_id is not None]
        )
        plans = []
        for alert in alerts:
            report.escalated += self._escalate_overdue(alert, now)
            if alert.id in self._unreached:
                self._unreached.discard(alert.id)
                while alert.school_id is not None and alert.escalation_step < AUTHORITY_STEP:
                    self._escalate(alert, now, "nobody at the school could receive it")
                    report.escalated += 1
            wanted = await repo.recipients(
                session, school_id=alert.school_id, roles=roles_for(alert)
            )
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
                report.undeliverable.append(alert.id)
                if alert.id not in self._told_undeliverable:  # once per alert, not every run
                    self._told_undeliverable.add(alert.id)
                    log.error("alert %s: nobody is linked to receive it", alert.id)
                continue
            school = names.get(alert.school_id) if alert.school_id is not None else None
            view = AlertView.of(alert, school)
            done = await repo.delivered_to(session, alert_id=alert.id, step=alert.escalation_step)
            pending = [r for r in wanted if r.ref not in done]
            changed = [r for r in wanted if r.ref in done and done[r.ref] != view.digest]
            if pending or changed:
                plans.append(_Plan(view, pending, changed))
        return plans

    async def _ever_delivered(self, alert_id: str) -> bool:
        async with self.sessions() as session:
            return bool(await repo.deliveries_of(session, alert_id=alert_id))

    async def _close(self, notice: Notice, report: RunReport) -> None:
        try:
            await self.sender.send(notice.recipient.chat_id, notice.reply)
        except Exception as exc:  # retried on the next run
            report.failed += 1
            log.warning(
                "alert %s: acknowledgement notice failed (%s)", notice.alert_id, type(exc).__name__
            )
            return
        async with self.sessions() as session, session.begin():
            await repo.close_deliveries(
                session,
                alert_id=notice.alert_id,
                recipient_ref=notice.recipient.ref,
                now=self.clock(),
            )
        report.closed += 1

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

    async def _deliver(
        self,
        view: AlertView,
        recipient: Recipient,
        report: RunReport,
        *,
        update: bool = False,
        step: int | None = None,
    ) -> bool:
        """Send ``view`` to ``recipient`` and log it against ``step`` (the alert's, by default);
        False when the send failed (it is retried on the next run)."""
        step = view.step if step is None else step
        language = recipient.language or DEFAULT_LANGUAGE
        reply = render_alert(
            view,
            language,
            tz=self.settings.tz,
            minutes=self.ack_minutes(view.level),
            authority=self.settings.authority_safeguarding_contact,
            update=update,
            out_of_hours=self.out_of_hours.note(view.created_at, language)
            if self.out_of_hours
            else None,
        )
        try:
            await self.sender.send(recipient.chat_id, reply)
        except Exception as exc:  # any failure: keep going, and retry on the next run
            report.failed += 1
            log.warning(
                "alert %s: delivery to a %s failed (%s); will retry",
                view.id,
                recipient.role,
                type(exc).__name__,
            )
            return False
        async with self.sessions() as session, session.begin():
            await repo.record_delivery(
                session,
                alert_id=view.id,
                recipient=recipient,
                step=step,
                digest=view.digest,
                now=self.clock(),
            )
        report.delivered += 1
        what = "update" if update else "alert"
        log.info("alert %s: %s delivered to a %s at step %d", view.id, what, recipient.role, step)
        return True
