"""Everyday frames (recall round 4): an accident, a parent's idle threat, a lesson on a risk.

Each look-alike is paired with a true concern in the same frame, in English and Welsh, and both
go through the real detector with a trained model (the model is one of the parts that raised
these). Every message here was written for these tests, never taken from a probe.
"""

from __future__ import annotations

import pytest

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding import SafeguardingDetector, normalise
from nlu.safeguarding.everyday import discounted, is_taught
from nlu.safeguarding.model import train_model

M = RiskLevel.MEDIUM

LOOK_ALIKES = [
    # accidents and everyday cuts
    "i cut myself shaving this morning and it bled loads",
    "sliced my thumb peeling potatoes in food tech, blood all over the worktop",
    "cut my leg open playing rugby and it was bleeding for ages",
    "nes i dorri fy mys wrth goginio, roedd gwaed ym mhobman",
    "dwi wedi torri fy nghoes wrth siafio, mae'n gwaedu lot",
    "torrais fy llaw ar ddamwain ar wydr wedi torri yn y gegin",
    "i scratched my legs on brambles on the dofe walk",
    "cut my knee falling off my bike on the way to school",
    # a parent's conditional, figurative threat over a mishap
    "dad says he'll kill me if i scratch the car",
    "my mum is actually going to kill me if i fail this test",
    "nan said she'll murder me if i get mud on the carpet again",
    "mam yn mynd i fy lladd i os dwi'n hwyr",
    "bydd dad yn fy lladd i os dwi'n colli'r bws eto",
    # being taught about a risk
    "we had a police assembly on county lines today",
    "the school nurse gave us a leaflet about self harm",
    "in pshe we watched a video about grooming and online safety",
    "cawson ni wasanaeth gan yr heddlu am linellau sirol heddiw",
    "ges i daflen am hunan-niweidio gan y nyrs",
    "roedd gwers abch heddiw am gamfanteisio a chyffuriau",
]

CONCERNS = [
    # the same frames with a real concern
    "i tell everyone i cut myself shaving but i do it to my arms when im upset",
    "i cut myself on purpose last night, it wasnt an accident",
    "dwi'n dweud wrth pawb mai siafio oedd e ond dwi'n torri fy hun yn fwriadol",
    "nes i dorri fy hun eto neithiwr, dim ar ddamwain",
    "my stepdad said he'll kill me if i tell anyone what he does",
    "dad says he'll kill me if i'm late and last time he hit me with his belt",
    "mae dad wedi dweud y bydd o'n fy lladd i os dwi'n deud wrth rywun",
    "bydd fy llystad yn fy lladd i os dwi'n hwyr, mae o wedi fy nharo i o'r blaen",
    "dad says he'll kill me if he finds out im gay",
    "mae dad yn deud bydd o'n fy lladd i os bydd o'n ffeindio allan mod i'n hoyw",
    "after the county lines assembly i realised thats what im doing for the older lads",
    "we had a talk on self harm and i cant stop cutting",
    "i keep my blazer on in pe so no one can see what i did to my arms",
    "dwi'n gwisgo crys llewys hir mewn ymarfer corff rhag i neb weld y toriadau",
    # a sport or a kitchen elsewhere in the message, or a cover story someone believes, excuses
    # nothing (the frame needs the accident next to the injury)
    "i scratch my arms till they bleed, my coach thinks its from training",
    "the marks on my thighs keep getting worse, netball skirts are a nightmare",
    "i cut my legs at night. rugby was fun today",
    "dwi'n torri fy nghoesau bob nos, mae mam yn meddwl mai rygbi ydy o",
    "mae'r marciau ar fy mreichiau yn gwaethygu, dwi'n casau ymarfer corff",
    "ar ol y wers am linellau sirol dwi'n sylweddoli bod nhw'n gwneud i fi gario bagiau",
]


@pytest.fixture(scope="module")
def detector(tmp_path_factory: pytest.TempPathFactory) -> SafeguardingDetector:
    directory = tmp_path_factory.mktemp("everyday-model")
    train_model(directory)
    return SafeguardingDetector.load(directory)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_an_everyday_frame_raises_no_concern(detector: SafeguardingDetector, text: str) -> None:
    risk = detector.assess(text)
    assert risk.level < M, (text, risk)


@pytest.mark.parametrize("text", CONCERNS)
def test_a_concern_in_the_same_frame_raises(detector: SafeguardingDetector, text: str) -> None:
    assert detector.assess(text).level >= RiskLevel.HIGH, text


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_the_rules_alone_raise_no_concern_either(text: str) -> None:
    assert SafeguardingDetector().assess(text).level < M, text


def test_an_everyday_frame_leaves_other_concerns_standing(detector: SafeguardingDetector) -> None:
    # an accident does not excuse a stated intent, a lesson does not excuse a disclosure
    risk = detector.assess("i cut myself shaving my legs, also i want to die tonight")
    assert risk.level == RiskLevel.CRITICAL
    assert Category.SUICIDE in risk.categories
    risk = detector.assess("we had an assembly on county lines and my dad hits my mum every night")
    assert risk.level >= RiskLevel.HIGH
    assert Category.DOMESTIC_ABUSE in risk.categories


def test_each_frame_names_only_its_categories() -> None:
    assert discounted(normalise("i cut myself shaving")) == {Category.SELF_HARM}
    assert discounted(normalise("i cut my legs at night. rugby was fun")) == frozenset()
    assert discounted(normalise("dad will kill me if i break the telly")) == {
        Category.ABUSE,
        Category.DOMESTIC_ABUSE,
    }
    assert discounted(normalise("he'll kill me if i tell anyone")) == frozenset()
    assert is_taught(normalise("a leaflet about self harm"))
    assert not is_taught(normalise("a leaflet about self harm, thats what is happening to me"))
