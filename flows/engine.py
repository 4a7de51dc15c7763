"""The flow engine: event + stored state -> messages + effects + new state. No I/O of its own."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from core.channel import Reply
from core.i18n import catalogue
from core.vocabulary import Language
from flows.actions import ActionCall, ActionRegistry, PersonView
from flows.effects import CheckinItem, Effect
from flows.loader import FlowSet
from flows.model import (
    END,
    FLOW_PREFIX,
    ActionStep,
    ChoiceStep,
    InputStep,
    MultiStep,
    Option,
    SayStep,
    ScaleStep,
    Step,
    TextStep,
)
from flows.render import prompt_for, step_token
from flows.state import ConversationState, Frame, SafetyContext

log = logging.getLogger(__name__)

MAX_STEPS_PER_TURN = 60
SKIP = "_skip"
DONE = "_done"
P = TypeVar("P", bound=PersonView)


@dataclass
class Outcome:
    """What one turn produced: replies to send, effects to persist, the state to store."""

    replies: list[Reply]
    effects: list[Effect]
    state: ConversationState
    language: Language


@dataclass(frozen=True)
class TurnInput(Generic[P]):
    """Who the turn is for: their language, the time, and the ports actions may ask."""

    language: Language
    at: datetime
    ports: P


@dataclass
class _Turn(Generic[P]):
    state: ConversationState
    language: Language
    at: datetime
    ports: P
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    def say(self, key: str, **values: object) -> None:
        self.replies.append(Reply(catalogue().get(key, self.language, **values)))


def _normalise(text: str) -> str:
    return re.sub(r"[^\w' ]+", " ", text.casefold()).strip()


def match_option(options: tuple[Option, ...], text: str) -> Option | None:
    """The option whose id, label (either language) or synonym is what was typed."""
    typed = " ".join(_normalise(text).split())
    if not typed:
        return None
    for option in options:
        names = {option.id, _normalise(option.label.cy), _normalise(option.label.en)}
        names |= {_normalise(s) for s in option.synonyms}
        if typed in {" ".join(n.split()) for n in names}:
            return option
    return None


class Engine(Generic[P]):
    """Runs flows from a ``FlowSet`` with a registry of actions for one audience's ports."""

    def __init__(self, flowset: FlowSet, actions: ActionRegistry[P]) -> None:
        self.flowset = flowset
        self.actions = actions

    # ----- entry points -------------------------------------------------------------------
    async def start(
        self,
        state: ConversationState,
        flow_id: str,
        given: TurnInput[P],
        *,
        safety: SafetyContext | None = None,
        interrupt: bool = False,
        data: Mapping[str, Any] | None = None,
    ) -> Outcome:
        """Start ``flow_id`` (a safety flow with the concern it answers, or with ``data`` the
        flow starts from); with ``interrupt`` the running flow is kept to resume afterwards."""
        turn = self._turn(state, given)
        current = turn.state.current
        if interrupt and current is not None:
            turn.state.interrupted.append(self._resumable(current))
        elif not interrupt:
            turn.state.interrupted.clear()
        start = self.flowset.flow(flow_id).start
        turn.state.current = Frame(flow=flow_id, step=start, safety=safety, data=dict(data or {}))
        await self._run(turn)
        return self._outcome(turn)

    async def answer_text(
        self, state: ConversationState, text: str, given: TurnInput[P]
    ) -> Outcome | None:
        """Give typed text to the running step; None when no step can take it."""
        turn = self._turn(state, given)
        frame = turn.state.current
        if frame is None:
            return None
        step = self._step(frame)
        if isinstance(step, TextStep):
            frame.data[step.store] = text[: step.max_length]
            return await self._advance(turn, step.next)
        if isinstance(step, ChoiceStep | MultiStep):
            option = match_option(step.options, text)
            if option is None and isinstance(step, MultiStep):
                if match_option((Option(id="done", label=step.done),), text):
                    return await self._choose(turn, step, DONE)
            if option is None:
                return None
            return await self._choose(turn, step, option.id)
        if isinstance(step, ScaleStep):
            value = text.strip()
            if value.isdigit() and step.minimum <= int(value) <= step.maximum:
                return await self._choose(turn, step, value)
        return None

    async def choose(
        self,
        state: ConversationState,
        payload: str,
        given: TurnInput[P],
    ) -> Outcome | None:
        """Apply a button press; None when the button belongs to an earlier question."""
        turn = self._turn(state, given)
        frame = turn.state.current
        token, _, choice = payload.partition("|")
        if frame is None or token != step_token(frame.flow, frame.step):
            return None
        step = self._step(frame)
        if not isinstance(step, ChoiceStep | ScaleStep | TextStep | MultiStep):
            return None
        return await self._choose(turn, step, choice)

    def reprompt(self, state: ConversationState, *, language: Language) -> list[Reply]:
        """The running step's question again (after a stale button or unreadable answer)."""
        frame = state.current
        if frame is None:
            return []
        step = self._step(frame)
        if isinstance(step, ChoiceStep | ScaleStep | TextStep | MultiStep):
            return [prompt_for(frame, step, language)]
        return []

    def current_step(self, state: ConversationState) -> Step | None:
        """The step the person is at, if a flow is running."""
        return self._step(state.current) if state.current else None

    # ----- internals ----------------------------------------------------------------------
    @staticmethod
    def _turn(state: ConversationState, given: TurnInput[P]) -> _Turn[P]:
        return _Turn(
            state=state.model_copy(deep=True),
            language=given.language,
            at=given.at,
            ports=given.ports,
        )

    def _step(self, frame: Frame) -> Step:
        return self.flowset.flow(frame.flow).steps[frame.step]

    def _resumable(self, frame: Frame) -> Frame:
        """A frame to come back to; a free-text question is not asked again."""
        step = self._step(frame)
        if isinstance(step, TextStep):
            return frame.model_copy(update={"skipped": True}, deep=True)
        return frame.model_copy(deep=True)

    async def _choose(self, turn: _Turn[P], step: InputStep, choice: str) -> Outcome | None:
        frame = turn.state.current
        assert frame is not None
        if isinstance(step, TextStep):
            if choice != SKIP or step.skip is None:
                return None
            frame.data[step.store] = None
            return await self._advance(turn, step.next)
        if isinstance(step, ScaleStep):
            if not choice.isdigit() or not step.minimum <= int(choice) <= step.maximum:
                return None
            item_id = frame.items.get(frame.step) or step.items[0].id
            frame.answers.append(CheckinItem(step.domain, item_id, int(choice)))
            return await self._advance(turn, step.next)
        if isinstance(step, MultiStep):
            chosen: list[str] = frame.data.setdefault(step.store, [])
            if choice == DONE:
                return await self._advance(turn, step.next)
            if choice not in {o.id for o in step.options}:
                return None
            if choice not in chosen:
                chosen.append(choice)
            if len(chosen) == len(step.options):
                return await self._advance(turn, step.next)
            turn.replies.append(prompt_for(frame, step, turn.language))
            return self._outcome(turn)
        option = next((o for o in step.options if o.id == choice), None)
        if option is None:
            return None
        if step.store:
            frame.data[step.store] = option.id
        return await self._advance(turn, option.next or step.next)

    async def _advance(self, turn: _Turn[P], target: str) -> Outcome:
        self._goto(turn, target)
        await self._run(turn)
        return self._outcome(turn)

    def _goto(self, turn: _Turn[P], target: str) -> None:
        frame = turn.state.current
        assert frame is not None
        if target == END:
            turn.state.current = None
        elif target.startswith(FLOW_PREFIX):
            flow_id = target[len(FLOW_PREFIX) :]
            # the next flow carries on with what this one collected
            start = self.flowset.flow(flow_id).start
            turn.state.current = frame.model_copy(
                update={"flow": flow_id, "step": start, "skipped": False}, deep=True
            )
        else:
            frame.step = target

    async def _run(self, turn: _Turn[P]) -> None:
        """Execute steps until one waits for input or every flow has ended."""
        for _ in range(MAX_STEPS_PER_TURN):
            frame = turn.state.current
            if frame is None:
                if not turn.state.interrupted:
                    return
                turn.state.current = resumed = turn.state.interrupted.pop()
                skipped = self._step(resumed)
                if resumed.skipped and isinstance(skipped, TextStep):
                    resumed.skipped = False
                    resumed.data[skipped.store] = None
                    self._goto(turn, skipped.next)
                    continue
                turn.say("common.resume")
                continue
            step = self._step(frame)
            if isinstance(step, SayStep):
                turn.replies.append(Reply(step.text.get(turn.language, **frame.data)))
                self._goto(turn, step.next)
            elif isinstance(step, ActionStep):
                await self._act(turn, frame, step)
            else:
                if isinstance(step, ScaleStep) and frame.step not in frame.items:
                    index = turn.ports.checkin_count % len(step.items)
                    frame.items[frame.step] = step.items[index].id
                turn.replies.append(prompt_for(frame, step, turn.language))
                return
        stuck = turn.state.current
        log.error(
            "flow %s ran %d steps without waiting; stopping",
            stuck.flow if stuck else "-",
            MAX_STEPS_PER_TURN,
        )
        turn.state.current = None

    async def _act(self, turn: _Turn[P], frame: Frame, step: ActionStep) -> None:
        call = ActionCall(
            frame=frame, language=turn.language, at=turn.at, ports=turn.ports, args=step.args
        )
        result = await self.actions[step.action](call)
        turn.effects.extend(result.effects)
        if result.language is not None:
            turn.language = result.language
        target = step.outcomes.get(result.outcome)
        if target is None:
            log.error("action %s gave outcome %s with no route", step.action, result.outcome)
            target = END
        self._goto(turn, target)

    @staticmethod
    def _outcome(turn: _Turn[P]) -> Outcome:
        return Outcome(turn.replies, turn.effects, turn.state, turn.language)
