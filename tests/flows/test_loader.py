"""Flow files are validated at start-up; errors name the file and the path inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import FlowDefinitionError
from core.vocabulary import Audience
from flows.learner_actions import LEARNER_ACTIONS
from flows.loader import FLOWS_DIR, ROUTES_DIR, load_flowset

GOOD = """
flows:
  tiny:
    description: a tiny flow
    start: ask
    steps:
      ask:
        type: choice
        text: {en: "Pick one", cy: "Dewisa un"}
        options:
          - id: a
            label: {en: "A", cy: "A"}
        next: bye
      bye:
        type: say
        text: {en: "Bye", cy: "Hwyl"}
"""
ROUTES = (
    "commands: {start: tiny}\nidle: tiny\non_concern: {medium: tiny, high: tiny, critical: tiny}\n"
)


def _load(tmp_path: Path, flow_text: str, routes: str = ROUTES) -> None:
    flows_dir, routes_dir = tmp_path / "flows", tmp_path / "routes"
    flows_dir.mkdir()
    routes_dir.mkdir()
    (flows_dir / "tiny.yml").write_text(flow_text)
    (routes_dir / "learner.yml").write_text(routes)
    load_flowset(Audience.LEARNER, LEARNER_ACTIONS, flows_dir=flows_dir, routes_dir=routes_dir)


def test_shipped_flows_and_routes_load() -> None:
    flowset = load_flowset(Audience.LEARNER, LEARNER_ACTIONS, FLOWS_DIR, ROUTES_DIR)
    for flow in ("welcome", "checkin", "mood", "help", "safety_high", "safety_medium"):
        assert flow in flowset.flows
    assert flowset.routes.commands["start"] == "welcome"


def test_a_good_file_loads(tmp_path: Path) -> None:
    _load(tmp_path, GOOD)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("next: bye", "next: nowhere"),
            "tiny.steps.ask.next: unknown step or flow 'nowhere'",
        ),
        (("next: bye", "next: flow:ghost"), "unknown step or flow 'flow:ghost'"),
        (('cy: "Dewisa un"', 'cy: ""'), "flows.tiny.steps.ask.choice.text.cy"),
        (('{en: "Bye", cy: "Hwyl"}', '{en: "Bye"}'), "flows.tiny.steps.bye.say.text.cy"),
        (("start: ask", "start: ask\n    colour: blue"), "flows.tiny.colour: Extra inputs"),
        (("start: ask", "start: missing"), "flows.tiny.start: no step named 'missing'"),
        (("type: say", "type: sing"), "flows.tiny.steps.bye"),
    ],
)
def test_errors_name_the_file_and_the_path(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(FlowDefinitionError) as caught:
        _load(tmp_path, GOOD.replace(old, new, 1))
    message = str(caught.value)
    assert "tiny.yml" in message
    assert expected in message


def test_unknown_action_is_an_error(tmp_path: Path) -> None:
    text = GOOD.replace(
        '      bye:\n        type: say\n        text: {en: "Bye", cy: "Hwyl"}',
        "      bye:\n        type: action\n        action: launch_rocket",
    )
    with pytest.raises(FlowDefinitionError, match="unknown action 'launch_rocket'"):
        _load(tmp_path, text)


def test_routes_must_name_known_flows(tmp_path: Path) -> None:
    with pytest.raises(FlowDefinitionError, match=r"commands\.start: unknown flow 'nope'"):
        _load(tmp_path, GOOD, ROUTES.replace("start: tiny", "start: nope"))


def test_repeated_option_ids_are_an_error(tmp_path: Path) -> None:
    text = GOOD.replace(
        '          - id: a\n            label: {en: "A", cy: "A"}',
        '          - id: a\n            label: {en: "A", cy: "A"}\n'
        '          - id: a\n            label: {en: "B", cy: "B"}',
    )
    with pytest.raises(FlowDefinitionError, match="option ids repeat"):
        _load(tmp_path, text)


@pytest.mark.parametrize(
    ("on_concern", "expected"),
    [
        ("{high: tiny, critical: tiny}", "on_concern.medium missing"),
        ("{medium: tiny, high: tiny}", "on_concern.critical missing"),
        ("{medium: tiny, high: tiny, critical: tiny, low: tiny}", "unknown level(s) low"),
    ],
)
def test_on_concern_needs_exactly_medium_high_and_critical(
    tmp_path: Path, on_concern: str, expected: str
) -> None:
    routes = ROUTES.replace("{medium: tiny, high: tiny, critical: tiny}", on_concern)
    with pytest.raises(FlowDefinitionError) as caught:
        _load(tmp_path, GOOD, routes)
    message = str(caught.value)
    assert "learner.yml" in message and "on_concern" in message
    assert expected in message
