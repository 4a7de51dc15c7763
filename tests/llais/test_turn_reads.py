"""One read opens a turn: the rows it loads are not read again, and the polls not at all when
none is new."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event

from core.channel import Channel, Inbound, InboundKind
from llais.app import App
from llais.pseudonym import person_ref
from storage.models import ReplyAddress
from tests.conftest import SECRET
from tests.support.learner import PlayedLearner


@contextmanager
def statements(app: App) -> Iterator[list[str]]:
    """Every SQL statement the app runs inside the block, whitespace folded."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(app.db.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(app.db.sync_engine, "before_cursor_execute", record)


def reads_of(table: str, seen: list[str]) -> list[str]:
    return [s for s in seen if s.startswith("SELECT") and f"FROM {table} " in f"{s} "]


async def test_a_turn_reads_the_state_and_reply_address_once_and_still_saves_both(
    app: App,
) -> None:
    learner = PlayedLearner(app.learner, user_id="4004")
    await learner.command("start")
    await learner.press("English")
    await learner.press("OK, got it")
    await learner.say("DEMO-Y9")

    with statements(app) as seen:
        await learner.command("checkin")

    assert "How often have you felt happy" in learner.text()
    assert reads_of("conversation_states", seen) == []  # loaded with the person, in one query
    assert reads_of("reply_addresses", seen) == []
    opening = [s for s in seen if "FROM people" in s]
    assert len(opening) == 1 and "conversation_states" in opening[0]
    assert "reply_addresses" in opening[0]
    # the polls are read only when one is newer than those the flows hold: none here
    assert [s for s in seen if "FROM polls" in s and "FROM people" not in s] == []
    assert any(s.startswith("UPDATE conversation_states") for s in seen)  # the new step is saved

    assert not any(
        s.startswith(("INSERT INTO reply_addresses", "UPDATE reply_addresses")) for s in seen
    )


async def test_a_chat_id_that_changed_is_kept_on_the_address_loaded_with_the_person(
    app: App,
) -> None:
    learner = PlayedLearner(app.learner, user_id="4005")
    await learner.command("start")
    ref = person_ref(SECRET, Channel.TELEGRAM, learner.user_id)
    inbound = Inbound(
        channel=Channel.TELEGRAM,
        user_id=learner.user_id,
        chat_id="4005-elsewhere",
        kind=InboundKind.COMMAND,
        at=datetime.now(UTC),
        command="start",
    )

    with statements(app) as seen:
        await app.learner.handle(inbound)

    assert reads_of("reply_addresses", seen) == []
    async with app.sessions() as session:
        address = await session.get(ReplyAddress, (ref, Channel.TELEGRAM))
    assert address is not None and address.chat_id == "4005-elsewhere"
