"""The web chat mailbox: what a sender appends, what the page reads, and what is cleared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker

from storage.db import AsyncSession
from storage.models import Author
from storage.repo import web_mailbox
from storage.repo.web_mailbox import MailboxButton

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)


async def test_append_then_read_what_awaits_an_answer(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    yes = MailboxButton("Yes", "yes")
    async with sessions() as session, session.begin():
        await web_mailbox.append(session, mailbox="m1", author=Author.LEARNER, text="hi", now=NOW)
        await web_mailbox.append(
            session, mailbox="m1", author=Author.LLAIS, text="Q?", now=NOW, buttons=[[yes]]
        )
        await web_mailbox.append(  # what a staff sender does later
            session, mailbox="m1", author=Author.STAFF, text="From school", now=NOW
        )
        await web_mailbox.append(session, mailbox="m2", author=Author.LLAIS, text="x", now=NOW)
    async with sessions() as session:
        pending = await web_mailbox.pending(session, mailbox="m1")
        assert [(m.author, m.text) for m in pending] == [
            (Author.LLAIS, "Q?"),
            (Author.STAFF, "From school"),
        ]
        assert pending[0].buttons == ((yes,),)
        assert await web_mailbox.learner_posts(session, mailbox="m1") == 1
        shown = await web_mailbox.since(session, mailbox="m1", after=NOW)
        assert [m.text for m in shown] == ["hi", "Q?", "From school"]
        assert await web_mailbox.since(session, mailbox="m1", after=NOW + timedelta(1)) == []


async def test_old_messages_are_purged_and_a_mailbox_can_be_cleared(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        old = NOW - timedelta(days=31)
        await web_mailbox.append(session, mailbox="m1", author=Author.LEARNER, text="a", now=old)
        await web_mailbox.append(session, mailbox="m1", author=Author.LLAIS, text="b", now=NOW)
        await web_mailbox.append(session, mailbox="m2", author=Author.LLAIS, text="c", now=NOW)
    async with sessions() as session, session.begin():
        assert await web_mailbox.purge(session, now=NOW, days=30) == 1
        assert await web_mailbox.clear(session, mailbox="m2") == 1
    async with sessions() as session:
        left = await web_mailbox.since(session, mailbox="m1", after=NOW - timedelta(days=90))
        assert [m.text for m in left] == ["b"]
        assert await web_mailbox.since(session, mailbox="m2", after=old) == []
