"""Pydantic models of flow files: what a flow may say and ask, validated at start-up."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.i18n import Text
from core.vocabulary import CONCERN_LEVELS, RiskLevel

StepId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,30}$")]
OptionId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]{0,19}$")]
END = "end"
FLOW_PREFIX = "flow:"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One button; typed text matching the label or a synonym counts as pressing it."""

    id: OptionId
    label: Text
    next: str | None = None  # overrides the step's next for this option
    synonyms: tuple[str, ...] = ()


class SayStep(_Strict):
    type: Literal["say"]
    text: Text
    next: str = END


class ChoiceStep(_Strict):
    type: Literal["choice"]
    text: Text
    options: tuple[Option, ...] = Field(min_length=1)
    store: str | None = None
    next: str = END
    columns: int = Field(default=2, ge=1, le=6)


class ScaleItem(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,40}$")]
    text: Text


class ScaleStep(_Strict):
    """A 0–10 (or other) rating; one item shown per visit, rotated across check-ins."""

    type: Literal["scale"]
    domain: str
    items: tuple[ScaleItem, ...] = Field(min_length=1)
    minimum: int = 0
    maximum: int = 10
    anchors: Text | None = None  # e.g. "0 = not at all, 10 = completely"
    next: str = END
    columns: int = Field(default=6, ge=1, le=8)

    @field_validator("maximum")
    @classmethod
    def _range(cls, value: int) -> int:
        if not 1 <= value <= 20:
            raise ValueError("maximum must be between 1 and 20")
        return value


class TextStep(_Strict):
    """A free-text question; the safeguarding detector sees the answer before the flow does."""

    type: Literal["text"]
    text: Text
    store: str
    skip: Text | None = None  # label of a skip button; omit to make the answer required
    max_length: int = Field(default=1000, ge=1, le=4000)
    next: str = END


class MultiStep(_Strict):
    """Pick any number of options, then press done."""

    type: Literal["multi"]
    text: Text
    options: tuple[Option, ...] = Field(min_length=1)
    done: Text
    store: str
    next: str = END
    columns: int = Field(default=2, ge=1, le=6)


class ActionStep(_Strict):
    """Run registered code (by name); its outcome picks the next step."""

    type: Literal["action"]
    action: str
    args: dict[str, str] = Field(default_factory=dict)
    outcomes: dict[str, str] = Field(default_factory=lambda: {"ok": END})


Step = Annotated[
    SayStep | ChoiceStep | ScaleStep | TextStep | MultiStep | ActionStep,
    Field(discriminator="type"),
]
InputStep = ChoiceStep | ScaleStep | TextStep | MultiStep


class Flow(_Strict):
    """A conversation: named steps starting at ``start``."""

    description: str
    start: StepId
    steps: dict[StepId, Step] = Field(min_length=1)
    audience: Literal["learner", "staff", "any"] = "learner"


class FlowFile(_Strict):
    """One YAML file: one or more flows."""

    flows: dict[StepId, Flow] = Field(min_length=1)


class Routes(_Strict):
    """Which flow a command, a recognised intent or a safeguarding concern starts
    (``flows/routes/<audience>.yml``)."""

    commands: dict[str, str]
    intents: dict[str, str] = Field(default_factory=dict)
    idle: str  # the flow for free text nobody recognised
    on_concern: dict[str, str]  # concern level label (exactly medium, high, critical) -> flow

    @field_validator("on_concern")
    @classmethod
    def _every_concern_level(cls, routes: dict[str, str]) -> dict[str, str]:
        wanted = [level.label for level in CONCERN_LEVELS]
        missing = [f"on_concern.{label}" for label in wanted if label not in routes]
        unknown = sorted(set(routes) - set(wanted))
        if missing:
            raise ValueError(
                f"{', '.join(missing)} missing: each of {', '.join(wanted)} needs a flow"
            )
        if unknown:
            raise ValueError(f"unknown level(s) {', '.join(unknown)}; use {', '.join(wanted)}")
        return routes

    def concern_flow(self, level: RiskLevel) -> str:
        """The flow that answers a concern at ``level`` (medium or above)."""
        return self.on_concern[level.label]

    @property
    def concern_flows(self) -> frozenset[str]:
        """Every flow that answers a concern."""
        return frozenset(self.on_concern.values())
