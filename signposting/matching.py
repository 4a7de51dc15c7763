"""Matching: which services and school contacts to offer, and in what order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from core.i18n import Catalogue, Text, catalogue
from core.vocabulary import ContactRole, Language, RiskLevel
from signposting.contacts import SchoolContactInfo
from signposting.directory import Directory
from signposting.errors import SignpostInputError
from signposting.hsds import Phone, Service
from signposting.schedule import Hours
from signposting.taxonomy import AUDIENCES, GENERAL, NEEDS, Audience, is_safeguarding

Reason = Literal[
    "immediate_danger",
    "crisis_open",
    "welsh_language",
    "school_contact",
    "need_match",
    "general_support",
]

SAFEGUARDING_ROLE_ORDER = (
    ContactRole.DSL,
    ContactRole.DEPUTY_DSL,
    ContactRole.WELLBEING_LEAD,
    ContactRole.COUNSELLOR,
    ContactRole.ELSA,
)
WELLBEING_ROLE_ORDER = (
    ContactRole.WELLBEING_LEAD,
    ContactRole.COUNSELLOR,
    ContactRole.ELSA,
    ContactRole.DSL,
    ContactRole.DEPUTY_DSL,
)


class Match(BaseModel):
    """One thing to offer, with whether it is open and why it was chosen."""

    model_config = ConfigDict(frozen=True)

    service_id: str
    kind: Literal["service", "school_contact"] = "service"
    name: Text
    phones: tuple[Phone, ...] = ()
    description: Text | None = None
    url: str | None = None
    email: str | None = None
    contact: Text | None = None  # how to reach a school contact
    when: Text | None = None
    open_now: bool
    next_open: datetime | None = None  # in the authority's zone
    open_until: datetime | None = None
    always_open: bool = False
    verified: bool
    reason: Reason
    why: Text


def check_request(needs: Iterable[str], audience: str, language: str, level: str) -> None:
    """Raise SignpostInputError naming the valid choices for anything unknown."""
    unknown = sorted(set(needs) - set(NEEDS))
    if unknown:
        raise SignpostInputError(
            f"Unknown need {', '.join(unknown)}; choose from: {', '.join(NEEDS)}."
        )
    for name, value, choices in (
        ("audience", audience, AUDIENCES),
        ("language", language, tuple(Language)),
        ("level", level, tuple(lv.label for lv in RiskLevel)),
    ):
        if value not in choices:
            raise SignpostInputError(
                f"Unknown {name} {value!r}; choose from: {', '.join(choices)}."
            )


def _bilingual(cat: Catalogue, key: str, **values: Iterable[Text] | str) -> Text:
    def render(language: Language) -> str:
        filled = {
            name: value
            if isinstance(value, str)
            else cat.get("signposting.list_joiner", language).join(t.get(language) for t in value)
            for name, value in values.items()
        }
        return cat.get(key, language, **filled)

    return Text(cy=render(Language.CY), en=render(Language.EN))


def service_match(
    directory: Directory,
    service: Service,
    at: datetime,
    reason: Reason,
    why: Text,
    hours: Hours | None = None,
) -> Match:
    """A Match for ``service`` evaluated at ``at`` (pass ``hours`` if already worked out)."""
    hours = hours or directory.hours(service, at)
    tz = directory.tz
    return Match(
        service_id=service.id,
        name=service.title,
        phones=service.phones,
        description=Text(cy=service.description_cy, en=service.description),
        url=service.url,
        email=service.email,
        open_now=hours.open_now,
        next_open=hours.next_open.astimezone(tz) if hours.next_open else None,
        open_until=hours.closes_at.astimezone(tz) if hours.closes_at else None,
        always_open=directory.is_24_7(service),
        verified=service.verified,
        reason=reason,
        why=why,
    )


def _offered_in(service: Service, language: Language) -> bool:
    codes = service.language_codes
    return language in codes or "en" in codes


def _welsh_rank(service: Service, language: Language) -> int:
    if language != "cy" or "cy" not in service.language_codes:
        return 0
    return 2 if service.language_codes == {"cy"} else 1


def _school_matches(
    contacts: Sequence[SchoolContactInfo], needs: Sequence[str], cat: Catalogue
) -> list[Match]:
    order = SAFEGUARDING_ROLE_ORDER if any(map(is_safeguarding, needs)) else WELLBEING_ROLE_ORDER
    matches = []
    for contact in sorted(contacts, key=lambda c: (order.index(c.role), c.id)):
        role = cat.text(f"signposting.role_{contact.role}")
        matches.append(
            Match(
                service_id=f"school-contact:{contact.id}",
                kind="school_contact",
                name=contact.label,
                contact=contact.how_to_reach,
                when=contact.when,
                open_now=False,  # school hours are free text: never claim open
                verified=True,
                reason="school_contact",
                why=_bilingual(cat, "signposting.why_school_contact", role=[role]),
            )
        )
    return matches


def _pair_welsh_lines(matches: list[Match], directory: Directory) -> list[Match]:
    """Put a service's main line right after its open Welsh-language line."""
    result = list(matches)
    for match in matches:
        if match.kind != "service" or not match.open_now:
            continue
        parent = directory.service(match.service_id).welsh_line_of
        partner = next((m for m in result if m.service_id == parent), None)
        if partner is None:
            continue
        result.remove(partner)
        result.insert(result.index(match) + 1, partner)
    return result


