"""The staff flows load on their own registry, apart from the learner's, and score check-ins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.vocabulary import Audience, CodeKind, Language, StaffRole
from flows.actions import ActionCall, CodeInfo
from flows.effects import CheckinItem, CodeRefused, LinkStaffRole, SaveStaffCheckin
from flows.learner_actions import LEARNER_ACTIONS
from flows.loader import load_flowset
from flows.staff_actions import (
    STAFF_ACTIONS,
    link_code,
    save_staff_checkin,
    staff_support_after_checkin,
)
from flows.state import Frame
from tests.flows.fakes import FakePorts

AT = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)


def test_each_bot_loads_only_its_own_flows() -> None:
    staff = load_flowset(Audience.STAFF, STAFF_ACTIONS)
    learner = load_flowset(Audience.LEARNER, LEARNER_ACTIONS)
    assert all(flow.audience == "staff" for flow in staff.flows.values())
    assert not any(flow_id.startswith("staff_") for flow_id in learner.flows)
    assert set(staff.routes.commands) >= {"start", "checkin", "help", "link", "mydata", "delete"}
    assert set(staff.routes.on_concern) == {"medium", "high", "critical"}


def _answers(*values: int) -> list[CheckinItem]:
    domains = ("mental", "physical", "social", "financial")
    return [CheckinItem(d, f"{d}_x", v) for d, v in zip(domains, values, strict=True)]


def _frame(data: dict[str, object], answers: list[CheckinItem] | None = None) -> Frame:
    return Frame(flow="staff_checkin", step="save", data=data, answers=answers or [])


@pytest.mark.parametrize(
    ("values", "outcome", "money"),
    [
        ((4, 4, 3, 5), "ok", False),
        ((3, 3, 3, 1), "low", True),  # one pillar at the bottom is enough
        ((2, 3, 2, 3), "low", False),  # mean 2.5
        ((3, 3, 3, 2), "ok", True),
    ],
)
async def test_a_check_in_is_low_when_the_mean_or_one_pillar_is_low(
    values: tuple[int, ...], outcome: str, money: bool
) -> None:
    call = ActionCall(
        frame=_frame({"lowest_well": "creative"}, _answers(*values)),
        language=Language.EN,
        at=AT,
        ports=FakePorts(),
    )
    result = await save_staff_checkin(call)
    assert result.outcome == outcome
    await staff_support_after_checkin(call)  # money advice when the financial pillar was low
    assert ("money" in call.data["contacts"]) is money
    [effect] = result.effects
    assert isinstance(effect, SaveStaffCheckin) and effect.lowest_well == "creative"


async def test_a_learner_code_does_not_link_a_staff_account() -> None:
    call = ActionCall(
        frame=_frame({"code": "demo-y9"}), language=Language.EN, at=AT, ports=FakePorts()
    )
    result = await link_code(call)
    # refused, and counted towards the attempt limit like any wrong code
    assert (result.outcome, result.effects) == ("invalid", [CodeRefused()])


class AuthorityCodePorts(FakePorts):
    """Fake ports that know one authority code (given on a school row, which is ignored)."""

    async def lookup_code(self, code: str) -> CodeInfo | None:
        return CodeInfo("AUTH", 3, "Ysgol", CodeKind.AUTHORITY, None) if code == "auth" else None


async def test_an_authority_code_links_without_a_school() -> None:
    call = ActionCall(
        frame=_frame({"code": "auth"}), language=Language.EN, at=AT, ports=AuthorityCodePorts()
    )
    result = await link_code(call)
    assert result.outcome == "authority"
    assert result.effects == [LinkStaffRole(None, StaffRole.AUTHORITY, code="AUTH")]
