"""``llais school contact add|list|remove``: a school's own DSLs, wellbeing lead, counsellor, ELSA
(``add``, ``codes``, ``invite`` and ``advance-year`` live in ``llais.commands.setup``).

For an enrolled learner with a non-emergency need these come before any other service.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TypeVar

from pydantic import ValidationError

from core.clock import utcnow
from core.settings import Settings
from core.vocabulary import ContactRole
from llais.commands import setup
from llais.commands.setup import in_session
from llais.contacts import add_school_contact, list_school_contacts, remove_school_contact
from signposting.contacts import NewSchoolContact
from storage.db import AsyncSession
from storage.repo.schools import resolve_school

T = TypeVar("T")


def register(sub: Any) -> None:
    """Add the ``school`` command."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "school", help="schools, their codes and invitations, and their own contacts"
    )
    school_sub = parser.add_subparsers(dest="school_command", required=True)
    setup.register(school_sub)
    contact = school_sub.add_parser("contact", help="DSL, wellbeing lead, counsellor, ELSA")
    contact_sub = contact.add_subparsers(dest="contact_command", required=True)

    add = contact_sub.add_parser("add", help="add a contact to a school")
    add.add_argument("--school", required=True, help="school id or any of its enrolment codes")
    add.add_argument("--role", required=True, choices=[role.value for role in ContactRole])
    add.add_argument("--label", required=True, help='e.g. "Mrs Jones, wellbeing lead"')
    add.add_argument("--label-cy")
    add.add_argument("--how", required=True, help='e.g. "Room 12, or ask at reception"')
    add.add_argument("--how-cy")
    add.add_argument("--when", help='e.g. "Mon–Fri 8:30–15:30"')
    add.add_argument("--when-cy")
    add.set_defaults(func=_add)

    listing = contact_sub.add_parser("list", help="a school's contacts, one JSON line each")
    listing.add_argument("--school", required=True)
    listing.set_defaults(func=_list)

    remove = contact_sub.add_parser("remove", help="remove a contact by id")
    remove.add_argument("id", type=int)
    remove.set_defaults(func=_remove)


def _add(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> str:
        try:
            contact = NewSchoolContact(
                school_id=await resolve_school(session, code=args.school),
                role=args.role,
                label=args.label,
                label_cy=args.label_cy,
                how_to_reach=args.how,
                how_to_reach_cy=args.how_cy,
                when=args.when,
                when_cy=args.when_cy,
            )
        except ValidationError as exc:
            fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
            return f"error: check {fields}"
        added = await add_school_contact(session, contact=contact, at=utcnow())
        return added.model_dump_json()

    line = in_session(settings, work)
    print(line)
    return 2 if line.startswith("error:") else 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> list[str]:
        school_id = await resolve_school(session, code=args.school)
        contacts = await list_school_contacts(session, school_id=school_id)
        return [json.dumps(c.model_dump(mode="json"), ensure_ascii=False) for c in contacts]

    for line in in_session(settings, work):
        print(line)
    return 0


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    async def work(session: AsyncSession) -> None:
        await remove_school_contact(session, contact_id=args.id)

    in_session(settings, work)
    print(f"removed contact {args.id}")
    return 0
