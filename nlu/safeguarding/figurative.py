"""Figures of speech and lesson topics that the model, reading n-grams, takes for a disclosure.

"I wanted the ground to swallow me up", "i'd rather die than sing in assembly", "dwi isio i'r
llawr fy llyncu i" and "we had a PSHE lesson on self-harm" carry words the model has learnt from
real disclosures. When a message matches one of these frames the model may not raise it above
plain distress. The rules and situations are not touched: anything they find still stands, so
"i want the ground to swallow me, ive got the pills ready" is still critical by its means. The
frames are tight on purpose (an everyday complement, a lesson or talk as the subject); tested in
``tests/nlu/safeguarding/test_welsh_parity.py`` with disclosures that must not be capped.
"""

from __future__ import annotations

import re

from nlu.safeguarding.normalise import squeeze

_PARTS = (
    # the ground swallowing me: embarrassment, in both languages
    r"(?:wanted|want|wanting|wish|wished|wishing|could have|couldve|just) (?:the )?(?:ground|floor|"
    r"earth) (?:to )?(?:swallow|open up and swallow|eat) (?:me|me up|me whole)",
    r"(?:isio|eisiau|moyn|isho|dymuno|gobeithio|jyst isio|gallu) (?:i r |i |r |y )?(?:llawr|ddaear|"
    r"daear) (?:fy )?(?:llyncu|lyncu|agor a fy llyncu|agor a llyncu)(?: i| fi| mi)?",
    # rather die than an everyday chore or performance
    r"(?:rather|sooner) (?:die|be dead|drop dead) than (?:sing|dance|speak|talk|present|perform|"
    r"read|wear|do|eat|go to (?:the|that|this|a) (?:party|disco|prom|concert|match|wedding|"
    r"lesson|class|shop|shops)|sit (?:next to|by|with)|watch|listen to|play|run|swim|"
    r"tell (?:my|the) (?:teacher|class|mum|dad) (?:that|about (?:my|the) (?:crush|grade|"
    r"grades|marks|test)))",
    r"(?:well|gwell) (?:gen i|gyda fi|da fi|gennyf)<G1> (?:farw|marw|fod yn farw|fod wedi marw) "
    r"(?:na|nag) (?:canu|chanu|dawnsio|siarad|cyflwyno|perfformio|darllen|gwisgo|gwneud|neud|"
    r"bwyta|mynd i r (?:parti|disgo|cyngerdd|gem|briodas|wers|siop)|eistedd|gwylio|chwarae|"
    r"rhedeg|nofio|deud wrth|dweud wrth)",
    # the topic of a lesson, an assembly or a talk
    r"(?:lesson|lessons|assembly|talk|workshop|pshe|rse|health class|first aid|wellbeing session|"
    r"gwers|gwersi|gwasanaeth|sgwrs|gweithdy|abch|addysg rhyw|cymorth cyntaf)<G3> (?:on|about|"
    r"is about|was about|all about|covering|am|ar|yn son am|yn trafod)<G1> (?:self harm|"
    r"selfharm|suicide|overdoses?|overdosing|what to do if someone (?:overdoses|is bleeding|"
    r"takes too many)|eating disorders|grooming|consent|drugs|county lines|hunan niweidio|"
    r"hunan niwed|hunanladdiad|gorddos|gorddosio|anhwylderau bwyta|grwmio|cydsyniad|cyffuriau|"
    r"llinellau sirol|be i neud os|beth i wneud os)",
    # a parent's or grandparent's diet
    r"(?:mum|mums|mam|dad|dads|nain|taid|nan|nans|gran|grandad|grandma|mamgu|tadcu|my parents|"
    r"fy rhieni|"
    r"my stepdad|my stepmum|fy llystad|fy llysfam|fy nhad|fy mam)<G2> (?:on a diet|dieting|"
    r"on slimming world|doing slimming world|doing weight watchers|watching (?:his|her) weight|"
    r"ar ddeiet|ar ddiet|ar deiet|yn deietio|yn dietio|slimming world|weight watchers)",
    # first aid done or learnt, and a noise "as if someone were being murdered"
    r"(?:did|gave|give|giving|doing|learnt|learned|practised|practiced|neud|wnes i|nes i|"
    r"dysgu|ymarfer)<G2> (?:back blows|cpr|chest compressions|abdominal thrusts|the heimlich|"
    r"heimlich|recovery position|ergydion cefn|adfywio|safle adfer)",
    r"(?:like|as if|as though|fel|fel bod|fel tase|fel petai|fel sa) (?:someone|somebody|rhywun)"
    r" (?:was|is|were|yn)<G1> (?:murdering|killing|strangling|llofruddio|lofruddio|lladd|ladd|"
    r"tagu|dagu) (?:him|her|it|them|ei|eu)",
    r"(?:fel|fel bod|fel tase|fel petai|fel sa) rhywun yn (?:ei|eu) (?:llofruddio|lladd|tagu)",
    # the anniversary of a death: grief, plain distress
    r"(?:a year|two years|a few years|years|months|a month|blwyddyn|flwyddyn|dwy flynedd|"
    r"blynyddoedd|misoedd|mis) (?:since|ers) (?:i )?(?:my |fy )?(?:nan|nain|gran|grandad|"
    r"grandma|grandpa|taid|mamgu|tadcu|dad|mum|nhad|mam|brother|sister|mrawd|chwaer|uncle|"
    r"aunty|auntie|yncl|anti|dog|cat|ci|gath)<G1> (?:died|passed|passed away|went|left us|"
    r"fynd|farw|marw|wedi marw|di marw|adael)",
)
# Words that keep a message worrying whatever figure it holds: the model is then not capped.
_STILL_WORRYING = re.compile(
    r"(?<![a-z0-9])(?:be with (?:him|her|them)|join (?:him|her|them)|see (?:him|her|them) again|"
    r"cant go on|cant cope|cant stop|keep cutting|keep doing it|methu stopio|"
    r"dont want to be here|no point|want to die|end it|not eating|stopped "
    r"eating|make myself sick|hurt myself|bod efo (?:fo|hi|nhw)|bod gyda (?:fe|hi|nhw)|ymuno "
    r"(?:a|efo|gyda)|gweld (?:o|fo|fe|hi|nhw) eto|methu cario mlaen|dim pwynt|isio marw|moyn "
    r"marw|ddim yn bwyta|stopio bwyta|brifo fy hun)(?![a-z0-9])"
)
_GAP = re.compile(r"<G(\d+)>")
_FRAME = re.compile(
    r"(?<![a-z0-9])(?:"
    + "|".join(
        squeeze(_GAP.sub(lambda m: r"(?: [a-z0-9]+){0," + m.group(1) + "}", p)) for p in _PARTS
    )
    + r")(?![a-z0-9])"
)
_NEEDLES = tuple(
    squeeze(w)
    for w in ("swallow", "lyncu", "die", "dead", "farw", "marw", "lesson", "assembly", "talk",
              "workshop", "pshe", "rse", "health", "first aid", "wellbeing", "gwers",
              "gwasanaeth", "sgwrs", "gweithdy", "abch", "addysg", "cymorth", "since", "ers",
              "diet", "deiet", "slimming", "weight", "blows", "cpr", "compressions",
              "heimlich", "recovery", "ergydion", "adfywio", "adfer", "someone", "somebody",
              "rhywun")
)  # fmt: skip


def is_figurative(norm: str) -> bool:
    """Return True when the matching form ``norm`` holds a figure of speech or a lesson topic."""
    if not any(needle in norm for needle in _NEEDLES):
        return False
    return _FRAME.search(norm) is not None and _STILL_WORRYING.search(norm) is None
