"""What every bot's conversation service does, whoever it talks to.

For every message: derive the pseudonymous reference, open the turn in one transaction (the
person's turn lock on PostgreSQL, so any number of processes may serve one person, then one read of
the person, their state and check-in count), run the safeguarding detector on any free text before
anything else, let the engine decide, apply the effects and the new state, commit, and only then
hand the replies back to the channel adapter. The person's lock is held while their text is
understood: their next message waits for this one, nobody else's does (the builtin NLU runs in
process; a Rasa server is bounded by ``rasa_timeout``). People of every audience live in one store
and their effects go through one dispatcher (``storage.apply``); each service's differences are
data (its ``Vocabulary``, flows and routes) plus how it answers a concern.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.channel import Channel, Inbound, InboundKind, Reply
from core.clock import Clock, utcnow
from core.errors import ConfigurationError
from core.i18n import catalogue
from core.settings import Settings
from core.vocabulary import DEFAULT_LANGUAGE, Audience, Language, OutboxPriority, RiskLevel
from flows.engine import Engine, Outcome, TurnInput
from flows.model import TextStep
from flows.state import ConversationState, RecentText, SafetyContext
from llais import outbox
from llais.ports import PersonPorts
from llais.pseudonym import person_ref
from llais.signposter import DirectorySignposter, SignpostPolicy
from llais.spool import Answered, Spool, SpoolRecord
from nlu.themes import theme_of
from nlu.understand import Understander, Understanding
from storage.apply import ApplyContext, apply_effects
from storage.availability import unavailable
from storage.db import AsyncSession
from storage.repo import conversations as state_repo
from storage.repo import people, turns, updates
from storage.repo.turns import OpenedTurn

log = logging.getLogger(__name__)

INTENT_CONFIDENCE = 0.55  # below this, typed text is not taken as a request to start a flow
# Earlier messages read with each new one (the detector reads the last three), and how long a
# session lasts: a message older than this is no longer context.
CONTEXT_MESSAGES = 3
SESSION = timedelta(minutes=30)
# what every service says outside the flows, from its own catalogue file
SERVICE_MESSAGES = (
    "not_text",
    "stale_button",
    "unknown_command",
    "not_understood",
    "use_buttons",
    "repeated",
    "outage_kept",
    "outage_concern",
    "outage_resumed",
)

# Replies that are neutral however the detector grades them: "ok", "not really", "thanks"
# mid-question are not distress (a concern, medium or above, is never overruled by this).
NEUTRAL_INTENTS = frozenset({"greet", "thanks", "goodbye", "affirm", "deny", "feeling_good"})

PortsT = TypeVar("PortsT", bound=PersonPorts)


def distressed(understanding: Understanding) -> bool:
    """Low mood or worse, unless the message is only a neutral reply."""
    if understanding.risk.level < RiskLevel.LOW:
        return False
    nlu = understanding.nlu
    neutral = nlu.intent in NEUTRAL_INTENTS and nlu.confidence >= INTENT_CONFIDENCE
    return understanding.risk.is_concern or not neutral


@dataclass(frozen=True)
class Vocabulary:
    """What differs between bots, as data: who they talk to, their message catalogue, the flows
    to fall back on, and how they signpost."""

    audience: Audience
    signposts: SignpostPolicy
    messages: str  # catalogue file: "common" or "staff"
    start_flow: str
    before_language: frozenset[str]  # flows a person may start before choosing a language
    help_flow: str
    low_mood_flow: str
    topic_prefix: str

    def message_keys(self) -> frozenset[str]:
        """The catalogue keys the service builds at run time (checked at start-up)."""
        return frozenset(f"{self.messages}.{name}" for name in SERVICE_MESSAGES)


@dataclass(frozen=True)
class TurnResult:
    """What one turn gave: the replies, and whether the message had been applied before."""

    replies: list[Reply]
    repeated: bool = False


@dataclass(frozen=True)
class Turn(Generic[PortsT]):
    """One message being handled: what arrived, where the person is, and their ports."""

    inbound: Inbound
    state: ConversationState
    ports: PortsT
    language: Language
    context: tuple[str, ...] = ()  # the person's previous messages this session, oldest first


def recent_messages(state: ConversationState, now: datetime) -> list[RecentText]:
    """The person's last messages that still belong to this session."""
    return [r for r in state.recent if now - r.at < SESSION][-CONTEXT_MESSAGES:]


