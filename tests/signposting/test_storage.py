"""Per-school contacts and directory imports, on SQLite and on PostgreSQL."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.errors import NotFoundError
from llais.contacts import add_school_contact, list_school_contacts, remove_school_contact
from llais.directory import load_directory, save_document
from signposting.contacts import NewSchoolContact
from signposting.directory import SEED_PATH, read_document
from storage import AsyncSession
from storage.models import EnrolmentCode, School
from storage.repo.schools import resolve_school

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)


async def make_school(session: AsyncSession, name: str = "Ysgol Prawf") -> int:
    school = School(name=name, name_cy=name, created_at=NOW)
    session.add(school)
    await session.flush()
    return school.id


async def test_add_and_list_school_contacts(session: AsyncSession) -> None:
    school_id = await make_school(session)
    other_id = await make_school(session, "Another School")
    await add_school_contact(
        session,
        contact=NewSchoolContact(
            school_id=school_id,
            role="dsl",
            label="Mrs Davies",
            how_to_reach="Room 4, or ask any teacher to fetch her",
            how_to_reach_cy="Ystafell 4, neu gofynna i unrhyw athro ei nôl hi",
            when="School days 8:30–3:30",
            when_cy="Diwrnodau ysgol 8:30–3:30",
        ),
        at=NOW,
    )
    await add_school_contact(
        session,
        contact=NewSchoolContact(
            school_id=school_id, role="counsellor", label="School counsellor", how_to_reach="Hwb"
        ),
        at=NOW,
    )
    await add_school_contact(
        session,
        contact=NewSchoolContact(
            school_id=other_id, role="elsa", label="Someone else", how_to_reach="Elsewhere"
        ),
        at=NOW,
    )
    await session.commit()

    contacts = await list_school_contacts(session, school_id=school_id)
    assert [c.role for c in contacts] == ["dsl", "counsellor"]
    dsl = contacts[0]
    assert dsl.label.cy == "Mrs Davies"  # no Welsh given: the name is used as it is
    assert dsl.how_to_reach.cy.startswith("Ystafell 4")
    assert dsl.when is not None and dsl.when.cy == "Diwrnodau ysgol 8:30–3:30"
    assert contacts[1].when is None

    await remove_school_contact(session, contact_id=contacts[1].id)
    await session.commit()
    assert len(await list_school_contacts(session, school_id=school_id)) == 1


async def test_unknown_role_is_refused_before_and_by_the_database(session: AsyncSession) -> None:
    with pytest.raises(ValidationError, match="role"):
        NewSchoolContact(school_id=1, role="head", label="x", how_to_reach="y")
    school_id = await make_school(session)
    await session.commit()
    with pytest.raises(IntegrityError):
        await session.execute(
            text(
                "INSERT INTO school_contacts (school_id, role, label, how_to_reach, created_at) "
                "VALUES (:school, 'head', 'x', 'y', :at)"
            ),
            {"school": school_id, "at": NOW},
        )
    await session.rollback()


async def test_contact_for_unknown_school(session: AsyncSession) -> None:
    contact = NewSchoolContact(school_id=999, role="dsl", label="x", how_to_reach="y")
    with pytest.raises(NotFoundError, match="no school with id 999"):
        await add_school_contact(session, contact=contact, at=NOW)


async def test_contacts_go_with_their_school(session: AsyncSession) -> None:
    school_id = await make_school(session)
    contact = NewSchoolContact(school_id=school_id, role="elsa", label="x", how_to_reach="y")
    await add_school_contact(session, contact=contact, at=NOW)
    await session.commit()
    await session.execute(text("DELETE FROM schools WHERE id = :id"), {"id": school_id})
    await session.commit()
    assert await list_school_contacts(session, school_id=school_id) == []


async def test_resolve_school_by_id_or_enrolment_code(session: AsyncSession) -> None:
    school_id = await make_school(session)
    session.add(EnrolmentCode(code="ABC123", school_id=school_id, kind="learner", active=True))
    await session.commit()
    assert await resolve_school(session, code=str(school_id)) == school_id
    assert await resolve_school(session, code="abc123") == school_id
    with pytest.raises(NotFoundError, match="'NOPE'"):
        await resolve_school(session, code="NOPE")


async def test_load_directory_prefers_the_newest_import(session: AsyncSession) -> None:
    seeded = await load_directory(session, tz=LONDON)
    assert seeded.source == str(SEED_PATH)

    document = read_document(SEED_PATH)
    fewer = document.model_copy(update={"services": document.services[:5]})
    await save_document(session, document=document, source="first.json", at=NOW)
    newest = await save_document(
        session, document=fewer, source="second.json", at=NOW + timedelta(minutes=1)
    )
    await session.commit()

    loaded = await load_directory(session, tz=LONDON)
    assert len(loaded.services) == 5
    assert loaded.source == f"database import {newest} (second.json)"
    assert loaded.services == document.services[:5]
