"""An alert handled to the end in the staff bot: acknowledged, referred (to children's
services), a note, closed with a reason; /alerts lists it with its state until then; the
chronology shows each step with who and when, and the database refuses to change or delete it.
Real bots over HTTP against two Bot API doubles, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.telegram import TelegramAlertSender, TelegramSender
from core.channel import Channel
from core.vocabulary import AlertEventKind, AlertStatus, Language, StaffRole
from llais.alerts import AlertDispatcher
from llais.alerts.out_of_hours import OutOfHours
from llais.app import App
from llais.outbox import Outbox
from storage.models import AlertEvent, DashboardEvent, SafeguardingAlert
from tests.school.test_requests import enrol
from tests.staff.conftest import Clock, bot_for, link_staff, polling, turn
from tests.support.botapi_double import BotApiDouble

LEARNER = 555201
DSL = 640001
DISCLOSURE = "my dad hits me when he's been drinking"


async def _alert(app: App) -> SafeguardingAlert:
    async with app.sessions() as session:
        [alert] = (await session.scalars(select(SafeguardingAlert))).all()
        return alert


async def test_an_alert_goes_through_every_state_to_closed_with_a_reason_and_a_chronology(
    app: App, learner_api: BotApiDouble, staff_api: BotApiDouble, clock: Clock
) -> None:
    learner_bot = bot_for(learner_api, app.settings, app.learner, staff=False)
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    dispatcher = AlertDispatcher(
        settings=app.settings,
        sessions=app.sessions,
        sender=TelegramAlertSender(staff_bot.bot),
        clock=clock,
    )
    async with polling(learner_bot, learner_api), polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await enrol(learner_api, LEARNER)
        await turn(
            learner_api, LEARNER, learner_api.push_text(LEARNER, DISCLOSURE), "safe right now"
        )
        await dispatcher.run_once()
        alert = await _alert(app)
        listed = await turn(staff_api, DSL, staff_api.push_command(DSL, "alerts"), "Alert")
        assert "new, not acknowledged" in listed and "Year group: 10" in listed

        clock.now += timedelta(minutes=3)
        await turn(staff_api, DSL, staff_api.press(DSL, "✅ Acknowledge"), "Acknowledged at")
        # a step out of order is refused and says what can be done instead
        early = await turn(
            staff_api,
            DSL,
            staff_api.push_callback(DSL, f"al:close:{alert.id}:resolved", 1),
            "doesn't fit",
        )
        assert "acknowledged" in early
        clock.now += timedelta(minutes=40)
        await turn(staff_api, DSL, staff_api.press(DSL, "↗️ Referred"), "Referred to whom?")
        await turn(staff_api, DSL, staff_api.press(DSL, "Children's services"), "referred")
        await turn(staff_api, DSL, staff_api.press(DSL, "📝 Add a note"), "Type your note")
        await turn(
            staff_api,
            DSL,
            staff_api.push_text(DSL, "Rang the duty desk, reference 4471"),
            "Note added",
        )
        clock.now += timedelta(days=2)
        listed = await turn(staff_api, DSL, staff_api.push_command(DSL, "alerts"), "Alert")
        assert "↗️ referred" in listed and "2 days ago" in listed
        await turn(staff_api, DSL, staff_api.press(DSL, "🔒 Close"), "Why is this alert")
        closed = await turn(
            staff_api, DSL, staff_api.press(DSL, "Another agency now leads"), "closed"
        )
        assert "Recorded at 27/11/2026" in closed
        none = await turn(staff_api, DSL, staff_api.push_command(DSL, "alerts"), "No open")
        assert "No open alerts" in none
        record = await turn(
            staff_api, DSL, staff_api.push_callback(DSL, f"al:log:{alert.id}", 1), "Record of"
        )

    lines = record.splitlines()
    assert "25/11/2026 10:33 · designated safeguarding lead · acknowledged" in lines[1]
    assert (
        "25/11/2026 11:13 · designated safeguarding lead · referred: Children's services"
        in (lines[2])
    )
    assert "note" in lines[3] and "Rang the duty desk, reference 4471" in lines[4]
    assert "closed: Another agency now leads" in lines[5]
    alert = await _alert(app)
    assert alert.status is AlertStatus.CLOSED
    async with app.sessions() as session:
        events = list(await session.scalars(select(AlertEvent).order_by(AlertEvent.id)))
    assert [(e.kind, e.detail) for e in events] == [
        (AlertEventKind.ACKNOWLEDGED, None),
        (AlertEventKind.REFERRED, "childrens_services"),
        (AlertEventKind.NOTE, None),
        (AlertEventKind.CLOSED, "handed_on"),
    ]
    assert {e.by_role for e in events} == {StaffRole.DSL}
    # append-only: the database itself refuses edits and deletions
    for statement in ("UPDATE alert_events SET note = 'changed'", "DELETE FROM alert_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with app.sessions() as session, session.begin():
                await session.execute(text(statement))
    async with app.sessions() as session:
        kept = list(await session.scalars(select(AlertEvent.note).order_by(AlertEvent.id)))
    assert kept == [None, None, "Rang the duty desk, reference 4471", None]


async def test_an_alert_raised_out_of_hours_shows_the_dsl_the_out_of_hours_route(
    app: App, learner_api: BotApiDouble, staff_api: BotApiDouble, clock: Clock
) -> None:
    clock.now = clock.now.replace(hour=20)  # Wednesday 20:00 in November (GMT)
    learner_bot = bot_for(learner_api, app.settings, app.learner, staff=False)
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    hours = OutOfHours(app.settings, app.learner.signposter.directory)
    dispatcher = AlertDispatcher(
        settings=app.settings,
        sessions=app.sessions,
        sender=TelegramAlertSender(staff_bot.bot),
        clock=clock,
        out_of_hours=hours,
    )
    async with polling(learner_bot, learner_api), polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL", language="Cymraeg")
        await enrol(learner_api, LEARNER)
        await turn(
            learner_api, LEARNER, learner_api.push_text(LEARNER, DISCLOSURE), "safe right now"
        )
        await dispatcher.run_once()
    sent = staff_api.messages_to(DSL)[-1].text
    assert "Codwyd y tu allan i oriau ysgol" in sent and "999" in sent
    assert "Tîm Dyletswydd Argyfwng" in sent and "01443 743665" in sent
    day = clock.now.replace(hour=10)
    assert not hours.outside(day) and hours.outside(day.replace(hour=16))
    assert hours.outside(day + timedelta(days=3))  # Saturday
    assert hours.note(day, Language.EN) is None


async def test_an_alert_nobody_at_the_school_could_receive_goes_to_the_authority_at_once(
    app: App, learner_api: BotApiDouble, staff_api: BotApiDouble, clock: Clock
) -> None:
    authority = 640009
    learner_bot = bot_for(learner_api, app.settings, app.learner, staff=False)
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    dispatcher = AlertDispatcher(
        settings=app.settings,
        sessions=app.sessions,
        sender=TelegramAlertSender(staff_bot.bot),
        clock=clock,
    )
    async with polling(learner_bot, learner_api), polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await link_staff(staff_api, authority, "DEMO-AUTHORITY")
        staff_api.blocked.add(DSL)  # the DSL blocked the staff bot
        await enrol(learner_api, LEARNER)
        await turn(
            learner_api, LEARNER, learner_api.push_text(LEARNER, DISCLOSURE), "safe right now"
        )
        first = await dispatcher.run_once()
        second = await dispatcher.run_once()  # the next run, seconds later: not 30 minutes
    assert (first.delivered, first.failed) == (0, 1)
    assert second.delivered == 1 and second.escalated >= 1
    told = staff_api.messages_to(authority)[-1].text
    assert "escalated to the authority" in told and DISCLOSURE in told
    assert (await _alert(app)).status is AlertStatus.OPEN


async def test_a_dsl_writes_to_the_learner_of_an_alert_and_the_answer_joins_the_record(
    app: App, learner_api: BotApiDouble, staff_api: BotApiDouble, clock: Clock
) -> None:
    learner_bot = bot_for(learner_api, app.settings, app.learner, staff=False)
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    dispatcher = AlertDispatcher(
        settings=app.settings,
        sessions=app.sessions,
        sender=TelegramAlertSender(staff_bot.bot),
        clock=clock,
    )
    outbox = Outbox(
        sessions=app.sessions,
        senders={
            Channel.TELEGRAM: TelegramSender(learner_bot.bot),
            Channel.STAFF_TELEGRAM: TelegramSender(staff_bot.bot),
        },
        clock=clock,
    )
    # quoting the learner, the DSL's words are a concern to the detector (high, on rules alone)
    quoted = f'You wrote "{DISCLOSURE}". You\'re not in trouble: come to room 4 at break?'
    edited = f'You wrote "{DISCLOSURE}". You\'re not in trouble: come to room 6 at lunch?'
    async with polling(learner_bot, learner_api), polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await enrol(learner_api, LEARNER)
        await turn(
            learner_api, LEARNER, learner_api.push_text(LEARNER, DISCLOSURE), "safe right now"
        )
        await dispatcher.run_once()
        await turn(staff_api, DSL, staff_api.press(DSL, "✅ Acknowledge"), "Acknowledged at")
        await turn(staff_api, DSL, staff_api.press(DSL, "✍️ Message the learner"), "Type")
        # the DSL's words name the concern: not sent yet, said why (a learner's screen can be
        # seen), a second decision asked for; not taken as a crisis of their own
        await turn(staff_api, DSL, staff_api.push_text(DSL, quoted), "Send anyway")
        held = staff_api.messages_to(DSL)[-1]
        assert held.text.startswith("I haven't sent this to the learner yet")
        assert "(Abuse)" in held.text
        assert "Support for staff" in held.text  # the words read as the writer's own, too
        assert held.button_labels == ["Send anyway", "Write again", "Cancel"]
        send_anyway = held.buttons[0][0]["callback_data"]
        assert (await outbox.deliver_due()).sent == 0  # nothing without the second decision
        await turn(staff_api, DSL, staff_api.press(DSL, "Write again"), "Type your message")
        assert (await outbox.deliver_due()).sent == 0
        # the text written again is read again: warned again, not sent on the earlier decision
        await turn(staff_api, DSL, staff_api.push_text(DSL, edited), "Send anyway")
        assert (await outbox.deliver_due()).sent == 0
        await turn(staff_api, DSL, staff_api.press(DSL, "Send anyway"), "Sent through Llais")
        assert (await outbox.deliver_due()).sent == 1
        got = learner_api.messages_to(LEARNER)[-1].text
        assert "A message from your school's safeguarding lead" in got and "room 6" in got
        # the decision is spent: the same button again sends nothing more
        warned = staff_api.messages_to(DSL)[-2]
        again = staff_api.push_callback(DSL, send_anyway, warned.message_id)
        await turn(staff_api, DSL, again, "earlier question")
        assert (await outbox.deliver_due()).sent == 0
        await turn(learner_api, LEARNER, learner_api.press(LEARNER, "↩️ Answer"), "answer")
        await turn(learner_api, LEARNER, learner_api.push_text(LEARNER, "yes ok"), "Sent")
        assert (await outbox.deliver_due()).sent == 1
        assert "yes ok" in staff_api.messages_to(DSL)[-1].text
    async with app.sessions() as session:
        kinds = list(await session.scalars(select(AlertEvent.kind).order_by(AlertEvent.id)))
    assert kinds == [AlertEventKind.ACKNOWLEDGED, AlertEventKind.MESSAGE, AlertEventKind.ANSWER]
    async with app.sessions() as session:
        events = list(await session.scalars(select(DashboardEvent)))
    # sent over the warning: recorded once, without the words, the learner or the writer
    assert [(e.event, e.subject, e.school_id) for e in events] == [
        ("staff_text_confirmed", None, None)
    ]
