"""Polls as data: a small bilingual flow (one to five questions: choice, scale or short text),
validated like every flow file, and compiled into a ``Flow`` the learner bot's engine runs.

A poll file (YAML or JSON) holds one ``poll``: its questions, open and close times, the minimum
number of answers before results are shown, and the year groups it is for (the schools are given
when it is created). Compiled polls are added at run time to :class:`PollFlows`, the learner
flow set's mapping, as ``poll_<id>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import FlowDefinitionError
from core.i18n import Text, catalogue
from core.vocabulary import Language
from core.yamlload import safe_load
from flows.model import (
    ActionStep,
    ChoiceStep,
    Flow,
    Option,
    OptionId,
    SayStep,
    ScaleItem,
    ScaleStep,
    Step,
    TextStep,
)

QuestionId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,19}$")]
POLL_DOMAIN = "poll"  # the domain of a poll's scale answers in the frame
CHOICE_PREFIX = "pollpick_"  # flow data name of a choice answer: ``pollpick_<question>``
TEXT_PREFIX = "polltext_"  # flow data name of a free-text answer
SAVE_ACTION = "save_poll"
MESSAGE_KEYS = frozenset({"voice.poll_skip", "voice.poll_thanks", "voice.poll_intro"})


def flow_id(poll_id: int) -> str:
    """The flow id a stored poll runs as."""
    return f"poll_{poll_id}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PollOption(_Strict):
    id: OptionId
    label: Text


class ChoiceQuestion(_Strict):
    id: QuestionId
    type: Literal["choice"]
    text: Text
    options: tuple[PollOption, ...] = Field(min_length=2, max_length=8)

    @model_validator(mode="after")
    def _distinct(self) -> ChoiceQuestion:
        ids = [option.id for option in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError(f"option ids repeat: {ids}")
        return self


class ScaleQuestion(_Strict):
    id: QuestionId
    type: Literal["scale"]
    text: Text
    minimum: int = Field(default=1, ge=0, le=1)
    maximum: int = Field(default=5, ge=2, le=10)
    anchors: Text | None = None


class TextQuestion(_Strict):
    """A short free-text answer: the detector sees it first; results report only its theme."""

    id: QuestionId
    type: Literal["text"]
    text: Text
    max_length: int = Field(default=500, ge=1, le=1000)


Question = Annotated[ChoiceQuestion | ScaleQuestion | TextQuestion, Field(discriminator="type")]


class PollDefinition(_Strict):
    """One poll: what it asks, when, of whom, and how many answers it needs before results."""

    title: Text
    questions: tuple[Question, ...] = Field(min_length=1, max_length=5)
    opens: AwareDatetime
    closes: AwareDatetime
    min_answers: int = Field(default=10, ge=1)
    year_groups: tuple[Annotated[int, Field(ge=7, le=13)], ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> PollDefinition:
        ids = [question.id for question in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError(f"question ids repeat: {ids}")
        if self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        return self

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        return next(q for q in self.questions if q.id == question_id)


class PollFile(_Strict):
    poll: PollDefinition


def parse_poll(text: str, source: str) -> PollDefinition:
    """Validate a poll file's text (YAML, of which JSON is a subset); errors name ``source``
    and the path inside it."""
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        raise FlowDefinitionError(f"{source}: not valid YAML or JSON: {exc}") from exc
    try:
        return PollFile.model_validate(data).poll
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise FlowDefinitionError(f"{source}: {problems}") from exc


def load_poll(path: Path) -> PollDefinition:
    """Read and validate a poll file."""
    return parse_poll(path.read_text(encoding="utf-8"), str(path))


def dump_definition(poll: PollDefinition) -> dict[str, object]:
    """The definition as JSON-ready data, for the database."""
    loaded: dict[str, object] = json.loads(poll.model_dump_json())
    return loaded


def _question_step(question: Question, next_step: str) -> Step:
    if isinstance(question, ChoiceQuestion):
        return ChoiceStep(
            type="choice",
            text=question.text,
            store=f"{CHOICE_PREFIX}{question.id}",
            options=tuple(Option(id=o.id, label=o.label) for o in question.options),
            next=next_step,
            columns=1 if len(question.options) > 4 else 2,
        )
    if isinstance(question, ScaleQuestion):
        return ScaleStep(
            type="scale",
            domain=POLL_DOMAIN,
            items=(ScaleItem(id=question.id, text=question.text),),
            minimum=question.minimum,
            maximum=question.maximum,
            anchors=question.anchors,
            next=next_step,
            columns=min(6, question.maximum - question.minimum + 1),
        )
    return TextStep(
        type="text",
        text=question.text,
        store=f"{TEXT_PREFIX}{question.id}",
        skip=catalogue().text("voice.poll_skip"),
        max_length=question.max_length,
        next=next_step,
    )


def compile_poll(poll_id: int, poll: PollDefinition) -> Flow:
    """The learner flow that asks the poll's questions, then saves the answers."""
    names = [f"q_{question.id}" for question in poll.questions]
    steps: dict[str, Step] = {
        "intro": SayStep(
            type="say",
            text=_intro(poll.title),
            next=names[0],
        )
    }
    for index, question in enumerate(poll.questions):
        following = names[index + 1] if index + 1 < len(names) else "save"
        steps[names[index]] = _question_step(question, following)
    steps["save"] = ActionStep(
        type="action", action=SAVE_ACTION, args={"poll": str(poll_id)}, outcomes={"ok": "thanks"}
    )
    steps["thanks"] = SayStep(type="say", text=catalogue().text("voice.poll_thanks"))
    return Flow(description=f"poll {poll_id}", start="intro", steps=steps)


def _intro(title: Text) -> Text:
    intro = catalogue().text("voice.poll_intro")
    return Text(
        en=intro.get(Language.EN, title=title.en), cy=intro.get(Language.CY, title=title.cy)
    )


class PollFlows(Mapping[str, Flow]):
    """The learner flows: the flow files' flows, and polls added as they are created."""

    def __init__(self, static: Mapping[str, Flow]) -> None:
        self._static = dict(static)
        self._polls: dict[str, Flow] = {}
        self.loaded_up_to = 0  # the highest poll id added

    def add(self, poll_id: int, flow: Flow) -> None:
        """Make a compiled poll runnable."""
        self._polls[flow_id(poll_id)] = flow
        self.loaded_up_to = max(self.loaded_up_to, poll_id)

    def __getitem__(self, key: str) -> Flow:
        found = self._static.get(key) or self._polls.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        yield from self._static
        yield from self._polls

    def __len__(self) -> int:
        return len(self._static) + len(self._polls)
