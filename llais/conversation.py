"""The conversation service: one inbound message in, replies out, everything persisted first.

Order of work for every message: find (or create) the pseudonymous learner, run the safeguarding
detector on any free text before anything else, let the engine decide, apply the effects and the new
state in one transaction, commit, and only then hand the replies back to the channel adapter.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import async_sessionmaker

from flows.effects import RaiseAlert, UpdateAlert
from flows.engine import Engine, Outcome, TurnInput
from flows.learner_actions import ALERT_KEY, CATEGORIES_KEY, LEVEL_KEY
from flows.model import TextStep
from flows.state import ConversationState
from llais.channel import Inbound, InboundKind, Reply
from llais.clock import Clock, utcnow
from llais.i18n import DEFAULT_LANGUAGE, Language, catalogue, parse_language
from llais.ports import LearnerPorts, Signposter
from llais.pseudonym import person_ref
from llais.settings import Settings
from nlu.safeguarding import RiskAssessment, RiskLevel
from nlu.understand import Understander, Understanding
from storage.apply import ApplyContext, apply_effects
from storage.db import AsyncSession
from storage.models import Learner
from storage.repo import learners as repo

log = logging.getLogger(__name__)

INTENT_CONFIDENCE = 0.55  # below this, typed text is not taken as a request to start a flow
HELP_FLOW = "help"
LOW_MOOD_FLOW = "topic_low_mood"
TOPIC_PREFIX = "topic_"
MAX_TEXT = 4000


@dataclass(frozen=True)
class _Turn:
    inbound: Inbound
    learner: Learner
    state: ConversationState
    ports: LearnerPorts
    language: Language


class ConversationService:
    """Implements ``ConversationHandler`` for the learner bot and the web chat."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        engine: Engine,
        understander: Understander,
        signposter: Signposter,
        clock: Clock = utcnow,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.engine = engine
        self.understander = understander
        self.signposter = signposter
        self.clock = clock
        self.routes = engine.flowset.routes
        self._secret = settings.secret_key.get_secret_value()

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Handle one inbound message; the replies are returned only after the commit."""
        ref = person_ref(self._secret, inbound.channel, inbound.user_id)
        text = inbound.text[:MAX_TEXT] if inbound.kind is not InboundKind.CHOICE else ""
        understanding = None
        if text.strip():
            # The detector runs on all free text before anything can depend on it (the NLU
            # runs outside the transaction, so a slow Rasa server never holds a database lock).
            hint = await self._stored_language(ref)
            understanding = await self.understander.understand(text, language_hint=hint)
        now = self.clock()
        async with self.sessions() as session, session.begin():
            learner = await repo.get_learner(session, ref=ref)
            if learner is None:
                learner = await repo.create_learner(
                    session, ref=ref, channel=inbound.channel, now=now
                )
            stored = await repo.load_state(session, ref=ref)
            state = ConversationState.model_validate(stored or {})
            ports = LearnerPorts(
                session=session,
                learner=learner,
                signposter=self.signposter,
                retention_days=self.settings.free_text_retention_days,
                checkins=await repo.checkin_count(session, ref=ref),
            )
            language = parse_language(learner.language) or (
                understanding.nlu.language if understanding else DEFAULT_LANGUAGE
            )
            turn = _Turn(inbound, learner, state, ports, language)
            outcome = await self._decide(turn, text, understanding)
            ctx = ApplyContext(
                learner=learner,
                channel=inbound.channel,
                now=now,
                ack_minutes_high=self.settings.alert_ack_minutes_high,
                ack_minutes_medium=self.settings.alert_ack_minutes_medium,
            )
            erased = await apply_effects(session, outcome.effects, ctx)
            if not erased:
                await repo.save_state(
                    session, ref=ref, state=outcome.state.model_dump(mode="json"), now=now
                )
                await repo.save_reply_address(
                    session, ref=ref, channel=inbound.channel, chat_id=inbound.chat_id
                )
        log.info(
            "turn kind=%s effects=%s replies=%d",
            inbound.kind.value,
            ",".join(type(e).__name__ for e in outcome.effects) or "-",
            len(outcome.replies),
        )
        return outcome.replies

    async def _stored_language(self, ref: str) -> Language | None:
        async with self.sessions() as session:
            learner = await repo.get_learner(session, ref=ref)
            return parse_language(learner.language) if learner else None

    # ----- deciding -----------------------------------------------------------------------
    async def _decide(self, turn: _Turn, text: str, understanding: Understanding | None) -> Outcome:
        if understanding is not None and understanding.risk.is_concern:
            return await self._concern(turn, text, understanding.risk)
        kind = turn.inbound.kind
        if kind is InboundKind.UNSUPPORTED:
            return self._say_and_reprompt(turn, "common.not_text")
        if kind is InboundKind.COMMAND:
            return await self._command(turn)
        if kind is InboundKind.CHOICE:
            outcome = await self.engine.choose(turn.state, turn.inbound.choice, self._given(turn))
            return outcome or self._say_and_reprompt(turn, "common.stale_button")
        assert understanding is not None or not text.strip()
        return await self._text(turn, text, understanding)

    def _given(self, turn: _Turn) -> TurnInput:
        return TurnInput(language=turn.language, at=self.clock(), ports=turn.ports)

    async def _start(
        self,
        turn: _Turn,
        flow_id: str,
        *,
        interrupt: bool = False,
        data: dict[str, object] | None = None,
    ) -> Outcome:
        given = self._given(turn)
        return await self.engine.start(turn.state, flow_id, given, data=data, interrupt=interrupt)

    def _say_and_reprompt(self, turn: _Turn, key: str) -> Outcome:
        replies = [Reply(catalogue().get(key, turn.language))]
        replies += self.engine.reprompt(turn.state, language=turn.language)
        return Outcome(replies, [], turn.state, turn.language)

    async def _command(self, turn: _Turn) -> Outcome:
        flow_id = self.routes.commands.get(turn.inbound.command.lower())
        if flow_id is None:
            return self._say_and_reprompt(turn, "common.unknown_command")
        if turn.ports.language is None and flow_id not in ("welcome", "language", "help"):
            flow_id = "welcome"  # language first, always
        return await self._start(turn, flow_id)

    async def _text(self, turn: _Turn, text: str, understanding: Understanding | None) -> Outcome:
        if turn.ports.language is None and turn.state.idle:
            return await self._start(turn, "welcome")
        asked_free_text = isinstance(self.engine.current_step(turn.state), TextStep)
        answered = await self.engine.answer_text(turn.state, text, self._given(turn))
        if answered is not None:
            if asked_free_text and understanding and understanding.help_seeking:
                # "I need someone to talk to" typed as a comment: keep it, then offer support.
                return await self._then_help(turn, answered, understanding)
            return answered
        flow_id = self._intent_flow(understanding)
        if turn.state.idle:
            if flow_id is None and understanding and understanding.risk.level >= RiskLevel.LOW:
                flow_id = LOW_MOOD_FLOW
            if flow_id is not None:
                return await self._start(turn, flow_id)
            outcome = await self._start(turn, self.routes.idle)
            outcome.replies.insert(
                0, Reply(catalogue().get("common.not_understood", turn.language))
            )
            return outcome
        if understanding is not None and self._needs_support(flow_id, understanding):
            # Not an answer, but the learner said something that matters: answer that kindly
            # first, then come back to the question.
            support = flow_id if flow_id and self._supportive(flow_id) else LOW_MOOD_FLOW
            return await self._start(turn, support, interrupt=True)
        return self._say_and_reprompt(turn, "common.use_buttons")

    def _supportive(self, flow_id: str) -> bool:
        return flow_id == HELP_FLOW or flow_id.startswith(TOPIC_PREFIX)

    def _needs_support(self, flow_id: str | None, understanding: Understanding) -> bool:
        """Help-seeking, distress, or a topic that deserves a kind answer before we go on."""
        if understanding.help_seeking or understanding.risk.level >= RiskLevel.LOW:
            return True
        return flow_id is not None and self._supportive(flow_id)

    async def _then_help(
        self, turn: _Turn, answered: Outcome, understanding: Understanding
    ) -> Outcome:
        flow_id = self._intent_flow(understanding) or HELP_FLOW
        given = TurnInput(language=answered.language, at=self.clock(), ports=turn.ports)
        follow = await self.engine.start(answered.state, flow_id, given, interrupt=True)
        return Outcome(
            answered.replies + follow.replies,
            answered.effects + follow.effects,
            follow.state,
            follow.language,
        )

    def _intent_flow(self, understanding: Understanding | None) -> str | None:
        if understanding is None:
            return None
        nlu = understanding.nlu
        if nlu.confidence < INTENT_CONFIDENCE:
            return None
        return self.routes.intents.get(nlu.intent)

    async def _concern(self, turn: _Turn, text: str, risk: RiskAssessment) -> Outcome:
        """Interrupt whatever is running; the alert is one of this turn's effects."""
        level = risk.level.label
        flow_id = self.routes.on_concern[level]
        state = turn.state
        open_alert = self._open_alert(state)
        if open_alert is not None:
            open_id, open_level = open_alert
            update = UpdateAlert(open_id, level=level, categories=risk.categories, cues=risk.cues)
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
                turn, flow_id, interrupt=True, data=self._alert_data(open_id, risk)
            )
            outcome.effects.insert(0, update)
            return outcome
        alert_id = str(uuid.uuid4())
        alert = RaiseAlert(
            alert_id=alert_id,
            level=level,
            categories=risk.categories,
            cues=risk.cues,
            excerpt=text,
            about_other=risk.about_other,
        )
        outcome = await self._start(
            turn, flow_id, interrupt=True, data=self._alert_data(alert_id, risk)
        )
        outcome.effects.insert(0, alert)
        return outcome

    @staticmethod
    def _alert_data(alert_id: str, risk: RiskAssessment) -> dict[str, object]:
        return {
            ALERT_KEY: alert_id,
            LEVEL_KEY: risk.level.label,
            CATEGORIES_KEY: list(risk.categories),
        }

    def _open_alert(self, state: ConversationState) -> tuple[str, RiskLevel] | None:
        """The alert whose safety conversation is running now, with its level."""
        frame = state.current
        if frame is None or frame.flow not in self.routes.on_concern.values():
            return None
        alert_id, level = frame.data.get(ALERT_KEY), frame.data.get(LEVEL_KEY)
        if not alert_id or not level:
            return None
        return str(alert_id), RiskLevel.parse(str(level))
