"""The staff bot's conversation service.

As for learners, the safeguarding detector reads any free text first and everything is committed
before replies go back. A concern in a member of staff's own message starts the staff crisis or
concern flow (adult contacts) and never raises a learner alert (the effect dispatcher would refuse
one). An "Acknowledge" press on a safeguarding alert is handled here too, outside the flows.
"""

from __future__ import annotations

import logging

from core.channel import Inbound, InboundKind, Reply
from core.vocabulary import Audience
from flows.engine import Outcome
from flows.state import SafetyContext
from llais.alerts.render import parse_ack
from llais.dialogue import DialogueService, Turn, Vocabulary
from llais.ports import PersonPorts
from llais.signposter import STAFF_SIGNPOSTS
from llais.staff.acknowledge import acknowledge_alert
from nlu.understand import Understanding
from storage.repo import people

log = logging.getLogger(__name__)

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
        alert_id = parse_ack(inbound.choice) if inbound.kind is InboundKind.CHOICE else None
        if alert_id is None:
            return None
        async with self.sessions() as session, session.begin():
            member = await people.get_person(session, ref=ref)
            reply = await acknowledge_alert(
                session, alert_id=alert_id, member=member, now=self.clock(), tz=self.settings.tz
            )
        return [reply]

    async def _concern(
        self, turn: Turn[PersonPorts], text: str, understanding: Understanding
    ) -> Outcome:
        """Care and adult contacts; a concern flow already running is replaced, not stacked."""
        risk = understanding.risk
        state = turn.state
        if state.current is not None and state.current.flow in self.routes.concern_flows:
            state.current = None
        log.info("staff concern level=%s", risk.level.label)
        safety = SafetyContext(
            level=risk.level, categories=risk.categories, about_other=risk.about_other
        )
        flow_id = self.routes.concern_flow(risk.level)
        return await self._start(turn, flow_id, interrupt=True, safety=safety)
