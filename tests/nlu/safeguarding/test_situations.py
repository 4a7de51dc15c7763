"""Situation detection: critical situations described without a risk keyword, English and Welsh.

Figures on the probe files (rules only; the model can only raise to medium), "recall" = the share of
critical situations reaching critical:

- ``situations_probe.jsonl`` (113 messages, 50% Welsh), written before any situation rule: the
  detector without this layer reached critical on 18/59 (31%) and high or above on 24/59 (41%;
  English 50%, Welsh 31%). With it: critical on 58/59 (98%). The rules were written against it.
- ``situations_probe2.jsonl`` (46 messages, 48% Welsh), written after the rules and not tuned to:
  first run critical on 23/24 (96%), high or above on 24/24; the one miss ("wants to meet me
  tonight") was fixed afterwards, so it is now 24/24.

False alarms: the situation layer raises none of the 76 everyday negatives. The detector as a whole
puts 3/54 and 2/22 of them at high or above, all from the keyword rules (``rules_*.yml``: "the whole
packet of crisps", "won't be here next week ... Spain", "knife and fork ... picnic", "nose" squeezed
like "noose"); this layer only raises, so it cannot lower those, and the tests check it adds none.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding import SafeguardingDetector, normalise
from nlu.safeguarding.rules import assess_rules
from nlu.safeguarding.situations import (
    CUE_PREFIX,
    SITUATIONS,
    SituationFile,
    assess_situations,
    compile_situations,
    find_situations,
)

DATA = Path(__file__).parent / "data"
RECALL_RULES = Path(__file__).parents[3] / "nlu" / "safeguarding" / "data" / "situations_recall.yml"
PARITY_RULES = RECALL_RULES.with_name("situations_parity.yml")
ROUND4_RULES = RECALL_RULES.with_name("situations_round4.yml")
PROBES = ("situations_probe.jsonl", "situations_probe2.jsonl")
DETECTOR = SafeguardingDetector()


def _rows(name: str) -> list[dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _positives(name: str) -> list[dict[str, Any]]:
    return [r for r in _rows(name) if r["level"] in ("critical", "high")]


def _negatives(name: str) -> list[dict[str, Any]]:
    return [r for r in _rows(name) if r["level"] not in ("critical", "high")]


# --- the probe files as regression tests ---------------------------------------------------------


@pytest.mark.parametrize("name", PROBES)
def test_probe_files_are_well_formed(name: str) -> None:
    rows = _rows(name)
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == {"id", "text", "lang", "level", "categories", "kind"}
        assert row["lang"] in ("en", "cy")
        RiskLevel.parse(row["level"])
    welsh = sum(r["lang"] == "cy" for r in rows)
    assert welsh / len(rows) >= 0.4


@pytest.mark.parametrize(("name", "floor"), [("situations_probe.jsonl", 0.95), (PROBES[1], 0.95)])
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_critical_situations_reach_critical(name: str, floor: float, lang: str) -> None:
    rows = [r for r in _positives(name) if r["lang"] == lang]
    missed = [r["text"] for r in rows if DETECTOR.assess(r["text"]).level < RiskLevel.CRITICAL]
    assert 1 - len(missed) / len(rows) >= floor, missed


@pytest.mark.parametrize("name", PROBES)
def test_critical_situations_reach_at_least_high(name: str) -> None:
    rows = _positives(name)
    missed = [r["text"] for r in rows if DETECTOR.assess(r["text"]).level < RiskLevel.HIGH]
    assert len(missed) / len(rows) <= 0.02, missed


@pytest.mark.parametrize("name", PROBES)
def test_categories_of_critical_situations(name: str) -> None:
    wrong = []
    for row in _positives(name):
        found = DETECTOR.assess(row["text"])
        if found.level == RiskLevel.CRITICAL and not set(row["categories"]) & set(found.categories):
            wrong.append((row["text"], found.categories))
    assert len(wrong) <= 1, wrong


@pytest.mark.parametrize("name", PROBES)
def test_situations_raise_no_everyday_message(name: str) -> None:
    rows = _negatives(name)
    raised = [r["text"] for r in rows if find_situations(normalise(r["text"]))]
    assert len(raised) / len(rows) <= 0.05, raised
    assert raised == []  # today's figure: none


@pytest.mark.parametrize("name", PROBES)
def test_situations_add_no_false_alarm_to_the_detector(name: str) -> None:
    for row in _negatives(name):
        norm = normalise(row["text"])
        assert DETECTOR.assess(row["text"]).level == assess_rules(norm).level, row["text"]


# --- one family at a time, both languages --------------------------------------------------------

CRITICAL = [
    # 1. an act in progress or just done
    ("i just took like 30 of my mums sleeping tablets", "suicide"),
    ("took a whole packet of paracetamol and half a bottle of vodka", "suicide"),
    ("ive swallowed all the pills in the cupboard", "suicide"),
    ("its bleeding and it wont stop, i cut too deep", "self_harm"),
    ("there's blood everywhere in the bathroom", "self_harm"),
    ("dwi di cymryd yr holl dabledi", "suicide"),
    ("newydd lyncu paced cyfan o paracetamol", "suicide"),
    ("cymrais i'r tabledi cysgu i gyd", "suicide"),
    ("mae o'n gwaedu a ddim yn stopio", "self_harm"),
    ("dwi di torri'n rhy ddwfn", "self_harm"),
    # 2. means in hand or prepared
    ("ive got a rope hidden under my bed ready", "suicide"),
    ("been saving my pills, counted them and 100 should do it", "suicide"),
    ("got a blade on me in my pencil case rn", "self_harm"),
    ("ma gen i 40 o dabledi", "suicide"),
    ("mae rhaff yn barod gen i yn y garej", "suicide"),
    ("ma gen i lafn yn fy mag i rwan", "self_harm"),
    # 3. a plan with a time, or a farewell
    ("tonight's gonna be my last night", "suicide"),
    ("after the exam on friday im ending it", "suicide"),
    ("when everyone's asleep im going to do it", "suicide"),
    ("i wrote letters to my mum and my sister, theyre in my drawer", "suicide"),
    ("heno fydd y noson ola", "suicide"),
    ("dwi di sgwennu llythyr i mam rhag ofn", "suicide"),
    ("pan ma pawb yn cysgu heno dwi'n gorffen y cwbl", "suicide"),
    # 4. danger at home right now
    ("i can hear him hitting her downstairs, im hiding in my room", "domestic_abuse"),
    ("hes coming upstairs with his belt again", "abuse"),
    ("mae dad yn taro mam lawr staer rwan", "domestic_abuse"),
    ("mae o'n dod fyny grisiau efo'i felt", "abuse"),
    ("ma llystad yn bygwth lladd mam ar hyn o bryd", "domestic_abuse"),
    # 5. grooming or sextortion
    ("this guy from fortnite is 24 and hes picking me up tonight", "exploitation"),
    ("a man from snap is outside my house and says he'll post the pics", "exploitation"),
    ("mae dyn o'r gêm yn dod i nôl fi heno, mae o'n 25", "exploitation"),
    ("mae o tu allan i'r tŷ a mae o'n deud bydd o'n postio'r lluniau", "exploitation"),
    # 6. someone unresponsive
    ("my friend took a load of pills and now she wont wake up", "suicide"),
    ("my brother's locked himself in the bathroom with a blade", "self_harm"),
    ("ma ffrind fi wedi cymryd tabledi a dydy hi ddim yn deffro", "suicide"),
    ("mae mrawd wedi cloi ei hun yn y stafell molchi efo llafn", "self_harm"),
    # 7. weapon plans against others
    ("im bringing a knife to school tomorrow for jake", "harm_others"),
    ("going to stab him after school tomorrow", "harm_others"),
    ("dwi'n dod â chyllell i'r ysgol fory", "harm_others"),
    ("dwi'n mynd i drywanu o ar ôl ysgol fory", "harm_others"),
    ("took my whole prescription", "suicide"),
    ("dwi di yfed cannydd", "suicide"),
    ("dwi di cymryd nhw i gyd", "suicide"),
    ("my friend texted goodbye and isnt answering", "suicide"),
    ("mae ffrind fi wedi cymryd rhywbeth a dydy o ddim yn ateb", "suicide"),
    # code-switching
    ("dwi di cymryd all the pills", "suicide"),
    ("just took yr holl dabledi", "suicide"),
    ("heno is gonna be my noson ola", "suicide"),
    ("my dad is taro mam lawr staer right now", "domestic_abuse"),
    ("this guy from snap sy'n 25 is picking me up heno", "exploitation"),
]

EVERYDAY = [
    "took two paracetamol for my headache",
    "my brother took all the biscuits",
    "cut my fringe too short",
    "the film is tonight",
    "my dad's coming upstairs to say goodnight",
    "meeting my mates from the game tonight",
    "i hit my brother with a pillow",
    "we used a knife in food tech",
    "my friend's asleep on the sofa",
    "she's beating me at mario kart right now",
    "im gonna end it with my boyfriend tonight",
    "we're going to finish it tonight, the netflix series",
    "i'm writing letters to my friends for when i move to cardiff",
    "my nan keeps her tablets hidden in the cupboard",
    "cymrais i ddau paracetamol am gur pen",
    "torrais fy ngwallt yn rhy fyr",
    "mae dad yn dod fyny i ddeud nos da",
    "dwi'n cyfarfod ffrindiau o'r gêm heno",
    "heno ydi'r noson ola o'r gwyliau",
    "mae mam yn curo ar y drws rwan",
    "mae hi'n bwrw glaw rwan",
    "mae nain yn cadw ei thabledi mewn bocs o dan y sinc",
    "dwi'n mynd a cyllell fara i'r picnic",
    "dwi'n mynd i drywanu'r balŵn efo pin fory yn y parti",
    "mae'r ffilm yn llawn gwaed ym mhobman",
    "dwi di cymryd nhw i gyd fel ddeudodd y doctor",
    "my friend took the bus and isnt answering",
    "ma ffrind fi di cymryd bws a dydy hi ddim yn ateb",
    "my friend isnt answering my texts",
]


@pytest.mark.parametrize(("text", "category"), CRITICAL)
def test_a_situation_is_critical(text: str, category: str) -> None:
    found = DETECTOR.assess(text)
    assert found.level == RiskLevel.CRITICAL
    assert category in found.categories
    assert any(c.startswith(CUE_PREFIX) for c in found.cues)


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_speech_raises_no_situation(text: str) -> None:
    assert find_situations(normalise(text)) == []


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("my friend just took 30 paracetamol", True),
        ("ma ffrind fi wedi llyncu 20 o dabledi", True),
        ("my mate passed out after taking something", True),
        ("i just took 30 paracetamol", False),
        ("dwi di llyncu'r pils i gyd", False),
    ],
)
def test_whose_situation_it_is(text: str, other: bool) -> None:
    assert assess_situations(normalise(text)).about_other is other


# --- the never-lower rule ------------------------------------------------------------------------

NEVER_LOWER = [
    "kms lol",
    "i want to die",
    "dwi isio marw",
    "my dad hits me",
    "i want to kill myself tonight, i've got the pills",
    "this homework is killing me lol",
    "took two paracetamol for my headache",
    "hi",
]


@pytest.mark.parametrize("text", NEVER_LOWER + [t for t, _ in CRITICAL] + EVERYDAY)
def test_situations_never_lower_the_keyword_rules(text: str) -> None:
    norm = normalise(text)
    assert DETECTOR.assess(text).level >= assess_rules(norm).level
    assert DETECTOR.assess(text).level >= assess_situations(norm).level


def test_a_joke_still_gets_a_gentle_check() -> None:
    assert DETECTOR.assess("kms lol").level >= RiskLevel.MEDIUM


@pytest.mark.parametrize("name", PROBES)
def test_the_layer_never_lowers_on_the_probes(name: str) -> None:
    for row in _rows(name):
        assert DETECTOR.assess(row["text"]).level >= assess_rules(normalise(row["text"])).level


# --- the rules as data ---------------------------------------------------------------------------


def test_situation_rules_are_loaded_once_and_cover_both_languages() -> None:
    cues = [s.cue for s in SITUATIONS]
    assert len(cues) >= 30
    assert any(c.startswith("cy:") for c in cues)
    recall = {  # the recall kinds, rounds 1 to 4
        c["cue"]
        for path in (RECALL_RULES, PARITY_RULES, ROUND4_RULES)
        for c in yaml.safe_load(path.read_text("utf-8"))["rules"]
    }
    older = [s for s in SITUATIONS if s.cue not in recall]
    assert all(s.level >= RiskLevel.HIGH for s in older)
    # medium only where the reference page puts the category at medium (the recall kinds)
    medium = {s.category for s in SITUATIONS if s.level == RiskLevel.MEDIUM}
    assert medium <= {
        Category.EATING,
        Category.SUBSTANCE,
        Category.RUNNING_AWAY,
        Category.BULLYING,
        Category.HARM_OTHERS,  # threats and urges (arson intent, round 4)
    }
    # high only for "not safe" and fear of going home; everything else is immediate danger
    high = {s.cue for s in older if s.level == RiskLevel.HIGH}
    assert high == {
        "not safe", "not safe at home", "friend not safe at home", "afraid to go home",
        "goodbye letters", "tired of existing", "hiding self-harm",
    }  # fmt: skip


def test_an_unknown_macro_is_rejected() -> None:
    bad = SituationFile.model_validate(
        {"rules": [{"cue": "x", "category": "suicide", "all_of": ["{NOPE} pills"]}]}
    )
    with pytest.raises(KeyError):
        compile_situations([bad])


def test_a_rule_needs_a_known_category() -> None:
    with pytest.raises(ValueError):
        SituationFile.model_validate({"rules": [{"cue": "x", "category": "x", "all_of": ["a"]}]})


def test_situations_are_fast() -> None:
    texts = [t for t, _ in CRITICAL] + EVERYDAY
    norms = [normalise(t) for t in texts] * 20
    started = time.process_time()  # CPU time: a busy machine must not fail this
    for norm in norms:
        assess_situations(norm)
    assert (time.process_time() - started) / len(norms) < 0.001


@pytest.mark.parametrize(
    "text", ["my nose is bleeding and it wont stop", "took the whole packet of crisps lol"]
)
def test_everyday_look_alikes_of_means_are_not_concerns(text: str) -> None:
    assert SafeguardingDetector().assess(text).level < RiskLevel.MEDIUM


@pytest.mark.parametrize(
    "text", ["the noose is in my wardrobe", "n00se is ready", "ive took the whole packet"]
)
def test_squeezing_letters_keeps_a_noose_a_noose(text: str) -> None:
    assert SafeguardingDetector().assess(text).level == RiskLevel.CRITICAL
