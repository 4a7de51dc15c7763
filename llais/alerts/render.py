"""The alert message a safeguarding lead receives, in their language, with one-tap acknowledge."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from core.channel import Button, Channel, Reply
from core.i18n import catalogue
from core.vocabulary import (
    ALERT_ROLES,
    CONCERN_LEVELS,
    Audience,
    Category,
    Language,
    RiskLevel,
    SafeNow,
)
from storage.models import SafeguardingAlert

ACK_PREFIX = "ack:"
DEPUTY_STEP = 1
AUTHORITY_STEP = 2
ICONS = {RiskLevel.CRITICAL: "🚨", RiskLevel.HIGH: "🔴", RiskLevel.MEDIUM: "🟠"}


def message_keys() -> frozenset[str]:
    """The catalogue keys an alert message is built from at run time (checked at start-up)."""
    return frozenset(
        [f"staff.level_{level.label}" for level in CONCERN_LEVELS]
        + [f"staff.channel_{c.value}" for c in Channel if c.audience is Audience.LEARNER]
        + [f"staff.answer_{answer}" for answer in (*SafeNow, "yes", "no", "none")]
        + [f"signposting.need_{category.value}" for category in Category]
        + [f"staff.ack_by_{role.value}" for role in ALERT_ROLES]
        + ["staff.ack_by_someone", "staff.about_other", "staff.safe_not_asked"]
    )


@dataclass(frozen=True, slots=True)
class AlertView:
    """What an alert message shows, copied out of the database row."""

    id: str
    level: RiskLevel
    categories: tuple[Category, ...]
    year_group: int | None
    created_at: datetime
    channel: str
    contact_requested: bool
    safe_now: SafeNow | None
    excerpt: str
    learner_ref: str
    school: tuple[str, str] | None  # English and Welsh names
    step: int
    excerpts: tuple[str, ...] = ()  # every disclosure in order (empty on alerts before 0005)
    about_other: bool = False

    @property
    def said(self) -> tuple[str, ...]:
        """Everything the learner wrote that the alert holds, in order."""
        return self.excerpts or (self.excerpt,)

    @property
    def digest(self) -> str:
        """A short hash of what can change after delivery: level, concerns and answers."""
        seen = (
            f"{self.level.label}|{','.join(self.categories)}|{self.safe_now}"
            f"|{self.contact_requested}|{len(self.said)}|{self.about_other}"
        )
        return hashlib.blake2s(seen.encode(), digest_size=8).hexdigest()

    @classmethod
    def of(cls, alert: SafeguardingAlert, school: tuple[str, str] | None) -> AlertView:
        """Copy the fields a message needs from ``alert``."""
        return cls(
            id=alert.id,
            level=alert.level,
            categories=tuple(alert.categories),
            year_group=alert.year_group,
            created_at=alert.created_at,
            channel=alert.channel,
            contact_requested=alert.contact_requested,
            safe_now=alert.safe_now,
            excerpt=alert.excerpt,
            learner_ref=alert.learner_ref,
            school=school,
            step=alert.escalation_step,
            excerpts=tuple(alert.excerpts or ()),
            about_other=bool(alert.about_other),
        )


def ack_payload(alert_id: str) -> str:
    """The button payload that acknowledges ``alert_id`` (fits Telegram's 64 bytes)."""
    return f"{ACK_PREFIX}{alert_id}"


def parse_ack(payload: str) -> str | None:
    """The alert id in an acknowledge payload, or None for any other payload."""
    if not payload.startswith(ACK_PREFIX):
        return None
    return payload[len(ACK_PREFIX) :] or None


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """A time as the authority reads it: ``25/11/2026 10:30`` in its zone."""
    return f"{moment.astimezone(tz):%d/%m/%Y %H:%M}"


def _escalation(view: AlertView, language: Language, minutes: int) -> str:
    cat = catalogue()
    if view.step == 0:
        return ""
    if view.school is not None and view.step == DEPUTY_STEP:
        return cat.get("staff.escalated_deputy", language, minutes=minutes)
    if view.school is not None and view.step == AUTHORITY_STEP:
        return cat.get("staff.escalated_authority", language)
    return cat.get("staff.reminder", language)


def _label(key: str, fallback: str, language: Language) -> str:
    cat = catalogue()
    return cat.get(key, language) if key in cat else fallback


def render_alert(
    view: AlertView,
    language: Language,
    *,
    tz: ZoneInfo,
    minutes: int,
    authority: str,
    update: bool = False,
) -> Reply:
    """The alert for one recipient, with the Acknowledge button (``update``: it has changed)."""
    cat = catalogue()
    unknown = cat.get("staff.unknown", language)
    if view.school is None:
        school = cat.get("staff.no_school", language, authority=authority)
    else:
        school = view.school[1] if language is Language.CY else view.school[0]
    categories = ", ".join(_label(f"signposting.need_{c}", c, language) for c in view.categories)
    safe = view.safe_now.value if view.safe_now is not None else "none"
    if view.about_other and view.safe_now is None:
        safe_text = cat.get("staff.safe_not_asked", language)
    else:
        safe_text = cat.get(f"staff.answer_{safe}", language)
    text = cat.get(
        "staff.alert",
        language,
        icon=ICONS.get(view.level, "🟠"),
        level=_label(f"staff.level_{view.level.label}", view.level.name, language),
        escalation=(cat.get("staff.updated", language) if update else "")
        + _escalation(view, language, minutes),
        school=school,
        year=view.year_group if view.year_group is not None else unknown,
        categories=categories or unknown,
        when=local_time(view.created_at, tz),
        channel=_label(f"staff.channel_{view.channel}", view.channel, language),
        contact=cat.get(f"staff.answer_{'yes' if view.contact_requested else 'no'}", language),
        safe=safe_text,
        ref=view.learner_ref,
        excerpt="\n".join(f"“{said}”" for said in view.said),
        about=cat.get("staff.about_other", language) if view.about_other else "",
    )
    button = Button(cat.get("staff.ack_button", language), ack_payload(view.id))
    return Reply(text, ((button,),))
