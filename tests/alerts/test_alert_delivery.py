"""A learner's disclosure reaches the school's safeguarding lead in the staff bot, is acknowledged
with one tap, and is escalated when it is not: real bots over HTTP against two Bot API doubles, the
real learner and staff services, the real database (SQLite and PostgreSQL), time under the
test's control, and a restart in the middle."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.telegram import TelegramAlertSender, TelegramApp
from core.settings import Settings
from llais.alerts import AlertDispatcher, scheduled
from llais.app import App, build_app
from llais.pseudonym import person_ref
from storage.models import AlertDelivery, SafeguardingAlert
from tests.staff.conftest import (
    SECRET,
    STAFF_CHANNEL,
    Clock,
    bot_for,
    link_staff,
    polling,
    turn,
)
from tests.support.botapi_double import BotApiDouble
from tests.support.learner import PlayedLearner

LEARNER = 555001
DSL = 620001
DEPUTY = 620002
AUTHORITY = 620003
OTHER_STAFF = 620004
DISCLOSURE = "my dad hits me when he's been drinking"


def dispatcher_for(app: App, staff_bot: TelegramApp, clock: Clock) -> AlertDispatcher:
    """The alert job's dispatcher, sending through the staff bot, on the test's clock."""
    return AlertDispatcher(
        settings=app.settings,
        sessions=app.sessions,
        sender=TelegramAlertSender(staff_bot.bot),
        clock=clock,
    )


async def enrol_year10(played: PlayedLearner) -> None:
    """Choose English, read the welcome and enrol in Year 10 of the demo school."""
    await played.command("start")
    await played.press("English")
    await played.press("OK, got it")
    await played.say("DEMO-Y10")


async def year10_learner(app: App) -> PlayedLearner:
    """A learner enrolled in Year 10, ready to type."""
    played = PlayedLearner(app.learner, user_id=str(LEARNER))
    await enrol_year10(played)
    return played


async def _only_alert(app: App) -> SafeguardingAlert:
    async with app.sessions() as session:
        [alert] = (await session.scalars(select(SafeguardingAlert))).all()
        return alert


async def _learner_discloses(played: PlayedLearner) -> None:
    """A Year 10 learner enrols, discloses abuse, says they're safe and wants a trusted adult."""
    await enrol_year10(played)
    assert "Year 10" in played.text()
    await played.say(DISCLOSURE)
    assert "Are you safe right now?" in played.text()
    await played.press("Yes")
    await played.press("Yes please")
    assert "safeguarding lead will be told" in played.text()


