"""Kinds of wording the detector used to miss (issue 8, recall work), English and Welsh.

Each kind is a situation rule in ``nlu/safeguarding/data/situations_recall.yml``; these run the
rules alone (no model), so they hold whatever the model learns. Every kind has look-alikes that
must stay below medium. Look-alikes that older keyword rules still raise (a pet in the bathroom,
a cliff-top photo on a trip) are not listed: this work lowers nothing. The dev set
``data/recall_dev.jsonl`` was written before the rules, but by their author, so its figure is
not an estimate for unseen wording.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding import SafeguardingDetector, normalise
from nlu.safeguarding.situations import SITUATIONS, Situation

DETECTOR = SafeguardingDetector()
DEV = Path(__file__).parent / "data" / "recall_dev.jsonl"
RULES = Path(__file__).parents[3] / "nlu" / "safeguarding" / "data" / "situations_recall.yml"

# (text, lowest level it must reach, a category it must name)
DISCLOSURES: list[tuple[str, RiskLevel, Category]] = [
    # danger told as a scene, no risk word
    (
        "my sister is sat on the bridge railings and wont come down",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "hes standing on the edge of the car park roof right now",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "mae fy ffrind yn eistedd ar y rheiliau ar y bont a ddim yn ateb",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    ("dwi'n sefyll ar ochr anghywir y ffens wrth y clogwyn", RiskLevel.CRITICAL, Category.SUICIDE),
    # means and a veiled goodbye in two sentences
    (
        "i know where the key to the gun cabinet is. wont be around for the trip anyway",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "got all of mums tablets in my room. tell my brother im sorry",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "mae'r rhaff yn y garej. fydd neb yn gorfod poeni amdana i ar ol heno",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    # physical or sexual abuse framed as normal or deserved
    ("i get a slap if i answer back, mum says i deserve it", RiskLevel.HIGH, Category.ABUSE),
    ("dad says its normal to come in when youre in the shower", RiskLevel.HIGH, Category.ABUSE),
    (
        "dwi'n cael slap os dwi'n ateb nol, mae mam yn deud mod i'n haeddu fo",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    (
        "mae dad yn dod i mewn i'r stafell molchi pan dwi yn y gawod, mae'n deud bod o'n normal",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    # neglect and young carers
    (
        "no food in the house again and mum hasnt been home since friday",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    (
        "does dim bwyd yn y ty eto a dydy mam ddim wedi bod adre ers dydd gwener",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    (
        "i give mum her meds and do all the cooking, i keep missing school",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    (
        "fi sy'n gwneud y bwyd i gyd achos mae mam yn sal, dwi'n colli ysgol",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    # aftermath of domestic violence
    (
        "there was a hole in the kitchen door after he left and mum was crying",
        RiskLevel.HIGH,
        Category.DOMESTIC_ABUSE,
    ),
    (
        "roedd twll yn y wal ar ol iddo fo fynd a mam yn crio",
        RiskLevel.HIGH,
        Category.DOMESTIC_ABUSE,
    ),
    (
        "the electric has been off since sunday and mum wont get out of bed",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    (
        "police were round ours again last night, mum was crying",
        RiskLevel.HIGH,
        Category.DOMESTIC_ABUSE,
    ),
    (
        "mums face is all swollen this morning and he wont say what happened",
        RiskLevel.HIGH,
        Category.DOMESTIC_ABUSE,
    ),
    (
        "mae wyneb mam wedi chwyddo ar ol iddo fo ddod adre neithiwr",
        RiskLevel.HIGH,
        Category.DOMESTIC_ABUSE,
    ),
    # new slang with intent
    ("thinking about self delete every night", RiskLevel.HIGH, Category.SUICIDE),
    ("dwi'n meddwl am unalive fy hun heno", RiskLevel.CRITICAL, Category.SUICIDE),
    # grooming questions and code-switched sextortion
    ("mae'r boi ar snap yn gofyn os dwi'n home alone", RiskLevel.HIGH, Category.EXPLOITATION),
    (
        "a man on discord keeps asking what time my parents go to bed",
        RiskLevel.HIGH,
        Category.EXPLOITATION,
    ),
    (
        "mae o'n threatenio share y pics efo pawb os dwi ddim yn talu",
        RiskLevel.CRITICAL,
        Category.EXPLOITATION,
    ),
    # oblique eating, substance and running away
    (
        "dwi'n deud wrth mam mod i wedi bwyta ond dwi heb ers dyddiau",
        RiskLevel.MEDIUM,
        Category.EATING,
    ),
    ("angen cwpl o gans arna i cyn ysgol bob bore", RiskLevel.MEDIUM, Category.SUBSTANCE),
    (
        "dwi wedi pacio bag a dwi'n mynd heno, fyddan nhw ddim yn sylwi",
        RiskLevel.MEDIUM,
        Category.RUNNING_AWAY,
    ),
]

LOOK_ALIKES = [
    "my little brother climbed the railings at the park to get his ball and mum shouted",
    "we took photos from the edge of the cliff on the geography trip right now its so windy",
    "grandad keeps his shotguns locked up for clay pigeon shooting, wont be around for tea",
    "fydda i ddim o gwmpas dydd sadwrn, dan ni'n mynd i'r briodas",
    "got a slap on the wrist from miss for talking in class",
    "we got a good hiding in the football, the ref said we deserved it",
    "gawson ni grasfa yn y gem rygbi, roedden ni'n haeddu colli",
    "we ran out of bread so mum went to the shop again",
    "does dim llaeth ar ol felly es i i'r siop",
    "mum is on a work trip since monday so nan is staying with us",
    "mae dad i ffwrdd efo gwaith ers dydd llun felly mae nain yn aros efo ni",
    "the electric went off for the whole street in the storm",
    "i look after my little sister till mum gets home",
    "dwi'n gwarchod fy mrawd bach nes bod mam adre",
    "there was glass all over the floor after the shelf fell down",
    "police came round because our car was stolen",
    "mum asked if im home alone because she is running late",
    "mae mam yn gofyn os dwi adre ar ben fy hun",
    "he asked what im wearing to the prom",
    "dwi wedi pacio fy mag ar gyfer glan llyn",
    "had food poisoning and ran to the toilet straight after eating",
    "i need a coffee before school every morning",
    "i packed my bag for the residential trip",
    "the police came in for a careers talk, mum was there too",
    "mum had a bruise on her arm from netball last night",
    "unalive is the word people say on tiktok so it doesnt get censored",
    "wedi blino'n farw ar ol y gem",
    "mum hasnt been home since tuesday",
    "i dont want to self delete my account, ill just mute the group",
]


@pytest.mark.parametrize(("text", "level", "category"), DISCLOSURES)
def test_kind_is_raised(text: str, level: RiskLevel, category: Category) -> None:
    risk = DETECTOR.assess(text)
    assert risk.level >= level, (text, risk)
    assert category in risk.categories, (text, risk)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alike_stays_below_medium(text: str) -> None:
    risk = DETECTOR.assess(text)
    assert risk.level < RiskLevel.MEDIUM, (text, risk)


def _recall_rules() -> list[Situation]:
    raw = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    cues = {rule["cue"] for rule in raw["rules"]}
    return [s for s in SITUATIONS if s.cue in cues]


def test_every_new_rule_has_an_example() -> None:
    rules = _recall_rules()
    assert len(rules) >= 15
    fired = {s.cue for text, _, _ in DISCLOSURES for s in rules if s.matches(normalise(text))}
    assert {s.cue for s in rules} - fired == set()


def test_new_rules_fire_on_no_look_alike() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    quiet = [*LOOK_ALIKES, *(r["text"] for r in rows if r["level"] == "none")]
    fired = [(t, s.cue) for t in quiet for s in _recall_rules() if s.matches(normalise(t))]
    assert fired == []


def test_dev_set_concerns_reach_their_level() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    concerns = [r for r in rows if r["level"] in ("medium", "high", "critical")]
    assert len(concerns) >= 50
    missed = [
        r["text"]
        for r in concerns
        if DETECTOR.assess(r["text"]).level < RiskLevel.parse(r["level"])
    ]
    assert len(missed) <= 0.05 * len(concerns), missed
