"""A conversation state stored by an older version must not strand a learner."""

from __future__ import annotations

import logging

import pytest

from core.channel import Channel
from flows.state import ConversationState
from llais.app import App
from llais.pseudonym import person_ref
from storage.repo import conversations
from tests.conftest import SECRET
from tests.support.learner import PlayedLearner

# mid check-in and mid safety conversation, as the engine stored them before typed frames
OLD_STATE = {
    "current": {
        "flow": "safety_high",
        "step": "safe",
        "data": {"_alert_id": "a-1", "_level": "high", "_categories": ["abuse"]},
        "skipped": False,
    },
    "interrupted": [
        {
            "flow": "checkin",
            "step": "comment",
            "data": {"_answers": [{"domain": "P", "item_id": "p_happy", "value": 7}]},
            "skipped": True,
        }
    ],
}


async def test_a_state_that_no_longer_fits_is_dropped_and_the_learner_starts_fresh(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    learner = PlayedLearner(app.learner, user_id="3003")
    await learner.command("start")
    await learner.press("English")
    await learner.press("OK, got it")
    await learner.say("DEMO-Y9")
    ref = person_ref(SECRET, Channel.TELEGRAM, learner.user_id)
    async with app.sessions() as session, session.begin():
        await conversations.save_state(session, ref=ref, state=OLD_STATE, now=app.learner.clock())

    caplog.set_level(logging.INFO)
    await learner.command("checkin")

    assert "How often have you felt happy" in learner.text()  # the check-in, from the start
    dropped = [r for r in caplog.records if "no longer valid" in r.getMessage()]
    assert len(dropped) == 1 and dropped[0].levelno == logging.WARNING
    assert "_alert_id" not in dropped[0].getMessage() and ref not in dropped[0].getMessage()
    async with app.sessions() as session:
        stored = await conversations.load_state(session, ref=ref)
    state = ConversationState.model_validate(stored)  # what is stored now is the new shape
    assert state.current is not None and state.current.flow == "checkin"
    assert state.interrupted == []
