"""Every Welsh string a person reads goes through a Welsh spell checker (Debian's aspell-cy).

Words aspell-cy does not know (mutations and informal forms it lacks, names, loanwords) are in
``tests/core/data/welsh_words.txt``, one a line, each reviewed by a person: a word there is a
decision, not a silencer. A new unknown word fails this test: fix the spelling, or review it and
add it to the list. Without aspell-cy (``apt-get install aspell-cy``) the test is skipped with the
reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.i18n import MESSAGES_DIR
from flows.loader import FLOWS_DIR

ROOT = Path(__file__).resolve().parents[2]
WORD_LIST = Path(__file__).resolve().parent / "data" / "welsh_words.txt"
DIRECTORY = ROOT / "signposting" / "data" / "directory.json"
YAML_FILES = sorted(
    [
        *FLOWS_DIR.glob("*.yml"),
        *MESSAGES_DIR.glob("*.yml"),
        *(ROOT / "signposting" / "data").glob("*.yml"),
        ROOT / "core" / "glossary.yml",
    ]
)
# Not words: placeholders, addresses, commands, numbers and times.
_NOT_WORDS = re.compile(
    r"\{[^}]*\}|https?://\S+|[\w.+-]+@[\w.-]+|\b[\w-]+\.(?:cymru|uk|org|com|wales)\S*|/\w+"
    r"|\b\d[\d:.–-]*(?:am|pm)?\b"
)


def _yaml_welsh(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "cy":
                yield from ([value] if isinstance(value, str) else value or [])
            else:
                yield from _yaml_welsh(value)
    elif isinstance(node, list):
        for value in node:
            yield from _yaml_welsh(value)


def _directory_welsh(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("_cy") and isinstance(value, str):
                yield value
            else:
                yield from _directory_welsh(value)
    elif isinstance(node, list):
        for value in node:
            yield from _directory_welsh(value)


def welsh_strings() -> list[str]:
    """Every Welsh string in the flows, catalogues, signposting data, glossary and directory."""
    found: list[str] = []
    for path in YAML_FILES:
        found += _yaml_welsh(yaml.safe_load(path.read_text(encoding="utf-8")))
    found += _directory_welsh(json.loads(DIRECTORY.read_text(encoding="utf-8")))
    return [str(text) for text in found]


# aspell-cy has no contracted forms: "mae'n", "o'r", "a'ch" are checked as "mae", "o", "a".
_CLITIC = re.compile(r"(\w)['’](?:n|r|i|u|ch|m|w|th|s)\b")


def unknown_words(texts: list[str]) -> set[str]:
    """The words aspell-cy does not know, lower-cased."""
    body = "\n".join(_CLITIC.sub(r"\1", _NOT_WORDS.sub(" ", text)) for text in texts)
    result = subprocess.run(
        ["aspell", "--lang=cy", "--encoding=utf-8", "list"],
        input=body,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return {word.lower() for word in result.stdout.split()}


def reviewed_words() -> set[str]:
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def _aspell_cy() -> bool:
    if shutil.which("aspell") is None:
        return False
    dicts = subprocess.run(["aspell", "dicts"], capture_output=True, text=True, check=False)
    return "cy" in dicts.stdout.split()


NO_ASPELL = "aspell-cy is not installed (apt-get install aspell aspell-cy)"
# CI (.ci/run installs it) sets LLAIS_REQUIRE_ASPELL=1: there a missing checker fails, not skips
if os.environ.get("LLAIS_REQUIRE_ASPELL") == "1" and not _aspell_cy():
    raise RuntimeError(f"LLAIS_REQUIRE_ASPELL=1 but {NO_ASPELL}")
needs_aspell = pytest.mark.skipif(not _aspell_cy(), reason=NO_ASPELL)


@needs_aspell
def test_every_welsh_string_is_spelt_as_aspell_cy_or_the_reviewed_list_says() -> None:
    unknown = unknown_words(welsh_strings())
    new = sorted(unknown - reviewed_words())
    assert not new, (
        f"{len(new)} Welsh word(s) unknown to aspell-cy and not in {WORD_LIST.name}: fix the "
        f"spelling, or review each and add it there:\n" + "\n".join(new)
    )


@needs_aspell
def test_the_checker_catches_the_mistakes_it_exists_for() -> None:
    assert unknown_words(["Mae hwn yn frawddeg gyda camgymeriadd"]) == {"camgymeriadd"}


def test_the_reviewed_list_has_no_stale_words() -> None:
    """A word listed but no longer used should go, so the list stays a reviewed list."""
    if not _aspell_cy():
        pytest.skip(NO_ASPELL)
    used = unknown_words(welsh_strings())
    stale = sorted(reviewed_words() - used)
    assert not stale, f"no longer needed in {WORD_LIST.name}: {stale}"


# Forms of "chi" (the staff register) that must not reach a learner.
_CHI = re.compile(
    r"\b(?:chi|eich|ichi|arnoch|rydych|ydych|gallwch|ffoniwch|tecstiwch|cysylltwch|siaradwch|"
    r"gofynnwch|anfonwch|rhowch|ewch|cewch|byddwch)\b|['’]ch\b",
    re.IGNORECASE,
)
STAFF_FILES = {
    "staff.yml",
    "staff_checkin.yml",
    "staff_support.yml",
    "staff_school.yml",
    "dashboard.yml",  # officers, school leads and DSLs
    "voicepages.yml",  # school leads and officers (learner-voice pages)
}
# staff-facing keys in files that also speak to learners (core/messages/school.yml)
STAFF_KEYS = {
    "error_staff",
    "found_here",
    "request_taken_you",
    "out_of_hours",
    "out_of_hours_no_team",
}
# the name of the "you said, we did" posts is a fixed title addressed to learners as a group
FIXED_TITLES = re.compile(r"dywedoch chi,? fe wnaethon ni", re.IGNORECASE)


def _learner_yaml_welsh(node: Any, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for name, value in node.items():
            if name in STAFF_KEYS:
                continue
            if name == "cy" and isinstance(value, str):
                yield value
            else:
                yield from _learner_yaml_welsh(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from _learner_yaml_welsh(value, key)


def _learner_directory_welsh() -> Iterator[str]:
    for service in json.loads(DIRECTORY.read_text(encoding="utf-8"))["services"]:
        if "learner" in service.get("audiences", []):
            yield from _directory_welsh(service)


def test_learners_are_addressed_as_ti_everywhere_including_the_directory() -> None:
    texts: list[str] = []
    for path in YAML_FILES:
        if path.name not in STAFF_FILES:
            texts += _learner_yaml_welsh(yaml.safe_load(path.read_text(encoding="utf-8")))
    texts += _learner_directory_welsh()
    formal = [text for text in texts if _CHI.search(FIXED_TITLES.sub("", text))]
    assert not formal, "learner-facing Welsh in the chi register:\n" + "\n".join(formal)
