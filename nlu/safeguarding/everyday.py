"""Everyday frames that make a risk word harmless: an accident, an idle threat, a lesson.

Three kinds of false alarm share one shape: a real risk word inside an everyday frame.

- an **accident**: "cut myself shaving", "nes i dorri fy mys wrth goginio" (self-harm words);
- an **idle threat** by a parent: "dad says he'll kill me if I scratch the car", "mam yn mynd i
  fy lladd i os dwi'n hwyr" (a conditional over an everyday mishap);
- being **taught** about a risk: "a police assembly on county lines", "a leaflet on self-harm".

Each frame names the categories it discounts, and each has overriding cues that keep the message
a concern ("on purpose", "tell everyone it was the cat", "if I tell anyone", "he hit me last
time", "that's what they make me do"). The detector lowers the rules' hits of those categories,
skips those situations and caps the model for them; nothing else is touched, so a means, a time
or a second disclosure in the same message still counts. Tested in
``tests/nlu/safeguarding/test_everyday_frames.py`` with look-alike and true-concern pairs.
"""

from __future__ import annotations

import re
from functools import cached_property

from core.vocabulary import Category
from nlu.safeguarding.normalise import squeeze


def _compile(*alternatives: str) -> re.Pattern[str]:
    body = "|".join(squeeze(a) for a in alternatives)
    return re.compile(r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])")


