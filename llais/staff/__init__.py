"""The staff bot: wellbeing check-ins, support for staff, linking safeguarding leads, and
one-tap acknowledgement of safeguarding alerts."""

from llais.staff.acknowledge import acknowledge_alert, may_acknowledge
from llais.staff.apply import ALERT_ROLES, apply_staff_effects
from llais.staff.ports import StaffPorts
from llais.staff.service import StaffService

__all__ = [
    "ALERT_ROLES",
    "StaffPorts",
    "StaffService",
    "acknowledge_alert",
    "apply_staff_effects",
    "may_acknowledge",
]
