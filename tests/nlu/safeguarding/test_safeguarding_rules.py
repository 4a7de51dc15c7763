"""The detector's rules: every category, Welsh mutations, code-switching, third parties,
figurative speech, and the rule that nothing may lower method, plan, time or abuse."""

from __future__ import annotations

import pytest

from core.vocabulary import RiskLevel
from nlu.safeguarding import SafeguardingDetector

DETECTOR = SafeguardingDetector()
L = RiskLevel


def level_of(text: str) -> RiskLevel:
    return DETECTOR.assess(text).level


@pytest.mark.parametrize(
    ("text", "category", "minimum"),
    [
        ("i really want to kill myself", "suicide", L.HIGH),
        ("i swallowed a load of my nans tablets", "suicide", L.CRITICAL),
        ("ive been self harming every night", "self_harm", L.HIGH),
        ("my stepmum hits me with a wooden spoon", "abuse", L.HIGH),
        ("my dad punched my mum in the kitchen", "domestic_abuse", L.HIGH),
        ("he said hed share my nudes unless i send more", "exploitation", L.HIGH),
        ("they bully me on the school bus", "bullying", L.MEDIUM),
        ("been smoking weed every morning before school", "substance", L.MEDIUM),
        ("i keep making myself sick after tea", "eating", L.MEDIUM),
        ("im going to run away from home this weekend", "running_away", L.MEDIUM),
        ("im going to stab him after school", "harm_others", L.MEDIUM),
        ("dwi isio lladd fy hun", "suicide", L.HIGH),
        ("dwi wedi llyncu'r tabledi i gyd", "suicide", L.CRITICAL),
        ("dwi wedi bod yn hunan-niweidio", "self_harm", L.HIGH),
        ("mae fy nhad yn fy nghicio i", "abuse", L.HIGH),
        ("mae dad yn curo mam bob nos", "domestic_abuse", L.HIGH),
        ("mae dyn ar-lein yn gofyn am luniau noeth", "exploitation", L.HIGH),
        ("maen nhw'n fy mwlio i bob dydd", "bullying", L.MEDIUM),
        ("dwi'n meddwi bob nos", "substance", L.MEDIUM),
        ("dwi'n llwgu fy hun", "eating", L.MEDIUM),
        ("dwi'n mynd i redeg i ffwrdd o adre", "running_away", L.MEDIUM),
        ("dwi'n mynd i'w drywanu o", "harm_others", L.MEDIUM),
    ],
)
def test_each_category_in_both_languages(text: str, category: str, minimum: RiskLevel) -> None:
    result = DETECTOR.assess(text)
    assert result.level >= minimum
    assert category in result.categories
    assert result.cues and all(len(cue) <= 60 for cue in result.cues)


@pytest.mark.parametrize(
    "text",
    [
        "K1LL MYS3LF",
        "i w a n t  t o  d i e",
        "i want to diiiiiie",
        "i want to k\u200bi\u200bll myself",
        "i wаnt tо diе",  # Cyrillic а, о, е
        "ｓｕｉｃｉｄａｌ",
        "thinking about suicde",
        "kil myself",
        "kms",
        "im gonna unalive myself",
        "sewerslide",
        "i want to ctb",
        "honestly i want to dirl",
        "relapsed on sh",
    ],
)
def test_obfuscation_and_slang_still_raise(text: str) -> None:
    assert level_of(text) >= L.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "dwi isio marw",  # north
        "dw i eisiau marw",  # south
        "dwi moyn marw",
        "dwi'n meddwl am ladd fy hun",  # soft mutation
        "mae o'n fy nharo i",  # nasal mutation of taro
        "mae hi'n fy nghuro i",  # nasal mutation of curo
        "dwi'n cael fy ngham-drin",  # nasal mutation of cam-drin
        "mae fy ffrind yn cael ei cham-drin",  # aspirate after ei (her)
        "dwi ddim eisiau byw",
        "dwi'n hunan-anafu",
        "dwi isio kill myself",  # code-switching
        "mae dad yn hitio fi",
        "dwi'n cutio fy hun",
    ],
)
def test_welsh_mutations_and_code_switching(text: str) -> None:
    assert level_of(text) >= L.HIGH


