"""Actions the learner flows name: the code for what flow data cannot say."""

from __future__ import annotations

import uuid

from core.i18n import catalogue
from core.thresholds import LOWEST_MOOD, STREAK_TO_OFFER, checkin_is_low, mood_is_low
from core.vocabulary import (
    Category,
    CodeKind,
    RiskLevel,
    SafeNow,
    most_serious,
    parse_language,
    parse_member,
)
from flows.actions import (
    ActionCall,
    ActionFn,
    ActionResult,
    CodeHolder,
    LearnerCapabilities,
    PersonView,
    Records,
    Signposts,
    Streaks,
    registry,
)
from flows.effects import (
    AnswerSchool,
    CodeRefused,
    Effect,
    Enrol,
    EraseMyData,
    RaiseAlert,
    RequestContact,
    SaveCheckin,
    SaveMood,
    SetLanguage,
    SetStopped,
    UpdateAlert,
)
from flows.mydata import alert_messages, held_lines
from flows.state import SafetyContext
from flows.voice_actions import save_poll, set_invitations

# Needs for which crisis lines open now come first even when reached from the help menu.
SERIOUS_NEEDS = frozenset(
    {
        Category.SUICIDE,
        Category.SELF_HARM,
        Category.ABUSE,
        Category.DOMESTIC_ABUSE,
        Category.EXPLOITATION,
    }
)
CHECK_YES_CUE = "check_answer_yes"  # the learner said yes to the check question


async def is_returning(call: ActionCall[PersonView]) -> ActionResult:
    """Someone who already chose a language is welcomed back (and /start turns messages on)."""
    outcome = "returning" if call.ports.language else "new"
    return ActionResult(outcome, [SetStopped(False)])


async def set_language(call: ActionCall[object]) -> ActionResult:
    """Store the language chosen in this flow."""
    language = parse_language(call.data.get("language")) or call.language
    return ActionResult("ok", [SetLanguage(language)], language=language)


async def enrol(call: ActionCall[CodeHolder]) -> ActionResult:
    """Check the typed enrolment code and link the learner to that school and year group."""
    typed = call.data.pop("code", None)
    if not typed:
        return ActionResult("skipped")
    if code_blocked(call):
        return ActionResult("too_many")
    info = await call.ports.lookup_code(str(typed))
    if info is None or info.kind is not CodeKind.LEARNER:
        return refused(call)
    call.data["school_name"] = info.school_name
    call.data["year_group"] = info.year_group if info.year_group is not None else "?"
    return ActionResult("ok", [Enrol(info.school_id, info.year_group, info.code)])


def refused(call: ActionCall[CodeHolder]) -> ActionResult:
    """A wrong code: counted; the last one allowed says codes are refused for a while."""
    last = call.ports.code_attempts_left <= 1
    return ActionResult("too_many" if last else "invalid", [CodeRefused()])


def code_blocked(call: ActionCall[CodeHolder]) -> bool:
    call.data["minutes"] = call.ports.code_block_minutes
    return call.ports.code_attempts_left <= 0


async def check_move(call: ActionCall[CodeHolder]) -> ActionResult:
    """``/start CODE`` from an enrolled learner: which school and year the code moves them to."""
    typed = str(call.data.get("code") or "")
    if code_blocked(call):
        return ActionResult("too_many")
    info = await call.ports.lookup_code(typed)
    if info is None or info.kind is not CodeKind.LEARNER:
        call.data.pop("code", None)
        return refused(call)
    call.data["school_name"] = info.school_name
    call.data["year_group"] = info.year_group if info.year_group is not None else "?"
    same = info.school_id == call.ports.school_id and info.year_group == call.ports.year_group
    return ActionResult("same" if same else "ok")


async def move_school(call: ActionCall[CodeHolder]) -> ActionResult:
    """Move the learner to the school and year of the code they confirmed."""
    info = await call.ports.lookup_code(str(call.data.pop("code", "")))
    if info is None or info.kind is not CodeKind.LEARNER:
        return ActionResult("invalid")
    return ActionResult("ok", [Enrol(info.school_id, info.year_group, info.code)])


async def require_school(call: ActionCall[PersonView]) -> ActionResult:
    """Voice data (check-ins, moods) needs an enrolment code."""
    return ActionResult("ok" if call.ports.enrolled else "no_school")


