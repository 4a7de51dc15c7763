"""Bilingual text: every person-facing string exists in Welsh and English.

``Text`` is the one shape a string takes in flow files and message catalogues. Catalogues live in
``core/messages/*.yml``; a key is ``<file stem>.<name>``, e.g. ``common.not_text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from core.errors import ConfigurationError
from core.vocabulary import Language
from core.yamlload import safe_load

MESSAGES_DIR = Path(__file__).resolve().parent / "messages"


class Text(BaseModel):
    """A string in both languages; neither may be empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cy: str
    en: str

    @field_validator("cy", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("translation is empty")
        return value

    def get(self, language: Language, /, **values: object) -> str:
        """Return the string in ``language`` with ``{placeholders}`` filled in."""
        template = self.cy if language == Language.CY else self.en
        return template.format_map(_Defaulting(values)) if values else template


class _Defaulting(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalogue:
    """Message catalogue loaded from YAML files, keyed ``<file stem>.<name>``."""

    def __init__(self, texts: Mapping[str, Text]) -> None:
        self._texts = dict(texts)

    def __contains__(self, key: str) -> bool:
        return key in self._texts

    def text(self, key: str) -> Text:
        """Return the bilingual text for ``key``; an unknown key is a programming error."""
        try:
            return self._texts[key]
        except KeyError:
            raise ConfigurationError(f"no message {key!r} in {MESSAGES_DIR}") from None

    def get(self, key: str, language: Language, /, **values: object) -> str:
        """Return the string for ``key`` in ``language``."""
        return self.text(key).get(language, **values)

    def keys(self) -> list[str]:
        """Every key, sorted."""
        return sorted(self._texts)

    def require(self, needed: Mapping[str, Iterable[str]]) -> None:
        """Fail with every key that is missing, and who builds it (``who -> keys``)."""
        missing = [
            f"{key} (built by {who})"
            for who, keys in needed.items()
            for key in sorted(keys)
            if key not in self._texts
        ]
        if missing:
            raise ConfigurationError(
                f"the message catalogue ({MESSAGES_DIR}) has no {', '.join(missing)}"
            )

    @classmethod
    def load(cls, directory: Path = MESSAGES_DIR) -> Catalogue:
        """Load every ``*.yml`` in ``directory``; errors name the file and the key."""
        texts: dict[str, Text] = {}
        for path in sorted(directory.glob("*.yml")):
            raw: Any = safe_load(path.read_text(encoding="utf-8")) or {}
            if not isinstance(raw, dict):
                raise ConfigurationError(f"{path}: expected a mapping of message names")
            for name, value in raw.items():
                try:
                    texts[f"{path.stem}.{name}"] = Text.model_validate(value)
                except ValidationError as exc:
                    raise ConfigurationError(f"{path}: message {name!r}: {exc}") from exc
        return cls(texts)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue shipped with Llais (loaded once)."""
    return Catalogue.load()
