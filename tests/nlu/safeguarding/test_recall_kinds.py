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
    # round 2: kinds behind probe 9's misses, in other words (never copies of probe texts)
    (
        "on my way to the pier, left my phone at home on purpose",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "if you dont send more vids by 10 tonight we post the rest online",
        RiskLevel.CRITICAL,
        Category.EXPLOITATION,
    ),
    ("i wont be here for my 16th", RiskLevel.HIGH, Category.SUICIDE),
    (
        "left a letter for dad under my pillow, i wont be needing any of it after tonight",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "dwi di sgwennu nodyn i mam, fydda i ddim yn yr ysgol fory",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "googled how many paracetamol would kill you and ive saved more than that",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "nes i chwilio faint o dabledi sydd angen i farw a ma gen i ddigon",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "stepdads got his hands round mums throat, i can hear her crying",
        RiskLevel.CRITICAL,
        Category.DOMESTIC_ABUSE,
    ),
    (
        "mae ei ddwylo fo rownd gwddf mam eto, dwi'n clywed hi'n methu anadlu",
        RiskLevel.CRITICAL,
        Category.DOMESTIC_ABUSE,
    ),
    (
        "left my keys on the table and wiped my phone, heading down to the canal now",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "dwi ar y ffordd i'r clogwyni, dwi di diffodd fy lleoliad",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "ma hi di postio hwyl fawr i bawb a ma'r snap map yn dangos hi wrth yr afon",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "he put goodbye everyone on his story and his location shows the viaduct",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    (
        "theres a rope in the garage ready, nobody goes in there",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    ("ma'r rhaff o dan fy ngwely yn barod", RiskLevel.CRITICAL, Category.SUICIDE),
    (
        "i counted out all the tablets, its way more than the dose on the box",
        RiskLevel.CRITICAL,
        Category.SUICIDE,
    ),
    ("dwi di cyfri'r tabledi i gyd, ma na ddigon", RiskLevel.CRITICAL, Category.SUICIDE),
    (
        "if i dont pay by midnight he will post the pics to everyone",
        RiskLevel.CRITICAL,
        Category.EXPLOITATION,
    ),
    (
        "os na dala i erbyn fory mae o am rannu'r lluniau i bawb",
        RiskLevel.CRITICAL,
        Category.EXPLOITATION,
    ),
    (
        "they put me on a train to cardiff with a parcel and said they know where i live",
        RiskLevel.CRITICAL,
        Category.EXPLOITATION,
    ),
    (
        "dwi'n cael tenner am fynd a pecynnau i'r parc, dwi ddim yn cael edrych",
        RiskLevel.HIGH,
        Category.EXPLOITATION,
    ),
    (
        "i get paid 40 quid to drop off packages, not allowed to open them",
        RiskLevel.HIGH,
        Category.EXPLOITATION,
    ),
    (
        "im in the car with a guy i met on snap and he says turn off my location",
        RiskLevel.CRITICAL,
        Category.EXPLOITATION,
    ),
    (
        "my sister is 14 and stays at some 25 year old guys flat every friday",
        RiskLevel.HIGH,
        Category.EXPLOITATION,
    ),
    ("dad uses the belt on us, its normal in our house", RiskLevel.HIGH, Category.ABUSE),
    (
        "mums lip was cut again and everyone is pretending nothing happened",
        RiskLevel.HIGH,
        Category.DOMESTIC_ABUSE,
    ),
    (
        "mum keeps wearing sunglasses indoors and the bedroom door is smashed",
        RiskLevel.HIGH,
        Category.DOMESTIC_ABUSE,
    ),
    (
        "aethon ni i loches ond mae dad wedi ffeindio allan lle dan ni",
        RiskLevel.HIGH,
        Category.DOMESTIC_ABUSE,
    ),
    ("they lock me in my room without dinner when im bad", RiskLevel.HIGH, Category.ABUSE),
    ("dwi'n cael fy nghloi yn fy stafell heb swper", RiskLevel.HIGH, Category.ABUSE),
    (
        "my swimming coach makes me stay after everyone leaves and rubs my back, i dont like it",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    ("dad said if i tell the nurse about the bruise hell kill me", RiskLevel.HIGH, Category.ABUSE),
    (
        "my stepmum calls me useless and says nobody wants me, every day",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    (
        "mum went off with her boyfriend on saturday and i have to mind my brother on my own",
        RiskLevel.HIGH,
        Category.ABUSE,
    ),
    ("no point revising, i wont be around for christmas anyway", RiskLevel.HIGH, Category.SUICIDE),
    ("fydda i ddim o gwmpas ar gyfer fy mhen-blwydd", RiskLevel.HIGH, Category.SUICIDE),
    ("im jealous of people who have died", RiskLevel.HIGH, Category.SUICIDE),
    (
        "what happens to your snapchat if you die, i want to know what people will see after i go",
        RiskLevel.HIGH,
        Category.SUICIDE,
    ),
    (
        "i wear long sleeves so no one can see the scars on my wrists",
        RiskLevel.HIGH,
        Category.SELF_HARM,
    ),
    (
        "dwi'n gwisgo hwdi fel bod neb yn gweld y marciau ar fy mreichiau",
        RiskLevel.HIGH,
        Category.SELF_HARM,
    ),
    ("i took the blade out of my razor last night", RiskLevel.HIGH, Category.SELF_HARM),
    ("nes i dynnu'r llafn allan o'r miniwr", RiskLevel.HIGH, Category.SELF_HARM),
    ("got bandages in my drawer for after", RiskLevel.HIGH, Category.SELF_HARM),
    ("i scratch my arm till it bleeds, it helps", RiskLevel.HIGH, Category.SELF_HARM),
    (
        "mae gan fy ffrind lwyth o doriadau ar ei braich a nath hi neud i fi addo peidio deud",
        RiskLevel.HIGH,
        Category.SELF_HARM,
    ),
    (
        "someone at the party gave me tablets and i dont know what they were",
        RiskLevel.MEDIUM,
        Category.SUBSTANCE,
    ),
    ("my brother is on the coke every weekend", RiskLevel.MEDIUM, Category.SUBSTANCE),
    ("dwi'n crynu os dwi ddim yn fepio", RiskLevel.MEDIUM, Category.SUBSTANCE),
    ("i only drink black coffee instead of lunch", RiskLevel.MEDIUM, Category.EATING),
    (
        "want to see my ribs by summer so ive skipped breakfast all week",
        RiskLevel.MEDIUM,
        Category.EATING,
    ),
    ("os dwi'n stopio bwyta falle bydd mam yn sylwi", RiskLevel.MEDIUM, Category.EATING),
    (
        "my mate hasnt eaten lunch all week and bins her sandwiches",
        RiskLevel.MEDIUM,
        Category.EATING,
    ),
    ("dwi'n esgus bod yn sal er mwyn osgoi nhw", RiskLevel.MEDIUM, Category.BULLYING),
    (
        "mae fy chwaer heb fod adre ers tair noson a dyw hi ddim yn ateb",
        RiskLevel.MEDIUM,
        Category.RUNNING_AWAY,
    ),
    ("getting the train tonight and im not coming back", RiskLevel.MEDIUM, Category.RUNNING_AWAY),
    ("ive got something in my pocket, hell see tomorrow", RiskLevel.CRITICAL, Category.HARM_OTHERS),
    (
        "mae gen i rywbeth yn fy mag i ddysgu gwers iddo fo",
        RiskLevel.CRITICAL,
        Category.HARM_OTHERS,
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
    # round 2 look-alikes
    "going for a run after tea, left my phone at home so i can switch off",
    "if you dont send your homework by 9 tonight miss will post the grades online",
    "wrote thank you notes for my teachers, wont be in school monday cos of the dentist",
    "rhoi fy hen ddillad i'r siop elusen, fydda i ddim eu hangen nhw ar ol dydd gwener",
    "googled how much caffeine it takes to stay awake, ive got enough energy drinks",
    "my little sister put her arms round mums neck again for a cwtch",
    "we counted the pills for the science lesson on dosage",
    "mae fy nghefnder heb fod adre ers tair noson, mae o ar drip preswyl",
    "walking the dog down by the river now, its so high after the rain lol",
    "mynd i nofio yn yr afon heno efo'r criw",
    "the rope swing is in the shed ready for summer",
    "if i dont send my homework by 9 tonight miss will give me a detention",
    "mum put me in a taxi to nans with a bag of presents",
    "i met a guy online in a game and we just play fortnite",
    "my brother threw a snowball at me and it hit me in the face lol",
    "mums eye was swollen this morning from hay fever",
    "mum wears sunglasses in the car because the sun is so bright",
    "im not gonna be around for the party, were on holiday in spain",
    "i wear a hoodie so nobody sees the eczema on my arms",
    "i keep plasters in my bag for after football",
    "i scratched my midge bites till they bled",
    "my coach touched my knee to check the sprain after training",
    "my brother calls me stupid all the time lol",
    "the nurse gave me tablets for my headache, no idea what they were called",
    "been vaping and coughing a lot, mum says its a cold",
    "i drink water before lunch so i dont get a headache",
    "i pretend to be ill so i dont have to do the spelling test lol",
    "ive got something in my bag for him, its a birthday present, hell see",
    "dwi'n cael fy nharo efo clustog gan fy chwaer",
    "my little sister hit me with a balloon",
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
