"""What ``/mydata`` lists: one line per kind of thing stored about a learner, in their language
(the lines are ``mydata.*`` in the catalogue)."""

from __future__ import annotations

from core.i18n import catalogue
from core.vocabulary import Language
from flows.actions import MyData

KEYS = frozenset(
    f"mydata.{name}"
    for name in (
        "language",
        "school",
        "year",
        "messages_on",
        "messages_off",
        "checkins",
        "moods",
        "notes",
        "polls",
        "invitations_on",
        "invitations_off",
        "requests",
        "school_messages",
        "groups",
        "sent",
        "pending",
        "web_messages",
        "address_chat",
        "address_web",
        "state",
        "alert_messages",
    )
)


def held_lines(mine: MyData, language: Language) -> str:
    """Every kind of thing stored about the learner, with its count, one line each."""
    cat = catalogue()

    def line(name: str, **values: object) -> str:
        return cat.get(f"mydata.{name}", language, **values)

    none = "–"
    days = mine.retention_days
    lines = [
        line("language"),
        line("school", school=mine.school or none),
        line("year", year=mine.year_group or none),
        line("messages_off" if mine.stopped else "messages_on"),
        line("checkins", count=mine.checkins),
        line("moods", count=mine.moods),
        line("notes", count=mine.notes, days=days),
        line("polls", count=mine.polls),
        line("invitations_on" if mine.invitations else "invitations_off"),
        line("requests", count=mine.requests),
        line("school_messages", count=mine.school_messages),
        line("groups", count=mine.groups),
        line("sent", count=mine.sent),
        line("pending", count=mine.pending),
    ]
    if mine.web:
        lines.append(line("web_messages", count=mine.web_messages, days=days))
    if mine.address:
        lines.append(line("address_web" if mine.web else "address_chat"))
    lines.append(line("state"))
    return "\n".join(lines)


def alert_messages(mine: MyData, language: Language) -> str:
    """The clause naming messages kept with a safeguarding record, or nothing."""
    if not mine.alert_messages:
        return ""
    return catalogue().get("mydata.alert_messages", language, count=mine.alert_messages)
