"""Open a person's turn: serialise it against their other turns, then read all it needs at once.

On PostgreSQL any number of processes may handle one person's messages, so a turn first takes a
transaction-scoped advisory lock on the person's reference (released by the commit or rollback,
also when the process dies); a second turn of the same person waits for it, other people's turns
do not. On SQLite (one process; ``BEGIN IMMEDIATE`` already serialises every writing transaction)
no lock is taken here. Then one query reads the person, their stored conversation state, their
reply address on the channel written from, how many check-ins they have completed, and the newest
poll's id (so a turn reads the polls only when one was created since the flows were last loaded).
The state and address rows are kept in :class:`OpenedTurn` on purpose: the session's identity map
holds objects only while something refers to them, and while it holds them, saving the state and
keeping the address at the end of the turn are answered from it instead of reading both again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select, text

from storage.db import AsyncSession, takes_row_locks
from storage.models import Checkin, ConversationStateRow, Person, Poll, ReplyAddress

TURN_LOCK_CLASS = 7_211  # first key of the two-key advisory lock: "a person's turn"

# Built once: the statements are the same every turn, only the person's reference and channel
# differ (building them afresh took a good share of a turn's SQLAlchemy time).
_LOCK = text("SELECT pg_advisory_xact_lock(:kind, hashtext(:ref))")
_CHECKINS = (
    select(func.count()).where(Checkin.person_ref == Person.ref).correlate(Person).scalar_subquery()
)
_NEWEST_POLL = select(func.coalesce(func.max(Poll.id), 0))
_OPEN = (
    select(Person, ConversationStateRow, ReplyAddress, _CHECKINS, _NEWEST_POLL.scalar_subquery())
    .outerjoin(ConversationStateRow, ConversationStateRow.person_ref == Person.ref)
    .outerjoin(
        ReplyAddress,
        (ReplyAddress.person_ref == Person.ref) & (ReplyAddress.channel == bindparam("channel")),
    )
    .where(Person.ref == bindparam("ref"))
)


@dataclass(frozen=True, slots=True)
class OpenedTurn:
    """What a turn starts from: the person (None when new), their state and check-in count."""

    person: Person | None
    state: dict[str, Any] | None
    checkins: int
    # the loaded rows, held for the rest of the turn (see the module's docstring)
    state_row: ConversationStateRow | None = None
    address: ReplyAddress | None = None
    newest_poll: int = 0  # the highest poll id there is (0: none yet)


async def lock_turn(session: AsyncSession, *, ref: str) -> None:
    """Wait until no other transaction holds this person's turn, then hold it until commit."""
    if takes_row_locks(session):
        await session.execute(_LOCK, {"kind": TURN_LOCK_CLASS, "ref": ref})


async def open_turn(session: AsyncSession, *, ref: str, channel: str) -> OpenedTurn:
    """Lock the person's turn and read the person, their state, their reply address on
    ``channel``, their check-in count and the newest poll's id in one query."""
    await lock_turn(session, ref=ref)
    row = (await session.execute(_OPEN, {"ref": ref, "channel": channel})).first()
    if row is None:
        return OpenedTurn(None, None, 0, newest_poll=await _newest_poll(session))
    person, state, address, count, newest = row
    return OpenedTurn(
        person,
        dict(state.state) if state is not None else None,
        int(count or 0),
        state_row=state,
        address=address,
        newest_poll=int(newest or 0),
    )


async def _newest_poll(session: AsyncSession) -> int:
    """The highest poll id, for a person not stored yet (their first message)."""
    return int(await session.scalar(_NEWEST_POLL) or 0)
