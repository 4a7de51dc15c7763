"""Validate Rasa 3.x NLU YAML against a schema before parsing; problems name the file."""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from core.errors import ConfigurationError
from core.yamlload import safe_load
from nlu import keys

SUPPORTED_VERSIONS: Final = frozenset({"3.0", "3.1"})
SECTION_KINDS: Final = ("intent", "synonym", "regex", "lookup")
ALLOWED_KEYS: Final = {kind: {kind, "examples", "metadata"} for kind in SECTION_KINDS}
NAME_PATTERN: Final = re.compile(r"^[A-Za-z0-9_\-]+$")
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[^)]+)\)|(?P<json>\{[^}]+\}))")


class TrainingDataError(ConfigurationError):
    """A training data file cannot be used at all; the message names the file."""


class TrainingDataWarning(UserWarning):
    """Part of a training data file was skipped; the message names the file and the part."""


@dataclass(frozen=True, slots=True)
class Section:
    """One validated ``nlu:`` item: its kind, name and example lines."""

    kind: str
    name: str
    examples: tuple[str, ...]


def read_file(path: Path) -> list[Section]:
    """Read, validate and split one NLU YAML file; skip (with a warning) what does not fit."""
    try:
        raw: Any = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TrainingDataError(f"{path}: cannot read NLU YAML: {exc}") from exc
    return validate_document(raw, path)


def validate_document(raw: Any, source: Path | str) -> list[Section]:
    """Check a loaded document against the schema and return its usable sections."""
    if raw is None:
        _warn(source, "file is empty")
        return []
    if not isinstance(raw, dict):
        raise TrainingDataError(f"{source}: expected a mapping with 'version' and 'nlu'")
    version = raw.get("version")
    if version is not None and str(version) not in SUPPORTED_VERSIONS:
        _warn(source, f"version {version!r} is not one of {sorted(SUPPORTED_VERSIONS)}")
    items = raw.get("nlu", [])
    if not isinstance(items, list):
        raise TrainingDataError(f"{source}: 'nlu' must be a list")
    sections = []
    for index, item in enumerate(items):
        section = _validate_item(item, f"{source}: nlu[{index}]")
        if section is not None:
            sections.append(section)
    return sections


def _validate_item(item: Any, where: str) -> Section | None:
    if not isinstance(item, dict):
        _warn(where, "item is not a mapping; skipped")
        return None
    kinds = [kind for kind in SECTION_KINDS if kind in item]
    if len(kinds) != 1:
        _warn(where, f"item needs exactly one of {SECTION_KINDS}; skipped")
        return None
    kind = kinds[0]
    name = item[kind]
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        _warn(where, f"{kind} name {name!r} is not a plain identifier; skipped")
        return None
    unknown = set(item) - ALLOWED_KEYS[kind]
    if unknown:
        _warn(where, f"{kind} {name!r}: unknown keys {sorted(unknown)} ignored")
    examples = item.get("examples")
    if not isinstance(examples, str):
        _warn(where, f"{kind} {name!r}: 'examples' must be a block of '- ' lines; skipped")
        return None
    lines = []
    for line in examples.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("- ") or not stripped[2:].strip():
            _warn(where, f"{kind} {name!r}: line {stripped[:40]!r} is not '- example'; skipped")
            continue
        lines.append(stripped[2:].strip())
    if not lines:
        _warn(where, f"{kind} {name!r} has no examples; skipped")
        return None
    return Section(kind=kind, name=name, examples=tuple(lines))


def parse_annotations(example: str) -> tuple[str, tuple[dict[str, Any], ...]]:
    """Strip ``[text](entity)`` / ``[text]{json}`` markup; return plain text and its entities."""
    plain: list[str] = []
    entities: list[dict[str, Any]] = []
    cursor = 0
    for match in _ANNOTATION.finditer(example):
        plain.append(example[cursor : match.start()])
        start = sum(len(part) for part in plain)
        value = match["text"]
        entity: dict[str, Any] = {
            keys.START: start,
            keys.END: start + len(value),
            keys.VALUE: value,
        }
        if match["entity"]:
            entity[keys.ENTITY] = match["entity"]
        else:
            try:
                entity.update(json.loads(match["json"]))
            except json.JSONDecodeError as exc:
                raise ValueError(f"bad entity annotation {match['json']!r}") from exc
        entities.append(entity)
        plain.append(value)
        cursor = match.end()
    plain.append(example[cursor:])
    return "".join(plain), tuple(entities)


def _warn(where: Path | str, problem: str) -> None:
    warnings.warn(f"{where}: {problem}", TrainingDataWarning, stacklevel=3)
