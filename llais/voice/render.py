"""The text of each campaign send, in the learner's language, made when it is sent (nothing of a
learner's is stored with the send). Campaign keys: ``invite:<schedule>:<day>``, ``poll:<id>``,
``results:<id>``, ``yousaid:<id>``."""

from __future__ import annotations

from typing import Any

from core.i18n import catalogue
from core.vocabulary import DEFAULT_LANGUAGE, Language
from flows.polls import ChoiceQuestion, PollDefinition, ScaleQuestion
from storage.db import AsyncSession
from storage.models import Announcement, Poll, School
from storage.repo.voice import ClaimedSend

MESSAGE_KEYS = frozenset(
    {
        "voice.invitation",
        "voice.poll_invitation",
        "voice.poll_results",
        "voice.result_hidden",
        "voice.result_mean",
        "voice.yousaid",
        "voice.yousaid_none",
        "voice.yousaid_header",
        "voice.no_poll",
        "voice.needs_school",
    }
)


def theme_key(theme: str) -> str:
    """The catalogue key of a theme's label."""
    return f"voice.theme_{theme}"


def results_text(poll: PollDefinition, school: dict[str, Any], language: Language) -> str:
    """One school's results of a poll, as a learner reads them."""
    texts = catalogue()
    hidden = texts.get("voice.result_hidden", language)
    lines: list[str] = []
    for question in poll.questions:
        figures = school["questions"].get(question.id, {})
        lines.append(question.text.get(language))
        if isinstance(question, ScaleQuestion):
            mean = figures.get("mean")
            shown = (
                texts.get("voice.result_mean", language, mean=mean, maximum=question.maximum)
                if mean is not None
                else hidden
            )
            lines.append(f"• {shown}")
        else:
            options = figures.get("options", {})
            if isinstance(question, ChoiceQuestion):
                labels = [(o.id, o.label.get(language)) for o in question.options]
            else:
                labels = [(t, texts.get(theme_key(t), language)) for t in options]
            for level, label in labels:
                figure = options.get(level, {})
                if figure.get("percent") is not None:
                    value = f"{figure['percent']}%"
                elif figure.get("count") is not None:
                    value = str(figure["count"])
                elif isinstance(question, ChoiceQuestion):
                    value = hidden
                else:
                    continue  # a theme is listed only when its figure is shown
                lines.append(f"• {label}: {value}")
        lines.append("")
    return texts.get(
        "voice.poll_results",
        language,
        title=poll.title.get(language),
        answered=school.get("answered", 0),
        lines="\n".join(lines).strip(),
    )


def announcement_text(post: Announcement, school: School | None, language: Language) -> str:
    """A "you said, we did" post as a learner receives it."""
    text = post.text_cy if language is Language.CY else post.text_en
    name = "" if school is None else (school.name_cy if language is Language.CY else school.name)
    return catalogue().get("voice.yousaid", language, school=name, text=text)


class SendRenderer:
    """Renders sends, loading each poll or post once."""

    def __init__(self) -> None:
        self._polls: dict[int, Poll | None] = {}
        self._posts: dict[int, Announcement | None] = {}
        self._schools: dict[int, School | None] = {}

    async def render(self, session: AsyncSession, send: ClaimedSend) -> str | None:
        """The message for ``send``, or None when there is nothing to say (then it expires)."""
        kind, _, rest = send.campaign.partition(":")
        language = send.language or DEFAULT_LANGUAGE
        texts = catalogue()
        if kind == "invite":
            return texts.get("voice.invitation", language)
        if kind in ("poll", "results"):
            poll = await self._poll(session, int(rest))
            if poll is None:
                return None
            definition = PollDefinition.model_validate(poll.definition)
            if kind == "poll":
                return texts.get(
                    "voice.poll_invitation", language, title=definition.title.get(language)
                )
            school = (poll.results or {}).get("schools", {}).get(str(send.school_id))
            if school is None or not school.get("met"):
                return None
            return results_text(definition, school, language)
        if kind == "yousaid":
            post = await self._post(session, int(rest))
            if post is None:
                return None
            return announcement_text(post, await self._school(session, post.school_id), language)
        return None

    async def _poll(self, session: AsyncSession, poll_id: int) -> Poll | None:
        if poll_id not in self._polls:
            self._polls[poll_id] = await session.get(Poll, poll_id)
        return self._polls[poll_id]

    async def _post(self, session: AsyncSession, post_id: int) -> Announcement | None:
        if post_id not in self._posts:
            self._posts[post_id] = await session.get(Announcement, post_id)
        return self._posts[post_id]

    async def _school(self, session: AsyncSession, school_id: int) -> School | None:
        if school_id not in self._schools:
            self._schools[school_id] = await session.get(School, school_id)
        return self._schools[school_id]
