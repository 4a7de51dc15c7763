"""Actions the staff flows name: the code for what flow data cannot say."""

from __future__ import annotations

from typing import Any

from core.i18n import catalogue
from core.thresholds import LOW_MONEY_RATING, staff_checkin_is_low
from flows import learner_actions as shared
from flows.actions import ActionCall, ActionFn, ActionResult
from flows.effects import CheckinItem, LinkStaffRole, SaveStaffCheckin, SetStopped

# Code kinds the staff bot accepts; the outcome of ``link_code`` is the kind.
STAFF_CODE_KINDS = ("staff", "dsl", "deputy_dsl", "authority")
SPICE_WELLS = ("spiritual", "physical", "intellectual", "creative", "emotional")


async def staff_is_returning(call: ActionCall) -> ActionResult:
    """Someone who already chose a language is welcomed back."""
    return ActionResult("returning" if call.ports.language else "new", [SetStopped(False)])


async def link_code(call: ActionCall) -> ActionResult:
    """Check a staff, DSL, deputy DSL or authority code and link the account to it."""
    typed = call.data.pop("code", None)
    if not typed:
        return ActionResult("skipped")
    info = await call.ports.lookup_code(str(typed))
    if info is None or info.kind not in STAFF_CODE_KINDS:
        return ActionResult("invalid")
    call.data["school_name"] = info.school_name
    school_id = None if info.kind == "authority" else info.school_id
    return ActionResult(info.kind, [LinkStaffRole(school_id, info.kind)])


async def save_staff_checkin(call: ActionCall) -> ActionResult:
    """Persist the pillar ratings and the lowest well; a low check-in offers support."""
    answers = tuple(
        CheckinItem(a["domain"], a["item_id"], int(a["value"]))
        for a in call.data.get("_answers", [])
    )
    well = call.data.get("lowest_well")
    lowest = well if well in SPICE_WELLS else None
    low = staff_checkin_is_low([a.value for a in answers])
    if any(a.domain == "financial" and a.value <= LOW_MONEY_RATING for a in answers):
        call.data["_money"] = True
    return ActionResult("low" if low else "ok", [SaveStaffCheckin(answers, lowest)])


async def well_tip(call: ActionCall) -> ActionResult:
    """A small idea for refilling the well that feels lowest."""
    well = call.data.get("lowest_well")
    if well not in SPICE_WELLS:
        return ActionResult("none")
    call.data["tip"] = catalogue().get(f"staff.well_tip_{well}", call.language)
    return ActionResult("ok")


async def staff_support_after_checkin(call: ActionCall) -> ActionResult:
    """Staff services for wellbeing (and money, when the financial pillar was low)."""
    needs = ["staff_wellbeing", "money"] if call.data.get("_money") else ["staff_wellbeing"]
    call.data["contacts"] = await call.ports.support_text(needs, call.language, call.at)
    return ActionResult("ok")


async def load_staff_data(call: ActionCall) -> ActionResult:
    """Put what is stored about the member of staff into the flow's data, for /mydata."""
    mine: dict[str, Any] = await call.ports.my_data()
    none = "–"
    role = str(mine.get("role") or "staff")
    call.data.update(
        school=mine.get("school") or none,
        role=catalogue().get(f"staff.role_{role}", call.language),
        checkins=mine.get("checkins", 0),
    )
    return ActionResult("address" if mine.get("address") else "ok")


STAFF_ACTIONS: dict[str, ActionFn] = {
    fn.__name__: fn
    for fn in (
        staff_is_returning,
        link_code,
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
}