# What happened: an injury word. An accident frame holds only when an accident cue stands within a
# few words of one ("cut my leg playing rugby"); a sport, a kitchen or "at work" elsewhere in the
# message excuses nothing ("the marks on my legs are getting worse but PE is the real problem").
_INJURY = (
    r"cut|cuts|cutting|nicked|nick|nicks|sliced|slice|bled|bleed|bleeding|blood|burnt|burned|"
    r"burn|burns|bruise|bruised|bruises|bruising|scratch|scratched|scratches|grazed|graze|hurt|"
    r"injured|injury|sprained|broke|broken|snapped|"
    r"torri|dorri|nhorri|torrais|dorrais|gwaedu|waedu|gwaed|waed|llosgi|losgi|llosg|clais|"
    r"cleisiau|gleisiau|brifo|frifo|anafu|anaf|crafu|grafu"
)
_ACCIDENT_CUE = (
    r"shaving|shaved|shave|shaver|cooking|chopping|peeling|slicing|food tech|food technology|"
    r"in the kitchen|at work|on a tin|on a can|on glass|broken glass|a glass broke|"
    r"the knife slipped|knife slipped|paper cut|"
    r"bonfire|brambles|nettles|barbed wire|a fence|the fence|the oven|oven|the hob|kettle|my bike|"
    r"off my bike|the cat|our cat|the dog|our dog|climbing|camping|popty|y popty|coelcerth|mieri|"
    r"playing (?:football|rugby|hockey|netball|outside|in the garden)|"
    r"football|rugby|hockey|netball|pe|training|at the match|fel (?:off|of|over) (?:my|the|a)|"
    r"tripped|slipped|by accident|accidentally|accidently|"
    r"siafio|shafio|eillio|coginio|goginio|nghoginio|technoleg bwyd|yn y gegin|torri llysiau|"
    r"torri nionod|torri winwns|plicio|yn chwarae|wrth chwarae|wrth ymarfer|ar ddamwain|disgyn|"
    r"syrthio|syrthiais|baglu|llithro|llithrodd|gwydr wedi torri"
)
_NEAR = r"(?: [a-z0-9]+){0,3} "  # at most three words between
_ACCIDENT = _compile(
    r"(?:" + _INJURY + r")" + _NEAR + r"(?:" + _ACCIDENT_CUE + r")",
    r"(?:" + _ACCIDENT_CUE + r")" + _NEAR + r"(?:" + _INJURY + r")",
)
_DELIBERATE = _compile(
    r"on purpose|deliberately|deliberate|not by accident|not an accident|wasnt an accident|"
    r"wasnt by accident|not really an accident|wasnt really|to feel|feel something|feel better|"
    r"punish|deserve|make it stop|relief|release|hide it|hiding it|hide the|sleeves|hoodie|"
    r"(?:nobody|no one|noone|people|anyone|they|mum|dad) (?:can |wil |would )?(?:see|sees|notice)|"
    r"(?:tell|told|telling|say|said|saying|pretend|pretended|make out|made out|claim|claimed)"
    r"(?: [a-z]+){0,6} (?:an accident|accident|shaving|cooking|the cat|the dog|football|rugby|pe|"
    r"training|tripped)|i do it|do it to my|when im (?:upset|sad|angry|stresed)|"
    r"when i get (?:upset|sad|angry|stresed)|cant stop|"
    # a cover story someone else believes, marks that keep coming, an act done to oneself
    r"(?:mum|dad|nan|people|everyone|everybody|they|teachers|my teacher|my coach|my mum|my dad)"
    r" (?:thinks|think|thought|believes|believe|assumes|asumes|reckons) (?:its|it is|it was|"
    r"theyre|they are|they were|i)|getting worse|marks|scars|scar|relapse|relapsed|habit|"
    r"i (?:bite|bit|scratch|punch|pinch|pick at|pull at|burn|hit) my|"
    r"(?:mam|dad|nain|mam gu|pawb|nhw|athrawon) yn meddwl (?:mai|bod|fod|taw)|gwaethygu|"
    r"marciau|creithiau|craith|arfer|"
    r"yn bwrpasol|yn fwriadol|ar bwrpas|nid ar ddamwain|ddim ar ddamwain|dim ar ddamwain|"
    r"cosbi|haeddu|teimlo rhywbeth|teimlo n well|i deimlo|cuddio|llewys|hwdi|neb yn gweld|"
    r"rhag i neb|(?:neb|pobl|mam|dad) (?:yn )?(?:gweld|sylwi)|"
    r"(?:deud|dweud|esgus|smalio|honni)(?: [a-z]+){0,4} (?:mai|bod|fod)(?: [a-z]+){0,3} "
    r"(?:damwain|siafio|coginio|gath|ci|chwarae)"
)
# An idle threat: a parent's "kill me if ..." over an everyday mishap.
_IDLE_THREAT = _compile(
    r"(?:hel|shel|theyl|he wil|she wil|they wil|hed|shed|theyd|is going to|s going to|"
    r"are going to|gonna|wil|would)(?: literaly| actualy| actually| honestly)? "
    r"(?:kil|murder|end|strangle) me (?:if|when|cos|because|for)",
    r"(?:yn mynd i|mynd i|am|wnaiff|neith|bydd [a-z]+ yn|fydd [a-z]+ yn|bydd o n|bydd hi n|"
    r"fydd o n|fydd hi n|bydd e n|fydd e n) (?:fy )?(?:lad|ladd|lladd|llofruddio|lofruddio)"
    r"(?: i| fi)? (?:os|pan|am|achos)",
)
_REAL_THREAT = _compile(
    r"tel|tels|teling|told anyone|tel anyone|say anything|say a word|grass|snitch|report|police|"
    r"social services|social worker|the truth|what he does|what she does|what they do|"
    r"knife|knives|gun|blade|belt|hit|hits|hiting|hurt|hurts|beat|beats|beaten|punched|punches|"
    r"kicked|slapped|strangled|choked|broke my|bruise|bruises|last time|did it before|means it|"
    r"meant it|not joking|serious|scared|terified|frightened|afraid|hide|hiding|locked|"
    r"finds out|find out|found out|gay|bi|bisexual|trans|lesbian|queer|pregnant|girlfriend|"
    r"boyfriend|ffeindio allan|ffeindio mas|darganfod|hoyw|deurywiol|traws|lesbiad|beichiog|"
    r"deud wrth|dweud wrth|deud dim|dweud dim|heddlu|cyllell|gwregys|"
    r"taro|tharo|nharo|curo|nghuro|brifo|mrifo|cleisiau|tro diwetha|tro dwetha|o ddifri|"
    r"o difri|ofn|ofnus|cuddio|cloi"
)
# Being taught: a lesson, assembly, talk, leaflet or visit whose subject is a risk.
_TAUGHT = _compile(
    r"(?:lesson|lessons|asembly|talk|workshop|pshe|rse|health clas|wellbeing session|leaflet|"
    r"leaflets|poster|posters|video|presentation|visit|visited|came in|came into school|"
    r"gwers|gwersi|gwasanaeth|wasanaeth|sgwrs|gweithdy|abch|taflen|daflen|poster|fideo|"
    r"cyflwyniad|ymweliad)(?: [a-z]+){0,8} (?:on|about|is about|was about|all about|covering|"
    r"explaining|warning us about|warning about|am|ar|yn son am|yn trafod|i egluro|yn rhybuddio)"
    r"(?: [a-z]+){0,1} (?:self harm|selfharm|suicide|overdoses?|eating disorders|grooming|consent|"
    r"drugs|vaping|alcohol|county lines|knife crime|knives|exploitation|sexting|nudes|"
    r"online safety|domestic abuse|hunan niweidio|hunan niwed|hunanladiad|gorddos|"
    r"anhwylderau bwyta|grwmio|cydsyniad|cyfuriau|gyfuriau|alcohol|linelau sirol|llinelau sirol|"
    r"troseddau cylyll|cylyll|camfanteisio|gamfanteisio|secstio|diogelwch ar lein|"
    r"cam drin domestig)"
)
# A learner's own involvement, said next to the lesson: the lesson is then no excuse.
_OWN_INVOLVEMENT = _compile(
    r"(?:thats|that is|its|it is|this is) (?:what|wat) (?:is happening|happens|im|i am|ive|they)|"
    r"(?:happening|happens|happened) to me|same as me|like me|its me|about me|i do that|i do it|"
    r"ive been|i have been|im doing|i am doing|they make me|they made me|make me|i have to|"
    r"ive done|i did|i realised|i think im|i think i am|im scared|i cant stop|"
    r"(?:dyna|dyma) (?:be|beth) (?:sy n digwydd|dwi|sy wedi)|digwydd i fi|digwydd i mi|"
    r"fel fi|amdana i|dwi wedi bod|dwi yn gwneud|dwi n gwneud|maen nhw n gwneud i fi|"
    r"gwneud i fi|rhaid i fi|dwi n meddwl mod i|sylweddoli|methu stopio"
)
_SELF_HARM = frozenset({Category.SELF_HARM})
_THREAT = frozenset({Category.ABUSE, Category.DOMESTIC_ABUSE})


