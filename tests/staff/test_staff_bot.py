"""The staff bot end to end: real python-telegram-bot over HTTP against the Bot API double, the
real staff service, flows and directory, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from llais.app import App
from llais.pseudonym import person_ref
from storage.models import Checkin as StaffCheckin
from storage.models import CheckinAnswer, Person, ReplyAddress, SafeguardingAlert
from tests.staff.conftest import SECRET, STAFF_CHANNEL, bot_for, link_staff, polling, turn
from tests.support.botapi_double import BotApiDouble

TEACHER = 610001
DSL = 610002


async def test_a_member_of_staff_links_and_checks_in(app: App, staff_api: BotApiDouble) -> None:
    async with polling(bot_for(staff_api, app.settings, app.staff, staff=True), staff_api):
        linked = await link_staff(staff_api, TEACHER, "demo-staff")
        assert "linked to Ysgol Llais Demo" in linked
        await turn(staff_api, TEACHER, staff_api.push_command(TEACHER, "checkin"), "Mental")
        for value in ("4", "4", "3"):
            await turn(staff_api, TEACHER, staff_api.press(TEACHER, value), "wellbeing")
        await turn(staff_api, TEACHER, staff_api.press(TEACHER, "5"), "SPICE wells")
        thanks = await turn(staff_api, TEACHER, staff_api.press(TEACHER, "🎨 Creative"), "🎨")

    assert "your check-in is saved" in thanks
    assert "For the creative well" in thanks
    assert "Education Support" not in thanks  # not a low check-in: no services pushed
    ref = person_ref(SECRET, STAFF_CHANNEL, str(TEACHER))
    async with app.sessions() as session:
        member = await session.get(Person, ref)
        checkin = await session.scalar(select(StaffCheckin))
        answers = (await session.scalars(select(CheckinAnswer))).all()
        addresses = await session.scalar(select(func.count()).select_from(ReplyAddress))
    assert member is not None and member.role == "staff" and member.school_id is not None
    assert checkin is not None and checkin.person_ref == ref and checkin.audience == "staff"
    assert (checkin.school_id, checkin.lowest_well) == (member.school_id, "creative")
    assert sorted((a.domain, a.value) for a in answers) == [
        ("financial", 5),
        ("mental", 4),
        ("physical", 4),
        ("social", 3),
    ]
    assert addresses == 0  # a member of staff who is not a safeguarding lead: no chat id kept


async def test_a_low_check_in_in_welsh_offers_staff_services(
    app: App, staff_api: BotApiDouble
) -> None:
    async with polling(bot_for(staff_api, app.settings, app.staff, staff=True), staff_api):
        await link_staff(staff_api, TEACHER, "DEMO-STAFF", language="Cymraeg")
        await turn(staff_api, TEACHER, staff_api.push_command(TEACHER, "checkin"), "meddyliol")
        for value in ("1", "2", "2"):
            await turn(staff_api, TEACHER, staff_api.press(TEACHER, value), "Lles")
        await turn(staff_api, TEACHER, staff_api.press(TEACHER, "1"), "SPICE")
        shown = await turn(staff_api, TEACHER, staff_api.press(TEACHER, "💛 Emosiynol"), "💛")

    assert "Mae'n swnio fel bod pethau'n anodd" in shown
    assert "Education Support" in shown
    assert "Cyngor ariannol i staff" in shown  # the financial pillar was lowest
    assert "ffynnon emosiynol" in shown


async def test_a_staff_member_in_crisis_gets_adult_contacts_and_no_learner_alert(
    app: App, staff_api: BotApiDouble
) -> None:
    async with polling(bot_for(staff_api, app.settings, app.staff, staff=True), staff_api):
        await link_staff(staff_api, TEACHER, "DEMO-STAFF")
        reply = await turn(
            staff_api,
            TEACHER,
            staff_api.push_text(TEACHER, "I want to kill myself"),
            "safeguarding procedure",
        )

    assert "Samaritans" in reply and "116 123" in reply
    assert "Education Support" in reply
    assert "Childline" not in reply  # adult contacts, not the learner list
    async with app.sessions() as session:
        alerts = await session.scalar(select(func.count()).select_from(SafeguardingAlert))
    assert alerts == 0


async def test_a_dsl_links_with_the_dsl_code_and_a_learner_code_is_refused(
    app: App, staff_api: BotApiDouble
) -> None:
    async with polling(bot_for(staff_api, app.settings, app.staff, staff=True), staff_api):
        await turn(staff_api, DSL, staff_api.push_command(DSL, "start"), "Pa iaith")
        await turn(staff_api, DSL, staff_api.press(DSL, "English"), "code")
        refused = await turn(staff_api, DSL, staff_api.push_text(DSL, "DEMO-Y9"), "recognise")
        await turn(staff_api, DSL, staff_api.press(DSL, "Try again"), "code")
        linked = await turn(staff_api, DSL, staff_api.push_text(DSL, "DEMO-DSL"), "Thanks")
        mydata = await turn(staff_api, DSL, staff_api.push_command(DSL, "mydata"), "Role")

    assert "don't recognise" in refused
    assert "safeguarding lead for Ysgol Llais Demo" in linked
    assert "designated safeguarding lead" in mydata and "id of this chat" in mydata
    ref = person_ref(SECRET, STAFF_CHANNEL, str(DSL))
    async with app.sessions() as session:
        member = await session.get(Person, ref)
        address = await session.get(ReplyAddress, (ref, STAFF_CHANNEL))
    assert member is not None and member.role == "dsl" and member.linked_at is not None
    assert address is not None and address.chat_id == str(DSL)


async def test_delete_erases_a_dsl_and_stops_alerts_reaching_them(
    app: App, staff_api: BotApiDouble
) -> None:
    async with polling(bot_for(staff_api, app.settings, app.staff, staff=True), staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await turn(staff_api, DSL, staff_api.push_command(DSL, "delete"), "Erase everything?")
        done = await turn(staff_api, DSL, staff_api.press(DSL, "Yes, erase it all"), "erased")

    assert "Done" in done
    async with app.sessions() as session:
        members = await session.scalar(select(func.count()).select_from(Person))
        addresses = await session.scalar(select(func.count()).select_from(ReplyAddress))
    assert (members, addresses) == (0, 0)
