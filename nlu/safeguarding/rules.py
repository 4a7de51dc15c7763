"""The deterministic part of the detector: match rules, then apply negation, jokes and escalation.

Lowering is narrow on purpose: only suicidal *ideation* without any method, means, plan, time or
disclosure in the message can be lowered, and never below medium unless it is a fixed idiom
("die of embarrassment"). Nothing lowers self-harm, abuse or exploitation disclosures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding.everyday import Frames
from nlu.safeguarding.levels import NONE_ASSESSMENT, CueSpan, RiskAssessment
from nlu.safeguarding.prefilter import LiteralIndex
from nlu.safeguarding.spec import FLAG_KINDS, Rule, load_rules

RULES: tuple[Rule, ...] = tuple(load_rules())
# Only rules whose literal needles occur in a text are run on it (in their order, as before).
_INDEX = LiteralIndex([rule.pattern for rule in RULES])

# Someone other than the learner whose safety the message is about.
_REFERENT = re.compile(
    r"\b(?:friend|friends|frend|mate|mates|bestie|bf|bff|bsf|girlfriend|boyfriend|gf|sister|"
    r"brother|cousin|clasmate|girl|boy|kid|lad|frind|frindiau|chwaer|brawd|mrawd|frawd|cariad|"
    r"nghariad|gariad|cefnder|cyfnither|merch|bachgen|hogan|hogyn|plentyn)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:im|ive|me|my|myself|fy|fi|mi|dwi|rwy)\b")
_SUBJECTS = frozenset({"i", "im", "ive", "id", "dwi", "dw", "rwy", "wi", "ydw"})
_NEGATORS = frozenset(
    "not dont never no isnt wasnt wont wouldnt didnt doesnt aint nid na nad byth sai smo dydw "
    "dydy dyw dim".split()
)
_JOKE = re.compile(r"\b(?:lol|lmao|lmfao|rofl|(?:ha){2,}h?|hehe|jk|jokes|joking|bruh|xd|kmsl)\b")
_SERIOUS = re.compile(
    r"\b(?:not joking|no joke|not a joke|serious|seriously|fr|for real|deadas|o difri|"
    r"dim yn jocian|ddim yn jocian|dwi o difri)\b"
)
_BORED = re.compile(
    r"\b(?:homework|lesson|lessons|boring|bored|maths|test|exam|exams|cringe|embarasing|"
    r"gwaith cartref|gwers|diflas)\b"
)
_IDIOM_AFTER = re.compile(
    r"^ (?:of|o|from) (?:embarasment|cringe|laughing|laughter|boredom|shame|chwerthin|cywilydd|"
    r"embaras|diflastod)"
)
_TOLD_TO = re.compile(
    r"(?:told|tel|tels|teling|said|says|saying|wrtha i|dweud wrtha i)(?: me| fi| her| him)?"
    r" (?:to|i|am) $"
)
_ACCIDENT = re.compile(
    r"\b(?:by accident|accidentaly|accident|on paper|shaving|cooking|playing|football|rugby|pe|"
    r"training|fell|tripped|ar ddamwain|yn chwarae|wrth chwarae|yn ymarfer|siafio|"
    r"shafio|eillio|wrth goginio|yn coginio|disgyn|syrthio|baglu)\b"
)
_SHORT_MESSAGE = 3
_LOWERABLE_CATEGORIES = frozenset({Category.SUICIDE})
_ABUSE_CATEGORIES = frozenset({Category.ABUSE, Category.DOMESTIC_ABUSE, Category.EXPLOITATION})


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule that matched, with its level after negation/joke handling."""

    rule: Rule
    level: RiskLevel
    other: bool
    start: int = 0
    end: int = 0
    text: str = ""