def discounted(norm: str) -> frozenset[Category]:
    """Return the categories an accident or idle-threat frame in ``norm`` makes harmless."""
    found: set[Category] = set()
    if _ACCIDENT.search(norm) and not _DELIBERATE.search(norm):
        found |= _SELF_HARM
    if _IDLE_THREAT.search(norm) and not _REAL_THREAT.search(norm):
        found |= _THREAT
    return frozenset(found)


def taught_spans(norm: str) -> tuple[tuple[int, int], ...]:
    """Return where ``norm`` names a risk as the subject of a lesson, leaflet or visit.

    Only a risk word inside one of these spans is discounted, and none at all when the learner
    ties the lesson to themselves ("that's what they make me do").
    """
    if _OWN_INVOLVEMENT.search(norm):
        return ()
    return tuple(m.span() for m in _TAUGHT.finditer(norm))


def is_taught(norm: str) -> bool:
    """Return True when ``norm`` is about being taught a risk, with no involvement of its own."""
    return bool(taught_spans(norm))


class Frames:
    """The everyday frames of one message, each worked out once and only when first asked for."""

    def __init__(self, norm: str) -> None:
        self.norm = norm

    @cached_property
    def harmless(self) -> frozenset[Category]:
        """The categories an accident or idle-threat frame makes harmless (``discounted``)."""
        return discounted(self.norm)

    @cached_property
    def taught(self) -> tuple[tuple[int, int], ...]:
        """Where a risk is the subject of a lesson, leaflet or visit (``taught_spans``)."""
        return taught_spans(self.norm)
