"""Telegram's webhook calls, received by the one web app (``POST /telegram/learner|staff``)."""