async def save_checkin(call: ActionCall[object]) -> ActionResult:
    """Persist the check-in's answers and optional comment."""
    answers = tuple(call.frame.answers)
    comment = call.data.get("comment") or None
    call.frame.found.low = checkin_is_low([a.value for a in answers])
    return ActionResult("ok", [SaveCheckin(answers, comment)])


async def save_mood(call: ActionCall[object]) -> ActionResult:
    """Persist the mood, its reasons and note; the lowest mood gets a caring reply."""
    score = int(call.data["mood"])
    tags = tuple(call.data.get("tags") or ())
    note = call.data.get("note") or None
    call.frame.found.low = mood_is_low(score)
    return ActionResult("lowest" if score <= LOWEST_MOOD else "ok", [SaveMood(score, tags, note)])


async def check_low_streak(call: ActionCall[Streaks]) -> ActionResult:
    """Offer support gently after several low check-ins or moods in a row (not every time)."""
    if not call.frame.found.low:
        return ActionResult("ok")
    streak = await call.ports.low_streak() + 1
    return ActionResult("low" if streak % STREAK_TO_OFFER == 0 else "ok")


async def load_my_data(call: ActionCall[Records]) -> ActionResult:
    """Put what is stored about the learner into the flow's data, for /mydata."""
    mine = await call.ports.my_data()
    call.data.update(
        held=held_lines(mine, call.language),
        alerts=mine.alerts,
        alert_messages=alert_messages(mine, call.language),
    )
    call.frame.found.safeguarding_records = mine.alerts
    return ActionResult("ok")


async def has_safeguarding_records(call: ActionCall[object]) -> ActionResult:
    """Whether to mention safeguarding records that /delete does not remove."""
    return ActionResult("some" if call.frame.found.safeguarding_records else "none")


async def erase_my_data(call: ActionCall[object]) -> ActionResult:
    """Erase the learner's data."""
    return ActionResult("ok", [EraseMyData()])


async def stop_messages(call: ActionCall[object]) -> ActionResult:
    """No more messages unless the learner writes first."""
    return ActionResult("ok", [SetStopped(True)])


async def crisis_contacts(call: ActionCall[Signposts]) -> ActionResult:
    """The 24/7 contacts that are open now, in the learner's language."""
    call.data["contacts"] = call.ports.crisis_text(call.language, call.at)
    return ActionResult("ok")


async def concern_contacts(call: ActionCall[Signposts]) -> ActionResult:
    """Contacts that fit the concern's categories."""
    safety = call.frame.safety
    needs: list[str] = list(safety.categories) if safety and safety.categories else ["low_mood"]
    level = safety.level if safety else RiskLevel.MEDIUM
    call.data["contacts"] = await call.ports.support_text(
        needs, call.language, call.at, level=level
    )
    return ActionResult("ok")


async def record_safe_now(call: ActionCall[object]) -> ActionResult:
    """Add the learner's answer to "are you safe right now?" to the alert."""
    safety = call.frame.safety
    if safety is None or safety.alert_id is None:
        return ActionResult("ok")
    safety.safe_now = parse_member(SafeNow, call.data.get("safe_now"))
    return ActionResult("ok", [UpdateAlert(safety.alert_id, safe_now=safety.safe_now)])


async def record_contact_choice(call: ActionCall[PersonView]) -> ActionResult:
    """Add whether the learner wants a trusted adult to get in touch to the alert."""
    effects: list[Effect] = []
    safety = call.frame.safety
    if safety is not None and safety.alert_id is not None:
        safety.wants_contact = call.data.get("wants_contact") == "yes"
        effects.append(UpdateAlert(safety.alert_id, contact_requested=safety.wants_contact))
    return ActionResult("school" if call.ports.enrolled else "authority", effects)


async def need_known(call: ActionCall[object]) -> ActionResult:
    """Skip the topic picker when the need is already known."""
    return ActionResult("known" if call.data.get("need") else "unknown")


async def need_from_concern(call: ActionCall[object]) -> ActionResult:
    """Signpost for the most serious thing the safeguarding concern was about."""
    safety = call.frame.safety
    need = most_serious(safety.categories) if safety else None
    call.data["need"] = need.value if need else "low_mood"
    return ActionResult("ok")


async def who_is_told(call: ActionCall[PersonView]) -> ActionResult:
    """Whether the school's safeguarding lead or the council's team will be told."""
    return ActionResult("school" if call.ports.enrolled else "authority")


