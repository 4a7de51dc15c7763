"""Requests that reach a person: a learner's "talk to someone at school" goes to the school's
wellbeing lead (or its DSLs when none is linked) in the staff bot, through the outbox.

:class:`RequestRouter` ``.run_once()`` delivers new requests and, when a request has not been
taken within its window (``request_window_school_days``, Monday to Friday), re-sends it to the
wellbeing leads and sends it to the DSLs too. :func:`take_request` is the one-tap "I'll take
this": colleagues are told it is taken and the learner is told someone has it. Every message
goes through ``llais.outbox`` with an idempotency key, so a run repeated after a crash sends
nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.channel import Button, Channel, Reply
from core.clock import Clock, utcnow
from core.i18n import catalogue
from core.settings import Settings
from core.vocabulary import DEFAULT_LANGUAGE, Audience, OutboxPriority, RequestStatus, StaffRole
from llais.alerts.render import local_time
from storage.db import AsyncSession
from storage.models import ContactRequest, OutboxMessage, Person, School
from storage.repo import alerts as alerts_repo
from storage.repo.alerts import Recipient
from storage.repo.outbox import enqueue
from storage.repo.threads import REQUEST, thread_id

log = logging.getLogger(__name__)

TAKE_PREFIX = "take:"
TEMPLATE_PREFIX = "tpl:"
TEMPLATES = ("break", "form", "soon")
TAKERS = (StaffRole.WELLBEING_LEAD, StaffRole.DSL, StaffRole.DEPUTY_DSL)


def message_keys() -> frozenset[str]:
    """The catalogue keys built at run time from the vocabulary (checked at start-up)."""
    return frozenset(
        [f"school.who_{role.value}" for role in StaffRole]
        + [f"school.template_{name}" for name in TEMPLATES]
        + [f"school.template_button_{name}" for name in TEMPLATES]
    )


def add_school_days(moment: datetime, days: int, tz: ZoneInfo) -> datetime:
    """``moment`` plus ``days`` school days (Monday to Friday; term dates are not known here)."""
    local = moment.astimezone(tz)
    while days > 0:
        local += timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local.astimezone(moment.tzinfo)


def _sent_key(request_id: int, step: int, ref: str) -> str:
    return f"req:{request_id}:to:{step}:{ref}"


def _found(request: ContactRequest) -> dict[str, Any]:
    if request.reply_here or not (request.first_name or request.form):
        return {"key": "school.found_here"}
    dash = "–"
    name, form = request.first_name or dash, request.form or dash
    return {
        "en": f"first name {name}, form {form}",
        "cy": f"enw cyntaf {name}, dosbarth {form}",
    }


def _need(request: ContactRequest) -> dict[str, Any]:
    key = f"signposting.need_{request.need}"
    return {"key": key if request.need and key in catalogue() else "school.need_unknown"}


class RequestRouter:
    """One run: deliver new requests, and re-send those not taken within their window."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock = utcnow,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.clock = clock
        self._told_nobody: set[int] = set()

    async def run_once(self) -> int:
        """Queue every request message now due; returns how many were queued."""
        now = self.clock()
        queued = 0
        async with self.sessions() as session, session.begin():
            query = select(ContactRequest).where(ContactRequest.status == RequestStatus.OPEN)
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            for request in await session.scalars(query.order_by(ContactRequest.id)):
                if request.next_step_at is None and request.step == 0:
                    queued += await self._deliver(session, request, now, step=0)
                elif request.step == 0 and request.next_step_at and request.next_step_at <= now:
                    queued += await self._deliver(session, request, now, step=1)
        return queued

    async def _targets(
        self, session: AsyncSession, request: ContactRequest, step: int
    ) -> list[Recipient]:
        leads = await alerts_repo.recipients(
            session, school_id=request.school_id, roles=[StaffRole.WELLBEING_LEAD]
        )
        if leads and step == 0:
            return leads
        dsls = await alerts_repo.recipients(
            session, school_id=request.school_id, roles=[StaffRole.DSL]
        )
        return leads + [dsl for dsl in dsls if dsl.ref not in {lead.ref for lead in leads}]

    async def _deliver(
        self, session: AsyncSession, request: ContactRequest, now: datetime, *, step: int
    ) -> int:
        targets = await self._targets(session, request, step)
        if not targets:
            if request.id not in self._told_nobody:
                self._told_nobody.add(request.id)
                log.error("request %d: nobody at the school is linked to receive it", request.id)
            return 0
        school = await session.get(School, request.school_id)
        names = {"en": school.name, "cy": school.name_cy} if school else {"en": "–", "cy": "–"}
        for target in targets:
            await enqueue(
                session,
                key=_sent_key(request.id, step, target.ref),
                person_ref=target.ref,
                audience=Audience.STAFF,
                channel=Channel.STAFF_TELEGRAM,
                priority=OutboxPriority.REPLY,
                message_key="school.request_new",
                params={
                    "school": names,
                    "year": request.year_group or "–",
                    "need": _need(request),
                    "found": _found(request),
                    "when": local_time(request.created_at, self.settings.tz),
                    "resent": {"key": "school.request_resent"} if step else "",
                },
                buttons=[[{"key": "school.take_button", "payload": f"{TAKE_PREFIX}{request.id}"}]],
                now=now,
            )
        if step == 0:
            request.next_step_at = add_school_days(
                now, self.settings.request_window_school_days, self.settings.tz
            )
        else:
            request.step, request.next_step_at = 1, None
        log.info(
            "request %d: step %d queued for %d member(s) of staff", request.id, step, len(targets)
        )
        return len(targets)