def _is_other(rule: Rule, norm: str, match: re.Match[str], referent: bool) -> bool | None:
    """Return whether the hit is about someone else, or None if the rule should not count."""
    if rule.person == "self":
        return False
    if rule.person == "other_free":
        return True
    if rule.person == "other":
        return True if referent else None
    if match.group().startswith(("i ", "im ", "ive ")):
        return False
    words_before = norm[: match.start()].split()[-6:]
    previous = words_before[-1] if words_before else ""
    if _REFERENT.search(match.group()) or _REFERENT.fullmatch(previous):
        return True  # "blackmailing my friend", "ffrind fi ar y bont"
    if previous in _SUBJECTS or _FIRST_PERSON.search(match.group()):
        return False
    after = " ".join(norm[match.end() :].split()[:4])
    return bool(_REFERENT.search(" ".join(words_before)) or _REFERENT.search(after))


def _negated(norm: str, start: int) -> bool:
    words = norm[:start].split()[-3:]
    return any(w in _NEGATORS for w in words) and "dim mwy" not in " ".join(words)


def find_hits(norm: str) -> list[Hit]:
    """Return every rule hit in the matching form ``norm``, before escalation."""
    candidates = _INDEX.candidates(norm)
    if not candidates:
        return []
    referent = bool(_REFERENT.search(norm))
    hits: list[Hit] = []
    for index in sorted(candidates):
        rule = RULES[index]
        for match in rule.pattern.finditer(norm):
            other = _is_other(rule, norm, match, referent)
            if other is None:
                continue
            if rule.kind == "ideation" and _TOLD_TO.search(norm[: match.start()]):
                continue  # "they told me to kill myself" is bullying, matched elsewhere
            hits.append(Hit(rule, rule.level, other, match.start(), match.end(), match.group()))
            if rule.kind != "plan":
                break
    return hits


def _adjust(hit: Hit, norm: str, blocked: bool) -> Hit:
    """Lower a hit for negation, jokes, idioms or accidents where that is allowed."""
    rule = hit.rule
    if rule.kind == "ideation" and rule.category in _LOWERABLE_CATEGORIES and not blocked:
        if _IDIOM_AFTER.search(norm[hit.end :]):
            return _with_level(hit, RiskLevel.LOW)
        joking = _JOKE.search(norm) and not _SERIOUS.search(norm)
        if _negated(norm, hit.start) or joking or _BORED.search(norm):
            return _with_level(hit, RiskLevel.MEDIUM)
    if rule.kind == "disclosure" and rule.category is Category.SELF_HARM and not blocked:
        if _ACCIDENT.search(norm):
            return _with_level(hit, RiskLevel.LOW)
    if rule.kind == "concern":
        if _negated(norm, hit.start):
            return _with_level(hit, RiskLevel.LOW)
        if (
            rule.category is Category.HARM_OTHERS
            and _JOKE.search(norm)
            and not _SERIOUS.search(norm)
        ):
            return _with_level(hit, RiskLevel.LOW)
    return hit


def _everyday(scored: list[Hit], frames: Frames) -> list[Hit]:
    """Lower hits that an accident, an idle threat or a lesson frame makes harmless."""
    harmless = frames.harmless
    taught = frames.taught
    if not harmless and not taught:
        return scored
    return [
        _with_level(h, RiskLevel.LOW)
        if h.rule.category in harmless or any(s <= h.start and h.end <= e for s, e in taught)
        else h
        for h in scored
    ]


def _with_level(hit: Hit, level: RiskLevel) -> Hit:
    return Hit(hit.rule, level, hit.other, hit.start, hit.end, hit.text)


URGENT_FLAGS = frozenset({"means", "possession", "plan", "future", "now"})


def is_urgent(hits: list[Hit]) -> bool:
    """Return True when a hit names a method, means, plan, time or danger now."""
    return any(h.rule.kind in URGENT_FLAGS for h in hits)