async def check_question(call: ActionCall[object]) -> ActionResult:
    """The one gentle check question for what a message may hint at, in the learner's words."""
    safety = call.frame.safety
    category = most_serious(safety.categories) if safety else None
    key = f"common.check_{category.value if category else 'general'}"
    call.data["question"] = catalogue().get(key, call.language)
    return ActionResult("ok")


async def escalate_check(call: ActionCall[object]) -> ActionResult:
    """A yes to the check question: raise the alert at once and answer as a high concern."""
    safety = call.frame.safety
    categories = safety.categories if safety else ()
    alert_id = str(uuid.uuid4())
    checked = str(call.data.pop("checked", "") or "")
    answer = catalogue().get("common.check_answered_yes", call.language)
    excerpt = f"{checked}\n({call.data.get('question', '')} {answer})".strip()
    level = max(RiskLevel.HIGH, safety.level if safety else RiskLevel.HIGH)
    call.frame.safety = SafetyContext(alert_id=alert_id, level=level, categories=categories)
    alert = RaiseAlert(
        alert_id=alert_id,
        level=level,
        categories=categories,
        cues=(CHECK_YES_CUE,),
        excerpt=excerpt,
    )
    return ActionResult("ok", [alert])


async def forget_checked(call: ActionCall[object]) -> ActionResult:
    """No to the check question: drop the copy of what was written."""
    call.data.pop("checked", None)
    return ActionResult("ok")


async def set_need(call: ActionCall[object]) -> ActionResult:
    """Remember the need a topic flow is about."""
    call.data["need"] = call.args["need"]
    return ActionResult("ok")


async def signpost(call: ActionCall[Signposts]) -> ActionResult:
    """Up to three best matches for the need (crisis contacts when it is urgent)."""
    need = str(call.data.get("need") or "low_mood")
    if need == "urgent":
        call.data["contacts"] = call.ports.crisis_text(call.language, call.at)
        return ActionResult("urgent")
    safety = call.frame.safety
    serious = need in SERIOUS_NEEDS or (safety is not None and safety.level.urgent)
    level = RiskLevel.HIGH if serious else RiskLevel.LOW
    if safety is not None and safety.level.urgent:
        level = max(level, safety.level)
    call.data["contacts"] = await call.ports.support_text(
        [need], call.language, call.at, level=level
    )
    # no wellbeing tip straight after a high or critical concern
    return ActionResult("serious" if level >= RiskLevel.HIGH else "ok")


async def wellbeing_tip(call: ActionCall[Signposts]) -> ActionResult:
    """One Five Ways to Wellbeing tip."""
    call.data["tip"] = call.ports.wellbeing_tip(call.language, call.at)
    return ActionResult("ok")


async def request_school_contact(call: ActionCall[PersonView]) -> ActionResult:
    """A non-urgent request for the school's wellbeing lead to get in touch, with how the
    learner wants to be found (a first name and form, or a reply here)."""
    if not call.ports.enrolled:
        return ActionResult("no_school")
    by_name = call.data.get("found_by") == "name"
    first_name = (str(call.data.pop("first_name", "") or "").strip() or None) if by_name else None
    form = (str(call.data.pop("form", "") or "").strip() or None) if by_name else None
    request = RequestContact(
        need=call.data.get("need"),
        first_name=first_name,
        form=form,
        reply_here=not (first_name or form),
    )
    return ActionResult("ok", [request])


async def answer_school(call: ActionCall[object]) -> ActionResult:
    """Pass the learner's answer on to the member of staff who wrote to them."""
    answer = str(call.data.pop("answer", "") or "").strip()
    thread = str(call.data.get("thread") or "")
    if not answer or not thread:
        return ActionResult("skipped")
    return ActionResult("ok", [AnswerSchool(thread, answer)])


LEARNER_ACTIONS: dict[str, ActionFn[LearnerCapabilities]] = registry(
    is_returning,
    set_language,
    enrol,
    check_move,
    move_school,
    require_school,
    save_checkin,
    save_mood,
    check_low_streak,
    load_my_data,
    has_safeguarding_records,
    erase_my_data,
    stop_messages,
    crisis_contacts,
    concern_contacts,
    record_safe_now,
    record_contact_choice,
    need_known,
    need_from_concern,
    who_is_told,
    check_question,
    escalate_check,
    forget_checked,
    set_need,
    signpost,
    wellbeing_tip,
    request_school_contact,
    set_invitations,
    save_poll,
    answer_school,
)