@pytest.mark.parametrize(
    ("text", "minimum"),
    [
        ("my friend cuts herself", L.HIGH),
        ("my cousin says he wants to die", L.HIGH),
        ("my best friend told me her stepdad hits her", L.HIGH),
        ("mae fy ffrind yn torri ei hun", L.HIGH),
        ("mae fy chwaer yn cael ei bwlio", L.MEDIUM),
        ("my mate just took a whole box of pills", L.CRITICAL),
    ],
)
def test_concerns_about_another_young_person(text: str, minimum: RiskLevel) -> None:
    result = DETECTOR.assess(text)
    assert result.level >= minimum
    assert result.about_other


def test_own_disclosure_is_not_about_other() -> None:
    assert not DETECTOR.assess("i cut myself and my friend knows").about_other


def test_third_person_in_a_story_is_not_raised() -> None:
    assert level_of("in the book the king kills himself") < L.MEDIUM


@pytest.mark.parametrize(
    "text",
    [
        "maths is killing me",
        "im dead 💀💀",
        "i was dying of laughter in drama",
        "how do i kill a process in linux",
        "i cut my fringe",
        "can you kill the lights",
        "my mum will kill me if i miss the bus",
        "i could murder a burger",
        "that exam slayed me",
        "killed it at netball",
        "skilled",
        "shh he can hear you",
        "i need to catch the bus",
        "mae'r prawf yn fy lladd i",
        "dwi bron â marw isio bwyd",
        "dwi wedi torri fy ffôn",
        "fe gurodd y tîm nhw",
        "mae rhywun yn curo ar y drws",
        "i take tablets for migraines",
        "im starving",
    ],
)
def test_figurative_and_everyday_speech_is_not_a_concern(text: str) -> None:
    assert level_of(text) < L.MEDIUM


@pytest.mark.parametrize(
    ("text", "minimum"),
    [
        ("lol im dead serious ive taken all the paracetamol", L.CRITICAL),
        ("not joking ive got the rope ready for tonight", L.CRITICAL),
        ("this homework is killing me so im going to overdose tonight", L.CRITICAL),
        ("im not going to lie, im on the bridge", L.CRITICAL),
        ("i'm not joking he touches me", L.HIGH),
        ("lol my dad hits me", L.HIGH),
        ("jk jk my uncle raped me", L.HIGH),
        ("dwi ddim yn jocian, mae o'n fy nharo i", L.HIGH),
        ("lol dwi wedi cymryd y tabledi i gyd", L.CRITICAL),
    ],
)
def test_figurative_or_negation_never_lowers_method_plan_time_or_abuse(
    text: str, minimum: RiskLevel
) -> None:
    assert level_of(text) >= minimum


@pytest.mark.parametrize("text", ["kms lol", "kms 😂", "i want to die lmao", "dwi isio marw lol"])
def test_jokes_still_get_a_gentle_check(text: str) -> None:
    assert level_of(text) >= L.MEDIUM


def test_negated_ideation_is_lowered_only_to_a_gentle_check() -> None:
    assert level_of("i dont want to die") == L.MEDIUM
    assert level_of("i want to die") == L.HIGH


@pytest.mark.parametrize(
    "text",
    ["i feel so sad", "exams are stressing me out", "dwi'n teimlo'n drist", "dwi'n poeni lot"],
)
def test_distress_without_concern_is_low(text: str) -> None:
    assert level_of(text) == L.LOW


@pytest.mark.parametrize("text", ["hi", "what's for lunch", "mae'n braf heddiw"])
def test_nothing_of_concern_is_none(text: str) -> None:
    result = DETECTOR.assess(text)
    assert result.level == L.NONE and result.categories == () and result.cues == ()


def test_cues_never_repeat_the_message() -> None:
    text = "i have been thinking about killing myself every single day since christmas"
    assert text not in DETECTOR.assess(text).cues


@pytest.mark.parametrize(
    "text",
    [
        "i took two paracetamol for my headache",
        "had a headache so i took some pills",
        "dwi wedi cymryd tabledi ar gyfer cur pen",
        "my nan takes loads of tablets",
    ],
)
def test_ordinary_medicine_is_not_an_overdose(text: str) -> None:
    assert level_of(text) < L.MEDIUM


def test_means_and_a_friend_who_has_gone_quiet_is_critical_about_other() -> None:
    result = DETECTOR.assess("my friend took her mums pills and isnt answering her phone")
    assert result.level == L.CRITICAL
    assert result.about_other
