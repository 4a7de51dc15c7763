"""The dashboard's learner-voice pages (issue 13): check-in schedules, polls and "you said, we
did" posts. A school lead runs them for their own school; an officer sees every school's, and
creates and closes polls for any school; a DSL has no access (``core.access``).

Every write goes through ``llais.voice.admin``, the functions the CLI calls; every form needs
the page's CSRF token; every change is logged without personal data. A poll's results are shown
only as the published figures the close worked out (``llais.voice.results``), never answers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from core.access import DashboardRole, View, may_see
from core.vocabulary import Language
from flows.polls import PollDefinition
from llais.insight.service import names_of_schools
from llais.signposter import STAFF_SIGNPOSTS
from llais.voice import admin
from llais.voice.admin import HeldForConcern, VoiceInputError
from llais.voice.render import results_lines
from llais.voice.results import themer
from llais.voice.windows import WEEKDAYS
from nlu.themes import THEMES
from storage.models import Poll
from storage.repo import accounts
from storage.repo import voice as repo
from storage.repo.accounts import Account
from web.dashboard import auth
from web.deps import llais_app, page_language
from web.security import require_csrf

router = APIRouter()
MAX_POLL_FILE = 64_000  # characters of a poll definition
Problem = tuple[str, str, str]  # (field id, catalogue key, technical detail)


async def _allowed(request: Request) -> Account | Response:
    try:
        account = await auth.current_account(request)
    except auth.SignInRequired:
        return RedirectResponse("/login", status_code=303)
    refused = auth.denied(request, account, View.VOICE)
    return account if refused is None else refused


def _forbidden(request: Request, account: Account) -> Response:
    nav = [v for v in View if may_see(account.role, v)]
    return auth.page(request, "dashboard/forbidden.html", {"account": account, "nav": nav}, 403)


def _is_lead(account: Account) -> bool:
    return account.role is DashboardRole.SCHOOL_LEAD and account.school_id is not None


async def _posted(
    request: Request, *, lead_only: bool = False
) -> tuple[Account, FormData] | Response:
    """The signed-in account and its form, CSRF checked; a page instead when it may not post
    (``lead_only``: only a school lead, for their own school)."""
    account = await _allowed(request)
    if isinstance(account, Response):
        return account
    form = await request.form()
    require_csrf(request, form)
    if lead_only and not _is_lead(account):
        return _forbidden(request, account)
    return account, form


def _page(
    request: Request,
    account: Account,
    name: str,
    ctx: dict[str, Any],
    problems: list[Problem] | None = None,
) -> Response:
    values = {
        "account": account,
        "nav": [v for v in View if may_see(account.role, v)],
        "view": View.VOICE.value,
        "problems": problems or [],
        "is_lead": _is_lead(account),
        **ctx,
    }
    return auth.page(request, name, values, 400 if problems else 200)


async def _log(request: Request, account: Account, event: str, subject: str) -> None:
    async with llais_app(request).sessions() as session, session.begin():
        await accounts.log_event(
            session, event=event, now=request.app.state.clock(), account=account, subject=subject
        )


def _why(request: Request, exc: VoiceInputError) -> str:
    """What a page shows under a problem: the poll file's paths; for text held for a concern,
    the categories the detector saw in the page's language (and, when the words read as the
    writer's own, the staff wellbeing support)."""
    if not isinstance(exc, HeldForConcern):
        return exc.detail
    language = page_language(request)
    lines = [exc.screened.categories(language)]
    if exc.screened.own:
        signposter = llais_app(request).staff.signposter
        at = request.app.state.clock()
        lines.append(
            signposter.support_text(
                ["staff_wellbeing"], language, at, None, [], policy=STAFF_SIGNPOSTS
            )
        )
    return "\n\n".join(line for line in lines if line)


async def _held(request: Request, account: Account, exc: VoiceInputError, subject: str) -> str:
    """Record that text for learners was held (the event, never the text); the digest a
    "Publish anyway" carries back for exactly that text, or "" for any other problem."""
    if not isinstance(exc, HeldForConcern):
        return ""
    await _log(request, account, "voice_text_held", subject)
    return exc.digest


