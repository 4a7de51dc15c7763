"""The learner bot's conversation service (Telegram and terminal; the web chat later).

A safeguarding concern interrupts whatever is running: the alert for the school's DSL (or the
authority's contact when there is no school) is one of the turn's effects, so it is committed
before any reply is sent. A further message in the same safety conversation updates that alert
(never lowering it, and adding what was said to its excerpts) instead of raising a second one.
A concern about someone else has its own conversation. A message that may hint at something
below a concern gets one gentle check question, and no alert unless the answer says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

from core.channel import Inbound, InboundKind, Reply
from core.i18n import catalogue
from core.vocabulary import Audience
from flows.effects import RaiseAlert, UpdateAlert
from flows.engine import Outcome
from flows.model import TextStep
from flows.polls import PollDefinition, PollFlows, compile_poll, flow_id
from flows.state import ConversationState, SafetyContext
from llais.dialogue import DialogueService, Turn, Vocabulary
from llais.excerpts import excerpt_around
from llais.ports import LearnerPorts
from llais.signposter import LEARNER_SIGNPOSTS
from llais.voice.render import announcement_text
from nlu.safeguarding import RiskAssessment
from nlu.understand import Understanding
from storage.db import AsyncSession
from storage.models import School
from storage.repo import voice as voice_repo
from storage.repo.turns import OpenedTurn

ANSWER_PREFIX = "answer:"
START_COMMANDS = frozenset({"start", "dechrau"})  # `/start CODE` moves school or year

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
OTHER_FLOW = "safety_other"  # a concern about a friend or someone else
CHECK_FLOW = "safety_check"  # one gentle question below a concern
POLL_FLOW_PREFIX = flow_id(0).removesuffix("0")  # every stored poll runs as a flow "poll_<id>"
NOTED = "disclosure_noted"  # a further disclosure typed at a safety question
CONTEXT_CUE = "context"  # the detector's cue for a concern seen only with earlier messages


class LearnerService(DialogueService[LearnerPorts]):
    """Implements ``ConversationHandler`` for learners."""

    vocabulary = LEARNER_VOCABULARY
    ports_type = LearnerPorts
    # commands answered here rather than by a flow file: polls are data in the database
    # (with their Welsh names, as the routes give every command)
    VOICE_COMMANDS: ClassVar[Mapping[str, str]] = MappingProxyType(
        {"poll": "poll", "arolwg": "poll", "yousaid": "yousaid", "dywedoch": "yousaid"}
    )

    async def _open(
        self, session: AsyncSession, ref: str, opened: OpenedTurn, inbound: Inbound
    ) -> LearnerPorts:
        """The learner's ports, with any poll created since the last turn made runnable."""
        flows = self.engine.flowset.flows
        if isinstance(flows, PollFlows) and opened.newest_poll > flows.loaded_up_to:
            for poll in await voice_repo.polls_after(session, poll_id=flows.loaded_up_to):
                flows.add(
                    poll.id, compile_poll(poll.id, PollDefinition.model_validate(poll.definition))
                )
        return await super()._open(session, ref, opened, inbound)

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

    def _safety_flows(self) -> frozenset[str]:
        return self.routes.concern_flows | {OTHER_FLOW}

    async def _decide(
        self, turn: Turn[LearnerPorts], text: str, understanding: Understanding | None
    ) -> Outcome:
        """ "Answer" under a message from school, ``/start CODE`` to move school or year, the
        answer to a check question, and the check question for the uncertain band."""
        inbound = turn.inbound
        if understanding is None or not understanding.risk.is_concern:
            if inbound.kind is InboundKind.CHOICE and inbound.choice.startswith(ANSWER_PREFIX):
                thread = inbound.choice.removeprefix(ANSWER_PREFIX)
                return await self._start(turn, "answer_school", data={"thread": thread})
            code = text.strip()
            command = inbound.command.lower()
            start = inbound.kind is InboundKind.COMMAND and command in START_COMMANDS
            if start and code and turn.ports.language is not None:
                return await self._start(turn, "change_school", data={"code": code[:40]})
        risk = understanding.risk if understanding is not None else None
        if risk is not None and risk.is_concern and self._answers_check(turn, risk):
            # "no"/"nac oes" read with the message that prompted the question looks like a
            # disclosure only because the detector cannot see the question we asked: an exact
            # answer to it is taken as that answer (yes still raises the alert at once).
            frame = turn.state.current
            if frame is not None and frame.safety is not None:  # a yes is graded as read
                frame.safety = frame.safety.model_copy(
                    update={
                        "level": max(frame.safety.level, risk.level),
                        "categories": tuple(sorted({*frame.safety.categories, *risk.categories})),
                    }
                )
            answered = await self.engine.answer_text(turn.state, text, self._given(turn))
            if answered is not None:
                return answered
        if (
            risk is not None
            and risk.check is not None
            and not risk.is_concern
            and turn.inbound.kind is InboundKind.TEXT
            and turn.ports.language is not None
            and self._asks_check(turn.state)
        ):
            step = self.engine.current_step(turn.state)
            if step is not None and not isinstance(step, TextStep):
                answered = await self.engine.answer_text(turn.state, text, self._given(turn))
                if answered is not None:  # a button's answer, typed: no question needed
                    return answered
            return await self._check(turn, text, risk)
        return await super()._decide(turn, text, understanding)

    @staticmethod
    def _answers_check(turn: Turn[LearnerPorts], risk: RiskAssessment) -> bool:
        """At the check question, with a concern seen only by reading the message with context."""
        frame = turn.state.current
        alone_is_fine = CONTEXT_CUE in risk.cues
        return frame is not None and frame.flow == CHECK_FLOW and alone_is_fine

    def _asks_check(self, state: ConversationState) -> bool:
        """No check question inside a safety conversation, twice in a row, or in a poll (its
        question sets the topic: "hot food every day please" answers a lunch poll, it is not a
        hint about eating). A concern in any of them still raises the alert as everywhere."""
        frame = state.current
        if frame is not None and frame.flow.startswith(POLL_FLOW_PREFIX):
            return False
        return frame is None or frame.flow not in self._safety_flows() | {CHECK_FLOW}

    async def _check(self, turn: Turn[LearnerPorts], text: str, risk: RiskAssessment) -> Outcome:
        """Ask one gentle question about what the message may hint at (no alert)."""
        assert risk.check is not None
        safety = SafetyContext(level=risk.level, categories=(risk.check,))
        outcome = await self._start(turn, CHECK_FLOW, interrupt=True, safety=safety)
        frame = outcome.state.current
        if frame is not None and frame.flow == CHECK_FLOW:
            # what an escalation would show the DSL: this message and the ones before it
            frame.data["checked"] = self._excerpt(turn, text, risk)
        return outcome

    async def _concern(
        self, turn: Turn[LearnerPorts], text: str, understanding: Understanding
    ) -> Outcome:
        """Interrupt whatever is running; the alert is one of this turn's effects."""
        risk = understanding.risk
        state = turn.state
        excerpt = self._excerpt(turn, text, risk)
        open_alert = self._open_alert(state)
        if open_alert is None:
            if state.current is not None and state.current.flow == CHECK_FLOW:
                state.current = None  # the check question is answered by this disclosure
            return await self._raise(turn, risk, excerpt)
        open_id, open_safety = open_alert
        update = UpdateAlert(
            open_id,
            level=risk.level,
            categories=risk.categories,
            cues=risk.cues,
            excerpt=excerpt,
            about_other=risk.about_other,
        )
        now_about_self = open_safety.about_other and not risk.about_other
        if risk.level <= open_safety.level and not now_about_self:
            # Already in the safety conversation for this alert: an answer goes through; a
            # disclosure typed instead is acknowledged, added to the alert, and the question
            # asked again.
            answered = await self.engine.answer_text(state, text, self._given(turn))
            if answered is None:
                replies = [self._message(NOTED, turn.language)]
                replies += self.engine.reprompt(state, language=turn.language)
                answered = Outcome(replies, [], state, turn.language)
            answered.effects.insert(0, update)
            return answered
        # More serious than the open alert (or now about the learner): raise it, reply anew.
        state.current = None
        level = max(risk.level, open_safety.level)
        raised = SafetyContext(
            alert_id=open_id,
            level=level,
            categories=tuple(sorted(set(open_safety.categories) | set(risk.categories))),
            about_other=risk.about_other and open_safety.about_other,
        )
        outcome = await self._start(turn, self._flow_for(raised), interrupt=True, safety=raised)
        outcome.effects.insert(0, update)
        return outcome

    async def _raise(self, turn: Turn[LearnerPorts], risk: RiskAssessment, excerpt: str) -> Outcome:
        alert_id = str(uuid.uuid4())
        alert = RaiseAlert(
            alert_id=alert_id,
            level=risk.level,
            categories=risk.categories,
            cues=risk.cues,
            excerpt=excerpt,
            about_other=risk.about_other,
        )
        safety = self._safety(alert_id, risk)
        outcome = await self._start(turn, self._flow_for(safety), interrupt=True, safety=safety)
        outcome.effects.insert(0, alert)
        return outcome

    def _flow_for(self, safety: SafetyContext) -> str:
        return OTHER_FLOW if safety.about_other else self.routes.concern_flow(safety.level)

    @staticmethod
    def _excerpt(turn: Turn[LearnerPorts], text: str, risk: RiskAssessment) -> str:
        """What the DSL reads: centred on the cue; with the messages before it when the
        concern was seen only by reading them together."""
        if CONTEXT_CUE in risk.cues and turn.context:
            joined = "\n".join((*turn.context, text))
            return excerpt_around(joined, (), tail=True)
        return excerpt_around(text, risk.spans)

    @staticmethod
    def _safety(alert_id: str, risk: RiskAssessment) -> SafetyContext:
        return SafetyContext(
            alert_id=alert_id,
            level=risk.level,
            categories=risk.categories,
            about_other=risk.about_other,
        )

    def _open_alert(self, state: ConversationState) -> tuple[str, SafetyContext] | None:
        """The alert whose safety conversation is running now, with its context."""
        frame = state.current
        if frame is None or frame.flow not in self._safety_flows():
            return None
        safety = frame.safety
        if safety is None or safety.alert_id is None:
            return None
        return safety.alert_id, safety
