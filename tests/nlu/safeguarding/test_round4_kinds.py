"""Round 4 of the recall work: kinds still missed after round 3, on the rules alone.

Drink with the car keys, a drunk adult about to drive, a weapon with a time and a target
(critical), arson intent, a beating threatened at a time or place, and harm at home told as
normal, in English and Welsh, each with everyday look-alikes (``situations_round4.yml``).
Every message here was written for these tests, never taken from a probe.
"""

from __future__ import annotations

import pytest

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding import SafeguardingDetector

RULES = SafeguardingDetector()
C, H, M = RiskLevel.CRITICAL, RiskLevel.HIGH, RiskLevel.MEDIUM


@pytest.mark.parametrize(
    ("text", "level", "category"),
    [
        ("ive downed most of a bottle of gin and ive got mums car keys", C, Category.SUBSTANCE),
        ("dwi wedi yfed hanner potel o fodca a ma gen i oriadau car dad", C, Category.SUBSTANCE),
        ("had loads of cans, gonna crash the car into a tree on the bypass", C, Category.SUICIDE),
        ("wedi yfed gormod, dwi am yrru i mewn i goeden heno", C, Category.SUICIDE),
        ("dad is hammered and says hes driving us home from the party", H, Category.ABUSE),
        ("ma mam yn feddw ac mae hi'n mynd i yrru ni adre", H, Category.ABUSE),
        ("im bringing a hammer in on monday for that kid who keeps laughing at me", C,
         Category.HARM_OTHERS),
        ("taking a knife in tomorrow, hes gonna pay for what he said", C, Category.HARM_OTHERS),
        ("dwi'n dod a chyllell fory i sortio Ioan allan amser cinio", C, Category.HARM_OTHERS),
        ("been thinking about burning the sports hall down, i mean it", M, Category.HARM_OTHERS),
        ("dwi isio rhoi'r ysgol ar dan, o ddifri", M, Category.HARM_OTHERS),
        ("theyre going to batter me after school by the gates", H, Category.BULLYING),
        ("ma nhw'n mynd i fy nghuro i ar ol ysgol", H, Category.BULLYING),
        ("he grabs mum by the throat sometimes but its normal in our house", H,
         Category.DOMESTIC_ABUSE),
        ("mam had a black eye again, dad did it, its just how it is", H, Category.DOMESTIC_ABUSE),
        ("ma dad yn taro mam weithiau ond dwi di arfer", H, Category.DOMESTIC_ABUSE),
    ],
)  # fmt: skip
def test_a_missed_kind_is_raised(text: str, level: RiskLevel, category: Category) -> None:
    risk = RULES.assess(text)
    assert risk.level >= level, (text, risk)
    assert category in risk.categories, (text, risk)


@pytest.mark.parametrize(
    "text",
    [
        "my dad drank two beers and then got a taxi home",
        "mum had a glass of wine so my uncle is driving us home",
        "roedd dad wedi yfed felly aethon ni adre mewn tacsi",
        "got my car keys back after my driving lesson, had a lemonade",
        "drove into a wall in mario kart lol",
        "we cooked with a big knife in food tech tomorrow",
        "bringing my cricket bat in on monday for the match against year 9",
        "dwi'n dod a morthwyl i'r wers gwaith coed fory",
        "we learnt about the great fire of london, they burnt the whole city down",
        "dwi isio llosgi'r tost am hwyl, jocian",
        "theyre going to beat me at fifa after school again",
        "ma nhw'n mynd i fy nghuro i yn y gem pel droed fory",
        "my brother punched me in boxing training, its normal there",
        "dwi di arfer efo'r pigiad gan y deintydd",
    ],
)
def test_a_look_alike_is_not_raised(text: str) -> None:
    assert RULES.assess(text).level < M, text