def assess_rules(
    norm: str, hits: list[Hit] | None = None, frames: Frames | None = None
) -> RiskAssessment:
    """Assess the matching form ``norm`` with the rules alone (``hits`` and its everyday
    ``frames`` if already found).

    Spans are offsets into ``norm``: the detector maps them back to the original text.
    """
    hits = find_hits(norm) if hits is None else hits
    if not hits:
        return NONE_ASSESSMENT
    flags = {h.rule.kind for h in hits if h.rule.kind in FLAG_KINDS}
    plans = {h.text for h in hits if h.rule.kind == "plan"}
    scored = [h for h in hits if h.rule.kind not in FLAG_KINDS]
    blocked = bool(flags & URGENT_FLAGS) or any(
        h.rule.kind in ("critical", "disclosure") for h in scored
    )
    scored = [_adjust(h, norm, blocked) for h in scored]
    scored = _everyday(scored, frames or Frames(norm))
    if len(norm.split()) <= _SHORT_MESSAGE:
        # A bare risk word as the whole message ("suicide", "hunan-niweidio") asks for help.
        scored = [_with_level(h, RiskLevel.MEDIUM) if h.rule.kind == "topic" else h for h in scored]
    scored.extend(_escalations(scored, flags, plans, hits))
    top = max(h.level for h in scored) if scored else RiskLevel.NONE
    concern = [h for h in scored if h.level >= RiskLevel.MEDIUM]
    shown = concern or [h for h in scored if h.level == top]
    # Whose risk it is comes from what was said, not from method or time words around it.
    said = [h for h in concern if h.rule.kind not in FLAG_KINDS] or concern
    cues = [h.rule.cue for h in shown]
    if top >= RiskLevel.MEDIUM:
        cues += [f"{h.rule.kind}:{h.rule.cue}" for h in hits if h.rule.kind in FLAG_KINDS]
    categories = sorted({h.rule.category for h in shown if h.rule.category})
    spans = [CueSpan(h.start, h.end, h.rule.cue) for h in shown]
    if top >= RiskLevel.MEDIUM:
        spans += [CueSpan(h.start, h.end, f"{h.rule.kind}:{h.rule.cue}") for h in hits
                  if h.rule.kind in FLAG_KINDS]  # fmt: skip
    return RiskAssessment(
        level=top,
        categories=tuple(categories),
        cues=tuple(dict.fromkeys(cues)),
        about_other=bool(said) and all(h.other for h in said),
        spans=tuple(dict.fromkeys(spans)),
    )


def _escalations(scored: list[Hit], flags: set[str], plans: set[str], hits: list[Hit]) -> list[Hit]:
    """Return extra critical/high hits implied by combinations (method + ideation, ...)."""
    extra: list[Hit] = []
    risky = [
        h
        for h in scored
        if h.rule.category in (Category.SUICIDE, Category.SELF_HARM) and h.rule.kind != "topic"
    ]
    risky = [h for h in risky if h.level >= RiskLevel.MEDIUM]
    if risky and flags & {"means", "possession", "future", "plan"}:
        extra.extend(_with_level(h, RiskLevel.CRITICAL) for h in risky)
    if "now" in flags:
        for h in scored:
            harmful = h.rule.category is Category.SELF_HARM or h.rule.category in _ABUSE_CATEGORIES
            if harmful and h.level >= RiskLevel.HIGH:
                extra.append(_with_level(h, RiskLevel.CRITICAL))
    critical_plan = len(plans) >= 2 or ("possession" in flags and "future" in flags)
    if critical_plan or (plans and flags & {"means", "possession"}):
        plan_hits = [h for h in hits if h.rule.kind in ("plan", "possession", "means")]
        other = any(h.other for h in plan_hits)
        plan = plan_hits[0]
        extra.append(Hit(plan.rule, RiskLevel.CRITICAL, other, plan.start, plan.end, plan.text))
    if "secrecy" in flags and "contact" in flags:
        secrecy = next(h for h in hits if h.rule.kind == "secrecy")
        extra.append(_with_level(secrecy, RiskLevel.HIGH))
    return extra
