"""Load the Rasa-format NLU data in ``nlu/data`` into plain, typed training data."""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from core.vocabulary import Language, parse_language
from nlu.data_format import TrainingDataError, TrainingDataWarning, parse_annotations, read_file

DATA_DIR: Final = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class Example:
    """One intent example; ``language`` comes from the folder it was written in (cy/ or en/)."""

    text: str
    intent: str
    language: Language | None
    entities: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class TrainingData:
    """Intent examples plus synonyms, regexes and lookup tables, as Rasa reads them."""

    examples: tuple[Example, ...]
    synonyms: dict[str, str] = field(default_factory=dict)
    regexes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lookups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fingerprint: str = ""

    @property
    def intents(self) -> tuple[str, ...]:
        """Every intent name, sorted."""
        return tuple(sorted({example.intent for example in self.examples}))

    @property
    def entity_names(self) -> frozenset[str]:
        """Entity types annotated somewhere in the examples."""
        return frozenset(e["entity"] for ex in self.examples for e in ex.entities if "entity" in e)


def data_files(directory: Path = DATA_DIR) -> list[Path]:
    """Every NLU YAML file under ``directory``, sorted (Rasa also reads sub-folders)."""
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def fingerprint(directory: Path = DATA_DIR) -> str:
    """A digest of the data files' names and contents, to tell a stale model."""
    digest = hashlib.sha256()
    for path in data_files(directory):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_training_data(directory: Path = DATA_DIR) -> TrainingData:
    """Validate and load every file under ``directory``."""
    files = data_files(directory)
    if not files:
        raise TrainingDataError(f"{directory}: no NLU YAML files found")
    examples: list[Example] = []
    synonyms: dict[str, str] = {}
    regexes: dict[str, tuple[str, ...]] = {}
    lookups: dict[str, tuple[str, ...]] = {}
    for path in files:
        language = _language_of(path, directory)
        for section in read_file(path):
            if section.kind == "intent":
                examples.extend(_examples(section.name, section.examples, language, path))
            elif section.kind == "synonym":
                synonyms.update({line.lower(): section.name for line in section.examples})
            elif section.kind == "regex":
                regexes[section.name] = regexes.get(section.name, ()) + section.examples
            else:
                lookups[section.name] = lookups.get(section.name, ()) + section.examples
    return TrainingData(tuple(examples), synonyms, regexes, lookups, fingerprint(directory))


def _language_of(path: Path, directory: Path) -> Language | None:
    for part in path.relative_to(directory).parts[:-1]:
        language = parse_language(part)
        if language is not None:
            return language
    return None


def _examples(
    intent: str, lines: tuple[str, ...], language: Language | None, path: Path
) -> list[Example]:
    result = []
    for line in lines:
        try:
            text, entities = parse_annotations(line)
        except ValueError as exc:
            warnings.warn(f"{path}: intent {intent!r}: {exc}; skipped", TrainingDataWarning, 2)
            continue
        result.append(Example(text=text, intent=intent, language=language, entities=entities))
    return result
