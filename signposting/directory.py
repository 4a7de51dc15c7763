"""The directory in memory: loaded once at start-up, matched against without further I/O."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core.errors import NotFoundError
from signposting.errors import DirectoryError
from signposting.hsds import Document, Organization, Service
from signposting.schedule import Hours, always_open, hours_at
from signposting.validation import parse_document

SEED_PATH = Path(__file__).resolve().parent / "data" / "directory.json"


@dataclass(frozen=True)
class Directory:
    """A validated directory with its services indexed by id, evaluated in ``tz``."""

    document: Document
    tz: ZoneInfo
    source: str
    _by_id: dict[str, Service] = field(init=False, repr=False, compare=False)
    _organizations: dict[str, Organization] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {s.id: s for s in self.document.services})
        object.__setattr__(self, "_organizations", {o.id: o for o in self.document.organizations})

    @property
    def services(self) -> tuple[Service, ...]:
        """Every service, in file order."""
        return self.document.services

    @property
    def holidays(self) -> frozenset[date]:
        """Bank holidays the schedules know about."""
        return frozenset(self.document.bank_holidays)

    def service(self, service_id: str) -> Service:
        """The service with ``service_id``."""
        try:
            return self._by_id[service_id]
        except KeyError:
            raise NotFoundError(f"There is no service {service_id!r} in the directory.") from None

    def organization(self, organization_id: str) -> Organization:
        """The organisation with ``organization_id``."""
        return self._organizations[organization_id]

    def hours(self, service: Service, at: datetime) -> Hours:
        """Whether ``service`` is open at ``at``, and when it next opens."""
        return hours_at(
            service.schedules,
            at,
            self.tz,
            holidays=self.holidays,
            on_holidays=service.bank_holidays,
        )

    def is_24_7(self, service: Service) -> bool:
        """Whether ``service`` never closes."""
        return always_open(service.schedules) and service.bank_holidays != "closed"


def crisis_problems(directory: Directory) -> list[str]:
    """What keeps ``directory`` from giving every crisis reply 999 and a line open 24/7."""
    usable = [
        s
        for s in directory.services
        if s.verified and s.status == "active" and s.crisis_rank is not None and s.phones
    ]
    problems = []
    if not any(s.emergency for s in usable):
        problems.append(
            "no verified, active emergency service (999) with a phone number and a crisis_rank"
        )
    if not any(not s.emergency and directory.is_24_7(s) for s in usable):
        problems.append(
            "no verified, active crisis line open 24/7 (such as Childline or Samaritans) "
            "with a phone number and a crisis_rank"
        )
    return problems


def require_crisis_lines(directory: Directory) -> None:
    """Refuse a directory that cannot give a crisis reply 999 and a 24/7 line."""
    problems = crisis_problems(directory)
    if problems:
        raise DirectoryError(directory.source, problems)


def read_json(path: Path) -> Any:
    """Read a JSON file; a missing or malformed file is a DirectoryError naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DirectoryError(str(path), ["the file does not exist"]) from None
    except json.JSONDecodeError as exc:
        raise DirectoryError(
            str(path), [f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None


def read_document(path: Path) -> Document:
    """Read and validate a directory file."""
    return parse_document(read_json(path), str(path))


def dump_document(document: Document) -> dict[str, Any]:
    """The document as HSDS JSON (plain dicts and lists)."""
    return document.model_dump(mode="json", exclude_none=True)


def load_seed(tz: ZoneInfo, path: Path = SEED_PATH) -> Directory:
    """The directory bundled with Llais (or another file)."""
    return Directory(read_document(path), tz, str(path))
