"""Safeguarding alert delivery: alerts reach the school's safeguarding leads in the staff bot.

:class:`AlertDispatcher` escalates alerts not acknowledged in time and delivers each open alert
to whoever should have it; :func:`scheduled` runs it on an APScheduler job; :func:`render_alert`
writes the message with its one-tap Acknowledge button.
"""

from llais.alerts.dispatch import AlertDispatcher, RunReport, roles_for
from llais.alerts.render import (
    ACK_PREFIX,
    AUTHORITY_STEP,
    DEPUTY_STEP,
    AlertView,
    ack_payload,
    local_time,
    message_keys,
    parse_ack,
    render_alert,
)
from llais.alerts.schedule import add_dispatch_job, build_scheduler, run_dispatch, scheduled
from llais.alerts.sender import AlertSender

__all__ = [
    "ACK_PREFIX",
    "AUTHORITY_STEP",
    "DEPUTY_STEP",
    "AlertDispatcher",
    "AlertSender",
    "AlertView",
    "RunReport",
    "ack_payload",
    "add_dispatch_job",
    "build_scheduler",
    "local_time",
    "message_keys",
    "parse_ack",
    "render_alert",
    "roles_for",
    "run_dispatch",
    "scheduled",
]
