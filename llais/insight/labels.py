"""Reader-facing names of measures, dimensions, levels and columns, from ``core/messages``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from core.i18n import catalogue
from core.vocabulary import Language
from storage.aggregate import SCHOOL, Unit

PREFIX = "dashboard."


def lang_code(language: Language) -> Literal["cy", "en"]:
    """The aggregate layer's name for a language."""
    return "cy" if language is Language.CY else "en"


def text(name: str, language: Language, **values: object) -> str:
    """A dashboard string in ``language``."""
    return catalogue().get(PREFIX + name, language, **values)


def level_label(
    dim: str, level: str, language: Language, school_names: Mapping[str, str] | None = None
) -> str:
    """The name of one level of a dimension (a school's name, "Year 9" stays "9")."""
    if dim == SCHOOL:
        return (school_names or {}).get(level, level)
    messages = catalogue()
    for key in (f"{PREFIX}l_{dim}_{level}", f"{PREFIX}l_{level}", f"signposting.{dim}_{level}"):
        if key in messages:
            return messages.get(key, language)
    return level


def count_header(unit: Unit, language: Language, measure: str | None = None) -> str:
    """The heading of the count column (a measure counting other records names them)."""
    if measure is not None and f"{PREFIX}col_count_{measure}" in catalogue():
        return text(f"col_count_{measure}", language)
    return text("col_count_records" if unit is Unit.RECORDS else "col_count_people", language)
