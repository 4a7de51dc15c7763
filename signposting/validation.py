"""Parse a directory document, with errors that name the record (service id) and the field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from signposting.errors import DirectoryError
from signposting.hsds import Document

_KINDS = {"services": "service", "organizations": "organization", "taxonomy_terms": "taxonomy term"}


def _record_name(raw: Any, collection: str, index: int) -> str:
    try:
        record_id = raw[collection][index]["id"]
    except (KeyError, IndexError, TypeError):
        record_id = None
    kind = _KINDS.get(collection, collection)
    return f"{kind} {record_id!r}" if isinstance(record_id, str) else f"{kind} #{index + 1}"


def _field_path(parts: Sequence[int | str]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(the record itself)"


def describe(error: ValidationError, raw: Any) -> list[str]:
    """One sentence per problem: which record, which field, what is wrong."""
    problems = []
    for item in error.errors():
        loc = list(item["loc"])
        message = item["msg"]
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            where = _record_name(raw, loc[0], loc[1])
            problems.append(f"{where}, field {_field_path(loc[2:])}: {message}")
        else:
            problems.append(f"field {_field_path(loc)}: {message}")
    return problems


def cross_check(document: Document) -> list[str]:
    """Problems no single record can see: duplicate ids, dangling references, impossible ranges."""
    problems: list[str] = []
    organizations = {organization.id for organization in document.organizations}
    seen: set[str] = set()
    service_ids = {service.id for service in document.services}
    for service in document.services:
        where = f"service {service.id!r}"
        if service.id in seen:
            problems.append(f"{where}, field id: appears more than once")
        seen.add(service.id)
        if service.organization_id not in organizations:
            problems.append(
                f"{where}, field organization_id: no organization {service.organization_id!r}"
            )
        if (
            service.minimum_age is not None
            and service.maximum_age is not None
            and service.minimum_age > service.maximum_age
        ):
            problems.append(f"{where}, field minimum_age: is above maximum_age")
        if service.verified and service.assured_date is None:
            problems.append(f"{where}, field assured_date: a verified service needs the date")
        if service.welsh_line_of is not None and service.welsh_line_of not in service_ids:
            problems.append(f"{where}, field welsh_line_of: no service {service.welsh_line_of!r}")
        if service.verified and not (service.phones or service.url or service.email):
            problems.append(f"{where}, field phones: a verified service needs a way to reach it")
        if service.emergency and not service.verified:
            problems.append(f"{where}, field verified: an emergency service must be verified")
    return problems


def parse_document(raw: Any, source: str) -> Document:
    """Validate ``raw`` (parsed JSON) as a directory; raise DirectoryError listing every problem."""
    try:
        document = Document.model_validate(raw)
    except ValidationError as exc:
        raise DirectoryError(source, describe(exc, raw)) from None
    problems = cross_check(document)
    if problems:
        raise DirectoryError(source, problems)
    return document
