"""Campaign messages over the learner bot: Telegram's answers turned into the sender's terms."""

from __future__ import annotations

import warnings

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from llais.voice.sender import NETWORK_BACKOFF, Blocked, RetryLater, Undeliverable


class TelegramCampaignTransport:
    """Sends one campaign text; 429 becomes RetryLater, 403 Blocked, a bad chat Undeliverable."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_text(self, chat_id: str, text: str) -> None:
        """Send ``text`` to ``chat_id``."""
        try:
            await self.bot.send_message(int(chat_id), text)
        except RetryAfter as exc:
            with warnings.catch_warnings():  # PTB 22.2+: an int now, a timedelta one day
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                retry = exc.retry_after
            seconds = retry if isinstance(retry, int | float) else retry.total_seconds()
            raise RetryLater(float(seconds)) from exc
        except Forbidden as exc:
            raise Blocked("the learner blocked the bot") from exc
        except BadRequest as exc:
            raise Undeliverable("the chat cannot be reached") from exc
        except NetworkError as exc:  # TimedOut is a NetworkError too
            raise RetryLater(NETWORK_BACKOFF) from exc
