"""The staff bot: wellbeing check-ins, support for staff, linking safeguarding leads, and
one-tap acknowledgement of safeguarding alerts."""

from llais.staff.acknowledge import acknowledge_alert, may_acknowledge
from llais.staff.service import STAFF_VOCABULARY, StaffService

__all__ = ["STAFF_VOCABULARY", "StaffService", "acknowledge_alert", "may_acknowledge"]