def remember(state: ConversationState, text: str, now: datetime) -> list[RecentText]:
    """The recent messages after this turn (a button press adds nothing)."""
    kept = recent_messages(state, now)
    if text.strip():
        kept.append(RecentText(text=text, at=now))
    return kept[-CONTEXT_MESSAGES:]


class DialogueService(ABC, Generic[PortsT]):
    """Implements ``ConversationHandler``; subclasses fill in the person-specific parts."""

    vocabulary: Vocabulary
    ports_type: type[PortsT]

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        engine: Engine[PortsT],
        understander: Understander,
        signposter: DirectorySignposter,
        clock: Clock = utcnow,
        spool: Spool | None = None,
    ) -> None:
        self.settings = settings
        self.spool = spool
        self.signposter = signposter
        self.sessions = sessions
        self.engine = engine
        self.understander = understander
        self.clock = clock
        self.routes = engine.flowset.routes
        self._secret = settings.secret_key.get_secret_value()

    # ----- what subclasses provide --------------------------------------------------------
    async def _intercept(self, inbound: Inbound, ref: str) -> list[Reply] | None:
        """Handle a message outside the flows (e.g. an alert's Acknowledge button), or None."""
        return None

    @abstractmethod
    async def _concern(
        self, turn: Turn[PortsT], text: str, understanding: Understanding
    ) -> Outcome:
        """Answer a safeguarding concern (level medium or above)."""

    # ----- the person, in the one person store ----------------------------------------------
    async def _open(
        self, session: AsyncSession, ref: str, opened: OpenedTurn, inbound: Inbound
    ) -> PortsT:
        """Find or create the person and return the ports bound to them for this turn."""
        audience = self.vocabulary.audience
        person = opened.person
        if person is None:
            person = await people.create_person(
                session, ref=ref, audience=audience, channel=inbound.channel, now=self.clock()
            )
        elif person.audience is not audience:
            raise ConfigurationError(
                f"a {person.audience} wrote to the {audience} bot: give each bot its own channel"
            )
        return self.ports_type(
            session=session,
            person=person,
            signposter=self.signposter,
            policy=self.vocabulary.signposts,
            retention_days=self.settings.free_text_retention_days,
            checkins=opened.checkins,
            now=self.clock(),
            code_attempts=self.settings.code_attempts,
            code_block_minutes=self.settings.code_block_minutes,
        )

    async def _persist(
        self,
        session: AsyncSession,
        turn: Turn[PortsT],
        outcome: Outcome,
        understanding: Understanding | None = None,
    ) -> bool:
        """Apply the outcome's effects and keep the reply address; True when erased."""
        person = turn.ports.person
        ctx = ApplyContext(
            person=person,
            channel=turn.inbound.channel,
            now=self.clock(),
            settings=self.settings,
            theme=theme_of(understanding) if understanding is not None else None,
        )
        if await apply_effects(session, outcome.effects, ctx):
            return True
        await people.keep_address(
            session, person=person, channel=turn.inbound.channel, chat_id=turn.inbound.chat_id
        )
        return False

    # ----- the turn -----------------------------------------------------------------------
    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Handle one inbound message; the replies are returned only after the commit.

        While the database cannot be reached the message is kept in the spool instead and
        answered at once from what needs no database (a concern with care and the crisis
        contacts); so is any message of a person whose earlier messages still wait there.
        """
        ref = person_ref(self._secret, inbound.channel, inbound.user_id)
        # the terminal is a developer's tool with nothing to send a later answer through
        spool = None if inbound.channel is Channel.TERMINAL else self.spool
        if spool is not None and spool.pending_for(ref):
            return await self._keep(inbound, ref, cause=None)  # in order, behind the others
        try:
            early = await self._intercept(inbound, ref)
            if early is not None:
                return early
            return (await self._turn(inbound, ref)).replies
        except Exception as exc:
            if spool is None or not unavailable(exc):
                raise
            return await self._keep(inbound, ref, cause=exc)

    async def apply_kept(self, record: SpoolRecord) -> bool:
        """Apply a kept message as a normal turn, its replies queued in the outbox in the same
        transaction; False when it had been applied already (nothing is queued then)."""
        inbound = record.inbound()
        early = await self._intercept(inbound, record.ref)
        if early is not None:
            async with self.sessions() as session, session.begin():
                await self._queue_later(session, record, early)
            return True
        return not (await self._turn(inbound, record.ref, kept=record)).repeated

    async def _turn(
        self, inbound: Inbound, ref: str, *, kept: SpoolRecord | None = None
    ) -> TurnResult:
        # The whole message is assessed, however long: the channel bounds its size and the
        # detector's work grows linearly with it.
        text = inbound.text if inbound.kind is not InboundKind.CHOICE else ""
        async with self.sessions() as session, session.begin():
            opened = await turns.open_turn(session, ref=ref, channel=inbound.channel)
            if inbound.delivery and not await updates.first_delivery(
                session, key=inbound.delivery, now=self.clock()
            ):
                # Applied before (its answer may have been lost in a crash): not again, but the
                # person is shown where they are, so nobody waits on a reply that never comes.
                log.info("%s turn: a repeated delivery, already applied", self.vocabulary.messages)
                language = (opened.person.language if opened.person else None) or DEFAULT_LANGUAGE
                again = self.engine.reprompt(self._restore(opened.state), language=language)
                return TurnResult(again or [self._message("repeated", language)], repeated=True)
            now = self.clock()
            state = self._restore(opened.state)
            understanding = None
            context: list[str] = []
            if text.strip():
                # read with the learner's last few messages of the session, under the turn's lock
                hint = opened.person.language if opened.person else None
                context = [r.text for r in recent_messages(state, now)]
                understanding = await self.understander.understand(
                    text, language_hint=hint, context=context
                )
            ports = await self._open(session, ref, opened, inbound)
            language = ports.language or (
                understanding.nlu.language if understanding else DEFAULT_LANGUAGE
            )
            turn = Turn(inbound, state, ports, language, tuple(context))
            outcome = await self._decide(turn, text, understanding)
            if not self._enrolling(state):  # a typed code is not context
                outcome.state.recent = remember(outcome.state, text, now)
            erased = await self._persist(session, turn, outcome, understanding)
            if not erased:
                await state_repo.save_state(
                    session, ref=ref, state=outcome.state.model_dump(mode="json"), now=now
                )
                if kept is not None:
                    await self._queue_later(session, kept, self._later(kept, outcome))
        log.info(
            "%s turn kind=%s effects=%s replies=%d",
            self.vocabulary.messages,
            inbound.kind.value,
            ",".join(type(e).__name__ for e in outcome.effects) or "-",
            len(outcome.replies),
        )
        return TurnResult(outcome.replies)

    # ----- while the database is away -------------------------------------------------------
    async def _keep(self, inbound: Inbound, ref: str, *, cause: Exception | None) -> list[Reply]:
        """Keep the message in the spool and answer what can be answered without the database;
        when even the spool fails, the original error goes on (the person is asked to retry)."""
        assert self.spool is not None
        text = inbound.text if inbound.kind is not InboundKind.CHOICE else ""
        understanding = await self.understander.understand(text) if text.strip() else None
        concern = understanding is not None and understanding.risk.is_concern
        now = self.clock()
        answered = Answered.CONCERN if concern else Answered.KEPT
        record = SpoolRecord.of(inbound, ref=ref, answered=answered, now=now)
        try:
            self.spool.keep(record)
        except OSError as exc:
            name = type(exc).__name__
            log.error("%s turn: the spool failed too (%s)", self.vocabulary.messages, name)
            if cause is not None:
                raise cause from exc
            raise
        log.warning(
            "%s turn kept for later (%s) kind=%s answered=%s",
            self.vocabulary.messages,
            type(cause).__name__ if cause is not None else "earlier messages waiting",
            inbound.kind.value,
            answered.value,
        )
        cat = catalogue()
        name = self.vocabulary.messages
        if understanding is None:  # a button or a bare command: no words to tell the language
            both = [cat.get(f"{name}.outage_kept", lang) for lang in (Language.CY, Language.EN)]
            return [Reply("\n\n".join(both))]
        language = understanding.nlu.language
        if not concern:
            return [Reply(cat.get(f"{name}.outage_kept", language))]
        contacts = self.signposter.crisis_text(
            language, now, None, policy=self.vocabulary.signposts
        )
        return [Reply(f"{cat.get(f'{name}.outage_concern', language)}\n\n{contacts}")]

    def _later(self, kept: SpoolRecord, outcome: Outcome) -> list[Reply]:
        """What a kept message's turn sends when it is applied: its replies, or, when the
        person was answered with care at once, a short word that it has been passed on and
        the question they are at (never the crisis answer a second time)."""
        if kept.answered is Answered.KEPT:
            return outcome.replies
        language = outcome.language
        again = self.engine.reprompt(outcome.state, language=language)
        return [self._message("outage_resumed", language), *again]

    async def _queue_later(
        self, session: AsyncSession, kept: SpoolRecord, replies: list[Reply]
    ) -> None:
        """Queue ``replies`` in the outbox, once per kept message and reply."""
        for index, reply in enumerate(replies):
            await outbox.queue(
                session,
                key=f"kept:{kept.id}:{index}",
                person_ref=kept.ref,
                audience=self.vocabulary.audience,
                channel=kept.channel,
                priority=OutboxPriority.REPLY,
                text=reply.text,
                buttons=[
                    [{"label": b.label, "payload": b.payload} for b in row] for row in reply.buttons
                ],
                now=self.clock(),
            )

    def _enrolling(self, state: ConversationState) -> bool:
        """Whether the person is in the flows before language and school are chosen."""
        frame = state.current
        return frame is not None and frame.flow in self.vocabulary.before_language

    def _restore(self, stored: dict[str, Any] | None) -> ConversationState:
        """The stored state, or a fresh start when it no longer fits (e.g. saved by an older
        version): a person is never stuck on a state the code cannot read."""
        try:
            return ConversationState.model_validate(stored or {})
        except ValidationError as exc:
            log.warning(
                "%s stored conversation state no longer valid (%d problem(s)); starting fresh",
                self.vocabulary.messages,
                exc.error_count(),
            )
            return ConversationState()

    # ----- deciding -----------------------------------------------------------------------
    async def _decide(
        self, turn: Turn[PortsT], text: str, understanding: Understanding | None
    ) -> Outcome:
        if understanding is not None and understanding.risk.is_concern:
            return await self._concern(turn, text, understanding)
        kind = turn.inbound.kind
        if kind is InboundKind.UNSUPPORTED:
            return self._say_and_reprompt(turn, "not_text")
        if kind is InboundKind.COMMAND:
            return await self._command(turn)
        if kind is InboundKind.CHOICE:
            outcome = await self.engine.choose(turn.state, turn.inbound.choice, self._given(turn))
            return outcome or self._say_and_reprompt(turn, "stale_button")
        return await self._text(turn, text, understanding)

    def _given(self, turn: Turn[PortsT]) -> TurnInput[PortsT]:
        return TurnInput(language=turn.language, at=self.clock(), ports=turn.ports)

    async def _start(
        self,
        turn: Turn[PortsT],
        flow_id: str,
        *,
        interrupt: bool = False,
        safety: SafetyContext | None = None,
        data: dict[str, Any] | None = None,
    ) -> Outcome:
        given = self._given(turn)
        return await self.engine.start(
            turn.state, flow_id, given, safety=safety, interrupt=interrupt, data=data
        )

    def _message(self, name: str, language: Language) -> Reply:
        return Reply(catalogue().get(f"{self.vocabulary.messages}.{name}", language))

    def _say_and_reprompt(self, turn: Turn[PortsT], name: str) -> Outcome:
        replies = [self._message(name, turn.language)]
        replies += self.engine.reprompt(turn.state, language=turn.language)
        return Outcome(replies, [], turn.state, turn.language)

    async def _command(self, turn: Turn[PortsT]) -> Outcome:
        flow_id = self.routes.commands.get(turn.inbound.command.lower())
        if flow_id is None:
            return self._say_and_reprompt(turn, "unknown_command")
        if turn.ports.language is None and flow_id not in self.vocabulary.before_language:
            flow_id = self.vocabulary.start_flow  # language first, always
        return await self._start(turn, flow_id)

    async def _text(
        self, turn: Turn[PortsT], text: str, understanding: Understanding | None
    ) -> Outcome:
        if turn.ports.language is None and turn.state.idle:
            return await self._start(turn, self.vocabulary.start_flow)
        asked_free_text = isinstance(self.engine.current_step(turn.state), TextStep)
        answered = await self.engine.answer_text(turn.state, text, self._given(turn))
        if answered is not None:
            if asked_free_text and understanding and understanding.help_seeking:
                # "I need someone to talk to" typed as a comment: keep it, then offer support.
                return await self._then_help(turn, answered, understanding)
            return answered
        flow_id = self._intent_flow(understanding)
        if turn.state.idle:
            if flow_id is None and understanding and distressed(understanding):
                flow_id = self.vocabulary.low_mood_flow
            if flow_id is not None:
                return await self._start(turn, flow_id)
            outcome = await self._start(turn, self.routes.idle)
            outcome.replies.insert(0, self._message("not_understood", turn.language))
            return outcome
        if understanding is not None and self._needs_support(flow_id, understanding):
            # Not an answer, but the person said something that matters: answer that kindly
            # first, then come back to the question.
            support = flow_id if flow_id and self._supportive(flow_id) else None
            if support is None and understanding.help_seeking and not distressed(understanding):
                support = flow_id or self.vocabulary.help_flow  # asked for help: not "low"
            return await self._start(turn, support or self.vocabulary.low_mood_flow, interrupt=True)
        return self._say_and_reprompt(turn, "use_buttons")

    async def _then_help(
        self, turn: Turn[PortsT], answered: Outcome, understanding: Understanding
    ) -> Outcome:
        flow_id = self._intent_flow(understanding) or self.vocabulary.help_flow
        given = TurnInput(language=answered.language, at=self.clock(), ports=turn.ports)
        follow = await self.engine.start(answered.state, flow_id, given, interrupt=True)
        return Outcome(
            answered.replies + follow.replies,
            answered.effects + follow.effects,
            follow.state,
            follow.language,
        )

    def _supportive(self, flow_id: str) -> bool:
        return flow_id == self.vocabulary.help_flow or flow_id.startswith(
            self.vocabulary.topic_prefix
        )

    def _needs_support(self, flow_id: str | None, understanding: Understanding) -> bool:
        """Help-seeking, distress, or a topic that deserves a kind answer before we go on."""
        if understanding.help_seeking or distressed(understanding):
            return True
        return flow_id is not None and self._supportive(flow_id)

    def _intent_flow(self, understanding: Understanding | None) -> str | None:
        if understanding is None or understanding.nlu.confidence < INTENT_CONFIDENCE:
            return None
        return self.routes.intents.get(understanding.nlu.intent)