async def test_a_disclosure_reaches_the_dsl_in_welsh_and_is_acknowledged_with_one_tap(
    app: App, learner_api: BotApiDouble, staff_api: BotApiDouble, clock: Clock
) -> None:
    learner_bot = bot_for(learner_api, app.settings, app.learner, staff=False)
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    dispatcher = dispatcher_for(app, staff_bot, clock)
    async with polling(learner_bot, learner_api), polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL", language="Cymraeg")
        await link_staff(staff_api, OTHER_STAFF, "DEMO-STAFF")
        # the learner, on the learner bot, over HTTP
        await turn(learner_api, LEARNER, learner_api.push_command(LEARNER, "start"), "Pa iaith")
        await turn(learner_api, LEARNER, learner_api.press(LEARNER, "English"), "important")
        await turn(learner_api, LEARNER, learner_api.press(LEARNER, "OK, got it"), "type it")
        await turn(learner_api, LEARNER, learner_api.push_text(LEARNER, "DEMO-Y10"), "Year 10")
        await turn(
            learner_api,
            LEARNER,
            learner_api.push_text(LEARNER, DISCLOSURE),
            "Are you safe right now?",
        )
        await turn(learner_api, LEARNER, learner_api.press(LEARNER, "Yes"), "trusted adult")
        await turn(learner_api, LEARNER, learner_api.press(LEARNER, "Yes please"), "lead")

        report = await dispatcher.run_once()  # sends before it returns
        sent = staff_api.messages_to(DSL)[-1]
        assert report.delivered == 1 and report.escalated == 0
        assert staff_api.messages_to(OTHER_STAFF)[-1].text.startswith("Thanks")  # nothing sent

        clock.now += timedelta(minutes=2)
        acked = await turn(staff_api, DSL, staff_api.press(DSL, "✅ Cydnabod"), "✅ Wedi")
        # pressing the same alert's button again (e.g. on a re-sent copy) says so
        again = await turn(
            staff_api,
            DSL,
            staff_api.push_callback(DSL, f"ack:{(await _only_alert(app)).id}", sent.message_id),
            "eisoes",
        )
        clock.now += timedelta(minutes=30)
        after = await dispatcher.run_once()

    alert = await _only_alert(app)
    assert "RHYBUDD DIOGELU: UCHEL" in sent.text
    assert "Ysgol: Ysgol Llais Demo" in sent.text and "Blwyddyn: 10" in sent.text
    assert "cam-drin" in sent.text  # the category, in Welsh
    assert "Pryd: 25/11/2026 10:30" in sent.text  # Europe/London (GMT in November)
    assert "Wedi gofyn i oedolyn dibynadwy gysylltu: ydy" in sent.text
    assert "Yn ddiogel ar hyn o bryd: ydy" in sent.text
    assert f"Cyfeirnod y dysgwr: {alert.learner_ref}" in sent.text
    assert DISCLOSURE in sent.text
    assert str(LEARNER) not in sent.text
    assert sent.buttons == []  # the one tap closed the keyboard
    assert "10:32" in acked
    assert "Fe wnaethoch chi gydnabod y rhybudd hwn eisoes am 25/11/2026 10:32" in again
    assert alert.status == "acknowledged"
    assert alert.acknowledged_by == person_ref(SECRET, STAFF_CHANNEL, str(DSL))
    assert alert.acknowledged_at == clock.now - timedelta(minutes=30)
    assert alert.next_escalation_at is None
    # acknowledged: never escalated, and the one who acknowledged is not told again
    assert (after.escalated, after.delivered, after.closed) == (0, 0, 0)
    assert staff_api.messages_to(DEPUTY) == staff_api.messages_to(AUTHORITY) == []


