"""``llais staff list|unlink`` and ``llais alerts list --undelivered``: who is linked in which
role, taking a role away, and alerts nobody has received."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import select

from core.settings import Settings
from core.vocabulary import AlertStatus
from llais.commands.setup import in_session
from storage.db import AsyncSession
from storage.models import AlertDelivery, SafeguardingAlert
from storage.repo import people, schools

REF_SHOWN = 12  # enough of the pseudonymous reference to unlink by; never a chat id


def register(sub: Any) -> None:
    """Add the ``staff`` and ``alerts`` commands."""
    staff: argparse.ArgumentParser = sub.add_parser("staff", help="linked members of staff")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    listing = staff_sub.add_parser("list", help="linked staff: reference, role, school, since")
    listing.add_argument("--school", help="code prefix or id")
    listing.set_defaults(func=_list)
    unlink = staff_sub.add_parser("unlink", help="take a member of staff's role away")
    unlink.add_argument("ref", help=f"the reference (its first {REF_SHOWN} characters will do)")
    unlink.set_defaults(func=_unlink)

    alerts: argparse.ArgumentParser = sub.add_parser("alerts", help="safeguarding alerts")
    alerts_sub = alerts.add_subparsers(dest="alerts_command", required=True)
    alert_list = alerts_sub.add_parser("list", help="open alerts")
    alert_list.add_argument("--undelivered", action="store_true", help="only those nobody got")
    alert_list.set_defaults(func=_alerts)


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> list[str]:
        school_id = None
        if args.school:
            school_id = (await schools.school_by_prefix(session, prefix=args.school)).id
        lines = []
        for person in await people.list_staff(session, school_id=school_id):
            since = person.linked_at.astimezone(settings.tz) if person.linked_at else None
            lines.append(
                f"{person.ref[:REF_SHOWN]}  {person.role}  school {person.school_id or '-'}"
                f"  linked {since:%d/%m/%Y %H:%M}"
                if since
                else f"{person.ref[:REF_SHOWN]}  {person.role}  school {person.school_id or '-'}"
            )
        return lines

    for line in in_session(settings, work):
        print(line)
    return 0


def _unlink(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> str:
        person = await people.unlink_staff(session, ref_prefix=args.ref)
        return person.ref[:REF_SHOWN]

    print(f"unlinked {in_session(settings, work)}: plain staff role, no school, no alerts")
    return 0


def _alerts(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> list[str]:
        query = select(SafeguardingAlert).where(SafeguardingAlert.status != AlertStatus.CLOSED)
        if args.undelivered:
            delivered = select(AlertDelivery.alert_id)
            query = query.where(SafeguardingAlert.id.not_in(delivered))
        rows = await session.scalars(query.order_by(SafeguardingAlert.created_at))
        return [
            f"{alert.id}  {alert.level.label}  {alert.status}  school {alert.school_id or '-'}"
            f"  raised {alert.created_at.astimezone(settings.tz):%d/%m/%Y %H:%M}"
            for alert in rows
        ]

    for line in in_session(settings, work):
        print(line)
    return 0