def parse_take(payload: str) -> int | None:
    """The request id in an "I'll take this" payload, or None."""
    rest = payload.removeprefix(TAKE_PREFIX) if payload.startswith(TAKE_PREFIX) else ""
    return int(rest) if rest.isdigit() else None


def reply_buttons(thread: str, language: Any) -> tuple[tuple[Button, ...], ...]:
    """Write a message, or send one of the templates, to the learner of ``thread``."""
    cat = catalogue()
    rows = [(Button(cat.get("school.write_button", language), f"write:{thread}"),)]
    rows += [
        (
            Button(
                cat.get(f"school.template_button_{name}", language),
                f"{TEMPLATE_PREFIX}{thread}:{name}",
            ),
        )
        for name in TEMPLATES
    ]
    return tuple(rows)


async def take_request(
    session: AsyncSession, *, request_id: int, member: Person | None, now: datetime, tz: ZoneInfo
) -> Reply:
    """Take the request for ``member``; tell colleagues and the learner (through the outbox)."""
    cat = catalogue()
    language = (member.language if member else None) or DEFAULT_LANGUAGE
    request = await session.get(ContactRequest, request_id, with_for_update=True)
    if request is None:
        return Reply(cat.get("school.request_unknown", language))
    if member is None or member.role not in TAKERS or member.school_id != request.school_id:
        log.warning("request %d: take refused for a %s", request_id, member.role if member else "-")
        return Reply(cat.get("school.request_not_allowed", language))
    thread = thread_id(REQUEST, request.id)
    if request.status is not RequestStatus.OPEN:
        if request.taken_by == member.ref:
            return Reply(
                cat.get("school.request_taken_you", language, found=_found_text(request, language)),
                reply_buttons(thread, language),
            )
        taker = await session.get(Person, request.taken_by) if request.taken_by else None
        role = taker.role if taker and taker.role else StaffRole.STAFF
        return Reply(
            cat.get(
                "school.request_already_taken",
                language,
                role=cat.get(f"staff.role_{role.value}", language),
                time=local_time(request.taken_at or now, tz),
            )
        )
    request.status, request.taken_by, request.taken_at = RequestStatus.TAKEN, member.ref, now
    request.next_step_at = None
    role = member.role or StaffRole.STAFF
    if await session.get(Person, request.learner_ref) is not None:
        await enqueue(
            session,
            key=f"req:{request.id}:taken",
            person_ref=request.learner_ref,
            audience=Audience.LEARNER,
            channel=request.channel or Channel.TELEGRAM,
            priority=OutboxPriority.REPLY,
            message_key="school.request_taken_learner",
            params={"who": {"key": f"school.who_{role.value}"}},
            now=now,
        )
    colleagues = await session.scalars(
        select(OutboxMessage.person_ref)
        .where(OutboxMessage.idempotency_key.like(f"req:{request.id}:to:%"))
        .distinct()
    )
    for ref in colleagues:
        if ref == member.ref:
            continue
        await enqueue(
            session,
            key=f"req:{request.id}:taken:{ref}",
            person_ref=ref,
            audience=Audience.STAFF,
            channel=Channel.STAFF_TELEGRAM,
            priority=OutboxPriority.REPLY,
            message_key="school.request_taken_colleague",
            params={
                "role": {"key": f"staff.role_{role.value}"},
                "number": request.id,
                "time": local_time(now, tz),
            },
            now=now,
        )
    waited = int((now - request.created_at).total_seconds())
    log.info("request %d taken by a %s after %d s", request.id, role, waited)
    return Reply(
        cat.get("school.request_taken_you", language, found=_found_text(request, language)),
        reply_buttons(thread, language),
    )


def _found_text(request: ContactRequest, language: Any) -> str:
    found = _found(request)
    if "key" in found:
        return catalogue().get(found["key"], language)
    return str(found[language.value])
