"""Round 3 of the recall work (issue 8): Welsh parity, critical scenes and look-alikes.

Welsh disclosures in north and south forms, texting forms and code-switching reach the level
of their English counterparts on the rules alone (``situations_parity.yml``, the spoken forms in
``welsh.py`` and the rules files); danger told as a scene is critical in both languages; and
look-alikes (a cat's scratch, a kitchen knife, a trip to the bridge with friends, a lesson on
self-harm) stay below medium. Figures of speech are checked against the trained model, which is
the part that raised them. Every message here was written for these tests, never from a probe.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding import SafeguardingDetector, normalise
from nlu.safeguarding.figurative import is_figurative
from nlu.safeguarding.model import train_model
from nlu.safeguarding.normalise import model_form
from nlu.safeguarding.situations import SITUATIONS

RULES = SafeguardingDetector()
PARITY = Path(__file__).parents[3] / "nlu" / "safeguarding" / "data" / "situations_parity.yml"
C, H, M = RiskLevel.CRITICAL, RiskLevel.HIGH, RiskLevel.MEDIUM
S, SH, A, D = Category.SUICIDE, Category.SELF_HARM, Category.ABUSE, Category.DOMESTIC_ABUSE


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("dwisho marw", "dwi isio marw"),  # run-together, then the north form
        ("wi'n mynd i ladd 'yn hunan", "wi yn mynd i lad fy hunan"),
        ("torri'n hunan", "tori fy hunan"),
        ("ma ofn arna i fynd sha thre", "ma ofn arna i fynd adre"),
        ("dio'm yn saff", "dio dim yn saf"),
        ("sai di byta ers dyddie", "sai di bwyta ers dydiau"),
        ("ma wncwl yn twtsiad fi", "ma yncl yn cyfwrd fi"),
        ("fydde neb yn becso", "fyde neb yn poeni"),
        ("wnaeth e 'y nghicio i", "wnaeth e fy nghicio i"),
        ("wi'n cal 'y mreichie", "wi yn cael fy mreichiau"),
        ("y mab a'r ferch", "y mab a r ferch"),  # the article before a radical is kept
    ],
)
def test_spoken_welsh_reads_as_the_standard_form(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_the_model_reads_the_form_it_was_trained_on() -> None:
    assert model_form("ma wncwl yn twtsiad fi") == "ma wncwl yn twtsiad fi"
    assert model_form("I want to DIE") == normalise("I want to DIE") == "i want to die"


# (text, lowest level on the rules alone, a category it must name)
DISCLOSURES: list[tuple[str, RiskLevel, Category]] = [
    # ideation, north and south, texting forms
    ("sai moyn byw rhagor", H, S),
    ("smo fi moyn byw dim mwy", H, S),
    ("dwisho marw", H, S),
    ("wi'n mynd i ladd 'yn hunan", H, S),
    ("sa'n well gen i fod wedi marw", H, S),
    ("fydde neb yn becso se fi'n marw", H, S),
    ("wi'n meddwl am unalivio'n hunan", H, S),
    ("heno fydd y nosweth ola", C, S),
    # self-harm, code-switched
    ("wi wedi bod yn torri'n hunan 'to", H, SH),
    ("wedi relapsio efo'r blade", H, SH),
    ("i relapsed last night, 40 days clean gone", H, SH),
    ("nes i relapsio neithiwr", H, SH),
    ("i think i relapsed again", H, SH),
    ("fi'n cutio", H, SH),
    ("wi'n brifo'n hunan", H, SH),
    ("fi'n crafu 'y nghroen nes bod e'n gwaedu", H, SH),
    # abuse and domestic abuse in south forms
    ("wnaeth e 'y nghicio i", H, A),
    ("dio'm yn saff adra", H, A),
    ("smo fe'n saff gartre", H, A),
    ("ma ofn arna i fynd sha thre", H, A),
    ("ma wncwl yn twtsiad fi", H, A),
    ("mae o isio nudes", H, Category.EXPLOITATION),
    ("ma nhw'n galw enwe arna i", M, Category.BULLYING),
    ("wi'n smoco weed bob dydd", M, Category.SUBSTANCE),
    ("dwi'm di byta ers dyddia", M, Category.EATING),
    ("sai wedi byta ers tridie", M, Category.EATING),
    ("wi'n neud yn hunan yn sal ar ol byta", M, Category.EATING),
    ("wi moyn bwrw fe", M, Category.HARM_OTHERS),
    # danger now told as a scene
    ("down by the railway line, train due in 10 mins, sorry everyone", C, S),
    ("wrth y rheilffordd, tren mewn deg munud, sori pawb", C, S),
    ("sat by the river, its deep here. dont look for me", C, S),
    ("eistedd wrth yr afon, mae'n ddwfn fan hyn. peidiwch chwilio amdana i", C, S),
    ("on the bridge. cant do this anymore", C, S),
    ("ar y bont. ffaelu neud hyn rhagor", C, S),
    ("at the quarry now. bye", C, S),
    ("wrth y clogwyni heno, hwyl fawr", C, S),
    # means at hand with a time, or with everyone asleep
    ("ive got the pills in front of me and everyone is asleep", C, S),
    ("ma'r tabledi o 'mlaen i a ma pawb yn cysgu", C, S),
    ("knife in my hand, nobody is home till 9", C, S),
    ("cyllell yn fy llaw, neb adre tan 9", C, S),
    # an act in progress
    ("ive started taking them one by one", C, S),
    ("dwi wedi dechrau eu cymryd nhw fesul un", C, S),
    ("drinking and swallowing them now", C, S),
    ("yfed a llyncu nhw nawr", C, S),
    ("halfway through the packet of paracetamol", C, S),
    # goodbyes, things given away and a time
    ("given away all my stuff, saying bye tomorrow", C, S),
    ("wedi rhoi fy mhethau i gyd i ffwrdd, deud hwyl fory", C, S),
    ("left my phone and a note on the bed, going to the quarry", C, S),
    ("gadael fy ffon a nodyn ar y gwely, mynd i'r chwarel", C, S),
    # danger at home now
    ("hes outside my bedroom door shouting hes going to kill me", C, A),
    ("mae o tu allan i nrws i'n gweiddi bod o'n mynd i'n lladd i", C, A),
    ("he's got mum against the wall right now", C, D),
    ("ma fe wedi dal mam yn erbyn y wal nawr", C, D),
    # kinds behind probe 10's misses, in new wording
    ("going to walk into the sea tonight and not come back", C, S),
    ("dwi am gerdded i mewn i'r môr heno", C, S),
    ("the dog lead is tied round the banister", C, S),
    ("ma tennyn y ci wedi ei glymu i'r canllaw", C, S),
    ("the tablets are packed in my bag for friday, its decided", C, S),
    ("ma'r tabledi yn fy mag yn barod ar gyfer nos wener", C, S),
    ("theres a drunk man kicking our door and were scared", C, D),
    ("ma dyn meddw yn cicio'r drws a ma ofn arnon ni", C, D),
    ("dads got a knife and me and my brother are hiding upstairs", C, D),
    ("ma gan dad gyllell a dwi a mrawd yn cuddio", C, D),
    ("he pushed mum down the stairs and shes not moving", C, D),
    ("nath o wthio mam lawr y grisia a dydy hi ddim yn symud", C, D),
    ("dwi'n eistedd ar bont yr A55", C, S),
    ("nes i glymu'r tennyn i'r canllaw neithiwr", C, S),
    ("i tied my dressing gown cord to the banister", C, S),
    ("dwi'n eistedd ar ochr y bont rwan", C, S),
    ("sitting on the side of the bridge right now", C, S),
    ("wedi gneud y penderfyniad, ma'r tabledi yn y bag ar gyfer dydd sadwrn", C, S),
    ("ma fe 'da cyllell a ni'n cwato yn y llofft", C, D),
    ("i chew gum instead of lunch every day", M, Category.EATING),
    ("dwi'n cnoi gwm yn lle cinio bob dydd", M, Category.EATING),
    ("my app keeps me under 500 calories a day", M, Category.EATING),
    ("dwi'n cadw o dan 500 calori y dydd", M, Category.EATING),
    ("only eat an apple at night so i stay small", M, Category.EATING),
    ("dim ond afal gyda'r nos er mwyn i fi aros yn fach", M, Category.EATING),
    ("is it bad to make yourself sick after dinner", M, Category.EATING),
    ("ydi o'n ddrwg gwneud dy hun yn sal ar ol swper", M, Category.EATING),
    # a Welsh overdose said of a person, as in English
    ("dwi newydd gymryd gorddos", C, S),
    ("mae hi di cymryd gorddos", C, S),
]

LOOK_ALIKES = [
    # everyday scenes at the same places
    "going to the bridge with my mates tonight to watch the fireworks",
    "mynd i'r bont efo'r criw heno i wylio'r tan gwyllt",
    "quarry walk with the class tomorrow, need boots",
    "taith gerdded i'r chwarel efo'r dosbarth fory",
    "at the top of the multi storey, cant find the car lol",
    "sat by the river with my nan feeding the ducks",
    "at the beach now, bye for now!",
    "wrth yr afon efo'r ci rwan, hwyl am y tro",
    # things given away, notes and knives in everyday use
    "gave my old xbox to my cousin cos i got a ps5",
    "giving away my old clothes to charity tomorrow",
    "rhoi fy hen xbox i nghefnder achos ges i ps5",
    "knife in my hand chopping onions for tea",
    "cyllell yn fy llaw yn torri nionod i swper",
    "taking my antibiotics now like the doctor said",
    "taking the photos one by one for the yearbook",
    "halfway through the packet of biscuits lol",
    "left a note for mum on the fridge, going to the beach with sam",
    # sibling hyperbole and hugs
    "my brother is banging on my door saying hes going to kill me for eating his chocolate lol",
    "my little sister has got mum against the wall for a cwtch right now",
    # animals and lessons
    "nath y gath frathu 'y mraich i",
    "mae'r gath yn crafu fy mraich",
    "gwers ABCh am hunan-niweidio heddi",
    "dan ni'n neud cwrs cymorth cyntaf, dysgu be i neud os ma rhywun di cymryd gorddos",
    "relapsio ar y siocled eto lol",
    "my nan relapsed with her cancer",
    # look-alikes of the probe 10 kinds
    "going into the sea tonight with the surf club",
    "mynd i'r môr heno efo'r criw i nofio",
    "tied the christmas lights round the banister",
    "tablets packed in my bag for the residential on friday",
    "drunk lads kicking a football against the door lol",
    "dad had a knife carving the chicken while we hid the presents",
    "the washing basket fell down the stairs and mum slipped, shes fine",
    "i chew gum instead of eating sweets",
    "keeping under 500 words for the essay",
    "the puppy eats a little so it stays small",
    "eistedd ar ochr y bont yn pysgota efo taid",
    "ni'n cwato anrhegion nadolig rhag y plant",
    # spoken Welsh look-alikes
    "wi'n becso am yr arholiadau",
    "ma fe'n bwrw glaw",
    "wi'n byta pizza nawr",
    "ma mam mor strict, sdim ffôn ar ôl naw",
]


@pytest.mark.parametrize(("text", "level", "category"), DISCLOSURES)
def test_disclosure_reaches_its_level_on_the_rules(
    text: str, level: RiskLevel, category: Category
) -> None:
    risk = RULES.assess(text)
    assert risk.level >= level, (text, risk)
    assert category in risk.categories, (text, risk)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alike_stays_below_medium_on_the_rules(text: str) -> None:
    risk = RULES.assess(text)
    assert risk.level < RiskLevel.MEDIUM, (text, risk)


def _parity_rules() -> set[str]:
    raw = yaml.safe_load(PARITY.read_text(encoding="utf-8"))
    return {rule["cue"] for rule in raw["rules"]}


def test_every_parity_rule_has_an_example_and_fires_on_no_look_alike() -> None:
    cues = _parity_rules()
    rules = [s for s in SITUATIONS if s.cue in cues]
    assert len(rules) == len(cues) >= 10
    fired = {s.cue for text, _, _ in DISCLOSURES for s in rules if s.matches(normalise(text))}
    assert cues - fired == set()
    quiet = [(t, s.cue) for t in LOOK_ALIKES for s in rules if s.matches(normalise(t))]
    assert quiet == []


@pytest.mark.parametrize(
    "text",
    [
        "i wanted the ground to swallow me up when i tripped on stage",
        "dwi isio i'r llawr fy llyncu i",
        "wi moyn i'r llawr lyncu fi",
        "id rather die than sing in front of everyone",
        "sa'n well gen i farw na chanu o flaen pawb",
        "we had a pshe lesson about self harm today, it was interesting",
        "gwers ABCh am hunan-niweidio heddi, oedd e'n ddiddorol",
        "ma dad ar ddeiet ac yn pwyso ei hun bob bore",
        "dads on a diet and weighs himself every morning",
        "ma hi'n flwyddyn ers i nain fynd a does neb yn sôn amdani hi",
        "we did cpr on the dummies in first aid",
        "the cat was yowling like someone was murdering it",
        "ma'r gath yn gwneud swn fel bod rhywun yn ei lladd hi",
    ],
)
def test_figures_of_speech_are_recognised(text: str) -> None:
    assert is_figurative(normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        "id rather die than go home tonight",
        "its a year since dad died and i want to be with him",
        "mae'n flwyddyn ers i mam farw a dwi isio bod efo hi",
        "we had a lesson on self harm and i want to hurt myself again",
        "my friend is on a diet and has stopped eating",
    ],
)
def test_a_worrying_message_is_not_a_figure_of_speech(text: str) -> None:
    assert not is_figurative(normalise(text))


@pytest.fixture(scope="module")
def detector(tmp_path_factory: pytest.TempPathFactory) -> SafeguardingDetector:
    directory = tmp_path_factory.mktemp("parity-model")
    train_model(directory)
    return SafeguardingDetector.load(directory)


def test_the_model_does_not_raise_a_figure_of_speech(detector: SafeguardingDetector) -> None:
    for text in (
        "dwi isio i'r llawr fy llyncu i",
        "id rather die than sing in front of everyone",
        "sa'n well gen i farw na chanu o flaen pawb",
    ):
        assert detector.assess(text).level < RiskLevel.MEDIUM, text
    # the rules still stand beside a figure of speech
    risk = detector.assess("want the ground to swallow me up, ive got the pills ready for tonight")
    assert risk.level == RiskLevel.CRITICAL


@pytest.mark.parametrize(
    "text",
    [
        "mae fy llystad wedi fy nharo i",
        "mae o wedi fy nharo i o'r blaen",
        "mae dad di fy nharo i",
        "mae fy llystad wedi fy nghuro i neithiwr",
    ],
)
def test_a_hit_told_in_the_perfect_is_a_disclosure_by_rule(text: str) -> None:
    # "wedi fy nharo" (has hit me) had no rule; only the model caught it, and a retrained
    # model need not (2026-12-02)
    risk = SafeguardingDetector().assess(text)
    assert risk.level >= RiskLevel.HIGH and Category.ABUSE in risk.categories, text


@pytest.mark.parametrize(
    "text",
    ["mae o wedi fy nharo i efo pel eira", "mae fy mrawd wedi fy nghuro i ar fifa eto"],
)
def test_a_snowball_or_a_game_lost_is_not_a_hit(text: str) -> None:
    assert SafeguardingDetector().assess(text).level < RiskLevel.MEDIUM, text
