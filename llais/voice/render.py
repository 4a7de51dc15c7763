"""What campaign messages say. Each goes into the outbox as a catalogue key with bilingual
parameters and is rendered in the learner's language when it leaves (``llais.outbox.render``).
Campaign keys: ``invite:<schedule>:<day>``, ``poll:<id>``, ``results:<id>``, ``yousaid:<id>``."""

from __future__ import annotations

from typing import Any

from core.i18n import catalogue
from core.vocabulary import Language
from flows.polls import ChoiceQuestion, PollDefinition, ScaleQuestion
from storage.models import Announcement, School

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


def results_lines(poll: PollDefinition, school: dict[str, Any], language: Language) -> str:
    """One school's results of a poll, question by question, as a learner reads them."""
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
    return "\n".join(lines).strip()


def results_params(poll: PollDefinition, school: dict[str, Any]) -> dict[str, Any]:
    """The outbox parameters of ``voice.poll_results`` for one school."""
    return {
        "title": bilingual(poll.title.en, poll.title.cy),
        "answered": school.get("answered", 0),
        "lines": {lang.value: results_lines(poll, school, lang) for lang in Language},
    }


def bilingual(en: str, cy: str) -> dict[str, str]:
    """A parameter the outbox fills in the learner's language."""
    return {Language.EN.value: en, Language.CY.value: cy}


def announcement_text(post: Announcement, school: School | None, language: Language) -> str:
    """A "you said, we did" post as a learner receives it."""
    text = post.text_cy if language is Language.CY else post.text_en
    name = "" if school is None else (school.name_cy if language is Language.CY else school.name)
    return catalogue().get("voice.yousaid", language, school=name, text=text)
