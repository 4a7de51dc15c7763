"""Issue 8, detector side: not feeling safe, neutral text, context, spans, check band, length."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding import (
    CueSpan,
    RiskAssessment,
    RiskModel,
    SafeguardingDetector,
    normalise,
)
from nlu.safeguarding.detector import CONTEXT_CUE
from nlu.safeguarding.model import WINDOW_WORDS, windows
from nlu.safeguarding.neutral import is_neutral
from nlu.safeguarding.offsets import offset_map

RULES = SafeguardingDetector()


@pytest.fixture(scope="module")
def model_dir(safeguarding_model_dir: Path) -> Path:
    return safeguarding_model_dir  # trained once for the run (tests/conftest.py)


@pytest.fixture(scope="module")
def detector(model_dir: Path) -> SafeguardingDetector:
    return SafeguardingDetector.load(model_dir)


@pytest.mark.parametrize(
    "text",
    [
        "i don't feel safe at home",
        "im not safe",
        "i am not safe",
        "i'm scared to go home",
        "home isn't safe anymore",
        "dw i ddim yn teimlo'n ddiogel adref",
        "mae ofn arna i fynd adref",
        "dw i ddim yn ddiogel",
        "dydi hi ddim yn saff adra",
        "sai'n teimlo'n saff",
    ],
)
def test_not_feeling_safe_is_a_high_concern_in_both_languages(text: str) -> None:
    risk = RULES.assess(text)
    assert risk.level >= RiskLevel.HIGH, text
    assert Category.ABUSE in risk.categories


@pytest.mark.parametrize("text", ["i am not safe right now", "dw i ddim yn ddiogel nawr"])
def test_not_safe_right_now_is_critical(text: str) -> None:
    assert RULES.assess(text).level == RiskLevel.CRITICAL


@pytest.mark.parametrize(
    "text",
    [
        "i dont feel safe walking home in the dark",
        "im scared to go home cos of my school report lol",
        "dwi'n saff nawr, diolch",
        "i feel safe at home",
        "dwi ddim yn teimlo'n saff ar y ffordd fawr ar fy meic",
    ],
)
def test_safety_look_alikes_raise_nothing_new(text: str) -> None:
    assert RULES.assess(text).level < RiskLevel.HIGH, text


@pytest.mark.parametrize(
    "text",
    ["my friend doesnt feel safe at home", "dydy fy ffrind ddim yn teimlo'n saff adra"],
)
def test_a_friend_not_safe_at_home_is_about_someone_else(text: str) -> None:
    risk = RULES.assess(text)
    assert risk.level >= RiskLevel.HIGH and risk.about_other


@pytest.mark.parametrize(
    "text",
    [
        "i've been saving up my tablets",
        "counted them out and theres enough",
        "i looked up the quickest way to die",
        "faint o dabledi sydd angen i farw",
        "dwi di bod yn cuddio tabledi",
    ],
)
def test_gathering_or_researching_means_is_critical(text: str) -> None:
    assert RULES.assess(text).level == RiskLevel.CRITICAL


def test_counting_money_is_not_means() -> None:
    assert RULES.assess("counted the money and theres enough for pizza").level == RiskLevel.NONE


NEUTRAL = ["hi", "hello", "ok", "thanks", "ty", "no", "yes", "👍", "😊", "DEMO-Y10", "8/10",
           "helo", "diolch", "iawn", "ia", "na", "dw i'n hapus", "bore da",
           "dwi'n iawn"]  # fmt: skip


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_replies_are_neutral(detector: SafeguardingDetector, text: str) -> None:
    risk = detector.assess(text)
    assert risk.level == RiskLevel.NONE and risk.check is None, (text, risk)


# "Anything you'd like your school to know?" answered with nothing: the model read "nothing" and
# "dim byd i ddweud" as suicide at level high before these were taken as non-answers.
NON_ANSWERS = ["nothing", "Nothing.", "nothing else", "nah nothing", "n/a", "nothing to say",
               "dim byd", "dim byd arall", "dim byd i ddweud", "Dim byd, diolch"]  # fmt: skip


@pytest.mark.parametrize("text", NON_ANSWERS)
def test_saying_there_is_nothing_to_add_is_neutral(
    detector: SafeguardingDetector, text: str
) -> None:
    risk = detector.assess(text)
    assert risk.level == RiskLevel.NONE and risk.check is None, (text, risk)


@pytest.mark.parametrize(
    "text",
    [
        "i have nothing left",
        "nothing matters anymore",
        "dim byd ar ôl i fi",
        "there's nothing for me",
    ],
)
def test_hopelessness_with_nothing_in_it_is_not_taken_as_a_non_answer(text: str) -> None:
    """Only the whole-message non-answers skip the model; these still reach it."""
    assert not is_neutral(normalise(text), text)


@pytest.mark.parametrize(
    "text", ["I want to talk to someone at school", "dw i isio siarad efo rhywun yn yr ysgol"]
)
def test_asking_for_someone_at_school_is_not_a_concern(
    detector: SafeguardingDetector, text: str
) -> None:
    assert detector.assess(text).level < RiskLevel.MEDIUM


SPLIT = [
    (["he's a lot older than me"], "he's picking me up after school, don't tell anyone"),
    (["mae o lot hŷn na fi"], "mae o'n fy nôl i ar ôl ysgol, paid deud wrth neb"),
]


@pytest.mark.parametrize(("context", "text"), SPLIT)
def test_a_disclosure_split_over_two_messages_is_graded_as_one(
    detector: SafeguardingDetector, context: list[str], text: str
) -> None:
    alone = detector.assess(text)
    joint = detector.assess(text, context)
    assert joint.level >= RiskLevel.HIGH
    assert joint.level > alone.level or CONTEXT_CUE not in joint.cues
    if joint.level > alone.level:
        assert CONTEXT_CUE in joint.cues
        assert all(0 <= s.start <= s.end <= len(text) for s in joint.spans)
        assert any(s.cue == CONTEXT_CUE for s in joint.spans)


@pytest.mark.parametrize(
    ("context", "text"),
    [(["i want to kill myself"], "ok thanks"), (["dw i isio lladd fy hun"], "iawn diolch")],
)
def test_ok_thanks_after_a_disclosure_does_not_raise_it_again(
    detector: SafeguardingDetector, context: list[str], text: str
) -> None:
    risk = detector.assess(text, context)
    assert risk.level == RiskLevel.NONE
    assert CONTEXT_CUE not in risk.cues


def test_only_the_last_three_context_messages_are_read(detector: SafeguardingDetector) -> None:
    old = ["he's a lot older than me", "hi", "ok", "lol"]
    text = "he's picking me up after school, don't tell anyone"
    assert detector.assess(text, old) == detector.assess(text)


def test_the_joint_result_counts_only_when_higher_than_every_context_message() -> None:
    risk = RULES.assess("and he's picking me up after school", ["my dad hits me"])
    assert CONTEXT_CUE not in risk.cues


def test_a_disclosure_at_the_end_of_a_long_message_is_found_by_rules_and_model(
    detector: SafeguardingDetector, model_dir: Path
) -> None:
    text = "we went to the park after school and it was fine. " * 500 + "but i want to kill myself"
    assert len(text) > 20_000
    risk = detector.assess(text)
    assert risk.level >= RiskLevel.HIGH
    assert any(text[s.start : s.end].endswith("kill myself") for s in risk.spans)
    model = RiskModel.load(model_dir)
    assert model is not None
    tail = "nobody would even notice if i was gone, i just want everything to stop"
    long_text = normalise("we went to the park and played football. " * 100 + tail)
    assert len(windows(long_text)) > 1
    assert model.worst_window(long_text)[0].endswith(normalise(tail))


def test_windows_overlap_and_cover_every_word() -> None:
    words = [f"w{i}" for i in range(WINDOW_WORDS * 3)]
    parts = windows(" ".join(words))
    covered = {w for part in parts for w in part.split()}
    assert covered == set(words) and len(parts) >= 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("honestly I want to DIE", "want to DIE"),
        ("my dad hits me every night", "dad hits me"),
        ("dw i'n mynd i ladd fy hun heno", "ladd fy hun"),
        ("I w4nt t0 k1ll mys3lf", "k1ll mys3lf"),
        ("hey... k i l l myself tbh", "k i l l myself"),
    ],
)
def test_spans_point_into_the_original_text(text: str, expected: str) -> None:
    risk = RULES.assess(text)
    assert risk.is_concern and risk.spans
    assert any(expected in text[s.start : s.end] for s in risk.spans), (text, risk.spans)
    assert all(0 <= s.start < s.end <= len(text) for s in risk.spans)


def test_every_concern_has_a_span(detector: SafeguardingDetector) -> None:
    for text in ["they all ignore me on purpose and call me names", "mae dad yn fy nharo i",
                 "nobody would care if i vanished", "i cut myself last night"]:  # fmt: skip
        risk = detector.assess(text)
        if risk.is_concern:
            assert risk.spans, text


def test_offset_map_aligns_joined_letters() -> None:
    mapping = offset_map("ok so k.i.l.l myself")
    norm = mapping.norm
    start = norm.index("kil")
    assert mapping.original(start, len(norm)) == (6, 20)


def test_check_band_asks_below_a_concern_and_only_there(model_dir: Path) -> None:
    model = RiskModel.load(model_dir)
    assert model is not None
    asking = replace(model.thresholds, concern=1.01, check=0.0)
    model.thresholds = asking
    detector = SafeguardingDetector(model)
    risk = detector.assess("things at home have been weird lately")
    assert risk.level == RiskLevel.LOW and risk.check in set(Category)
    assert detector.assess("my dad hits me").check is None  # a concern: no question


def test_a_check_is_dropped_once_a_concern_is_raised() -> None:
    check = RiskAssessment(RiskLevel.LOW, (), (), check=Category.ABUSE)
    concern = RiskAssessment(RiskLevel.HIGH, (Category.ABUSE,), ("x",), spans=(CueSpan(0, 1, "x"),))
    assert check.raised_with(concern).check is None
    assert check.raised_with(check).check is Category.ABUSE
    assert check.raised_with(concern).spans == (CueSpan(0, 1, "x"),)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("i've written a goodbye letter to my mum", RiskLevel.HIGH),
        ("dwi wedi sgwennu llythyr ffarwel i mam", RiskLevel.HIGH),
        ("the letters are for when im gone", RiskLevel.CRITICAL),
        ("dwi wedi blino ar fodoli", RiskLevel.HIGH),
        ("i wear long sleeves so no one sees", RiskLevel.HIGH),
        ("dwi'n gwisgo llewys hir fel bod neb yn gweld", RiskLevel.HIGH),
    ],
)
def test_goodbyes_weariness_and_hidden_self_harm(text: str, level: RiskLevel) -> None:
    assert RULES.assess(text).level >= level, text


@pytest.mark.parametrize(
    "text",
    [
        "wrote my teacher a goodbye card for leavers",
        "i left a note for santa",
        "i wear long sleeves so no one sees my eczema",
        "i hide the marks on my desk with a sticker",
        "dwi wedi blino ar ol pel-droed",
    ],
)
def test_their_look_alikes_stay_quiet(text: str) -> None:
    assert RULES.assess(text).level < RiskLevel.MEDIUM, text