def _field(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


# ----- check-in schedules ------------------------------------------------------------------------


@router.get("/dashboard/voice", include_in_schema=False)
async def schedules_page(request: Request) -> Response:
    """Check-in invitation schedules: the lead's school's (with the form), or every school's."""
    account = await _allowed(request)
    if isinstance(account, Response):
        return account
    return await _schedules(request, account, [], {})


async def _schedules(
    request: Request, account: Account, problems: list[Problem], given: dict[str, Any]
) -> Response:
    app = llais_app(request)
    names = await names_of_schools(app.sessions, page_language(request).value)
    ids = [account.school_id] if account.school_id is not None else [int(k) for k in names]
    async with app.sessions() as session:
        rows = [
            (names.get(str(s.school_id), ""), s)
            for school_id in ids
            for s in await repo.school_schedules(session, school_id=school_id)
        ]
    return _page(
        request,
        account,
        "dashboard/voice_schedules.html",
        {"schedules": rows, "weekdays": WEEKDAYS, "years": list(admin.YEARS), "given": given},
        problems,
    )


@router.post("/dashboard/voice", include_in_schema=False)
async def create_schedule(request: Request) -> Response:
    """A school lead invites their learners to check in on some days at a time."""
    posted = await _posted(request, lead_only=True)
    if isinstance(posted, Response):
        return posted
    account, form = posted
    assert account.school_id is not None  # a school lead's own school
    app = llais_app(request)
    now = request.app.state.clock()
    days = [str(d) for d in form.getlist("days") if str(d) in WEEKDAYS]
    years = [int(str(y)) for y in form.getlist("years") if str(y).isdigit()]
    at, last = _field(form, "time"), _field(form, "until")
    given: dict[str, Any] = {"days": days, "years": years, "time": at, "until": last}
    try:
        until = date.fromisoformat(last) if last else None
    except ValueError:
        until = None
    try:
        checked = admin.check_schedule(
            days=",".join(days),
            at=at,
            years=years,
            until=until,
            today=now.astimezone(app.settings.tz).date(),
        )
    except VoiceInputError as exc:
        field = {"bad_days": "days", "bad_time": "time", "bad_years": "years"}.get(exc.key, "until")
        return await _schedules(request, account, [(f"schedule-{field}", exc.key, "")], given)
    async with app.sessions() as session, session.begin():
        schedule = await admin.add_schedule(
            session,
            app.settings,
            school_id=account.school_id,
            request=checked,
            window_minutes=None,
            now=now,
        )
        await accounts.log_event(
            session,
            event="voice_schedule_created",
            now=now,
            account=account,
            subject=f"schedule:{schedule.id}",
        )
    return RedirectResponse("/dashboard/voice", status_code=303)


# ----- polls -----------------------------------------------------------------------------------


def _status(poll: Poll, request: Request) -> str:
    now = request.app.state.clock()
    if poll.results_at is not None:
        return "closed"
    if now < poll.opens_at:
        return "scheduled"
    return "open" if now < poll.closes_at else "closing"


def _local(when: datetime, request: Request) -> str:
    """A stored time in the school's time zone (stored times are UTC)."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return aware.astimezone(llais_app(request).settings.tz).strftime("%Y-%m-%d %H:%M")


def _mine(poll: Poll, account: Account) -> bool:
    return account.school_id is None or account.school_id in poll.school_ids


def _may_close(poll: Poll, account: Account) -> bool:
    if poll.results_at is not None:
        return False
    return account.role is DashboardRole.OFFICER or poll.school_ids == [account.school_id]


def _results(
    poll: Poll, account: Account, names: dict[str, str], language: Language
) -> list[dict[str, Any]]:
    definition = PollDefinition.model_validate(poll.definition)
    shown = []
    for school, published in sorted(admin.school_results(poll, account.school_id).items()):
        met = bool(published.get("met"))
        shown.append(
            {
                "school": names.get(school, ""),
                "met": met,
                "answered": published.get("answered") if met else None,
                "lines": results_lines(definition, published, language).splitlines() if met else [],
            }
        )
    return shown


@router.get("/dashboard/voice/polls", include_in_schema=False)
async def polls_page(request: Request) -> Response:
    """Polls with their status; closed ones with their published results."""
    account = await _allowed(request)
    if isinstance(account, Response):
        return account
    return await _polls(request, account, [], "")


async def _polls(
    request: Request, account: Account, problems: list[Problem], given: str, held: str = ""
) -> Response:
    app = llais_app(request)
    language = page_language(request)
    names = await names_of_schools(app.sessions, language.value)
    async with app.sessions() as session:
        polls = [p for p in await repo.polls_after(session, poll_id=0) if _mine(p, account)]
    rows = []
    for poll in reversed(polls):
        definition = PollDefinition.model_validate(poll.definition)
        rows.append(
            {
                "poll": poll,
                "title": definition.title.get(language),
                "opens": _local(poll.opens_at, request),
                "closes": _local(poll.closes_at, request),
                "status": _status(poll, request),
                "schools": [names.get(str(s), "") for s in poll.school_ids],
                "may_close": _may_close(poll, account),
                "results": _results(poll, account, names, language),
            }
        )
    return _page(
        request,
        account,
        "dashboard/voice_polls.html",
        {
            "polls": rows,
            "schools": sorted(names.items(), key=lambda kv: kv[1]),
            "given": given,
            "confirm": held,
        },
        problems,
    )


async def _definition(form: FormData) -> str:
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_POLL_FILE * 4 + 1)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return "\ufffd"  # fails validation, naming the top of the file
    return _field(form, "definition")


@router.post("/dashboard/voice/polls", include_in_schema=False)
async def create_poll_form(request: Request) -> Response:
    """Create a poll from a pasted or uploaded YAML/JSON definition, checked by flows.polls."""
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    account, form = posted
    text = await _definition(form)
    if account.school_id is not None:
        schools = [account.school_id]
    else:
        schools = sorted({int(str(s)) for s in form.getlist("schools") if str(s).isdigit()})
    app = llais_app(request)
    now = request.app.state.clock()
    confirm = _field(form, "confirm")  # "Publish anyway" after a warning: that text's digest
    try:
        if len(text) > MAX_POLL_FILE:
            raise VoiceInputError("poll_long", "the definition is too long")
        poll = admin.check_poll(text, "poll")
        known = {int(k) for k in await names_of_schools(app.sessions, "en")}
        if not schools or not set(schools) <= known:
            raise VoiceInputError("no_schools", "a poll needs at least one school")
        async with app.sessions() as session, session.begin():
            stored = await admin.create_poll(
                session, app.understander, poll=poll, school_ids=schools, now=now, confirm=confirm
            )
            subject = f"poll:{stored.id}"
            await accounts.log_event(
                session, event="voice_poll_created", now=now, account=account, subject=subject
            )
            if admin.over_warning(confirm, admin.poll_texts(poll)):
                await accounts.log_event(
                    session, event="voice_text_confirmed", now=now, account=account, subject=subject
                )
    except VoiceInputError as exc:
        field = "poll-schools" if exc.key == "no_schools" else "poll-definition"
        held = await _held(request, account, exc, "poll")
        problems = [(field, exc.key, _why(request, exc))]
        return await _polls(request, account, problems, text[:MAX_POLL_FILE], held)
    return RedirectResponse("/dashboard/voice/polls", status_code=303)


@router.post("/dashboard/voice/polls/{poll_id}/close", include_in_schema=False)
async def close_poll_form(request: Request, poll_id: int) -> Response:
    """Close a poll now; its results are worked out and queued for learners (once)."""
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    account, _ = posted
    app = llais_app(request)
    async with app.sessions() as session:
        poll = await session.get(Poll, poll_id)
    if poll is None or not _mine(poll, account) or not _may_close(poll, account):
        return _forbidden(request, account)

    await admin.close_poll(
        app.settings,
        app.sessions,
        themer(app.understander),
        poll_id=poll_id,
        now=request.app.state.clock(),
    )
    await _log(request, account, "voice_poll_closed", f"poll:{poll_id}")
    return RedirectResponse("/dashboard/voice/polls", status_code=303)


# ----- "you said, we did" --------------------------------------------------------------------


@router.get("/dashboard/voice/yousaid", include_in_schema=False)
async def posts_page(request: Request) -> Response:
    """The school's posts (with the form), or every school's for an officer (read only)."""
    account = await _allowed(request)
    if isinstance(account, Response):
        return account
    return await _posts(request, account, [], {})


async def _posts(
    request: Request,
    account: Account,
    problems: list[Problem],
    given: dict[str, str],
    held: str = "",
) -> Response:
    app = llais_app(request)
    language = page_language(request)
    names = await names_of_schools(app.sessions, language.value)
    async with app.sessions() as session:
        posts = await repo.announcements(session, school_id=account.school_id, limit=200)
        rows = [
            {
                "post": post,
                "school": names.get(str(post.school_id), ""),
                "text": post.text_cy if language is Language.CY else post.text_en,
                "sent": (await repo.send_counts(session, campaign=f"yousaid:{post.id}")).get(
                    "sent", 0
                ),
            }
            for post in posts
        ]
        polls = [
            p
            for p in await repo.polls_after(session, poll_id=0)
            if account.school_id is not None and account.school_id in p.school_ids
        ]
    choices = [
        (p.id, PollDefinition.model_validate(p.definition).title.get(language)) for p in polls
    ]
    return _page(
        request,
        account,
        "dashboard/voice_yousaid.html",
        {"posts": rows, "polls": choices, "themes": THEMES, "given": given, "confirm": held},
        problems,
    )


@router.post("/dashboard/voice/yousaid", include_in_schema=False)
async def create_post(request: Request) -> Response:
    """A school lead shares what the school changed; learners get it once through the outbox."""
    posted = await _posted(request, lead_only=True)
    if isinstance(posted, Response):
        return posted
    account, form = posted
    assert account.school_id is not None  # a school lead's own school
    given = {k: _field(form, k) for k in ("en", "cy", "about")}
    about = given["about"]
    confirm = _field(form, "confirm")  # "Publish anyway" after a warning: that text's digest
    app = llais_app(request)
    now = request.app.state.clock()
    try:
        poll_id = int(about.removeprefix("poll:")) if about.startswith("poll:") else None
        theme = about.removeprefix("theme:") if about.startswith("theme:") else None
        if about and poll_id is None and theme is None:
            raise VoiceInputError("bad_theme", "choose a poll or a theme")
        async with app.sessions() as session, session.begin():
            post = await admin.post_you_said(
                session,
                app.understander,
                school_id=account.school_id,
                text_en=given["en"],
                text_cy=given["cy"],
                poll_id=poll_id,
                theme=theme,
                now=now,
                confirm=confirm,
            )
            subject = f"yousaid:{post.id}"
            await accounts.log_event(
                session, event="voice_post_created", now=now, account=account, subject=subject
            )
            if admin.over_warning(confirm, admin.post_texts(given["en"], given["cy"])):
                await accounts.log_event(
                    session, event="voice_text_confirmed", now=now, account=account, subject=subject
                )
    except (VoiceInputError, ValueError) as exc:
        if not isinstance(exc, VoiceInputError):
            return await _posts(request, account, [("post-about", "bad_theme", "")], given)
        field = "post-about" if exc.key in {"bad_theme", "post_poll"} else "post-en"
        held = await _held(request, account, exc, "yousaid")
        problems = [(field, exc.key, _why(request, exc))]
        return await _posts(request, account, problems, given, held)
    return RedirectResponse("/dashboard/voice/yousaid", status_code=303)
