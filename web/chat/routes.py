"""The chat pages: ``GET /chat`` (the conversation and one form), ``POST /chat`` (post, redirect,
get; or, from htmx, just the new messages), the crisis contacts, quick exit and forgetting the
device. Learner text never goes into a URL or a log line."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.vocabulary import Language, parse_language
from llais.signposter import LEARNER_SIGNPOSTS
from storage.availability import unavailable
from web.chat.conversation import ChatUnavailable, Posted, StaleChoice, WebChat, outage_view
from web.chat.device import device_id, forget_device, new_device_id, remember_device
from web.deps import llais_app, page_language
from web.pages import safe_next, set_language_cookie
from web.security import SESSION_COOKIE, RateLimiter, page_session, require_csrf
from web.templating import render, translator

log = logging.getLogger(__name__)

router = APIRouter()

FORM_TYPE = "application/x-www-form-urlencoded"
# notices while the database cannot be reached (chat.yml)
OUTAGE = "chat.outage_page"
OUTAGE_KEPT = "chat.outage_kept"
OUTAGE_RETRY = "chat.outage_retry"
ERASED_PATH = "/chat/erased"
FALLBACK_CONTACTS = (
    "chat.help_fallback_childline",
    "chat.help_fallback_meic",
    "chat.help_fallback_samaritans",
)


def _chat(request: Request) -> WebChat:
    state = request.app.state
    chat: WebChat | None = getattr(state, "web_chat", None)
    if chat is None or chat.llais is not llais_app(request):
        chat = state.web_chat = WebChat(llais_app(request), state.clock)
    return chat


def _limiters(request: Request) -> tuple[RateLimiter, RateLimiter]:
    state = request.app.state
    limiters: tuple[RateLimiter, RateLimiter] | None = getattr(state, "chat_limiters", None)
    if limiters is None:
        settings = llais_app(request).settings
        limiters = state.chat_limiters = (
            RateLimiter(settings.web_rate_per_device, clock=state.clock),
            RateLimiter(settings.web_rate_per_address, clock=state.clock),
        )
    return limiters


def _start_label(request: Request) -> str:
    return str(translator(page_language(request))("chat.start"))


async def _use_learner_language(request: Request, chat: WebChat, device: str | None) -> None:
    """Pages follow the learner's chosen language once they have chosen one."""
    language = await chat.language(device)
    if language is not None:
        request.state.language = language


