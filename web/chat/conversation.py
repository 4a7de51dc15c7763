"""The web channel adapter: a page's post becomes an ``Inbound`` for the learner service, and
what was said goes into the device's mailbox.

The service runs the safeguarding detector on any text first and commits an alert with the turn,
before it returns the replies; only then are the messages written to the mailbox and the page
rendered. Nothing here knows about flows or risk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from core.channel import Channel, Inbound, InboundKind, Reply
from core.clock import Clock
from core.vocabulary import Language
from llais.app import App
from llais.pseudonym import person_ref
from storage.availability import unavailable
from storage.models import Author, Person
from storage.repo import people, web_mailbox
from storage.repo.web_mailbox import MailboxButton, MailboxMessage
from web.chat.device import mailbox_key

CHANNEL = Channel.WEB
START = "llais:start"  # the first page's only choice: starts the conversation
_COMMAND = re.compile(r"^/([A-Za-z][A-Za-z0-9_]{0,31})(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)


class StaleChoice(Exception):
    """A choice that this page does not offer now (forged, or replayed from an earlier page)."""


class ChatUnavailable(Exception):
    """The database cannot be reached and the post could not be kept either (or was a choice,
    which cannot be checked against the page without it): the page keeps the typed text."""


@dataclass(frozen=True)
class ChatView:
    """What the chat page shows."""

    messages: list[MailboxMessage]
    choices: list[MailboxButton]
    turn: int  # how many messages the learner has sent: a choice must come from this turn
    language: Language | None  # the learner's chosen language, once known
    resumed: bool  # earlier messages are hidden after a break; the pending ones are shown


@dataclass(frozen=True)
class Posted:
    """The messages one post added, learner's first; none when the post erased the learner's
    data (the device is then forgotten)."""

    messages: list[MailboxMessage]
    kept: bool = False  # the database was away: kept for later, shown now but not yet stored
    erased: bool = False
    language: Language | None = None  # the erased learner's language, for the page that follows


def outage_view(start_label: str, messages: list[MailboxMessage] | None = None) -> ChatView:
    """A page that needs no database: what was just said (if anything) and no choices."""
    choices = [] if messages else [MailboxButton(start_label, START)]
    return ChatView(list(messages or []), choices, 0, None, resumed=False)


def to_inbound(device: str, mailbox: str, text: str, choice: str, at: datetime) -> Inbound:
    """A typed text (a ``/command`` is a command) or a pressed choice as an ``Inbound``."""
    if text:
        found = _COMMAND.match(text)
        if found:
            name, args = found.group(1).lower(), (found.group(2) or "").strip()
            return Inbound(
                CHANNEL, device, mailbox, InboundKind.COMMAND, at, text=args, command=name
            )
        return Inbound(CHANNEL, device, mailbox, InboundKind.TEXT, at, text=text)
    if choice == START:
        return Inbound(CHANNEL, device, mailbox, InboundKind.COMMAND, at, command="start")
    return Inbound(CHANNEL, device, mailbox, InboundKind.CHOICE, at, choice=choice)


def _transient(said: str, replies: list[Reply], at: datetime) -> list[MailboxMessage]:
    """What was said and answered, shown on the page though not (yet) in the mailbox; the
    buttons are left off, since they cannot be checked until the database is back."""
    texts = [(Author.LEARNER, said)] + [(Author.LLAIS, r.text) for r in replies]
    # ids below zero: unique on the page, never a stored message's
    return [MailboxMessage(-n, author, text, (), at) for n, (author, text) in enumerate(texts, 1)]


def _buttons(reply: Reply) -> list[list[MailboxButton]]:
    return [[MailboxButton(b.label, b.payload) for b in row] for row in reply.buttons]


class WebChat:
    """The web chat over the running services."""

    def __init__(self, llais: App, clock: Clock) -> None:
        self.llais = llais
        self.clock = clock
        self._secret = llais.settings.secret_key.get_secret_value()

    def mailbox(self, device: str) -> str:
        return mailbox_key(self.llais.settings, device)

    def ref(self, device: str) -> str:
        return person_ref(self._secret, CHANNEL, device)

    async def language(self, device: str | None) -> Language | None:
        """The learner's chosen language, if this device is a learner who chose one."""
        if device is None:
            return None
        async with self.llais.sessions() as session:
            person = await people.get_person(session, ref=self.ref(device))
            return person.language if person else None

    async def view(self, device: str | None, *, since: datetime, start_label: str) -> ChatView:
        """The page for this device in the page session that started at ``since``."""
        if device is None:
            return ChatView([], [MailboxButton(start_label, START)], 0, None, resumed=False)
        mailbox = self.mailbox(device)
        async with self.llais.sessions() as session:
            shown = await web_mailbox.since(session, mailbox=mailbox, after=since)
            pending = await web_mailbox.pending(session, mailbox=mailbox)
            turn = await web_mailbox.learner_posts(session, mailbox=mailbox)
            person = await people.get_person(session, ref=self.ref(device))
        resumed = False
        if not shown and pending:
            shown, resumed = pending, True
        choices = self._offered(pending, turn, start_label)
        language = person.language if person else None
        return ChatView(shown, choices, turn, language, resumed)

    @staticmethod
    def _offered(pending: list[MailboxMessage], turn: int, start_label: str) -> list[MailboxButton]:
        offered = [button for message in pending for row in message.buttons for button in row]
        if not offered and turn == 0 and not pending:
            return [MailboxButton(start_label, START)]
        return offered

    async def post(
        self, device: str, *, text: str, choice: str, turn: int | None, start_label: str
    ) -> Posted:
        """Handle one post. Text always goes through (the detector must see it, even from an
        old page); a choice must be one this turn offers, or :class:`StaleChoice`."""
        mailbox = self.mailbox(device)
        ref = self.ref(device)
        try:
            async with self.llais.sessions() as session:
                pending = await web_mailbox.pending(session, mailbox=mailbox)
                posts = await web_mailbox.learner_posts(session, mailbox=mailbox)
                before = await people.get_person(session, ref=ref)
        except Exception as exc:
            if not unavailable(exc):
                raise
            if not text:
                raise ChatUnavailable from exc
            return await self._keep(device, mailbox, text)
        said = text
        if not text:
            offered = {b.payload: b.label for b in self._offered(pending, posts, start_label)}
            if turn != posts or choice not in offered:
                raise StaleChoice
            said = offered[choice]
        now = self.clock()
        replies = await self.llais.learner.handle(to_inbound(device, mailbox, text, choice, now))
        try:
            return await self._record(mailbox, ref, before, said, replies, now)
        except Exception as exc:
            if not unavailable(exc):
                raise
            # the turn went through (or was kept) but its transcript cannot be written now
            return Posted(_transient(said, replies, now), kept=True)

    async def _keep(self, device: str, mailbox: str, text: str) -> Posted:
        """The database is away: the service keeps the message (or raises ChatUnavailable)."""
        now = self.clock()
        try:
            replies = await self.llais.learner.handle(to_inbound(device, mailbox, text, "", now))
        except Exception as exc:
            if not unavailable(exc):
                raise
            raise ChatUnavailable from exc
        return Posted(_transient(text, replies, now), kept=True)

    async def _record(
        self,
        mailbox: str,
        ref: str,
        before: Person | None,
        said: str,
        replies: list[Reply],
        now: datetime,
    ) -> Posted:
        """Write what was said and answered to the mailbox; the messages this post added."""
        added: list[int] = []
        async with self.llais.sessions() as session, session.begin():
            if before is not None and await people.get_person(session, ref=ref) is None:
                # the learner erased their data, and the transcript with it (in the same
                # transaction, by its reply address): store nothing more for this device
                return Posted([], erased=True, language=before.language)
            added.append(
                await web_mailbox.append(
                    session, mailbox=mailbox, author=Author.LEARNER, text=said, now=now
                )
            )
            for reply in replies:
                added.append(
                    await web_mailbox.append(
                        session,
                        mailbox=mailbox,
                        author=Author.LLAIS,
                        text=reply.text,
                        buttons=_buttons(reply),
                        now=now,
                    )
                )
            messages = await web_mailbox.since(
                session, mailbox=mailbox, after=now, after_id=min(added, default=1) - 1
            )
        return Posted([m for m in messages if m.id in added])

    async def set_language(self, device: str, language: Language) -> None:
        """Change the learner's language, when they have already chosen one (the toggle)."""
        async with self.llais.sessions() as session, session.begin():
            person = await people.get_person(session, ref=self.ref(device))
            if person is not None and person.language is not None:
                person.language = language

    async def forget(self, device: str) -> None:
        """Clear this device's mailbox (the learner's data stays, as the page said)."""
        async with self.llais.sessions() as session, session.begin():
            await web_mailbox.clear(session, mailbox=self.mailbox(device))
