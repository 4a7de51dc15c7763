"""The dashboard's learner-voice pages over real HTTP: a school lead sets check-in schedules,
creates, closes and reads polls and posts "you said, we did"; an officer sees every school's and
creates polls for any school; a DSL has no access. Each form: valid, invalid (a clear error in
the page's language), and without its CSRF token. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import html
import re
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from core.settings import Settings
from storage.db import make_engine, make_sessionmaker
from storage.models import Announcement, DashboardEvent, InviteSchedule, Person, Poll, PollAnswer
from tests.support.live_server import Serve
from tests.web.dashboard.support import LEAD_SCHOOL, ROLES, csrf, seed, signed_in
from web.app import create_web_app

SCHEDULE = {"days": ["mon", "thu"], "time": "10:30", "years": ["8", "9"], "until": "2030-07-20"}
POLL = """
poll:
  title: {en: "Homework", cy: "Gwaith cartref"}
  opens: 2026-11-24T09:00:00+00:00
  closes: 2030-11-30T16:00:00+00:00
  min_answers: 3
  questions:
    - id: amount
      type: choice
      text: {en: "How much homework do you get?", cy: "Faint o waith cartref rwyt ti'n ei gael?"}
      options:
        - {id: little, label: {en: "A little", cy: "Ychydig"}}
        - {id: lots, label: {en: "Lots", cy: "Llawer"}}
    - id: idea
      type: text
      text: {en: "What would help?", cy: "Beth fyddai'n helpu?"}