def _page(
    request: Request, name: str, ctx: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """A chat page: its language toggle changes the learner's language too."""
    path = quote(request.url.path)
    values = {"language_url": lambda code: f"/chat/language/{code}?next={path}", **(ctx or {})}
    return render(request, name, values, status)


@router.get("/", include_in_schema=False)
async def home() -> Response:
    return RedirectResponse("/chat", status_code=303)


@router.get("/chat")
async def show_chat(request: Request) -> Response:
    chat = _chat(request)
    device = device_id(request)
    session = page_session(request)
    try:
        await _use_learner_language(request, chat, device)
        view = await chat.view(device, since=session.started_at, start_label=_start_label(request))
    except Exception as exc:
        if not unavailable(exc):
            raise
        # the transcript cannot be read: the learner can still write (it is kept) and get help
        log.warning("web chat: database unreachable, page shown without the transcript")
        view = outage_view(_start_label(request))
        return _page(request, "chat/page.html", {"view": view, "typed": "", "notice": OUTAGE})
    return _page(request, "chat/page.html", {"view": view, "typed": "", "notice": ""})


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


async def _form(request: Request) -> FormData:
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != FORM_TYPE:
        raise HTTPException(status_code=415, detail="content_type")
    try:
        return await request.form(max_files=0, max_fields=20, max_part_size=16_384)
    except StarletteHTTPException:  # the body limit (web.middleware), and the form's own limits
        raise
    except Exception as exc:  # a body python-multipart cannot parse
        raise HTTPException(status_code=400, detail="bad_request") from exc


def _field(form: FormData, name: str) -> str:
    value: Any = form.get(name)
    return value if isinstance(value, str) else ""


@router.post("/chat")
async def post_chat(request: Request) -> Response:
    form = await _form(request)
    text = _field(form, "text").strip()
    choice = _field(form, "choice").strip()
    chat = _chat(request)
    device = device_id(request)
    session = page_session(request)
    if text and device is not None and session.expired:
        # A learner came back to a page left open: keep what they typed, ask to send again.
        try:
            await _use_learner_language(request, chat, device)
            view = await chat.view(
                device, since=session.started_at, start_label=_start_label(request)
            )
        except Exception as exc:
            if not unavailable(exc):
                raise
            view = outage_view(_start_label(request))
        notice = "chat.expired_resend"
        return _page(request, "chat/page.html", {"view": view, "typed": text, "notice": notice})
    require_csrf(request, form)
    per_device, per_address = _limiters(request)
    address = request.client.host if request.client else "unknown"
    if not per_address.allow(address) or not per_device.allow(device or session.id):
        raise HTTPException(status_code=429, detail="rate_limited")
    if not text and not choice:
        return RedirectResponse("/chat", status_code=303)
    new_device = device is None
    if device is None:
        device = new_device_id()
    turn_field = _field(form, "turn")
    turn = int(turn_field) if turn_field.isdigit() and len(turn_field) < 9 else None
    try:
        posted = await chat.post(
            device, text=text, choice=choice, turn=turn, start_label=_start_label(request)
        )
    except StaleChoice:
        log.info("web chat: a choice this page does not offer now was refused")
        raise HTTPException(status_code=409, detail="stale_choice") from None
    except ChatUnavailable:
        # nothing could be kept: the page keeps what they typed and asks them to send it again
        log.warning("web chat: database unreachable and the message could not be kept")
        view = outage_view(_start_label(request))
        values = {"view": view, "typed": text, "notice": OUTAGE_RETRY}
        return _page(request, "chat/page.html", values, status=503)
    settings = llais_app(request).settings
    if posted.kept:
        kept = _kept(request, posted)
        if new_device:
            remember_device(kept, settings, device)
        return kept
    if posted.erased:
        return _erased(request, posted)
    if _is_htmx(request):
        shown_in = _field(form, "page_lang")  # the language the page was shown in
        await _use_learner_language(request, chat, device)
        view = await chat.view(device, since=session.started_at, start_label=_start_label(request))
        response: Response = render(
            request, "chat/_posted.html", {"view": view, "posted": posted.messages}
        )
        if page_language(request).value != shown_in:
            response.headers["hx-refresh"] = "true"  # the whole page follows the new language
    else:
        response = RedirectResponse("/chat", status_code=303)
    if new_device:
        remember_device(response, settings, device)
    return response


def _kept(request: Request, posted: Posted) -> Response:
    """The database is away and the message was kept: show it and its answer now, with a
    notice in the page's language (the transcript cannot be read until it is back)."""
    if _is_htmx(request):
        view = outage_view(_start_label(request), posted.messages)
        return render(
            request,
            "chat/_posted.html",
            {"view": view, "posted": posted.messages, "notice": OUTAGE_KEPT},
        )
    view = outage_view(_start_label(request), posted.messages)
    return _page(request, "chat/page.html", {"view": view, "typed": "", "notice": OUTAGE_KEPT})


def _erased(request: Request, posted: Posted) -> Response:
    """After /delete: the device is forgotten (cookie and page session) and the next page says
    what happened, in the learner's language (kept in the page-language cookie, which names no
    one)."""
    settings = llais_app(request).settings
    if _is_htmx(request):
        response: Response = Response(status_code=204, headers={"hx-redirect": ERASED_PATH})
    else:
        response = RedirectResponse(ERASED_PATH, status_code=303)
    if posted.language is not None:
        set_language_cookie(response, settings, posted.language)
    forget_device(response, settings)
    response.delete_cookie(SESSION_COOKIE, path="/")
    request.state.end_session = True
    log.info("web chat: a learner erased their data; the device was forgotten")
    return response


@router.get(ERASED_PATH)
async def erased_page(request: Request) -> Response:
    """What /delete did, for the browser it was done in (it shows no data: there is none)."""
    return _page(request, "chat/erased.html")


@router.get("/help-now")
async def help_now(request: Request) -> Response:
    """The crisis contacts open now, from the directory; a built-in list if that fails. Never
    depends on the conversation."""
    chat = _chat(request)
    device = device_id(request)
    try:
        await _use_learner_language(request, chat, device)
    except Exception as exc:  # the database is down: the page must still show
        log.warning("help page: learner language unavailable (%s)", type(exc).__name__)
    language = page_language(request)
    lines: list[str] = []
    try:
        signposter = llais_app(request).learner.signposter
        text = signposter.crisis_text(
            language, request.app.state.clock(), None, policy=LEARNER_SIGNPOSTS
        )
        lines = [line.lstrip("• ").strip() for line in text.splitlines() if line.strip()]
    except Exception as exc:
        log.warning("help page: directory unavailable (%s)", type(exc).__name__)
    t = translator(language)
    if not lines:
        lines = [t(key) for key in FALLBACK_CONTACTS]
    return _page(request, "chat/help.html", {"contacts": lines})


@router.get("/leave")
async def leave(request: Request) -> Response:
    """Quick exit without JavaScript: go to the neutral page (with it, the page replaces itself
    and its history entry)."""
    response = RedirectResponse(llais_app(request).settings.web_exit_url, status_code=303)
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/chat/language/{code}")
async def chat_language(request: Request, code: str, next: str | None = None) -> Response:
    """The language toggle on chat pages: the page and, once they have chosen one, the
    learner's own language (so Llais answers in it too)."""
    language = parse_language(code)
    back = quote(safe_next(next, "/chat"))
    response = RedirectResponse(f"/language/{code}?next={back}", status_code=303)
    device = device_id(request)
    if language is not None and device is not None:
        try:
            await _chat(request).set_language(device, language)
        except Exception as exc:
            if not unavailable(exc):
                raise
            # the page changes language all the same; the learner's own setting waits
            log.warning("web chat: database unreachable, learner language not changed")
    return response


@router.get("/chat/forget")
async def forget_page(request: Request) -> Response:
    chat = _chat(request)
    await _use_learner_language(request, chat, device_id(request))
    return _page(request, "chat/forget.html")


@router.post("/chat/forget")
async def forget(request: Request) -> Response:
    form = await _form(request)
    require_csrf(request, form)
    chat = _chat(request)
    device = device_id(request)
    language: Language | None = await chat.language(device)
    if device is not None:
        await chat.forget(device)
    if language is not None:
        request.state.language = language
    response = _page(request, "chat/forgotten.html")
    settings = llais_app(request).settings
    forget_device(response, settings)
    response.delete_cookie(SESSION_COOKIE, path="/")
    request.state.end_session = True
    return response
