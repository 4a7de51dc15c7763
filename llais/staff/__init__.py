"""The staff bot: wellbeing check-ins, support for staff, linking safeguarding leads, and
one-tap acknowledgement of safeguarding alerts."""

from llais.staff.acknowledge import acknowledge_alert, may_acknowledge
from llais.staff.service import StaffService

__all__ = ["StaffService", "acknowledge_alert", "may_acknowledge"]
