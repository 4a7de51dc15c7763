"""Out of hours: an alert raised outside school hours also shows the DSL the out-of-hours route
(the Emergency Duty Team from the directory, and the police on 999 for immediate risk)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from core.i18n import catalogue
from core.settings import Settings
from core.vocabulary import Language
from signposting.directory import Directory

EDT_SUFFIX = "emergency-duty-team"  # the directory's id for the out-of-hours social work team


def _clock(text: str) -> time:
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


@dataclass(frozen=True)
class OutOfHours:
    """Whether a moment is outside school hours, and the route to show then."""

    settings: Settings
    directory: Directory

    def outside(self, moment: datetime) -> bool:
        """Outside Monday to Friday, ``school_day_start`` to ``school_day_end`` (local time)."""
        local = moment.astimezone(self.settings.tz)
        start, end = _clock(self.settings.school_day_start), _clock(self.settings.school_day_end)
        return local.weekday() >= 5 or not start <= local.time() < end

    def route(self, language: Language) -> str:
        """The out-of-hours route in ``language``, with the team's number from the directory."""
        cat = catalogue()
        teams = [s for s in self.directory.services if s.id.endswith(EDT_SUFFIX)]
        if not teams:
            return cat.get("school.out_of_hours_no_team", language)
        team = teams[0]
        name = team.name_cy if language is Language.CY else team.name
        number = team.phones[0].number if team.phones else "–"
        return cat.get("school.out_of_hours", language, team=name, number=number)

    def note(self, raised: datetime, language: Language) -> str | None:
        """The route, when ``raised`` is out of hours."""
        return self.route(language) if self.outside(raised) else None
