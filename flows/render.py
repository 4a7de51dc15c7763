"""Turn an input step into a message with buttons, in the person's language."""

from __future__ import annotations

import hashlib

from core.channel import Button, Reply
from core.i18n import catalogue
from core.vocabulary import Language
from flows.model import ChoiceStep, MultiStep, ScaleStep, TextStep
from flows.state import Frame


def step_token(flow_id: str, step_id: str) -> str:
    """A short token naming a step, so a button from an earlier question is recognised as stale."""
    return hashlib.blake2s(f"{flow_id}.{step_id}".encode(), digest_size=4).hexdigest()


def _rows(buttons: list[Button], columns: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + columns]) for i in range(0, len(buttons), columns))


def prompt_for(
    frame: Frame, step: ChoiceStep | ScaleStep | TextStep | MultiStep, language: Language
) -> Reply:
    """The question a step asks, with its buttons."""
    token = step_token(frame.flow, frame.step)
    values = frame.data
    if isinstance(step, ScaleStep):
        item_id = frame.items.get(frame.step)
        item = next((i for i in step.items if i.id == item_id), step.items[0])
        text = item.text.get(language, **values)
        if step.anchors:
            text = f"{text}\n{step.anchors.get(language)}"
        buttons = [Button(str(v), f"{token}|{v}") for v in range(step.minimum, step.maximum + 1)]
        return Reply(text, _rows(buttons, step.columns))
    if isinstance(step, TextStep):
        skip = step.skip
        rows = ((Button(skip.get(language), f"{token}|_skip"),),) if skip else ()
        return Reply(step.text.get(language, **values), rows)
    if isinstance(step, MultiStep):
        chosen: list[str] = frame.data.get(step.store) or []
        options = [o for o in step.options if o.id not in chosen]
        buttons = [Button(o.label.get(language), f"{token}|{o.id}") for o in options]
        text = step.text.get(language, **values)
        if chosen:
            labels = ", ".join(o.label.get(language) for o in step.options if o.id in chosen)
            text = catalogue().get("common.chosen_so_far", language, chosen=labels)
        done = Button(step.done.get(language), f"{token}|_done")
        return Reply(text, (*_rows(buttons, step.columns), (done,)))
    buttons = [Button(o.label.get(language), f"{token}|{o.id}") for o in step.options]
    return Reply(step.text.get(language, **values), _rows(buttons, step.columns))
