"""Issue 8, conversation half: the safety conversation keeps everything a learner says.

Each defect in the issue has a conversation here in English and in Welsh, over the real engine,
the real detector and a real database (SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.vocabulary import Category, Language, RiskLevel
from llais.alerts.render import AlertView, render_alert
from llais.app import App
from signposting.directory import Directory
from storage.models import ContactRequest, ConversationStateRow, SafeguardingAlert
from tests.conftest import Clock
from tests.llais.test_conversation import count, enrol
from tests.support.learner import PlayedLearner

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
LOW_MOOD = {"en": "I'm sorry you're feeling low", "cy": "Mae'n ddrwg gen i"}
SAFE_QUESTION = {"en": "Are you safe right now?", "cy": "Wyt ti'n ddiogel ar hyn o bryd?"}
CALL_999_NOW = {"en": "please call 999 now", "cy": "ffonia 999 nawr"}
DISCLOSURE = {
    "en": "my step dad hits me when he's drunk",
    "cy": "mae fy llystad yn fy nharo i bob nos",
}


async def the_alert(app: App) -> SafeguardingAlert:
    async with app.sessions() as session:
        return (await session.scalars(select(SafeguardingAlert))).one()


async def learner_in(app: App, lang: str, user_id: str = "1001") -> PlayedLearner:
    learner = PlayedLearner(app.learner, user_id=user_id)
    await enrol(learner, LANGUAGES[lang])
    return learner


# ----- typed answers to "are you safe right now?" ---------------------------------------------
@pytest.mark.parametrize(
    ("lang", "answer", "safe_now"),
    [
        ("en", "i am not safe", "no"),
        ("en", "not really", "no"),
        ("en", "yes im ok", "yes"),
        ("cy", "dw i ddim yn ddiogel", "no"),
        ("cy", "ydw", "yes"),
        ("cy", "dwi'n iawn", "yes"),
    ],
)
async def test_typed_answers_to_are_you_safe_are_understood(
    app: App, lang: str, answer: str, safe_now: str
) -> None:
    learner = await learner_in(app, lang)
    await learner.say(DISCLOSURE[lang])
    assert SAFE_QUESTION[lang] in learner.text()
    await learner.say(answer)
    assert LOW_MOOD[lang] not in learner.text()
    assert (CALL_999_NOW[lang] in learner.text()) is (safe_now == "no")
    alert = await the_alert(app)
    assert alert.safe_now == safe_now
    assert await count(app, SafeguardingAlert) == 1


# ----- a further disclosure is acknowledged and added ------------------------------------------
@pytest.mark.parametrize(
    ("lang", "further", "noted"),
    [
        ("en", "he also locks me in my room", "Thank you for telling me that"),
        ("cy", "mae e'n fy nghloi i yn fy stafell", "Diolch am ddweud hynny wrtha i"),
    ],
)
async def test_a_further_disclosure_at_the_safety_question_is_kept(
    app: App, lang: str, further: str, noted: str
) -> None:
    learner = await learner_in(app, lang)
    await learner.say(DISCLOSURE[lang])
    await learner.say(further)
    assert noted in learner.text()
    assert SAFE_QUESTION[lang] in learner.text()  # asked again, not lost
    alert = await the_alert(app)
    assert alert.excerpts == [DISCLOSURE[lang], further]
    await learner.press("No" if lang == "en" else "Nac ydw")
    assert (await the_alert(app)).safe_now == "no"
    assert await count(app, SafeguardingAlert) == 1


@pytest.mark.parametrize(
    ("lang", "first", "worse"),
    [
        ("en", "they bully me every day at school", "and now I want to kill myself"),
        ("cy", "maen nhw'n fy mwlio i bob dydd yn yr ysgol", "a nawr dw i eisiau lladd fy hun"),
    ],
)
async def test_a_more_serious_disclosure_raises_the_alert_and_keeps_both_excerpts(
    app: App, lang: str, first: str, worse: str
) -> None:
    learner = await learner_in(app, lang)
    await learner.say(first)
    await learner.say(worse)
    assert SAFE_QUESTION[lang] in learner.text()  # the stronger reply, at once
    alert = await the_alert(app)
    assert alert.level >= RiskLevel.HIGH
    assert {Category.BULLYING, Category.SUICIDE} <= set(alert.categories)
    assert alert.excerpts == [first, worse]
    rendered = render_alert(
        AlertView.of(alert, None),
        Language.EN,
        tz=ZoneInfo("Europe/London"),
        minutes=15,
        authority="RCT",
    ).text
    assert f"“{first}”" in rendered and f"“{worse}”" in rendered


# ----- about someone else ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "text", "help_line", "told"),
    [
        (
            "en",
            "My mate said she's going to kill herself tonight",
            "If they might be in danger right now, call 999",
            "school's safeguarding lead will be told",
        ),
        (
            "cy",
            "mae fy ffrind wedi dweud ei bod hi'n mynd i ladd ei hun heno",
            "Os ydyn nhw mewn perygl efallai ar hyn o bryd, ffonia 999",
            "bydd arweinydd diogelu dy ysgol yn cael gwybod",
        ),
    ],
)
async def test_a_concern_about_a_friend_has_its_own_path_and_is_marked_for_the_dsl(
    app: App, lang: str, text: str, help_line: str, told: str
) -> None:
    learner = await learner_in(app, lang)
    await learner.say(text)
    said = learner.text()
    assert help_line in said and told in said
    assert "Childline" in said  # advice about a friend
    assert SAFE_QUESTION[lang] not in said  # never "are YOU safe"
    alert = await the_alert(app)
    assert alert.about_other is True and alert.safe_now is None
    assert alert.level is RiskLevel.CRITICAL and Category.SUICIDE in alert.categories
    for language in Language:
        rendered = render_alert(
            AlertView.of(alert, ("Ysgol Llais Demo", "Ysgol Llais Demo")),
            language,
            tz=ZoneInfo("Europe/London"),
            minutes=15,
            authority="RCT",
        ).text
        marker = "ABOUT SOMEONE ELSE" if language is Language.EN else "AM RYWUN ARALL"
        not_asked = "not asked" if language is Language.EN else "heb ofyn"
        assert marker in rendered and not_asked in rendered
    await learner.press("I'm OK" if lang == "en" else "Dw i'n iawn")
    assert "/help" in learner.text()


# ----- the whole message, however long --------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "filler", "disclosure", "cue"),
    [
        ("en", "today was ok i guess. ", "and honestly i want to kill myself", "kill myself"),
        ("cy", "roedd heddiw'n iawn. ", "a dweud y gwir dw i eisiau lladd fy hun", "lladd fy hun"),
    ],
)
async def test_a_disclosure_at_the_end_of_a_long_message_is_caught_and_excerpted(
    app: App, lang: str, filler: str, disclosure: str, cue: str
) -> None:
    learner = await learner_in(app, lang)
    text = filler * (4050 // len(filler)) + disclosure  # past the old 4,000-character cut
    assert len(text) > 4000
    await learner.say(text)
    alert = await the_alert(app)
    assert alert.level >= RiskLevel.HIGH and Category.SUICIDE in alert.categories
    assert cue in alert.excerpt and len(alert.excerpt) <= 500
    assert alert.excerpt.startswith("…")  # centred on the cue, not the first 500 characters


# ----- context: a disclosure split over messages ------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "messages", "category"),
    [
        (
            "en",
            (
                "mum hasnt been home since tuesday",
                "theres no food left",
            ),
            Category.ABUSE,
        ),
        (
            "cy",
            ("mewn parti rwan", "nath ffrind fi gymryd rwbath gan ryw hogyn"),
            Category.SUBSTANCE,
        ),
    ],
)
async def test_a_disclosure_split_over_messages_is_caught_and_graded_as_one(
    app: App, lang: str, messages: tuple[str, ...], category: Category
) -> None:
    learner = await learner_in(app, lang)
    for message in messages[:-1]:
        await learner.say(message)
    assert await count(app, SafeguardingAlert) == 0  # nothing alone is a concern
    await learner.say(messages[-1])
    alert = await the_alert(app)
    assert alert.level >= RiskLevel.HIGH and category in alert.categories
    assert "context" in alert.cues
    assert all(message in alert.excerpt for message in messages)  # the DSL sees it whole


async def test_context_expires_with_the_session(app: App, clock: Clock) -> None:
    learner = await learner_in(app, "en")
    await learner.say("mum hasnt been home since tuesday")
    clock.now += timedelta(hours=2)
    await learner.say("theres no food left")
    assert await count(app, SafeguardingAlert) == 0


# ----- the uncertain band asks instead of guessing -----------------------------------------------
@pytest.mark.parametrize(
    ("lang", "text", "question", "yes", "category"),
    [
        (
            "en",
            "sometimes i dont eat for days",
            "Are you skipping meals, or making yourself sick?",
            "Yes",
            Category.EATING,
        ),
        ("cy", "mae pethau'n anodd adref", "Oes rhywun yn dy frifo di", "oes", Category.ABUSE),
    ],
)
async def test_a_yes_to_the_check_question_escalates_at_once(
    app: App, lang: str, text: str, question: str, yes: str, category: Category
) -> None:
    learner = await learner_in(app, lang)
    await learner.say(text)
    assert question in learner.text()
    assert LOW_MOOD[lang] not in learner.text()
    assert await count(app, SafeguardingAlert) == 0  # no alert for the question alone
    if yes in learner.labels():
        await learner.press(yes)
    else:
        await learner.say(yes)  # typed, as Welsh speakers answer "Oes rhywun...?"
    alert = await the_alert(app)
    assert alert.level >= RiskLevel.HIGH and category in alert.categories
    assert text in alert.excerpt and question in alert.excerpt
    assert "999" in learner.text() and SAFE_QUESTION[lang] in learner.text()


@pytest.mark.parametrize(
    ("lang", "text", "no", "thanks"),
    [
        ("en", "sometimes i dont eat for days", "no", "OK, thank you for telling me"),
        ("cy", "mae pethau'n anodd adref", "nac oes", "Iawn, diolch am ddweud wrtha i"),
    ],
)
async def test_a_no_to_the_check_question_raises_nothing_and_carries_on(
    app: App, lang: str, text: str, no: str, thanks: str
) -> None:
    learner = await learner_in(app, lang)
    await learner.say(text)
    await learner.say(no)
    assert thanks in learner.text()
    assert await count(app, SafeguardingAlert) == 0
    async with app.sessions() as session:
        row = (await session.scalars(select(ConversationStateRow))).one()
    assert "checked" not in str(row.state.get("current") or "")  # its copy of the text is gone


# ----- contacts never empty; follow-up by the most serious category -----------------------------
@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_crisis_reply_falls_back_to_built_in_lines(app: App, lang: str) -> None:
    signposter = app.learner.signposter
    loaded = signposter.directory
    kept = tuple(s for s in loaded.services if s.crisis_rank is None)
    signposter.directory = Directory(
        loaded.document.model_copy(update={"services": kept}), loaded.tz, "no crisis lines"
    )
    try:
        learner = await learner_in(app, lang)
        await learner.say(DISCLOSURE[lang])
    finally:
        signposter.directory = loaded
    contacts = learner.last[1].text
    assert "999" in contacts and "0800 1111" in contacts and "116 123" in contacts


@pytest.mark.parametrize(
    ("lang", "text", "wanted", "unwanted"),
    [
        ("en", "I've been saving up my pills", "116 123", "DAN 24/7"),
        ("cy", "dw i wedi bod yn casglu tabledi", "116 123", "DAN 24/7"),
        (
            "en",
            "someone online has pics of me and says he'll send them to everyone unless i send more",
            "CEOP Safety Centre",
            "💡",
        ),
        (
            "cy",
            "mae rhywun ar-lein efo lluniau ohona i ac yn dweud y bydd e'n eu hanfon at bawb "
            "os na wna i anfon mwy",
            "Canolfan Ddiogelwch CEOP",
            "💡",
        ),
    ],
)
async def test_more_support_follows_the_most_serious_category_without_tips_or_unchecked_numbers(
    app: App, lang: str, text: str, wanted: str, unwanted: str
) -> None:
    en = lang == "en"
    learner = await learner_in(app, lang)
    await learner.say(text)
    crisis_reply = learner.text()
    await learner.press("Yes" if en else "Ydw")
    await learner.press("No thanks" if en else "Dim diolch")
    await learner.press("More support" if en else "Rhagor o gymorth")
    follow_up = learner.text()
    assert wanted in follow_up and unwanted not in follow_up
    assert "💡" not in follow_up  # no Five Ways tip after a high or critical concern
    if "CEOP" in wanted:
        assert "Report Remove" in follow_up
    for said in (crisis_reply, follow_up):
        assert "still to be confirmed" not in said
        assert "still being checked" not in said and "dal i gael eu gwirio" not in said


# ----- neutral text is neutral ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("en", "hello"),
        ("en", "ok"),
        ("en", "thanks"),
        ("en", "not really"),
        ("en", "👍"),
        ("en", "DEMO-Y9"),
        ("cy", "diolch"),
        ("cy", "dw i'n hapus"),
        ("cy", "iawn"),
        ("cy", "na"),
    ],
)
async def test_neutral_text_typed_mid_question_is_not_low_mood(
    app: App, lang: str, typed: str
) -> None:
    learner = await learner_in(app, lang)
    await learner.command("mood")
    await learner.say(typed)
    assert LOW_MOOD[lang] not in learner.text()
    assert await count(app, SafeguardingAlert) == 0


@pytest.mark.parametrize(
    ("lang", "text", "offer", "yes"),
    [
        (
            "en",
            "I want to talk to someone at school",
            "How would you like them to find you?",
            "💬 Reply to me here",
        ),
        (
            "cy",
            "dw i eisiau siarad â rhywun yn yr ysgol",
            "Sut hoffet ti iddyn nhw ddod o hyd i ti?",
            "💬 Ateb fi yma",
        ),
    ],
)
async def test_asking_for_someone_at_school_is_help_seeking_not_a_concern(
    app: App, lang: str, text: str, offer: str, yes: str
) -> None:
    learner = await learner_in(app, lang)
    await learner.say(text)
    assert offer in learner.text()
    assert LOW_MOOD[lang] not in learner.text()
    await learner.press(yes)
    assert await count(app, SafeguardingAlert) == 0
    assert await count(app, ContactRequest) == 1


async def test_recent_messages_are_purged_when_the_session_has_expired(
    app: App, clock: Clock
) -> None:
    from storage.repo.retention import purge_recent_messages

    learner = await learner_in(app, "cy")
    await learner.say("mae pethau'n anodd adref")
    async with app.sessions() as session, session.begin():
        assert await purge_recent_messages(session, before=clock.now) == 0  # still in session
        assert await purge_recent_messages(session, before=clock.now + timedelta(hours=1)) == 1
    async with app.sessions() as session:
        row = (await session.scalars(select(ConversationStateRow))).one()
    assert row.state["recent"] == [] and "anodd" not in str(row.state.get("recent"))
