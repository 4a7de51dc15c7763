"""The device cookie: a random id that is the learner's channel user id on the web.

The id itself is never stored: Llais keeps the pseudonymous reference derived from it (as for any
channel) and the mailbox key, another keyed hash of it.
"""

from __future__ import annotations

import re
import secrets

from fastapi import Request, Response

from core.settings import Settings
from web.security import cookie_options, sign

DEVICE_COOKIE = "llais_device"
_DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")


def device_id(request: Request) -> str | None:
    """The device id the browser sent, when it is well formed."""
    value = request.cookies.get(DEVICE_COOKIE, "")
    return value if _DEVICE_ID.match(value) else None


def new_device_id() -> str:
    return secrets.token_urlsafe(24)  # 32 characters


def mailbox_key(settings: Settings, device: str) -> str:
    """The device's mailbox (and the web channel's reply address for it)."""
    return "web-" + sign(settings.secret_key.get_secret_value(), "mailbox", device)


def remember_device(response: Response, settings: Settings, device: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        device,
        max_age=settings.web_device_days * 86400,
        **cookie_options(settings),
    )


def forget_device(response: Response, settings: Settings) -> None:
    options = cookie_options(settings)
    response.delete_cookie(
        DEVICE_COOKIE,
        path=options["path"],
        secure=options["secure"],
        httponly=True,
        samesite=options["samesite"],
    )
