"""One glossary of fixed terms: where English uses a term, Welsh uses its fixed translation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.core.test_translations import STRING_FILES, _texts

GLOSSARY = Path(__file__).resolve().parents[2] / "core" / "glossary.yml"


def test_welsh_uses_the_glossary_terms() -> None:
    terms = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"]
    problems = []
    for path in STRING_FILES:
        for where, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8")), path.name):
            en, cy = str(text.get("en", "")).casefold(), str(text.get("cy", "")).casefold()
            for term in terms:
                if re.search(rf"(?<![/\w]){re.escape(term['en'].casefold())}\b", en) and not any(
                    form.casefold() in cy for form in term["cy"]
                ):
                    problems.append(f"{where}: '{term['en']}' without any of {term['cy']}")
    assert not problems, "\n".join(problems)
