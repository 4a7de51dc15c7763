"""Actions of the learner-voice flows: invitations on or off, and saving a poll's answers."""

from __future__ import annotations

from flows.actions import ActionCall, ActionResult
from flows.effects import SavePollAnswers, SetInvitations
from flows.polls import CHOICE_PREFIX, POLL_DOMAIN, TEXT_PREFIX


async def set_invitations(call: ActionCall[object]) -> ActionResult:
    """Turn check-in invitations on or off, as chosen in this flow."""
    on = call.data.get("invites") == "on"
    return ActionResult("on" if on else "off", [SetInvitations(on)])


async def save_poll(call: ActionCall[object]) -> ActionResult:
    """Persist the poll's answers: choices and texts from the flow data, scales from the frame."""
    poll_id = int(call.args["poll"])
    values: list[tuple[str, str]] = []
    texts: list[tuple[str, str]] = []
    for name in list(call.data):
        if name.startswith(CHOICE_PREFIX):
            values.append((name[len(CHOICE_PREFIX) :], str(call.data.pop(name))))
        elif name.startswith(TEXT_PREFIX):
            text = call.data.pop(name)
            if text:  # None when skipped
                texts.append((name[len(TEXT_PREFIX) :], str(text)))
    values += [(a.item_id, str(a.value)) for a in call.frame.answers if a.domain == POLL_DOMAIN]
    return ActionResult("ok", [SavePollAnswers(poll_id, tuple(values), tuple(texts))])
