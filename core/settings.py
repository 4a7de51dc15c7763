"""The one settings object: variables prefixed ``LLAIS_`` and an optional ``.env`` file."""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.vocabulary import Audience, RiskLevel

PLACEHOLDER_SECRET = "change-me"


class NluBackend(StrEnum):
    BUILTIN = "builtin"
    RASA = "rasa"


class Settings(BaseSettings):
    """Everything Llais can be configured with; built once in the entry point and passed in."""

    model_config = SettingsConfigDict(
        env_prefix="LLAIS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = "sqlite+aiosqlite:///./llais.db"
    learner_bot_token: SecretStr | None = None
    staff_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    # the public base address of the web app: set to take updates by webhook instead of polling
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None  # unset: derived from the secret key
    telegram_poll_interval: float = 0.0
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    demo: bool = False
    timezone: str = "Europe/London"
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"  # json: one JSON object per line

    nlu_backend: NluBackend = NluBackend.BUILTIN
    nlu_model_dir: Path = Path("var/nlu-model")
    # messages kept on this machine while the database cannot be reached (0700, files 0600)
    spool_dir: Path = Path("var/spool")
    spool_poll_seconds: float = Field(default=5.0, gt=0)  # how often kept messages are retried
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: SecretStr | None = None
    rasa_timeout: float = Field(default=1.5, gt=0)

    # the authority's own safeguarding contact, alerted for learners without a school
    authority_safeguarding_contact: str = "Authority safeguarding team"
    alert_ack_minutes_high: int = Field(default=15, gt=0)
    alert_ack_minutes_medium: int = Field(default=240, gt=0)
    # how often the staff bot delivers new alerts and escalates unacknowledged ones
    alert_poll_seconds: float = Field(default=10.0, gt=0)
    free_text_retention_days: int = Field(default=30, gt=0)
    # wrong enrolment or invitation codes in a row before codes are refused for a while
    code_attempts: int = Field(default=5, ge=1)
    code_block_minutes: int = Field(default=15, gt=0)
    # a learner's request not taken within this many school days is re-sent, and goes to the DSL
    request_window_school_days: int = Field(default=2, ge=1)
    # school hours (local time, Monday to Friday): alerts outside them show the out-of-hours route
    school_day_start: str = "08:30"
    school_day_end: str = "15:30"
    # how often the outbox job sends due messages and routes requests
    outbox_poll_seconds: float = Field(default=5.0, gt=0)
    suppression_k: int = Field(default=10, ge=2)
    dashboard_warm: bool = (
        True  # publish recent periods in the background when the dashboard starts
    )

    # learner voice: no invitations, polls or posts between these local times
    quiet_hours_start: time = time(21, 0)
    quiet_hours_end: time = time(7, 30)
    invite_window_minutes: int = Field(default=120, gt=0, le=720)
    # campaign messages per second over the learner bot, under Telegram's ~30/s broadcast limit
    # so that replies to learners keep some room
    campaign_rate: float = Field(default=28.0, gt=0, le=30)
    campaign_poll_seconds: float = Field(default=60.0, gt=0)
    # the web application (web chat, later the dashboard and Telegram webhooks)
    web_listen: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=0, le=65535)
    web_secure_cookies: bool = False  # True behind HTTPS: cookies then carry Secure
    web_session_minutes: int = Field(default=30, gt=0)  # a page session ends after this idle time
    web_max_body_bytes: int = Field(default=16_384, gt=0)  # larger request bodies get a 413 page
    web_rate_per_device: int = Field(default=20, gt=0)  # chat posts per minute from one device
    # a school behind one NAT address is many learners: this only stops a flood
    web_rate_per_address: int = Field(default=600, gt=0)  # chat posts per minute from one address
    web_device_days: int = Field(default=180, gt=0)  # how long a browser stays this learner's
    # where "Leave this page" goes (GOV.UK's exit-this-page default: a neutral, common page)
    web_exit_url: str = "https://www.bbc.co.uk/weather"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/London)") from exc
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        secret = self.secret_key.get_secret_value()
        if not self.demo and (secret == PLACEHOLDER_SECRET or len(secret) < 16):
            raise ValueError(
                "LLAIS_SECRET_KEY must be set to a long random value (at least 16 characters); "
                "the placeholder is only allowed with LLAIS_DEMO=true"
            )
        return self

    @cached_property
    def tz(self) -> ZoneInfo:
        """The authority's time zone, for opening hours and quiet hours."""
        return ZoneInfo(self.timezone)

    def ack_minutes(self, level: RiskLevel) -> int:
        """How long an alert at ``level`` may wait for acknowledgement before escalating."""
        return self.alert_ack_minutes_high if level.urgent else self.alert_ack_minutes_medium

    def token(self, audience: Audience) -> str | None:
        """The bot token for the audience's bot, or None when that bot is not configured."""
        secret = self.learner_bot_token if audience is Audience.LEARNER else self.staff_bot_token
        return secret.get_secret_value() if secret else None
