"""Welsh is not second class: every person-facing string exists in both languages, non-empty."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.i18n import MESSAGES_DIR, Catalogue
from flows.loader import FLOWS_DIR

ROOT = Path(__file__).resolve().parents[2]
STRING_FILES = sorted(
    [
        *FLOWS_DIR.glob("*.yml"),
        *MESSAGES_DIR.glob("*.yml"),
        *(ROOT / "signposting" / "data").glob("*.yml"),
    ]
)


def _texts(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping that carries an ``en`` or ``cy`` key, with where it is."""
    if isinstance(node, dict):
        if "en" in node or "cy" in node:
            yield path, node
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}.{index}")


@pytest.mark.parametrize("path", STRING_FILES, ids=lambda p: p.name)
def test_every_string_has_welsh_and_english(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = list(_texts(data, path.name))
    assert found, f"{path} has no strings"
    problems = [
        f"{where}: missing or empty {lang}"
        for where, text in found
        for lang in ("cy", "en")
        if not isinstance(text.get(lang), str) or not text[lang].strip()
    ]
    assert not problems, "\n".join(problems)


def test_placeholders_match_between_languages() -> None:
    problems = []
    for path in STRING_FILES:
        for where, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8")), path.name):
            cy, en = str(text.get("cy", "")), str(text.get("en", ""))
            names = {s.split("}")[0] for s in cy.split("{")[1:]}
            if names != {s.split("}")[0] for s in en.split("{")[1:]}:
                problems.append(where)
    assert not problems, f"placeholders differ between cy and en: {problems}"


def test_the_catalogue_loads_and_rejects_a_missing_translation(tmp_path: Path) -> None:
    assert Catalogue.load().keys()
    (tmp_path / "broken.yml").write_text("hello:\n  en: Hello\n")
    with pytest.raises(Exception, match=r"broken\.yml: message 'hello'"):
        Catalogue.load(tmp_path)
