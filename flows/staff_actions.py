"""Actions the staff flows name: the code for what flow data cannot say."""

from __future__ import annotations

from collections.abc import Iterable

from core.i18n import catalogue
from core.thresholds import LOW_MONEY_RATING, staff_checkin_is_low
from core.vocabulary import SpiceWell, StaffRole, parse_member
from flows import learner_actions as shared
from flows.actions import (
    ActionCall,
    ActionFn,
    ActionResult,
    CodeHolder,
    PersonView,
    Records,
    Signposts,
    StaffCapabilities,
    registry,
)
from flows.effects import (
    AddAlertNote,
    CheckinItem,
    LinkStaffRole,
    SaveStaffCheckin,
    SendToLearner,
    SetStopped,
)

MONEY_DOMAIN = "financial"  # the CARI pillar whose low rating adds money advice


def message_keys() -> frozenset[str]:
    """The catalogue keys these actions build at run time (checked at start-up)."""
    return frozenset(
        [f"staff.well_tip_{well.value}" for well in SpiceWell]
        + [f"staff.role_{role.value}" for role in StaffRole]
    )


async def staff_is_returning(call: ActionCall[PersonView]) -> ActionResult:
    """Someone who already chose a language is welcomed back."""
    return ActionResult("returning" if call.ports.language else "new", [SetStopped(False)])


async def link_code(call: ActionCall[CodeHolder]) -> ActionResult:
    """Check a staff role's code and link the account to it; the outcome is the role."""
    typed = call.data.pop("code", None)
    if not typed:
        return ActionResult("skipped")
    if shared.code_blocked(call):
        return ActionResult("too_many")
    info = await call.ports.lookup_code(str(typed))
    role = info.kind.staff_role if info is not None else None
    if info is None or role is None:
        return shared.refused(call)
    call.data["school_name"] = info.school_name
    school_id = None if role is StaffRole.AUTHORITY else info.school_id
    return ActionResult(role.value, [LinkStaffRole(school_id, role, code=info.code)])


async def send_to_learner(call: ActionCall[object]) -> ActionResult:
    """Send the typed message to the learner of the request or alert, through Llais."""
    text = str(call.data.pop("message", "") or "").strip()
    thread = str(call.data.get("thread") or "")
    if not text or not thread:
        return ActionResult("skipped")
    return ActionResult("ok", [SendToLearner(thread, text)])


async def add_alert_note(call: ActionCall[object]) -> ActionResult:
    """Add the typed note to the alert's chronology."""
    note = str(call.data.pop("note", "") or "").strip()
    alert_id = str(call.data.get("alert_id") or "")
    if not note or not alert_id:
        return ActionResult("skipped")
    return ActionResult("ok", [AddAlertNote(alert_id, note)])


async def save_staff_checkin(call: ActionCall[object]) -> ActionResult:
    """Persist the pillar ratings and the lowest well; a low check-in offers support."""
    answers = tuple(call.frame.answers)
    low = staff_checkin_is_low([a.value for a in answers])
    return ActionResult("low" if low else "ok", [SaveStaffCheckin(answers, _lowest_well(call))])


def _lowest_well(call: ActionCall[object]) -> SpiceWell | None:
    return parse_member(SpiceWell, call.data.get("lowest_well"))


def money_is_low(answers: Iterable[CheckinItem]) -> bool:
    """Whether the financial pillar was rated low enough to add money advice."""
    return any(a.domain == MONEY_DOMAIN and a.value <= LOW_MONEY_RATING for a in answers)


async def well_tip(call: ActionCall[object]) -> ActionResult:
    """A small idea for refilling the well that feels lowest."""
    well = _lowest_well(call)
    if well is None:
        return ActionResult("none")
    call.data["tip"] = catalogue().get(f"staff.well_tip_{well.value}", call.language)
    return ActionResult("ok")


async def staff_support_after_checkin(call: ActionCall[Signposts]) -> ActionResult:
    """Staff services for wellbeing (and money, when the financial pillar was low)."""
    money = money_is_low(call.frame.answers)
    needs = ["staff_wellbeing", "money"] if money else ["staff_wellbeing"]
    call.data["contacts"] = await call.ports.support_text(needs, call.language, call.at)
    return ActionResult("ok")


async def load_staff_data(call: ActionCall[Records]) -> ActionResult:
    """Put what is stored about the member of staff into the flow's data, for /mydata."""
    mine = await call.ports.my_data()
    none = "–"
    role = mine.role or StaffRole.STAFF
    call.data.update(
        school=mine.school or none,
        role=catalogue().get(f"staff.role_{role.value}", call.language),
        checkins=mine.checkins,
    )
    return ActionResult("address" if mine.address else "ok")


STAFF_ACTIONS: dict[str, ActionFn[StaffCapabilities]] = registry(
    staff_is_returning,
    link_code,
    send_to_learner,
    add_alert_note,
    save_staff_checkin,
    well_tip,
    staff_support_after_checkin,
    load_staff_data,
    shared.set_language,
    shared.erase_my_data,
    shared.crisis_contacts,
    shared.concern_contacts,
    shared.signpost,
    shared.wellbeing_tip,
)
