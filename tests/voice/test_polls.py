"""Polls as data: validated like flows (errors name the file and the path), bilingual, one to
five questions, compiled into a flow the learner engine runs."""

from __future__ import annotations

import pytest

from core.errors import FlowDefinitionError
from flows.learner_actions import LEARNER_ACTIONS
from flows.loader import check_references
from flows.model import ChoiceStep, ScaleStep, TextStep
from flows.polls import PollFlows, compile_poll, flow_id, parse_poll

GOOD = """
poll:
  title: {en: "Homework", cy: "Gwaith cartref"}
  opens: 2026-11-24T09:00:00+00:00
  closes: 2026-11-30T16:00:00+00:00
  min_answers: 10
  questions:
    - id: amount
      type: choice
      text: {en: "How much homework do you get?", cy: "Faint o waith cartref rwyt ti'n ei gael?"}
      options:
        - {id: little, label: {en: "A little", cy: "Ychydig"}}
        - {id: lots, label: {en: "Lots", cy: "Llawer"}}
    - id: stress
      type: scale
      text: {en: "How stressful is it?", cy: "Pa mor straenus yw e?"}
    - id: idea
      type: text
      text: {en: "What would help?", cy: "Beth fyddai'n helpu?"}
"""


def test_a_poll_file_compiles_into_a_flow_whose_actions_are_known() -> None:
    poll = parse_poll(GOOD, "homework.yml")
    flow = compile_poll(7, poll)
    steps = flow.steps
    assert isinstance(steps["q_amount"], ChoiceStep)
    assert isinstance(steps["q_stress"], ScaleStep) and steps["q_stress"].maximum == 5
    assert isinstance(steps["q_idea"], TextStep) and steps["q_idea"].skip is not None
    check_references({flow_id(7): flow}, {flow_id(7): "db"}, LEARNER_ACTIONS)  # type: ignore[dict-item]
    flows = PollFlows({})
    flows.add(7, flow)
    assert flows["poll_7"] is flow and flows.loaded_up_to == 7 and len(flows) == 1


def test_json_is_accepted_too() -> None:
    poll = parse_poll(
        '{"poll": {"title": {"en": "A", "cy": "B"}, "opens": "2026-11-24T09:00:00Z",'
        ' "closes": "2026-11-25T09:00:00Z", "questions": [{"id": "q", "type": "scale",'
        ' "text": {"en": "Q", "cy": "C"}}]}}',
        "a.json",
    )
    assert poll.min_answers == 10 and poll.questions[0].id == "q"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('cy: "Gwaith cartref"', 'cy: ""'), "poll.title.cy"),
        (lambda t: t.replace("2026-11-30T16", "2026-11-20T16"), "closes must be after opens"),
        (lambda t: t.replace("id: stress", "id: amount"), "question ids repeat"),
        (lambda t: t.replace("type: scale", "type: slider"), "poll.questions.1"),
        (lambda t: t.replace("min_answers: 10", "min_answers: 10\n  colour: red"), "colour"),
        (lambda t: t.replace("2026-11-24T09:00:00+00:00", "2026-11-24T09:00:00"), "opens"),
    ],
)
def test_a_bad_poll_is_refused_with_the_file_and_the_path(change: object, message: str) -> None:
    with pytest.raises(FlowDefinitionError, match=r"bad\.yml") as raised:
        parse_poll(change(GOOD), "bad.yml")  # type: ignore[operator]
    assert message in str(raised.value)


def test_one_to_five_questions() -> None:
    question = GOOD[GOOD.index("    - id: stress") : GOOD.index("    - id: idea")]
    six = GOOD + "".join(question.replace("stress", f"s{i}") for i in range(4))
    with pytest.raises(FlowDefinitionError, match="at most 5"):
        parse_poll(six, "six.yml")
    none = GOOD[: GOOD.index("  questions:")] + "  questions: []\n"
    with pytest.raises(FlowDefinitionError, match="at least 1"):
        parse_poll(none, "none.yml")
