"""The engine runs the shipped flows: event + state in, replies + effects + new state out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.channel import Reply
from core.vocabulary import Audience, Language
from flows.effects import Enrol, EraseMyData, SaveCheckin, SaveMood, SetLanguage
from flows.engine import Engine, Outcome, TurnInput
from flows.learner_actions import LEARNER_ACTIONS
from flows.loader import load_flowset
from flows.state import ConversationState
from tests.flows.fakes import FakePorts

AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
FakeEngine = Engine[FakePorts]


@pytest.fixture(scope="module")
def engine() -> FakeEngine:
    return Engine(load_flowset(Audience.LEARNER, LEARNER_ACTIONS), LEARNER_ACTIONS)


def given(ports: FakePorts, language: str = "en") -> TurnInput[FakePorts]:
    return TurnInput(
        language=Language.CY if language == Language.CY else Language.EN, at=AT, ports=ports
    )


def press(reply: Reply, label: str) -> str:
    """The payload of the button with this label."""
    for row in reply.buttons:
        for button in row:
            if button.label == label:
                return button.payload
    raise AssertionError(f"no button {label!r} in {[b.label for r in reply.buttons for b in r]}")


async def choose(engine: FakeEngine, out: Outcome, label: str, ports: FakePorts) -> Outcome:
    payload = press(out.replies[-1], label)
    result = await engine.choose(out.state, payload, given(ports, out.language))
    assert result is not None, f"pressing {label!r} was refused"
    return result


async def test_welcome_asks_language_first_then_explains_and_enrols(
    engine: FakeEngine,
) -> None:
    ports = FakePorts()
    out = await engine.start(ConversationState(), "welcome", given(ports))
    assert "Cymraeg" in [b.label for row in out.replies[-1].buttons for b in row]
    out = await choose(engine, out, "Cymraeg", ports)
    assert out.language == "cy"
    assert SetLanguage(Language.CY) in out.effects
    said = " ".join(r.text for r in out.replies)
    assert "nid person" in said  # a bot, not a person
    assert "arweinydd diogelu" in said  # the limits of confidentiality
    assert "999" in said
    out = await choose(engine, out, "Iawn, dw i'n deall", ports)
    step = engine.current_step(out.state)
    assert step is not None and step.type == "text"
    wrong = await engine.answer_text(out.state, "NOPE-1", given(ports, "cy"))
    assert wrong is not None and "dw i ddim yn adnabod" in wrong.replies[0].text
    out = await choose(engine, wrong, "Trio eto", ports)
    out_ok = await engine.answer_text(out.state, " demo-y9 ", given(ports, "cy"))
    assert out_ok is not None
    assert Enrol(school_id=1, year_group=9, code="DEMO-Y9") in out_ok.effects
    assert "Ysgol Llais Demo, Blwyddyn 9" in out_ok.replies[0].text


async def test_checkin_rotates_items_and_records_domain_item_and_value(
    engine: FakeEngine,
) -> None:
    seen: list[set[str]] = []
    for count in range(3):
        ports = FakePorts(language=Language.EN, enrolled=True, checkin_count=count)
        out = await engine.start(ConversationState(), "checkin", given(ports))
        questions = []
        for value in ("7", "8", "6", "9", "5"):
            questions.append(out.replies[-1].text.splitlines()[0])
            out = await choose(engine, out, value, ports)
        out = await choose(engine, out, "Skip", ports)
        saves = [e for e in out.effects if isinstance(e, SaveCheckin)]
        assert len(saves) == 1
        assert [(a.domain, a.value) for a in saves[0].answers] == [
            ("P", 7),
            ("E", 8),
            ("R", 6),
            ("M", 9),
            ("A", 5),
        ]
        assert saves[0].comment is None
        assert out.state.current is None
        seen.append(set(questions))
        assert "Thank you" in out.replies[-1].text
    assert len(seen[0] | seen[1] | seen[2]) == 15  # three check-ins cover fifteen items


async def test_checkin_needs_a_school_code(engine: FakeEngine) -> None:
    out = await engine.start(ConversationState(), "checkin", given(FakePorts(language=Language.EN)))
    assert out.state.current is not None and out.state.current.flow == "enrol"


async def test_scale_accepts_a_typed_number_and_rejects_out_of_range(
    engine: FakeEngine,
) -> None:
    ports = FakePorts(language=Language.EN, enrolled=True)
    out = await engine.start(ConversationState(), "checkin", given(ports))
    assert await engine.answer_text(out.state, "11", given(ports)) is None
    typed = await engine.answer_text(out.state, "10", given(ports))
    assert typed is not None and typed.state.current is not None
    assert typed.state.current.step == "engagement"


async def test_mood_with_several_tags_and_a_note(engine: FakeEngine) -> None:
    ports = FakePorts(language=Language.EN, enrolled=True)
    out = await engine.start(ConversationState(), "mood", given(ports))
    out = await choose(engine, out, "🙁", ports)
    out = await choose(engine, out, "Sleep", ports)
    assert "Sleep" in out.replies[-1].text  # what is picked so far
    out = await choose(engine, out, "Friends", ports)
    out = await choose(engine, out, "✅ Done", ports)
    noted = await engine.answer_text(out.state, "tired all week", given(ports))
    assert noted is not None
    assert SaveMood(2, ("sleep", "friends"), "tired all week") in noted.effects


async def test_lowest_mood_gets_care_and_an_offer_of_support(engine: FakeEngine) -> None:
    ports = FakePorts(language=Language.CY, enrolled=True)
    out = await engine.start(ConversationState(), "mood", given(ports, "cy"))
    out = await choose(engine, out, "😢", ports)
    out = await choose(engine, out, "✅ Wedi gorffen", ports)
    out = await choose(engine, out, "Hepgor", ports)
    assert SaveMood(1, (), None) in out.effects
    assert "ddrwg gen i" in out.replies[0].text
    out = await choose(engine, out, "Hoffwn, dangos i fi", ports)
    assert out.state.current is not None and out.state.current.flow == "help"


async def test_three_low_in_a_row_offers_support(engine: FakeEngine) -> None:
    ports = FakePorts(language=Language.EN, enrolled=True, streak=2)
    out = await engine.start(ConversationState(), "mood", given(ports))
    out = await choose(engine, out, "🙁", ports)
    out = await choose(engine, out, "✅ Done", ports)
    out = await choose(engine, out, "Skip", ports)
    assert "noticed things have felt tough" in out.replies[-1].text


async def test_an_interrupted_flow_resumes_at_the_same_question(engine: FakeEngine) -> None:
    ports = FakePorts(language=Language.EN, enrolled=True)
    out = await engine.start(ConversationState(), "checkin", given(ports))
    out = await choose(engine, out, "7", ports)
    asked = out.replies[-1].text
    out = await engine.start(out.state, "topic_sleep", given(ports), interrupt=True)
    out = await choose(engine, out, "Not now", ports)
    assert out.replies[-2].text.startswith("OK, let's carry on")
    assert out.replies[-1].text == asked


async def test_a_stale_button_is_refused(engine: FakeEngine) -> None:
    ports = FakePorts(language=Language.EN, enrolled=True)
    out = await engine.start(ConversationState(), "checkin", given(ports))
    old = press(out.replies[-1], "7")
    out = await choose(engine, out, "7", ports)
    assert await engine.choose(out.state, old, given(ports)) is None


async def test_delete_asks_first(engine: FakeEngine) -> None:
    ports = FakePorts(language=Language.EN)
    out = await engine.start(ConversationState(), "delete", given(ports))
    kept = await choose(engine, out, "No, keep it", ports)
    assert not kept.effects
    erased = await choose(engine, out, "Yes, erase it all", ports)
    assert EraseMyData() in erased.effects
