"""The learner bot's conversation service (Telegram and terminal; the web chat later).

A safeguarding concern interrupts whatever is running: the alert for the school's DSL (or the
authority's contact when there is no school) is one of the turn's effects, so it is committed
before any reply is sent. A further message in the same safety conversation updates that alert
(never lowering it) instead of raising a second one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

from core.channel import Inbound, InboundKind, Reply
from core.i18n import catalogue
from core.vocabulary import Audience, RiskLevel
from flows.effects import RaiseAlert, UpdateAlert
from flows.engine import Outcome
from flows.polls import PollDefinition, PollFlows, compile_poll, flow_id
from flows.state import ConversationState, SafetyContext
from llais.dialogue import DialogueService, Turn, Vocabulary
from llais.ports import LearnerPorts
from llais.signposter import LEARNER_SIGNPOSTS
from llais.voice.render import announcement_text
from nlu.safeguarding import RiskAssessment
from nlu.understand import Understanding
from storage.db import AsyncSession
from storage.models import School
from storage.repo import voice as voice_repo

ANSWER_PREFIX = "answer:"

LEARNER_VOCABULARY = Vocabulary(
    audience=Audience.LEARNER,
    signposts=LEARNER_SIGNPOSTS,
    messages="common",
    start_flow="welcome",
    before_language=frozenset({"welcome", "language", "help"}),
    help_flow="help",
    low_mood_flow="topic_low_mood",
    topic_prefix="topic_",
)


class LearnerService(DialogueService[LearnerPorts]):
    """Implements ``ConversationHandler`` for learners."""

    vocabulary = LEARNER_VOCABULARY
    ports_type = LearnerPorts
    # commands answered here rather than by a flow file: polls are data in the database
    # (with their Welsh names, as the routes give every command)
    VOICE_COMMANDS: ClassVar[Mapping[str, str]] = MappingProxyType(
        {"poll": "poll", "arolwg": "poll", "yousaid": "yousaid", "dywedoch": "yousaid"}
    )

    async def _open(self, session: AsyncSession, ref: str, inbound: Inbound) -> LearnerPorts:
        """The learner's ports, with any poll created since the last turn made runnable."""
        flows = self.engine.flowset.flows
        if isinstance(flows, PollFlows):
            for poll in await voice_repo.polls_after(session, poll_id=flows.loaded_up_to):
                flows.add(
                    poll.id, compile_poll(poll.id, PollDefinition.model_validate(poll.definition))
                )
        return await super()._open(session, ref, inbound)

    async def _command(self, turn: Turn[LearnerPorts]) -> Outcome:
        name = self.VOICE_COMMANDS.get(turn.inbound.command.lower())
        if name is None or turn.ports.language is None:
            return await super()._command(turn)
        person = turn.ports.person
        language = turn.language
        if not turn.ports.enrolled:
            return self._reply(turn, catalogue().get("voice.needs_school", language))
        session = turn.ports.session
        if name == "poll":
            poll = await voice_repo.poll_to_answer(session, person=person, now=self.clock())
            if poll is None or flow_id(poll.id) not in self.engine.flowset.flows:
                return self._reply(turn, catalogue().get("voice.no_poll", language))
            return await self._start(turn, flow_id(poll.id))
        posts = await voice_repo.announcements(session, school_id=person.school_id, limit=5)
        if not posts:
            return self._reply(turn, catalogue().get("voice.yousaid_none", language))
        school = await session.get(School, person.school_id)
        texts = [catalogue().get("voice.yousaid_header", language)]
        texts += [announcement_text(post, school, language) for post in posts]
        return self._reply(turn, "\n\n".join(texts))

    @staticmethod
    def _reply(turn: Turn[LearnerPorts], text: str) -> Outcome:
        return Outcome([Reply(text)], [], turn.state, turn.language)

    async def _decide(
        self, turn: Turn[LearnerPorts], text: str, understanding: Understanding | None
    ) -> Outcome:
        """ "Answer" under a message from school, and ``/start CODE`` to move school or year."""
        inbound = turn.inbound
        if understanding is None or not understanding.risk.is_concern:
            if inbound.kind is InboundKind.CHOICE and inbound.choice.startswith(ANSWER_PREFIX):
                thread = inbound.choice.removeprefix(ANSWER_PREFIX)
                return await self._start(turn, "answer_school", data={"thread": thread})
            code = text.strip()
            start = inbound.kind is InboundKind.COMMAND and inbound.command.lower() == "start"
            if start and code and turn.ports.language is not None:
                return await self._start(turn, "change_school", data={"code": code[:40]})
        return await super()._decide(turn, text, understanding)

    async def _concern(
        self, turn: Turn[LearnerPorts], text: str, understanding: Understanding
    ) -> Outcome:
        """Interrupt whatever is running; the alert is one of this turn's effects."""
        risk = understanding.risk
        flow_id = self.routes.concern_flow(risk.level)
        state = turn.state
        open_alert = self._open_alert(state)
        if open_alert is not None:
            open_id, open_level = open_alert
            update = UpdateAlert(
                open_id, level=risk.level, categories=risk.categories, cues=risk.cues
            )
            if risk.level <= open_level:
                # Already in the safety conversation for this alert: let the answer through.
                answered = await self.engine.answer_text(state, text, self._given(turn))
                outcome = answered or Outcome(
                    self.engine.reprompt(state, language=turn.language), [], state, turn.language
                )
                outcome.effects.insert(0, update)
                return outcome
            # A higher level than the open alert: raise it and start the stronger reply.
            state.current = None
            outcome = await self._start(
                turn, flow_id, interrupt=True, safety=self._safety(open_id, risk)
            )
            outcome.effects.insert(0, update)
            return outcome
        alert_id = str(uuid.uuid4())
        alert = RaiseAlert(
            alert_id=alert_id,
            level=risk.level,
            categories=risk.categories,
            cues=risk.cues,
            excerpt=text,
            about_other=risk.about_other,
        )
        outcome = await self._start(
            turn, flow_id, interrupt=True, safety=self._safety(alert_id, risk)
        )
        outcome.effects.insert(0, alert)
        return outcome

    @staticmethod
    def _safety(alert_id: str, risk: RiskAssessment) -> SafetyContext:
        return SafetyContext(
            alert_id=alert_id,
            level=risk.level,
            categories=risk.categories,
            about_other=risk.about_other,
        )

    def _open_alert(self, state: ConversationState) -> tuple[str, RiskLevel] | None:
        """The alert whose safety conversation is running now, with its level."""
        frame = state.current
        if frame is None or frame.flow not in self.routes.concern_flows:
            return None
        safety = frame.safety
        if safety is None or safety.alert_id is None:
            return None
        return safety.alert_id, safety.level
