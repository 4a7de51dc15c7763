"""``POST /telegram/learner`` and ``POST /telegram/staff``: Telegram's webhook calls.

The secret header is checked first (403 without it); the update is handed to the bot's receiver,
which returns once the turn is committed and answered; the status then tells Telegram whether to
re-deliver (``llais.webhooks.STATUS``). Nothing of the update is logged.
"""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request, Response

from llais.webhooks import STATUS, Received
from web.deps import llais_app

log = logging.getLogger(__name__)

router = APIRouter()

SECRET_HEADER = "x-telegram-bot-api-secret-token"


async def _receive(request: Request, kind: str) -> Response:
    receiver = llais_app(request).webhooks.get(kind)
    if receiver is None:
        return Response(status_code=404)
    if not receiver.accepts(request.headers.get(SECRET_HEADER)):
        log.warning("%s webhook: a call without the right secret", kind)
        return Response(status_code=403)
    try:
        payload = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return Response(status_code=400)
    received = await receiver.receive(payload)
    if received is not Received.HANDLED:
        log.info("%s webhook: update %s", kind, received.value)
    return Response(status_code=STATUS[received])


@router.post("/telegram/learner", include_in_schema=False)
async def learner_update(request: Request) -> Response:
    """An update for the learner bot."""
    return await _receive(request, "learner")


@router.post("/telegram/staff", include_in_schema=False)
async def staff_update(request: Request) -> Response:
    """An update for the staff bot."""
    return await _receive(request, "staff")