async def test_an_unacknowledged_alert_goes_to_the_deputy_then_the_authority_across_a_restart(
    settings: Settings, app: App, staff_api: BotApiDouble, clock: Clock
) -> None:
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    async with polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await link_staff(staff_api, DEPUTY, "DEMO-DEPUTY")
        await link_staff(staff_api, AUTHORITY, "DEMO-AUTHORITY")
        await _learner_discloses(PlayedLearner(app.learner, user_id=str(LEARNER)))
        dispatcher = dispatcher_for(app, staff_bot, clock)
        first = await dispatcher.run_once()
        repeat = await dispatcher.run_once()  # nothing new: nobody gets it twice
        clock.now += timedelta(minutes=14)
        early = await dispatcher.run_once()
        clock.now += timedelta(minutes=2)  # 16 minutes: past the 15-minute deadline
        step1 = await dispatcher.run_once()
    alert = await _only_alert(app)
    assert (first.delivered, repeat.delivered, early.escalated) == (1, 0, 0)
    assert (step1.escalated, step1.delivered) == (1, 2)
    assert alert.escalation_step == 1
    assert alert.next_escalation_at == clock.now + timedelta(minutes=15)
    assert "Not acknowledged within 15 minutes" in staff_api.messages_to(DSL)[-1].text
    assert "SAFEGUARDING ALERT: HIGH" in staff_api.messages_to(DEPUTY)[-1].text
    assert not any("ALERT" in m.text for m in staff_api.messages_to(AUTHORITY))
    seen = {who: len(staff_api.messages_to(who)) for who in (DSL, DEPUTY, AUTHORITY)}

    # Restart: a fresh app, bot and scheduler on the same database, 16 minutes later.
    await app.db.dispose()
    clock.now += timedelta(minutes=16)
    restarted = await build_app(settings, clock=clock)
    try:
        staff_bot = bot_for(staff_api, restarted.settings, restarted.staff, staff=True)
        dispatcher = dispatcher_for(restarted, staff_bot, clock)
        async with polling(staff_bot, staff_api):
            async with scheduled(dispatcher, every_seconds=60):
                # the scheduler's first run, a second after start, finds the alert overdue
                for who in (DSL, DEPUTY, AUTHORITY):
                    escalated = await staff_api.wait_for_messages(who, seen[who] + 1, timeout=15)
            # The scheduler has stopped and its run has finished (a run goes on claiming after
            # its last escalation arrives, so an acknowledgement pressed during it could be
            # announced by that run instead of the next): from here the test drives the job.
            clock.now += timedelta(minutes=1)
            acked = await turn(
                staff_api, AUTHORITY, staff_api.press(AUTHORITY, "✅ Acknowledge"), "✅"
            )
            told = await dispatcher.run_once()  # the others hear it was acknowledged
            again = await dispatcher.run_once()
        async with restarted.sessions() as session:
            steps = (
                await session.execute(
                    select(AlertDelivery.role, AlertDelivery.step).order_by(
                        AlertDelivery.step, AlertDelivery.role
                    )
                )
            ).all()
    finally:
        await restarted.db.dispose()

    alert = await _only_alert(restarted)
    assert "Still not acknowledged: escalated to the authority" in escalated[-1].text
    assert "Acknowledged at 25/11/2026 11:03" in acked
    assert (told.closed, told.delivered, again.closed) == (2, 0, 0)
    for who in (DSL, DEPUTY):
        notice = staff_api.messages_to(who)[-1].text
        assert "was acknowledged at 25/11/2026 11:03 by the authority's safeguarding" in notice
    assert "Acknowledged at" in staff_api.messages_to(AUTHORITY)[-1].text  # nothing more
    assert alert.escalation_step == 2
    assert alert.status == "acknowledged"
    assert alert.acknowledged_by == person_ref(SECRET, STAFF_CHANNEL, str(AUTHORITY))
    assert steps == [
        ("dsl", 0),
        ("deputy_dsl", 1),
        ("dsl", 1),
        ("authority", 2),
        ("deputy_dsl", 2),
        ("dsl", 2),
    ]


async def test_an_alert_without_a_school_goes_to_the_authority(
    app: App, staff_api: BotApiDouble, clock: Clock
) -> None:
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    async with polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await link_staff(staff_api, AUTHORITY, "DEMO-AUTHORITY")
        played = PlayedLearner(app.learner, user_id=str(LEARNER))
        await played.command("start")
        await played.press("English")
        await played.press("OK, got it")
        await played.press("Skip")
        await played.say("I want to kill myself")
        dispatcher = dispatcher_for(app, staff_bot, clock)
        report = await dispatcher.run_once()
        [*_, sent] = await staff_api.wait_for_messages(AUTHORITY, 5)
        # a safeguarding lead of a school cannot acknowledge another's (or no school's) alert
        refused = await turn(
            staff_api,
            DSL,
            staff_api.push_callback(DSL, f"ack:{(await _only_alert(app)).id}", 1),
            "Only",
        )

    assert report.delivered == 1
    assert "no school linked (for Authority safeguarding team)" in sent.text
    assert "Year group: not known" in sent.text
    assert "SAFEGUARDING ALERT: CRITICAL" in sent.text or "SAFEGUARDING ALERT: HIGH" in sent.text
    assert "can acknowledge it" in refused
    assert (await _only_alert(app)).status == "open"


