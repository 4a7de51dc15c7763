"""Cue families (data/rules_families.yml): each family, in English and Welsh, on rules alone,
beside everyday look-alikes that must stay below a concern."""

from __future__ import annotations

import pytest

from core.vocabulary import RiskLevel
from nlu.safeguarding import SafeguardingDetector

RULES_ONLY = SafeguardingDetector()
L = RiskLevel


@pytest.mark.parametrize(
    ("text", "category", "minimum"),
    [
        ("tbh my family would manage fine if i just wasnt around", "suicide", L.HIGH),
        ("i made a note of who gets my games cos i wont need them soon", "suicide", L.HIGH),
        ("ive typed goodbye messages to send to my friends", "suicide", L.HIGH),
        ("i pray every night that i dont wake up", "suicide", L.HIGH),
        ("i honestly dont want to wake up tomorrow", "suicide", L.HIGH),
        ("is there even any point in keeping going", "suicide", L.HIGH),
        ("thinking about ending things for good", "suicide", L.HIGH),
        ("i just wanna disappear", "suicide", L.MEDIUM),
        ("im a waste of space to everyone", "suicide", L.MEDIUM),
        ("ive been stashing my nans painkillers for when im ready", "suicide", L.CRITICAL),
        ("sitting on the edge of the multi storey right now", "suicide", L.CRITICAL),
        ("i held the scissors against my thigh", "self_harm", L.HIGH),
        ("i scratch my wrists till they go raw", "self_harm", L.HIGH),
        ("i wear wristbands so my mum doesnt see the scars", "self_harm", L.MEDIUM),
        ("he sends me vapes and says its our little secret", "exploitation", L.HIGH),
        ("keeps asking me for pics in my underwear", "exploitation", L.HIGH),
        ("unless i pay him hes going to leak the photos", "exploitation", L.HIGH),
        ("they forced me to hold a bag of weed for them", "exploitation", L.HIGH),
        ("he sneaks into my room at night", "abuse", L.HIGH),
        ("i use laxatives after i eat", "eating", L.MEDIUM),
        ("walking out tonight and not coming back", "running_away", L.MEDIUM),
        ("im going to make him pay for what he said", "harm_others", L.MEDIUM),
        ("byddai mam yn ymdopi'n iawn hebdda i", "suicide", L.HIGH),
        ("dwi wedi sgwennu nodyn ffarwel", "suicide", L.HIGH),
        ("sdim pwynt dal ati", "suicide", L.HIGH),
        ("dwi isio rhoi diwedd ar bopeth", "suicide", L.HIGH),
        ("dwi jyst isio diflannu", "suicide", L.MEDIUM),
        ("sai moyn deffro fory", "suicide", L.HIGH),
        ("mae gen i lwyth o dabledi wedi'u cuddio, pan dwi'n barod", "suicide", L.CRITICAL),
        ("dwi'n sefyll ar ymyl y dibyn", "suicide", L.CRITICAL),
        ("dwi'n crafu fy mreichiau nes gwaedu", "self_harm", L.HIGH),
        ("dwi'n cuddio'r creithiau efo llewys hir", "self_harm", L.MEDIUM),
        ("mae o'n prynu dillad i fi ac yn dweud i gadw fo'n gyfrinach", "exploitation", L.HIGH),
        ("bydd o'n postio'r lluniau os na wna i dalu", "exploitation", L.HIGH),
        ("dwi mewn dyled i'r bois", "exploitation", L.HIGH),
        ("dwi heb fwyta ers dau ddiwrnod", "eating", L.MEDIUM),
        ("dwi'n gadael adre heno a byth dod yn ôl", "running_away", L.MEDIUM),
    ],
)
def test_cue_families(text: str, category: str, minimum: RiskLevel) -> None:
    result = RULES_ONLY.assess(text)
    assert result.level >= minimum, result
    assert category in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        "if im not here by five go without me",
        "i want to disappear into my bed all weekend",
        "whats the point of going on the trip if its raining",
        "i cant carry on with piano lessons",
        "we want to end things with a party",
        "im a burden on the team when i play in goal",
        "my nan keeps her tablets in a box",
        "i was standing by the railway station",
        "scratched my leg on a bramble",
        "i hide the marks on my shoes with a pen",
        "it's a secret santa present",
        "my mum wouldnt understand my music taste",
        "i owe my mate a tenner",
        "felt sick after the rollercoaster",
        "going to make them pay for the pizza",
        "i hope i dont wake up late tomorrow",
        "mae'r gath isio diflannu dan y gwely",
        "dwi'n barod am yr arholiad",
        "wnes i losgi fy mys yn coginio",
        "mae arna i bumpunt i fy chwaer",
        "dwi heb fwyta ers amser cinio",
    ],
)
def test_family_look_alikes_stay_below_a_concern(text: str) -> None:
    assert RULES_ONLY.assess(text).level < L.MEDIUM
