"""The conversation service end to end on a real database: journeys, restarts, safeguarding."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.telegram.logs import quiet_library_loggers
from core.settings import Settings
from core.vocabulary import RiskLevel
from llais.app import App, build_app
from llais.logs import configure_logging
from storage.models import (
    Checkin,
    CheckinAnswer,
    ContactRequest,
    MoodLog,
    Person,
    ReplyAddress,
    SafeguardingAlert,
)
from tests.conftest import Clock
from tests.support.learner import PlayedLearner


async def count(app: App, model: type) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def enrol(learner: PlayedLearner, language: str = "English", code: str = "DEMO-Y9") -> None:
    await learner.command("start")
    await learner.press(language)
    await learner.press("OK, got it" if language == "English" else "Iawn, dw i'n deall")
    await learner.say(code)


async def checkin(
    learner: PlayedLearner, values: tuple[str, ...] = ("7", "6", "8", "5", "9")
) -> None:
    await learner.command("checkin")
    for value in values:
        await learner.press(value)


async def test_a_learner_enrols_checks_in_and_logs_a_mood(app: App) -> None:
    learner = PlayedLearner(app.learner)
    replies = await learner.command("start")
    assert "Cymraeg" in learner.labels() and "English" in learner.labels()
    await learner.press("Cymraeg")
    assert "nid person" in learner.text() and "999" in learner.text()
    await learner.press("Iawn, dw i'n deall")
    replies = await learner.say("demo-y9")
    assert "Ysgol Llais Demo, Blwyddyn 9" in replies[0].text
    await checkin(learner)
    await learner.say("Mwy o glybiau amser cinio plis")
    assert "Diolch" in learner.text()
    await learner.command("mood")
    await learner.press("🙂")
    await learner.press("Ffrindiau")
    await learner.press("Cwsg")
    await learner.press("✅ Wedi gorffen")
    await learner.press("Hepgor")
    assert "hwyliau wedi'u cofnodi" in learner.text()

    async with app.sessions() as session:
        stored = (await session.scalars(select(Person))).one()
        assert stored.language == "cy" and stored.year_group == 9 and stored.school_id
        assert learner.user_id not in stored.ref  # pseudonymous: a keyed hash, not the id
        answers = (await session.scalars(select(CheckinAnswer))).all()
        assert sorted((a.domain, a.value) for a in answers) == [
            ("A", 9),
            ("E", 6),
            ("M", 5),
            ("P", 7),
            ("R", 8),
        ]
        assert all(a.item_id and a.answered_at.tzinfo for a in answers)
        mood = (await session.scalars(select(MoodLog))).one()
        assert (mood.score, mood.tags, mood.note) == (4, ["friends", "sleep"], None)
        address = (await session.scalars(select(ReplyAddress))).one()
        assert address.chat_id == learner.user_id and address.person_ref == stored.ref


async def test_a_restart_mid_checkin_resumes_where_the_learner_was(
    app: App, settings: Settings, clock: Clock
) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    await learner.command("checkin")
    await learner.press("7")
    await learner.press("6")
    question = learner.last[-1].text
    await app.db.dispose()

    restarted = await build_app(settings, clock=clock)
    try:
        again = PlayedLearner(restarted.learner, user_id=learner.user_id, last=learner.last)
        for value in ("8", "5", "9"):
            await again.press(value)
        await again.press("Skip")
        assert await count(restarted, CheckinAnswer) == 5
        await again.command("mydata")
        assert "Check-ins: 1" in again.text()
        assert question  # the question we stopped at was on screen
    finally:
        await restarted.db.dispose()


async def test_a_disclosure_in_the_checkin_comment_interrupts_and_creates_one_alert(
    app: App,
) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    await checkin(learner)
    replies = await learner.say("my step dad hits me when he's drunk")
    assert await count(app, SafeguardingAlert) == 1  # persisted before the replies came back
    assert "999" in replies[1].text and "Childline" in replies[1].text  # the very next reply
    assert "Are you safe right now?" in learner.text()
    await learner.press("No")
    assert "call 999 now" in learner.text()
    await learner.press("Yes please")
    assert "safeguarding lead will be told" in learner.text()
    await learner.press("Carry on")
    assert "carry on where we were" not in learner.text()  # the comment is not asked again
    assert "Thank you!" in learner.text()  # the check-in carried on and was saved
    async with app.sessions() as session:
        alert = (await session.scalars(select(SafeguardingAlert))).one()
        checkin_row = (await session.scalars(select(Checkin))).one()
    assert alert.level in (RiskLevel.HIGH, RiskLevel.CRITICAL)
    assert "abuse" in alert.categories or "domestic_abuse" in alert.categories
    assert alert.year_group == 9 and alert.school_id is not None
    assert alert.contact_requested is True and alert.safe_now == "no"
    assert "hits me" in alert.excerpt and alert.channel == "telegram"
    assert checkin_row.comment is None  # the disclosure lives in the alert, not in voice data
    assert await count(app, SafeguardingAlert) == 1


async def test_a_welsh_disclosure_gets_a_welsh_reply(app: App) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner, "Cymraeg")
    replies = await learner.say("dwi isio lladd fy hun heno")
    assert "Diolch am ddweud wrtha i" in replies[0].text
    assert "999" in replies[1].text
    async with app.sessions() as session:
        alert = (await session.scalars(select(SafeguardingAlert))).one()
    assert alert.level is RiskLevel.CRITICAL and "suicide" in alert.categories


async def test_a_learner_without_a_school_gets_help_and_the_alert_goes_to_the_authority(
    app: App,
) -> None:
    learner = PlayedLearner(app.learner, user_id="2002")
    replies = await learner.say("i want to kill myself")
    assert "999" in replies[1].text
    async with app.sessions() as session:
        alert = (await session.scalars(select(SafeguardingAlert))).one()
    assert alert.school_id is None


async def test_figurative_speech_does_not_raise_an_alert(app: App) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    await learner.say("this homework is killing me lol")
    await learner.say("I'm dead 💀 that was so funny")
    assert await count(app, SafeguardingAlert) == 0


async def test_a_second_message_in_the_safety_conversation_does_not_duplicate_the_alert(
    app: App,
) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    await learner.say("they bully me every day at school")
    await learner.say("they bully me online too")
    assert await count(app, SafeguardingAlert) == 1
    await learner.say("and now I want to kill myself")
    async with app.sessions() as session:
        alert = (await session.scalars(select(SafeguardingAlert))).one()
    assert alert.level in (
        RiskLevel.HIGH,
        RiskLevel.CRITICAL,
    )  # raised, never a second alert, never lowered
    assert {"bullying", "suicide"} <= set(alert.categories)


async def test_after_a_concern_more_support_signposts_for_what_it_was_about(app: App) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    await learner.say("people at school keep bullying me every day")
    await learner.press("No thanks")
    await learner.press("More support")
    assert "•" in learner.text()  # matches for bullying, with how to reach them
    assert "Would you like to talk to someone at school?" in learner.text()


async def test_asking_for_help_in_a_comment_keeps_it_and_offers_support(app: App) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    await checkin(learner)
    await learner.say("i need someone to talk to")
    assert "Thank you!" in learner.text()
    assert "What would you like help with?" in learner.text()
    async with app.sessions() as session:
        checkin_row = (await session.scalars(select(Checkin))).one()
    assert checkin_row.comment == "i need someone to talk to"


async def test_distress_typed_at_a_button_question_gets_a_kind_answer_then_the_question(
    app: App,
) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner, "Cymraeg")
    await learner.command("mood")
    await learner.press("😢")
    await learner.say("dwi'n teimlo mor unig a does neb yn malio")
    assert "Sori, wnes i ddim deall" not in learner.text()
    await learner.press("Dim nawr")
    assert "awn ni ymlaen" in learner.text()  # back to the reasons question
    assert "Gwaith ysgol" in learner.labels()


async def test_stickers_and_unknown_commands_get_clear_replies(app: App) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    replies = await learner.sticker()
    assert "only read text" in replies[0].text
    replies = await learner.command("dance")
    assert "/checkin" in replies[0].text


async def test_mydata_and_delete(app: App) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    await checkin(learner)
    await learner.press("Skip")
    await learner.command("mydata")
    assert "Check-ins: 1" in learner.text() and "Ysgol Llais Demo" in learner.text()
    await learner.command("delete")
    await learner.press("Yes, erase it all")
    assert "erased" in learner.text()
    for model in (Person, Checkin, CheckinAnswer, MoodLog, ReplyAddress, ContactRequest):
        assert await count(app, model) == 0, model.__name__
    replies = await learner.say("hello")
    assert "Cymraeg" in [b.label for r in replies for row in r.buttons for b in row]


async def test_help_offers_matches_a_tip_and_a_school_contact_request(app: App) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    await learner.command("help")
    await learner.press("School work and exams")
    assert "•" in learner.text()  # contacts, one per line
    assert "💡" in learner.text()  # a Five Ways tip
    await learner.press("Talk to someone at school")
    assert "How would you like them to find you?" in learner.text()
    await learner.press("💬 Reply to me here")
    assert "wellbeing lead" in learner.text()
    assert await count(app, ContactRequest) == 1


async def test_no_message_text_in_logs(app: App, caplog: pytest.LogCaptureFixture) -> None:
    configure_logging(logging.DEBUG)  # even at DEBUG, as llais configures it
    quiet_library_loggers()
    caplog.set_level(logging.DEBUG)
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    secret = "my uncle touches me and says not to tell"
    await learner.say(secret)
    assert all(secret not in record.getMessage() for record in caplog.records)
    assert all("uncle" not in record.getMessage() for record in caplog.records)
