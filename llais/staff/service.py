"""The staff conversation service: the staff bot's ``ConversationHandler``.

Like the learner service: the safeguarding detector reads any free text first; the engine decides;
effects and state are committed in one transaction before the replies go back. A concern in a
staff member's own message starts the staff crisis or concern flow (adult contacts) and never
raises a learner alert. An "Acknowledge" press on a safeguarding alert is handled here too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import async_sessionmaker

from flows.engine import Engine, Outcome, TurnInput
from flows.learner_actions import CATEGORIES_KEY, LEVEL_KEY
from flows.state import ConversationState
from llais.alerts.render import parse_ack
from llais.channel import Inbound, InboundKind, Reply
from llais.clock import Clock, utcnow
from llais.i18n import DEFAULT_LANGUAGE, Language, catalogue, parse_language
from llais.pseudonym import person_ref
from llais.settings import Settings
from llais.signposter import DirectorySignposter
from llais.staff.acknowledge import acknowledge_alert
from llais.staff.apply import ALERT_ROLES, apply_staff_effects
from llais.staff.ports import StaffPorts
from nlu.understand import Understander, Understanding
from storage.db import AsyncSession
from storage.models import StaffMember
from storage.repo import learners as state_repo
from storage.repo import staff as repo

log = logging.getLogger(__name__)

INTENT_CONFIDENCE = 0.55
MAX_TEXT = 4000
BEFORE_LANGUAGE = ("staff_welcome", "staff_language", "staff_help")


@dataclass(frozen=True)
class _Turn:
    inbound: Inbound
    member: StaffMember
    state: ConversationState
    ports: StaffPorts
    language: Language


class StaffService:
    """Implements ``ConversationHandler`` for the staff bot."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        engine: Engine,
        understander: Understander,
        signposter: DirectorySignposter,
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
        alert_id = parse_ack(inbound.choice) if inbound.kind is InboundKind.CHOICE else None
        if alert_id is not None:
            return [await self._acknowledge(ref, alert_id)]
        text = inbound.text[:MAX_TEXT] if inbound.kind is not InboundKind.CHOICE else ""
        understanding = None
        if text.strip():
            # the detector reads all free text first, outside the transaction
            hint = await self._stored_language(ref)
            understanding = await self.understander.understand(text, language_hint=hint)
        now = self.clock()
        async with self.sessions() as session, session.begin():
            member = await repo.get_member(session, ref=ref)
            if member is None:
                member = await repo.create_member(
                    session, ref=ref, channel=inbound.channel, now=now
                )
            state = ConversationState.model_validate(
                await state_repo.load_state(session, ref=ref) or {}
            )
            ports = StaffPorts(
                session=session,
                member=member,
                signposter=self.signposter,
                checkins=await repo.checkin_count(session, ref=ref),
            )
            language = parse_language(member.language) or (
                understanding.nlu.language if understanding else DEFAULT_LANGUAGE
            )
            outcome = await self._decide(
                _Turn(inbound, member, state, ports, language), text, understanding
            )
            erased = await apply_staff_effects(session, outcome.effects, member=member, now=now)
            if not erased:
                await state_repo.save_state(
                    session, ref=ref, state=outcome.state.model_dump(mode="json"), now=now
                )
                if member.role in ALERT_ROLES:
                    await repo.save_address(
                        session, ref=ref, channel=inbound.channel, chat_id=inbound.chat_id
                    )
                else:
                    await repo.drop_address(session, ref=ref)
        log.info(
            "staff turn kind=%s effects=%s replies=%d",
            inbound.kind.value,
            ",".join(type(e).__name__ for e in outcome.effects) or "-",
            len(outcome.replies),
        )
        return outcome.replies

    async def _acknowledge(self, ref: str, alert_id: str) -> Reply:
        async with self.sessions() as session, session.begin():
            member = await repo.get_member(session, ref=ref)
            return await acknowledge_alert(
                session, alert_id=alert_id, member=member, now=self.clock(), tz=self.settings.tz
            )

    async def _stored_language(self, ref: str) -> Language | None:
        async with self.sessions() as session:
            member = await repo.get_member(session, ref=ref)
            return parse_language(member.language) if member else None

    # ----- deciding -----------------------------------------------------------------------
    async def _decide(self, turn: _Turn, text: str, understanding: Understanding | None) -> Outcome:
        if understanding is not None and understanding.risk.is_concern:
            return await self._concern(turn, understanding)
        kind = turn.inbound.kind
        if kind is InboundKind.UNSUPPORTED:
            return self._say_and_reprompt(turn, "staff.not_text")
        if kind is InboundKind.COMMAND:
            return await self._command(turn)
        if kind is InboundKind.CHOICE:
            outcome = await self.engine.choose(turn.state, turn.inbound.choice, self._given(turn))
            return outcome or self._say_and_reprompt(turn, "staff.stale_button")
        return await self._text(turn, text, understanding)

    def _given(self, turn: _Turn) -> TurnInput:
        return TurnInput(language=turn.language, at=self.clock(), ports=turn.ports)

    def _say_and_reprompt(self, turn: _Turn, key: str) -> Outcome:
        replies = [Reply(catalogue().get(key, turn.language))]
        replies += self.engine.reprompt(turn.state, language=turn.language)
        return Outcome(replies, [], turn.state, turn.language)

    async def _command(self, turn: _Turn) -> Outcome:
        flow_id = self.routes.commands.get(turn.inbound.command.lower())
        if flow_id is None:
            return self._say_and_reprompt(turn, "staff.unknown_command")
        if turn.ports.language is None and flow_id not in BEFORE_LANGUAGE:
            flow_id = self.routes.commands["start"]  # language first, always
        return await self.engine.start(turn.state, flow_id, self._given(turn))

    async def _text(self, turn: _Turn, text: str, understanding: Understanding | None) -> Outcome:
        start = self.routes.commands["start"]
        if turn.ports.language is None and turn.state.idle:
            return await self.engine.start(turn.state, start, self._given(turn))
        answered = await self.engine.answer_text(turn.state, text, self._given(turn))
        if answered is not None:
            return answered
        flow_id = self._intent_flow(understanding)
        if turn.state.idle:
            if flow_id is not None:
                return await self.engine.start(turn.state, flow_id, self._given(turn))
            outcome = await self.engine.start(turn.state, self.routes.idle, self._given(turn))
            outcome.replies.insert(0, Reply(catalogue().get("staff.not_understood", turn.language)))
            return outcome
        if flow_id is not None and understanding and understanding.help_seeking:
            return await self.engine.start(turn.state, flow_id, self._given(turn), interrupt=True)
        return self._say_and_reprompt(turn, "staff.use_buttons")

    def _intent_flow(self, understanding: Understanding | None) -> str | None:
        if understanding is None or understanding.nlu.confidence < INTENT_CONFIDENCE:
            return None
        return self.routes.intents.get(understanding.nlu.intent)

    async def _concern(self, turn: _Turn, understanding: Understanding) -> Outcome:
        """Care and adult contacts; a concern flow already running is replaced, not stacked."""
        risk = understanding.risk
        state = turn.state
        if state.current is not None and state.current.flow in self.routes.on_concern.values():
            state.current = None
        log.info("staff concern level=%s", risk.level.label)
        data = {LEVEL_KEY: risk.level.label, CATEGORIES_KEY: list(risk.categories)}
        flow_id = self.routes.on_concern[risk.level.label]
        return await self.engine.start(state, flow_id, self._given(turn), data=data, interrupt=True)
