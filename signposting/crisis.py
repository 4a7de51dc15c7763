"""The short list of crisis contacts for a safeguarding reply, and how it is written out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.i18n import Catalogue, Text, catalogue
from core.vocabulary import Language
from signposting.directory import Directory
from signposting.matching import Match, Reason, service_match
from signposting.taxonomy import Audience


def crisis_contacts(
    directory: Directory,
    at: datetime,
    language: Language,
    age: int | None,
    *,
    audience: Audience = "learner",
    messages: Catalogue | None = None,
) -> list[Match]:
    """Verified crisis lines open at ``at``, in the directory's crisis order (999 first).

    The Welsh-language line of a service comes just before it when ``language`` is Welsh and the
    line is open. Unverified, closed, inactive and age-ineligible services are never included.
    """
    if at.tzinfo is None:
        raise ValueError("crisis_contacts needs a timezone-aware datetime")
    cat = messages or catalogue()
    ranked = sorted(
        (s for s in directory.services if s.crisis_rank is not None),
        key=lambda s: (s.crisis_rank, s.id),
    )
    results: list[Match] = []
    for service in ranked:
        if not service.verified or service.status != "active":
            continue
        if audience not in service.audiences or not service.takes_age(age):
            continue
        welsh_line = service.welsh_line_of is not None
        if welsh_line and language != "cy":
            continue
        if language not in service.language_codes and "en" not in service.language_codes:
            continue
        hours = directory.hours(service, at)
        if not hours.open_now:
            continue
        reason: Reason
        if service.emergency:
            reason, key = "immediate_danger", "why_immediate_danger"
        elif welsh_line:
            reason, key = "welsh_language", "why_welsh_language"
        else:
            reason = "crisis_open"
            key = "why_crisis_open" if directory.is_24_7(service) else "why_crisis_open_hours"
        results.append(
            service_match(directory, service, at, reason, cat.text(f"signposting.{key}"), hours)
        )
    return results


def _when(moment: datetime, language: Language, cat: Catalogue) -> str:
    day = cat.get(f"signposting.day_{moment.weekday()}", language)
    return cat.get("signposting.day_time", language, day=day, time=f"{moment:%H:%M}")


def _status(found: Match, language: Language, cat: Catalogue) -> str | None:
    if found.kind == "school_contact":
        return found.when.get(language) if found.when else None
    if found.open_now:
        if found.open_until is None:
            return None
        until = found.open_until
        when = (
            cat.get("signposting.midnight", language) if until.hour == until.minute == 0 else None
        )
        return cat.get("signposting.open_until", language, when=when or f"{until:%H:%M}")
    if found.next_open is not None:
        return cat.get(
            "signposting.closed_until", language, when=_when(found.next_open, language, cat)
        )
    return cat.get("signposting.hours_unknown", language)


def _how(found: Match, language: Language) -> str:
    if found.contact is not None:
        return found.contact.get(language)
    if found.phones:
        return " ".join(phone.how.get(language) for phone in found.phones)
    reach = found.url or found.email
    if reach:
        return reach
    return found.description.get(language) if found.description else ""


def format_contacts(
    matches: Sequence[Match], language: Language, *, messages: Catalogue | None = None
) -> str:
    """A short text block, one line per match: name, how to reach it, and when if not open now."""
    cat = messages or catalogue()
    lines = []
    for found in matches:
        line = f"• {found.name.get(language)}: {_how(found, language)}"
        status = _status(found, language, cat)
        if status:
            line += f" ({status})"
        if not found.verified:
            line += f" {cat.get('signposting.why_unverified', language)}"
        lines.append(line)
    return "\n".join(lines)


def bilingual_block(matches: Sequence[Match], *, messages: Catalogue | None = None) -> Text:
    """The contacts block in both languages."""
    return Text(
        cy=format_contacts(matches, Language.CY, messages=messages),
        en=format_contacts(matches, Language.EN, messages=messages),
    )