"""
POST = {
    "en": "We moved homework club to lunchtime.",
    "cy": "Symudon ni glwb gwaith cartref i amser cinio.",
}
SECRET_ANSWER = "my maths teacher shouts at me every single day"


@pytest.fixture
def ids(settings: Settings) -> dict[str, int]:
    found: dict[str, int] = asyncio.run(seed(settings.database_url))
    return found


@pytest.fixture
def base(serve: Serve, settings: Settings, ids: dict[str, int]) -> str:
    return serve(
        create_web_app(settings.model_copy(update={"dashboard_warm": False, "suppression_k": 3}))
    )


def _rows(url: str, model: type) -> list:  # type: ignore[type-arg]
    async def run() -> list:  # type: ignore[type-arg]
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session:
                return list((await session.execute(select(model))).scalars())
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _form(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    return csrf(page.text)


def _create_poll(client: httpx.Client, **extra: object) -> httpx.Response:
    token = _form(client, "/dashboard/voice/polls")
    return client.post(
        "/dashboard/voice/polls",
        data={"csrf": token, "definition": POLL, **extra},
    )


ROUTES = ["/dashboard/voice", "/dashboard/voice/polls", "/dashboard/voice/yousaid"]


@pytest.mark.parametrize("name", [None, *ROLES])
def test_every_role_on_every_voice_form(base: str, ids: dict[str, int], name: str | None) -> None:
    client = signed_in(base, name)
    token = csrf(client.get("/login").text)
    posts: dict[str, dict[str, object]] = {
        "/dashboard/voice": {**SCHEDULE},
        # the school is ignored for a lead (their own school) and chosen by an officer
        "/dashboard/voice/polls": {"definition": POLL, "schools": [str(ids["AAA"])]},
        "/dashboard/voice/yousaid": {**POST},
    }
    expected = {
        None: {path: 303 for path in posts},
        "officer": {
            "/dashboard/voice": 403,
            "/dashboard/voice/polls": 303,
            "/dashboard/voice/yousaid": 403,
        },
        "lead": {path: 303 for path in posts},
        "dsl": {path: 403 for path in posts},
    }[name]
    for path, data in posts.items():
        answer = client.post(path, data={"csrf": token, **data})
        assert answer.status_code == expected[path], (name, path, answer.status_code)
        if name is None:
            assert answer.headers["location"] == "/login"
    answer = client.post("/dashboard/voice/polls/1/close", data={"csrf": token})
    closing = {None: 303, "officer": 303, "lead": 303, "dsl": 403}[name]
    assert answer.status_code == closing
    for path in ROUTES:  # the pages are in the role matrix test (test_access) as well
        status = client.get(path).status_code
        assert status == {None: 303, "officer": 200, "lead": 200, "dsl": 403}[name], path


def test_a_lead_sets_a_schedule_and_an_officer_sees_it(
    base: str, settings: Settings, ids: dict[str, int]
) -> None:
    lead = signed_in(base, "lead")
    assert lead.post("/dashboard/voice", data=SCHEDULE).status_code == 403  # no CSRF token
    token = _form(lead, "/dashboard/voice")
    answer = lead.post("/dashboard/voice", data={"csrf": token, **SCHEDULE})
    assert answer.status_code == 303
    (stored,) = _rows(settings.database_url, InviteSchedule)
    assert stored.school_id == ids[LEAD_SCHOOL] and stored.weekdays == [0, 3]
    assert stored.at_time == "10:30" and stored.year_groups == [8, 9]
    assert stored.window_minutes == settings.invite_window_minutes
    page = lead.get("/dashboard/voice").text
    assert "Monday, Thursday" in page and "2030-07-20" in page
    officer = signed_in(base, "officer", **{"accept-language": "cy"})
    page = officer.get("/dashboard/voice").text
    assert "Dydd Llun, Dydd Iau" in page and f"Ysgol {LEAD_SCHOOL}" in page
    assert 'action="/dashboard/voice"' not in page  # officers read schedules, leads set them
    events = [
        e for e in _rows(settings.database_url, DashboardEvent) if e.event.startswith("voice")
    ]
    assert [(e.event, e.subject) for e in events] == [
        ("voice_schedule_created", f"schedule:{stored.id}")
    ]


@pytest.mark.parametrize(
    ("change", "english", "welsh"),
    [
        ({"days": []}, "Choose at least one day", "Dewiswch o leiaf un diwrnod"),
        ({"time": "half ten"}, "Enter a time like 10:30", "Rhowch amser fel 10:30"),
        (
            {"years": ["14"]},
            "Year groups run from 7 to 13",
            "Mae grwpiau blwyddyn yn mynd o 7 i 13",
        ),
        ({"until": "2020-01-01"}, "cannot be in the past", "Ni all y diwrnod olaf fod"),
        ({"until": "soon"}, "Enter the last day as a date", "Rhowch y diwrnod olaf fel dyddiad"),
    ],
)
def test_a_wrong_schedule_is_refused_in_the_pages_language(
    base: str, settings: Settings, change: dict[str, object], english: str, welsh: str
) -> None:
    for language, words in (("en", english), ("cy", welsh)):
        lead = signed_in(base, "lead", **{"accept-language": language})
        token = _form(lead, "/dashboard/voice")
        answer = lead.post("/dashboard/voice", data={"csrf": token, **SCHEDULE, **change})
        assert answer.status_code == 400
        assert ("There is a problem" if language == "en" else "Mae problem") in answer.text
        assert words in answer.text and "govuk-error-summary" in answer.text
    assert _rows(settings.database_url, InviteSchedule) == []


def test_polls_are_created_by_paste_or_upload_and_seen_by_the_right_schools(
    base: str, settings: Settings, ids: dict[str, int]
) -> None:
    lead = signed_in(base, "lead")
    assert lead.post("/dashboard/voice/polls", data={"definition": POLL}).status_code == 403
    assert _create_poll(lead).status_code == 303
    officer = signed_in(base, "officer")
    token = _form(officer, "/dashboard/voice/polls")
    upload = officer.post(
        "/dashboard/voice/polls",
        data={"csrf": token, "schools": [str(ids["AAA"])]},
        files={"file": ("poll.yml", POLL.replace("Homework", "Lunch").encode(), "text/yaml")},
    )
    assert upload.status_code == 303
    polls = sorted(_rows(settings.database_url, Poll), key=lambda p: p.id)
    assert [p.school_ids for p in polls] == [[ids[LEAD_SCHOOL]], [ids["AAA"]]]
    assert polls[0].min_answers == 3 and polls[0].definition["title"]["en"] == "Homework"
    mine = lead.get("/dashboard/voice/polls").text
    assert "Homework" in mine and "Lunch" not in mine and "Open" in mine
    assert "2026-11-24 09:00" in mine and "2030-11-30 16:00" in mine  # London time (GMT)
    every = officer.get("/dashboard/voice/polls").text
    assert "Homework" in every and "Lunch" in every
    assert lead.post(f"/dashboard/voice/polls/{polls[0].id}/close").status_code == 403  # no CSRF
    # a lead cannot close a poll of another school
    token = _form(lead, "/dashboard/voice/polls")
    assert (
        lead.post(f"/dashboard/voice/polls/{polls[1].id}/close", data={"csrf": token}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("definition", "path"),
    [
        (POLL.replace("  title:", "  name:"), "poll.title"),
        (POLL.replace("type: choice", "type: ranking"), "poll.questions.0"),
        ("poll: [unclosed", "not valid YAML or JSON"),
    ],
)
def test_a_wrong_poll_is_refused_naming_the_path(
    base: str, settings: Settings, definition: str, path: str
) -> None:
    for language, words in (("en", "The poll definition is not valid"), ("cy", "Nid yw diffiniad")):
        lead = signed_in(base, "lead", **{"accept-language": language})
        token = _form(lead, "/dashboard/voice/polls")
        answer = lead.post("/dashboard/voice/polls", data={"csrf": token, "definition": definition})
        assert answer.status_code == 400
        assert words in answer.text and path in answer.text
    assert _rows(settings.database_url, Poll) == []


def _answers(url: str, poll_id: int, school_id: int) -> None:
    async def run() -> None:
        engine = make_engine(url)
        now = datetime(2026, 11, 26, 12, tzinfo=UTC)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                people = await session.scalars(
                    select(Person).where(Person.school_id == school_id).limit(6)
                )
                for person, value in zip(people, ["lots", "little"] * 3, strict=True):
                    ref = person.ref
                    for question, chosen, text in (
                        ("amount", value, None),
                        ("idea", None, SECRET_ANSWER),
                    ):
                        session.add(
                            PollAnswer(
                                poll_id=poll_id,
                                person_ref=ref,
                                school_id=school_id,
                                year_group=8,
                                question_id=question,
                                value=chosen,
                                text=text,
                                answered_at=now,
                            )
                        )
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_a_closed_poll_shows_only_its_published_results(
    base: str, settings: Settings, ids: dict[str, int]
) -> None:
    lead = signed_in(base, "lead")
    assert _create_poll(lead).status_code == 303
    (poll,) = _rows(settings.database_url, Poll)
    _answers(settings.database_url, poll.id, ids[LEAD_SCHOOL])
    token = _form(lead, "/dashboard/voice/polls")
    assert (
        lead.post(f"/dashboard/voice/polls/{poll.id}/close", data={"csrf": token}).status_code
        == 303
    )
    page = lead.get("/dashboard/voice/polls").text
    assert "Published results: Homework" in page and "6 learners answered" in page
    # the same published figures learners get: counts rounded as everywhere on the dashboard
    assert "• A little: 5<" in page and "• Lots: 5<" in page
    assert SECRET_ANSWER not in page and "Close now" not in page
    (closed,) = _rows(settings.database_url, Poll)
    assert closed.results_at is not None
    assert all(a.text is None for a in _rows(settings.database_url, PollAnswer))
    welsh = signed_in(base, "officer", **{"accept-language": "cy"}).get("/dashboard/voice/polls")
    assert "Canlyniadau a gyhoeddwyd: Gwaith cartref" in welsh.text and "• Llawer: 5<" in welsh.text
    events = {e.event for e in _rows(settings.database_url, DashboardEvent)}
    assert {"voice_poll_created", "voice_poll_closed"} <= events


def test_a_poll_below_its_minimum_shows_no_figures(
    base: str, settings: Settings, ids: dict[str, int]
) -> None:
    lead = signed_in(base, "lead")
    assert _create_poll(lead).status_code == 303
    (poll,) = _rows(settings.database_url, Poll)
    token = _form(lead, "/dashboard/voice/polls")
    lead.post(f"/dashboard/voice/polls/{poll.id}/close", data={"csrf": token})
    page = lead.get("/dashboard/voice/polls").text
    assert "No school sent any answers" in page and "%" not in page.split("Published results")[1]


def test_a_lead_posts_you_said_we_did_and_officers_read_every_schools(
    base: str, settings: Settings, ids: dict[str, int]
) -> None:
    lead = signed_in(base, "lead")
    assert lead.post("/dashboard/voice/yousaid", data=POST).status_code == 403  # no CSRF token
    token = _form(lead, "/dashboard/voice/yousaid")
    answer = lead.post(
        "/dashboard/voice/yousaid", data={"csrf": token, **POST, "about": "theme:sleep"}
    )
    assert answer.status_code == 303
    assert POST["en"] in lead.get("/dashboard/voice/yousaid").text
    officer = signed_in(base, "officer", **{"accept-language": "cy"})
    page = officer.get("/dashboard/voice/yousaid").text
    assert POST["cy"] in page and f"Ysgol {LEAD_SCHOOL}" in page
    assert 'action="/dashboard/voice/yousaid"' not in page  # read only
    for language, words in (
        ("en", "Enter the text in English and in Welsh"),
        ("cy", "Rhowch y testun yn Saesneg ac yn Gymraeg"),
    ):
        client = signed_in(base, "lead", **{"accept-language": language})
        token = _form(client, "/dashboard/voice/yousaid")
        answer = client.post(
            "/dashboard/voice/yousaid", data={"csrf": token, "en": POST["en"], "cy": " "}
        )
        assert answer.status_code == 400 and words in answer.text
    token = _form(lead, "/dashboard/voice/yousaid")
    answer = lead.post(
        "/dashboard/voice/yousaid", data={"csrf": token, **POST, "about": "poll:999"}
    )
    assert answer.status_code == 400 and "That poll was not asked at your school" in answer.text


def _held_events(url: str) -> list[DashboardEvent]:
    return [e for e in _rows(url, DashboardEvent) if e.event == "voice_text_held"]


def test_a_post_with_a_concern_in_it_is_held_and_said_why_in_the_pages_language(
    base: str, settings: Settings
) -> None:
    about_a_learner = "A learner told us their brother has been cutting himself."
    client = signed_in(base, "lead")
    token = _form(client, "/dashboard/voice/yousaid")
    answer = client.post(
        "/dashboard/voice/yousaid", data={"csrf": token, "en": about_a_learner, "cy": POST["cy"]}
    )
    assert answer.status_code == 400
    assert "Not saved yet: the safeguarding check reads something" in answer.text
    assert "Self-harm" in answer.text
    assert "Education Support" not in answer.text  # about someone else: no support offered
    assert about_a_learner in answer.text  # kept in the box to be reworded

    # the writer's own words, on a Welsh page: held, said in Welsh, with staff support
    client = signed_in(base, "lead", **{"accept-language": "cy"})
    token = _form(client, "/dashboard/voice/yousaid")
    answer = client.post(
        "/dashboard/voice/yousaid",
        data={"csrf": token, "en": POST["en"], "cy": "Rydw i eisiau marw"},
    )
    assert answer.status_code == 400
    said = html.unescape(answer.text)
    assert "Heb ei gadw eto: mae'r gwiriad diogelu" in said
    assert "Os yw'r geiriau hyn amdanoch chi" in said and "Hunanladdiad" in said
    assert "Education Support" in said  # the staff wellbeing service, from the directory
    assert _rows(settings.database_url, Announcement) == []  # neither stored, so neither sent
    held = _held_events(settings.database_url)
    assert [e.subject for e in held] == ["yousaid", "yousaid"]  # recorded, without the text


def test_a_poll_with_a_concern_in_its_wording_is_held(base: str, settings: Settings) -> None:
    worded = POLL.replace("A little", "Enough to make me want to kill myself")
    for language, words in (("en", "Not saved"), ("cy", "Heb ei gadw")):
        client = signed_in(base, "lead", **{"accept-language": language})
        token = _form(client, "/dashboard/voice/polls")
        answer = client.post("/dashboard/voice/polls", data={"csrf": token, "definition": worded})
        assert answer.status_code == 400 and words in answer.text, answer.text[-2000:]
    assert _rows(settings.database_url, Poll) == []
    assert len(_held_events(settings.database_url)) == 2
    # the same poll in ordinary words is stored (the check holds concerns, not polls)
    assert _create_poll(signed_in(base, "lead")).status_code == 303
    assert len(_rows(settings.database_url, Poll)) == 1


def _confirm(page: str) -> str:
    """The digest a "Publish anyway" button carries back (the warning was given for it)."""
    found = re.search(r'name="confirm" value="([0-9a-f]+)"', page)
    assert found is not None, "no Publish anyway on the page"
    return found.group(1)


def _events(url: str, name: str) -> list[DashboardEvent]:
    return [e for e in _rows(url, DashboardEvent) if e.event == name]


# a school answering what learners raised: the detector reads bullying in it (medium)
ANSWERED = {
    "en": "You said you have been bullied at school; we have put staff on each bus.",
    "cy": "Dywedoch chi fod bwlio ar y bysiau yn eich poeni; rydyn ni wedi rhoi staff ar bob bws.",
}


@pytest.mark.parametrize(
    ("language", "warned", "button"),
    [("en", "Not saved yet", "Publish anyway"), ("cy", "Heb ei gadw eto", "Cyhoeddi beth bynnag")],
)
def test_a_post_warned_about_is_published_only_when_confirmed_for_those_exact_words(
    base: str, settings: Settings, language: str, warned: str, button: str
) -> None:
    client = signed_in(base, "lead", **{"accept-language": language})
    token = _form(client, "/dashboard/voice/yousaid")
    answer = client.post("/dashboard/voice/yousaid", data={"csrf": token, **ANSWERED})
    assert answer.status_code == 400 and warned in html.unescape(answer.text)
    assert button in answer.text and ANSWERED["en"] in html.unescape(answer.text)
    digest = _confirm(answer.text)
    # without the confirmation nothing is stored, so nothing is sent
    again = client.post("/dashboard/voice/yousaid", data={"csrf": token, **ANSWERED})
    assert again.status_code == 400 and _rows(settings.database_url, Announcement) == []
    # the confirmation is bound to the text: an edited text is read again, and warned again
    edited = {**ANSWERED, "en": ANSWERED["en"].replace("each bus", "every bus")}
    answer = client.post(
        "/dashboard/voice/yousaid", data={"csrf": token, **edited, "confirm": digest}
    )
    assert answer.status_code == 400 and warned in html.unescape(answer.text)
    assert _rows(settings.database_url, Announcement) == []
    assert _confirm(answer.text) != digest
    # confirmed for exactly the words warned about: published, recorded without the text
    answer = client.post(
        "/dashboard/voice/yousaid", data={"csrf": token, **ANSWERED, "confirm": digest}
    )
    assert answer.status_code == 303
    stored = _rows(settings.database_url, Announcement)
    assert [(p.text_en, p.text_cy) for p in stored] == [(ANSWERED["en"], ANSWERED["cy"])]
    confirmed = _events(settings.database_url, "voice_text_confirmed")
    assert [e.subject for e in confirmed] == [f"yousaid:{stored[0].id}"]
    assert len(_events(settings.database_url, "voice_text_held")) == 3
    assert all("bus" not in (e.subject or "") for e in _rows(settings.database_url, DashboardEvent))


def test_a_poll_warned_about_is_stored_when_confirmed_and_read_again_when_edited(
    base: str, settings: Settings
) -> None:
    bullied = "Have you been bullied at school this term?"  # medium (bullying) to the detector
    asked = POLL.replace("How much homework do you get?", bullied)
    for language, button in (("en", "Publish anyway"), ("cy", "Cyhoeddi beth bynnag")):
        client = signed_in(base, "lead", **{"accept-language": language})
        token = _form(client, "/dashboard/voice/polls")
        answer = client.post("/dashboard/voice/polls", data={"csrf": token, "definition": asked})
        assert answer.status_code == 400 and button in answer.text
        digest = _confirm(answer.text)
        edited = asked.replace("this term", "this year")
        answer = client.post(
            "/dashboard/voice/polls", data={"csrf": token, "definition": edited, "confirm": digest}
        )
        assert answer.status_code == 400 and button in answer.text  # read again, warned again
        assert _rows(settings.database_url, Poll) == []
    answer = client.post(
        "/dashboard/voice/polls", data={"csrf": token, "definition": asked, "confirm": digest}
    )
    assert answer.status_code == 303
    polls = _rows(settings.database_url, Poll)
    assert len(polls) == 1
    confirmed = _events(settings.database_url, "voice_text_confirmed")
    assert [e.subject for e in confirmed] == [f"poll:{polls[0].id}"]
