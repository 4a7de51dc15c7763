"""A closed poll's results: free-text answers become themes, then every figure goes through the
one disclosure call (``storage.aggregate.publish``), school by school, with the same rule as the
dashboard. A school's learners see its results only when it reached the poll's minimum."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from flows.polls import ChoiceQuestion, PollDefinition, ScaleQuestion
from nlu.themes import THEMES, theme_of
from nlu.understand import Understander
from storage.aggregate import SCHOOL, Figure, Policy, Row, Spec, publish
from storage.models import PollAnswer

ANSWER = "answer"
Themer = Callable[[str], Awaitable[str]]


def themer(understander: Understander) -> Themer:
    """How a free-text answer becomes its theme: the same rule and vocabulary as the comments of
    a check-in (``nlu.themes``), so the dashboard and poll results speak of the same themes."""

    async def theme(text: str) -> str:
        return theme_of(await understander.understand(text))

    return theme


def _figure(figure: Figure | None) -> str | None:
    return None if figure is None or not figure.shown else figure.text()


def poll_results(
    poll: PollDefinition, answers: Sequence[PollAnswer], policy: Policy
) -> dict[str, Any]:
    """Results per school: how many answered, whether the minimum was met, and each question's
    shown figures (None where a figure is withheld). Free text must already be themes."""
    by_school: dict[str, set[str]] = {}
    for answer in answers:
        if answer.school_id is not None:
            by_school.setdefault(str(answer.school_id), set()).add(answer.person_ref)
    schools: dict[str, Any] = {
        school: {"answered": len(people), "met": len(people) >= poll.min_answers, "questions": {}}
        for school, people in by_school.items()
    }
    for question in poll.questions:
        mine = [a for a in answers if a.question_id == question.id and a.school_id is not None]
        if isinstance(question, ScaleQuestion):
            rows = [
                Row(person=a.person_ref, school=str(a.school_id), values=(float(a.value or 0),))
                for a in mine
                if a.value is not None
            ]
            spec = Spec(measure=f"poll.{question.id}", tables=((SCHOOL,),), values=("score",))
            table = publish(rows, spec, policy).table(SCHOOL)
            for cell in table.margin(SCHOOL):
                entry = schools.setdefault(cell.key[SCHOOL], {"questions": {}})
                entry["questions"][question.id] = {
                    "count": _figure(cell.count),
                    "mean": _figure(cell.means.get("score")),
                }
            continue
        if isinstance(question, ChoiceQuestion):
            levels = tuple(option.id for option in question.options)
            rows = [
                Row(person=a.person_ref, school=str(a.school_id), dims={ANSWER: a.value or ""})
                for a in mine
                if a.value in levels
            ]
        else:
            levels = THEMES
            rows = [
                Row(person=a.person_ref, school=str(a.school_id), dims={ANSWER: a.theme or "other"})
                for a in mine
                if a.theme is not None
            ]
        spec = Spec(
            measure=f"poll.{question.id}",
            tables=((SCHOOL, ANSWER),),
            category=ANSWER,
            levels={ANSWER: levels},
        )
        table = publish(rows, spec, policy).table(SCHOOL, ANSWER)
        for cell in table.margin(SCHOOL, ANSWER):
            entry = schools.setdefault(cell.key[SCHOOL], {"questions": {}})
            options = entry["questions"].setdefault(question.id, {"options": {}})["options"]
            options[cell.key[ANSWER]] = {
                "count": _figure(cell.count),
                "percent": _figure(cell.percent),
            }
    return {"schools": schools}
