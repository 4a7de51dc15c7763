"""The staff bot's conversation service.

As for learners, the safeguarding detector reads any free text first and everything is committed
before replies go back. A concern in a member of staff's own message starts the staff crisis or
concern flow (adult contacts) and never raises a learner alert (the effect dispatcher would refuse
one). What a member of staff writes to a learner waits when the detector reads a concern in it: they
are told why and decide again, "Send anyway", "Write again" or "Cancel" (the words wait in the
conversation state only, never in a log); a note on an alert's record is kept as written
(``llais.staff.screening``). An "Acknowledge" press on a safeguarding alert is handled here too,
outside the flows.
"""

from __future__ import annotations

import logging
from datetime import datetime

from core.channel import Button, Inbound, InboundKind, Reply
from core.i18n import catalogue
from core.vocabulary import DEFAULT_LANGUAGE, Audience, Language
from flows.engine import SKIP, Outcome
from flows.render import step_token
from flows.state import SafetyContext
from llais.alerts import lifecycle
from llais.alerts.render import parse_ack
from llais.dialogue import DialogueService, Turn, Vocabulary
from llais.ports import PersonPorts
from llais.requests import (
    TEMPLATE_PREFIX,
    TEMPLATES,
    close_request,
    parse_done,
    parse_take,
    take_request,
)
from llais.signposter import STAFF_SIGNPOSTS
from llais.staff.acknowledge import acknowledge_alert
from llais.staff.screening import Screened
from nlu.understand import Understanding
from storage.db import AsyncSession
from storage.models import Person
from storage.repo import alerts as alerts_repo
from storage.repo import people, threads
from storage.repo.accounts import log_event
from storage.repo.alert_events import may_handle

log = logging.getLogger(__name__)

WRITE_PREFIX = "write:"
NOTE_PREFIX = f"{lifecycle.PREFIX}note:"
WRITE_FLOW = "staff_write"  # to a learner: a concern holds the message
NOTE_FLOW = "staff_alert_note"  # to an alert's record: kept as written
WRITING_FLOWS = frozenset({WRITE_FLOW, NOTE_FLOW})
HELD_PREFIX = "held:"  # the writer's second decision on a message the detector warned about
SEND_ANYWAY, WRITE_AGAIN, CANCEL = (f"{HELD_PREFIX}{d}" for d in ("send", "again", "cancel"))
PENDING = "pending"  # the words warned about, in the flow's data until a decision

STAFF_VOCABULARY = Vocabulary(
    audience=Audience.STAFF,
    signposts=STAFF_SIGNPOSTS,
    messages="staff",
    start_flow="staff_welcome",
    before_language=frozenset({"staff_welcome", "staff_language", "staff_help"}),
    help_flow="staff_help",
    low_mood_flow="staff_help",
    topic_prefix="staff_topic_",
)


