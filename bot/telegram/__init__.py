"""The Telegram channel: python-telegram-bot applications for the learner and staff bots, and the
alert sender over the staff bot.

``build_application`` wires one bot to a ``ConversationHandler``; ``run_bots`` long-polls them
inside the caller's event loop; with ``telegram_webhook_url`` set, ``TelegramWebhook`` instead
hands the updates the web app receives to the same application (``serve_webhooks``).
"""

from bot.telegram.alerts import TelegramAlertSender
from bot.telegram.application import BOT_KIND, TelegramApp, build_application
from bot.telegram.campaign import TelegramCampaignTransport
from bot.telegram.logs import DATA_LOGGERS, LIBRARY_LOGGERS, REDACT, quiet_library_loggers
from bot.telegram.outbox import TelegramSender
from bot.telegram.runner import run_bots, run_polling_until, webhook_secret
from bot.telegram.webhook import TelegramWebhook, serve_webhooks

__all__ = [
    "BOT_KIND",
    "DATA_LOGGERS",
    "LIBRARY_LOGGERS",
    "REDACT",
    "TelegramAlertSender",
    "TelegramApp",
    "TelegramCampaignTransport",
    "TelegramSender",
    "TelegramWebhook",
    "build_application",
    "quiet_library_loggers",
    "run_bots",
    "run_polling_until",
    "serve_webhooks",
    "webhook_secret",
]