def match(
    directory: Directory,
    needs: Sequence[str],
    audience: Audience,
    age: int | None,
    language: Language,
    at: datetime,
    *,
    level: RiskLevel = RiskLevel.LOW,
    school_contacts: Sequence[SchoolContactInfo] = (),
    limit: int | None = None,
    messages: Catalogue | None = None,
) -> list[Match]:
    """Services for ``needs``, best first: by urgency, then fit, openness, checks and language.

    ``level`` high or critical (or the need ``crisis``) puts verified crisis lines open at ``at``
    first (999 first when critical). Otherwise the school's own contacts come first.
    """
    check_request(needs, audience, language, level.label)
    if at.tzinfo is None:
        raise SignpostInputError("The time must include a timezone, e.g. 2026-11-25T19:30:00Z.")
    cat = messages or catalogue()
    wanted = frozenset(needs)
    urgent = level.urgent or "crisis" in wanted
    ranked: list[tuple[tuple[int, ...], Match]] = []
    for position, service in enumerate(directory.services):
        if service.status != "active" or audience not in service.audiences:
            continue
        if not service.takes_age(age) or not _offered_in(service, language):
            continue
        specific = sorted(wanted & service.needs)
        crisis_capable = "crisis" in service.needs and service.verified
        if service.emergency and not urgent:
            continue
        if not (specific or GENERAL in service.needs or service.emergency):
            continue
        welsh = _welsh_rank(service, language)
        hours = directory.hours(service, at)
        reason: Reason
        if service.emergency:
            reason, why = "immediate_danger", cat.text("signposting.why_immediate_danger")
            group = 0 if level is RiskLevel.CRITICAL else 2
        elif urgent and crisis_capable and hours.open_now:
            group = 1
            reason = "welsh_language" if welsh == 2 else "crisis_open"
            key = "why_crisis_open" if directory.is_24_7(service) else "why_crisis_open_hours"
            why = cat.text("signposting.why_welsh_language" if welsh == 2 else f"signposting.{key}")
        else:
            group = 4 if urgent and hours.open_now and service.verified else 5
            if specific:
                terms = [cat.text(f"signposting.need_{need}") for need in specific]
                reason, why = (
                    "need_match",
                    _bilingual(cat, "signposting.why_need_match", needs=terms),
                )
            else:
                reason, why = "general_support", cat.text("signposting.why_general_support")
        sort_key = (
            group,
            -len(specific),
            not hours.open_now,
            not service.verified,
            -welsh,
            service.audiences != (audience,),  # a service made for this audience fits better
            rank if urgent and (rank := service.crisis_rank) is not None else 1000,
            position,
        )
        ranked.append((sort_key, service_match(directory, service, at, reason, why, hours)))
    ranked.sort(key=lambda item: item[0])
    services = [found for _, found in ranked]
    if language == "cy":
        services = _pair_welsh_lines(services, directory)
    school = _school_matches(school_contacts, needs, cat)
    if urgent:
        first = [
            m for m in services if m.reason in ("immediate_danger", "crisis_open", "welsh_language")
        ]
        rest = [m for m in services if m not in first]
        # a high (not critical) level still lists 999 right after the open crisis lines
        results = first + school + rest
    else:
        results = school + services
    return results[:limit] if limit is not None else results
