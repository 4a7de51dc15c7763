"""Five Ways to Wellbeing (NEF, 2008, CC BY-NC) as bilingual tips, loaded from data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ConfigurationError
from core.i18n import Text
from core.yamlload import safe_load

FIVE_WAYS_PATH = Path(__file__).resolve().parent / "data" / "five_ways.yml"
WayName = Literal["connect", "be_active", "take_notice", "keep_learning", "give"]


class Way(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text
    tips: tuple[Text, ...] = Field(min_length=3)


class FiveWays(BaseModel):
    """The five ways, each with several tips, and NEF's attribution (show it with any tip)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    attribution: Text
    licence: Literal["CC BY-NC"]
    ways: dict[WayName, Way]

    def tip(self, way: WayName, index: int) -> Text:
        """A tip for ``way``; ``index`` wraps round, so callers can rotate through them."""
        tips = self.ways[way].tips
        return tips[index % len(tips)]


def load_five_ways(path: Path = FIVE_WAYS_PATH) -> FiveWays:
    """Read and validate the tips file; errors name the file and the entry."""
    raw: Any = safe_load(path.read_text(encoding="utf-8"))
    try:
        five = FiveWays.model_validate(raw)
    except ValidationError as exc:
        raise ConfigurationError(f"{path}: {exc}") from exc
    missing = {"connect", "be_active", "take_notice", "keep_learning", "give"} - set(five.ways)
    if missing:
        raise ConfigurationError(f"{path}: missing ways {', '.join(sorted(missing))}")
    return five


@lru_cache(maxsize=1)
def five_ways() -> FiveWays:
    """The bundled tips (loaded once)."""
    return load_five_ways()
