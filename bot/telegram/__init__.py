"""The Telegram channel: python-telegram-bot applications for the learner and staff bots, and the
alert sender over the staff bot.

``build_application`` wires one bot to a ``ConversationHandler``; ``run_bots`` runs them (polling,
or webhooks when ``telegram_webhook_url`` is set) inside the caller's event loop.
"""

from bot.telegram.alerts import TelegramAlertSender
from bot.telegram.application import BOT_KIND, TelegramApp, build_application
from bot.telegram.campaign import TelegramCampaignTransport
from bot.telegram.logs import DATA_LOGGERS, LIBRARY_LOGGERS, REDACT, quiet_library_loggers
from bot.telegram.outbox import TelegramSender
from bot.telegram.runner import run_bots, run_polling_until, run_webhook_until, webhook_secret

__all__ = [
    "BOT_KIND",
    "DATA_LOGGERS",
    "LIBRARY_LOGGERS",
    "REDACT",
    "TelegramAlertSender",
    "TelegramApp",
    "TelegramCampaignTransport",
    "TelegramSender",
    "build_application",
    "quiet_library_loggers",
    "run_bots",
    "run_polling_until",
    "run_webhook_until",
    "webhook_secret",
]