class StaffService(DialogueService[PersonPorts]):
    """Implements ``ConversationHandler`` for the staff bot."""

    vocabulary = STAFF_VOCABULARY
    ports_type = PersonPorts

    async def _intercept(self, inbound: Inbound, ref: str) -> list[Reply] | None:
        """Buttons on alerts and requests, and ``/alerts``: none of them carries free text."""
        if inbound.kind is InboundKind.COMMAND:
            if inbound.command.lower() != "alerts" or inbound.text.strip():
                return None  # with arguments, the text goes through the detector first
            async with self.sessions() as session:
                member = await people.get_person(session, ref=ref)
                return await lifecycle.list_alerts(
                    session, member=member, now=self.clock(), tz=self.settings.tz
                )
        if inbound.kind is not InboundKind.CHOICE:
            return None
        data = inbound.choice
        now, tz = self.clock(), self.settings.tz
        async with self.sessions() as session, session.begin():
            member = await people.get_person(session, ref=ref)
            if (alert_id := parse_ack(data)) is not None:
                return [
                    await acknowledge_alert(
                        session, alert_id=alert_id, member=member, now=now, tz=tz
                    )
                ]
            if (request_id := parse_take(data)) is not None:
                return [
                    await take_request(
                        session, request_id=request_id, member=member, now=now, tz=tz
                    )
                ]
            if (done_id := parse_done(data)) is not None:
                return [await close_request(session, request_id=done_id, member=member, now=now)]
            if data.startswith(TEMPLATE_PREFIX):
                return [await self._template(session, member, data, now)]
            if lifecycle.parse(data) is not None and not data.startswith(NOTE_PREFIX):
                return [
                    await lifecycle.take_step(session, data=data, member=member, now=now, tz=tz)
                    or Reply("")
                ]
        return None

    async def _template(
        self, session: AsyncSession, member: Person | None, data: str, now: datetime
    ) -> Reply:
        """Send one of the template messages to the learner of a thread."""
        cat = catalogue()
        language = (member.language if member else None) or DEFAULT_LANGUAGE
        thread, _, name = data.removeprefix(TEMPLATE_PREFIX).rpartition(":")
        sent = None
        if member is not None and name in TEMPLATES:
            key = f"school.template_{name}"
            sent = await threads.staff_sends(
                session,
                staff=member,
                thread=thread,
                text=cat.get(key, Language.EN),
                now=now,
                template=key,
            )
        if sent is None:
            return Reply(cat.get("school.not_allowed_write", language))
        return Reply(cat.get("school.sent", language))

    async def _decide(
        self, turn: Turn[PersonPorts], text: str, understanding: Understanding | None
    ) -> Outcome:
        """ "Write a message" and "Add a note" start a flow that asks for the text."""
        inbound = turn.inbound
        concern = understanding is not None and understanding.risk.is_concern
        if inbound.kind is InboundKind.CHOICE and inbound.choice.startswith(HELD_PREFIX):
            return await self._decided(turn, inbound.choice)
        if inbound.kind is InboundKind.CHOICE and not concern:
            if inbound.choice.startswith(WRITE_PREFIX):
                thread = inbound.choice.removeprefix(WRITE_PREFIX)
                found = await threads.find(turn.ports.session, thread)
                if found is None or not threads.may_write(turn.ports.person, found):
                    return self._say(turn, "school.not_allowed_write")
                return await self._start(turn, "staff_write", data={"thread": thread})
            parsed = lifecycle.parse(inbound.choice)
            if parsed is not None and inbound.choice.startswith(NOTE_PREFIX):
                alert = await alerts_repo.get_alert(turn.ports.session, alert_id=parsed[1])
                if alert is None or not may_handle(turn.ports.person, alert):
                    return self._say(turn, "staff.ack_not_allowed")
                return await self._start(turn, "staff_alert_note", data={"alert_id": alert.id})
        return await super()._decide(turn, text, understanding)

    async def _hold(self, turn: Turn[PersonPorts], screened: Screened, text: str) -> Outcome:
        """Not sent yet: say why, offer staff support when the words read as the writer's own,
        and ask for a second decision; the words wait in the flow's data, nowhere else."""
        cat, language = catalogue(), turn.language
        categories = screened.categories(language) or cat.get("dashboard.l_category_none", language)
        lines = [cat.get("staff.write_held", language, categories=categories)]
        if screened.own:
            support = await turn.ports.support_text(
                ["staff_wellbeing"], language, self.clock(), level=screened.risk.level
            )
            lines.append(cat.get("staff.write_held_own", language, contacts=support))
        state = turn.state.model_copy(deep=True)
        assert state.current is not None  # in the write flow
        state.current.data[PENDING] = text
        buttons = tuple(
            (Button(cat.get(f"staff.write_{name}", language), payload),)
            for name, payload in (
                ("send_anyway", SEND_ANYWAY),
                ("again", WRITE_AGAIN),
                ("cancel", CANCEL),
            )
        )
        return Outcome([Reply("\n\n".join(lines), buttons)], [], state, language)

    async def _decided(self, turn: Turn[PersonPorts], choice: str) -> Outcome:
        """The writer's decision on a message the detector warned about: send those exact
        words, write again (the question again), or cancel (nothing sent)."""
        state = turn.state.model_copy(deep=True)
        frame = state.current
        pending = frame.data.pop(PENDING, None) if frame and frame.flow == WRITE_FLOW else None
        if frame is None or not isinstance(pending, str):
            return self._say_and_reprompt(turn, "stale_button")
        given = self._given(turn)
        if choice == SEND_ANYWAY:
            sent = await self.engine.answer_text(state, pending, given)
            if sent is not None:
                log.info("staff message to a learner sent over a concern warning, confirmed")
                await log_event(
                    turn.ports.session, event="staff_text_confirmed", now=self.clock(), subject=None
                )
                return sent
        elif choice == WRITE_AGAIN:
            return Outcome(
                self.engine.reprompt(state, language=turn.language), [], state, turn.language
            )
        elif choice == CANCEL:
            skipped = await self.engine.choose(
                state, f"{step_token(frame.flow, frame.step)}|{SKIP}", given
            )
            if skipped is not None:
                log.info("staff message to a learner not sent after a concern warning")
                return skipped
        return self._say_and_reprompt(turn, "stale_button")

    def _say(self, turn: Turn[PersonPorts], key: str) -> Outcome:
        return Outcome([Reply(catalogue().get(key, turn.language))], [], turn.state, turn.language)

    async def _concern(
        self, turn: Turn[PersonPorts], text: str, understanding: Understanding
    ) -> Outcome:
        """Care and adult contacts; a concern flow already running is replaced, not stacked."""
        risk = understanding.risk
        state = turn.state
        if state.current is not None and state.current.flow == WRITE_FLOW:
            log.info("staff concern level=%s in a message to a learner: held", risk.level.label)
            return await self._hold(turn, Screened(risk), text)
        if state.current is not None and state.current.flow == NOTE_FLOW:
            # A safeguarding lead recording a learner's concern quotes the words the detector
            # looks for: that is their work, not their own crisis, and the record goes nowhere.
            answered = await self.engine.answer_text(state, text, self._given(turn))
            if answered is not None:
                log.info("staff concern level=%s in an alert note: recorded", risk.level.label)
                return answered
        if state.current is not None and state.current.flow in self.routes.concern_flows:
            state.current = None
        log.info("staff concern level=%s", risk.level.label)
        safety = SafetyContext(
            level=risk.level, categories=risk.categories, about_other=risk.about_other
        )
        flow_id = self.routes.concern_flow(risk.level)
        return await self._start(turn, flow_id, interrupt=True, safety=safety)