async def test_answers_given_after_delivery_reach_the_dsl_as_an_update(
    app: App, staff_api: BotApiDouble, clock: Clock
) -> None:
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    async with polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL")
        dispatcher = dispatcher_for(app, staff_bot, clock)
        played = await year10_learner(app)
        await played.say(DISCLOSURE)
        first = await dispatcher.run_once()  # before the learner answers "are you safe?"
        before = staff_api.messages_to(DSL)[-1].text
        await played.press("No")
        second = await dispatcher.run_once()
        third = await dispatcher.run_once()

    update = staff_api.messages_to(DSL)[-1].text
    assert (first.delivered, second.delivered, third.delivered) == (1, 1, 0)
    assert "Safe right now: not answered yet" in before
    assert update.startswith("🔴 SAFEGUARDING ALERT: HIGH\n🔄 Updated")
    assert "Safe right now: no" in update
    assert staff_api.messages_to(DSL)[-1].button_labels == ["✅ Acknowledge"]


async def test_with_no_dsl_linked_an_alert_goes_straight_to_the_authority_then_reminds(
    app: App, staff_api: BotApiDouble, clock: Clock
) -> None:
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    async with polling(staff_bot, staff_api):
        await link_staff(staff_api, AUTHORITY, "DEMO-AUTHORITY")
        await _learner_discloses(PlayedLearner(app.learner, user_id=str(LEARNER)))
        dispatcher = dispatcher_for(app, staff_bot, clock)
        first = await dispatcher.run_once()
        straight = staff_api.messages_to(AUTHORITY)[-1].text
        clock.now += timedelta(minutes=16)
        reminder = await dispatcher.run_once()

    alert = await _only_alert(app)
    assert (first.escalated, first.delivered) == (2, 1)
    assert "escalated to the authority" in straight and "Ysgol Llais Demo" in straight
    assert (reminder.escalated, reminder.delivered) == (1, 1)
    assert "Reminder: this alert has still not been acknowledged" in (
        staff_api.messages_to(AUTHORITY)[-1].text
    )
    assert alert.escalation_step == 3 and alert.status == "open"
    assert alert.next_escalation_at == clock.now + timedelta(minutes=15)


async def test_after_downtime_an_overdue_alert_catches_up_to_the_authority_at_once(
    app: App, staff_api: BotApiDouble, clock: Clock
) -> None:
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    async with polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await link_staff(staff_api, AUTHORITY, "DEMO-AUTHORITY")
        await _learner_discloses(PlayedLearner(app.learner, user_id=str(LEARNER)))
        dispatcher = dispatcher_for(app, staff_bot, clock)
        await dispatcher.run_once()
        clock.now += timedelta(minutes=40)  # both the 15- and the 30-minute deadlines passed
        late = await dispatcher.run_once()

    alert = await _only_alert(app)
    assert (late.escalated, late.delivered) == (2, 2)
    assert alert.escalation_step == 2
    assert "escalated to the authority" in staff_api.messages_to(DSL)[-1].text
    assert "SAFEGUARDING ALERT: HIGH" in staff_api.messages_to(AUTHORITY)[-1].text


async def test_an_answer_given_after_acknowledgement_still_reaches_the_dsl(
    app: App, staff_api: BotApiDouble, clock: Clock
) -> None:
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    async with polling(staff_bot, staff_api):
        await link_staff(staff_api, DSL, "DEMO-DSL")
        dispatcher = dispatcher_for(app, staff_bot, clock)
        played = await year10_learner(app)
        await played.say(DISCLOSURE)
        await dispatcher.run_once()
        await turn(staff_api, DSL, staff_api.press(DSL, "✅ Acknowledge"), "Acknowledged at")
        await played.press("No")  # not safe, after the DSL acknowledged
        late = await dispatcher.run_once()
        quiet = await dispatcher.run_once()

    update = staff_api.messages_to(DSL)[-1].text
    assert (late.delivered, quiet.delivered) == (1, 0)
    assert "🔄 Updated" in update and "Safe right now: no" in update
    assert (await _only_alert(app)).status == "acknowledged"
