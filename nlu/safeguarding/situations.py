"""Situation detection: critical situations described without a risk keyword.

The keyword rules catch stated feelings ("I want to die"); this layer catches what is *happening*:
an act in progress ("took a whole packet of paracetamol"), means in hand ("rope hidden under my
bed"), a plan with a time ("heno fydd y noson ola"), danger at home now ("coming upstairs with his
belt"), a grooming meeting or sextortion threat, someone unresponsive, or a weapon plan.

A situation rule is data (``data/situations_*.yml``) and fires only when *every* pattern in its
``all_of`` is found in the matching form and no pattern in its ``none_of`` is: a situation together
with a concrete cue, never a lone common word. ``none_of`` guards only stop this layer from raising
("took two paracetamol for my headache"); nothing here ever lowers what the keyword rules found,
because the result is combined with ``RiskAssessment.raised_with``.

Patterns use the conventions of the rules files (see ``spec``): natural spelling squeezed like the
text, ``{mut:word}`` for Welsh mutations and ``<G3>`` for a gap of up to three words. ``{NAME}``
macros are shared by both files and may nest, so English and Welsh rules match code-switching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.vocabulary import Category, RiskLevel
from core.yamlload import safe_load
from nlu.safeguarding.levels import NONE_ASSESSMENT, CueSpan, RiskAssessment
from nlu.safeguarding.prefilter import LiteralIndex
from nlu.safeguarding.spec import compile_source, expand

SITUATION_FILES = (
    "situations_en.yml",
    "situations_cy.yml",
    "situations_safety.yml",
    "situations_recall.yml",
    "situations_parity.yml",
    "situations_round4.yml",
)
CUE_PREFIX = "situation:"
# An act or means is about someone else when a third person is its subject, just before it, with
# no first person in between: "my friend just took 30 tablets", "mae mrawd wedi llyncu'r pils".
_PERSONAL = frozenset({Category.SUICIDE, Category.SELF_HARM})
_OTHER_SUBJECT = re.compile(
    r"(?<![a-z0-9])(?:friend|friends|frend|mate|bestie|bff|brother|bro|sister|sis|cousin|"
    r"boyfriend|girlfriend|bf|gf|he|she|hes|shes|they|theyve|theyre|ffrind|frind|mrawd|brawd|"
    r"frawd|chwaer|cariad|gariad|nghariad|hi|fo|nhw)(?: fi)?(?P<rest>(?: [a-z0-9]+){0,3}) ?$"
)
_FIRST_PERSON = re.compile(
    r"(?<![a-z0-9])(?:i|im|ive|id|il|me|dwi|dw|wi|rwy|fi|mi|nes)(?![a-z0-9])"
)
_MACRO = re.compile(r"\{([A-Z_]+)\}")
_MAX_NESTING = 8


class SituationSpec(BaseModel):
    """One situation rule as written in a situations file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cue: str = Field(min_length=1, max_length=60)
    category: Category
    level: RiskLevel = RiskLevel.CRITICAL

    @field_validator("level")
    @classmethod
    def _urgent(cls, level: RiskLevel) -> RiskLevel:
        if not level.is_concern:
            raise ValueError("a situation is a concern: medium, high or critical")
        return level

    about_other: bool = False
    all_of: list[str] = Field(min_length=1)
    none_of: list[str] = []


class SituationFile(BaseModel):
    """A situations file: macros, then rules."""

    model_config = ConfigDict(extra="forbid")

    macros: dict[str, str] = {}
    rules: list[SituationSpec]


@dataclass(frozen=True, slots=True)
class Situation:
    """A compiled situation rule."""

    cue: str
    category: Category
    level: RiskLevel
    about_other: bool
    all_of: tuple[re.Pattern[str], ...]
    none_of: tuple[re.Pattern[str], ...]

    def is_about_other(self, norm: str) -> bool:
        """Return whether this (matching) situation is about someone other than the learner."""
        if self.about_other:
            return True
        if self.category not in _PERSONAL:
            return False
        match = self.all_of[0].search(norm)
        if match is None:
            return False
        before = " ".join(norm[: match.start()].split()[-5:])
        subject = _OTHER_SUBJECT.search(before + " ")
        return subject is not None and not _FIRST_PERSON.search(subject.group("rest"))

    def matches(self, norm: str) -> bool:
        """Return True when every ``all_of`` pattern and no ``none_of`` pattern is in ``norm``."""
        return all(p.search(norm) for p in self.all_of) and not any(
            p.search(norm) for p in self.none_of
        )


def _expand_macros(source: str, macros: dict[str, str]) -> str:
    for _ in range(_MAX_NESTING):
        if not _MACRO.search(source):
            return source
        source = _MACRO.sub(lambda m: macros[m.group(1)], source)
    raise ValueError(f"macros nested more than {_MAX_NESTING} deep in {source[:80]!r}")


def _compile(source: str, macros: dict[str, str]) -> re.Pattern[str]:
    return compile_source(expand(_expand_macros(source, macros), {}))


def compile_situations(files: list[SituationFile]) -> list[Situation]:
    """Compile validated situation files; the macros of all files are shared."""
    macros: dict[str, str] = {}
    for situation_file in files:
        macros.update(situation_file.macros)
    compiled: list[Situation] = []
    for situation_file in files:
        for spec in situation_file.rules:
            compiled.append(
                Situation(
                    cue=spec.cue,
                    category=spec.category,
                    level=spec.level,
                    about_other=spec.about_other,
                    all_of=tuple(_compile(s, macros) for s in spec.all_of),
                    none_of=tuple(_compile(s, macros) for s in spec.none_of),
                )
            )
    return compiled


def load_situations() -> list[Situation]:
    """Load, validate and compile the packaged situation files."""
    root = resources.files("nlu.safeguarding.data")
    files: list[SituationFile] = []
    for name in SITUATION_FILES:
        raw = safe_load(root.joinpath(name).read_text(encoding="utf-8"))
        try:
            files.append(SituationFile.model_validate(raw))
        except ValueError as exc:
            raise ValueError(f"safeguarding situations file {name} is invalid: {exc}") from exc
    try:
        return compile_situations(files)
    except (ValueError, KeyError, re.error) as exc:
        raise ValueError(f"safeguarding situations files are invalid: {exc}") from exc


SITUATIONS: tuple[Situation, ...] = tuple(load_situations())
# A situation is tried only when the needles of every one of its ``all_of`` patterns occur.
_ALL_OF = [(i, p) for i, s in enumerate(SITUATIONS) for p in s.all_of]
_INDEX = LiteralIndex([p for _, p in _ALL_OF])
_NEEDED = tuple(sum(1 for i, _ in _ALL_OF if i == j) for j in range(len(SITUATIONS)))


def find_situations(norm: str, exclude: frozenset[Category] = frozenset()) -> list[Situation]:
    """Return every situation rule that fires on ``norm``, except those of ``exclude``."""
    present: dict[int, int] = {}
    for k in _INDEX.candidates(norm):
        j = _ALL_OF[k][0]
        present[j] = present.get(j, 0) + 1
    # in the files' order, only the situations whose every pattern is a candidate
    return [
        SITUATIONS[j]
        for j in sorted(present)
        if present[j] == _NEEDED[j]
        and SITUATIONS[j].category not in exclude
        and SITUATIONS[j].matches(norm)
    ]


def assess_situations(norm: str, exclude: frozenset[Category] = frozenset()) -> RiskAssessment:
    """Assess ``norm`` for situations (none of ``exclude``); combine it with ``raised_with``."""
    found = find_situations(norm, exclude)
    if not found:
        return NONE_ASSESSMENT
    spans = []
    for situation in found:
        for pattern in situation.all_of:
            match = pattern.search(norm)
            if match is not None:
                spans.append(CueSpan(match.start(), match.end(), CUE_PREFIX + situation.cue))
    return RiskAssessment(
        level=max(s.level for s in found),
        categories=tuple(sorted({s.category for s in found})),
        cues=tuple(dict.fromkeys(CUE_PREFIX + s.cue for s in found)),
        about_other=any(s.is_about_other(norm) for s in found),
        spans=tuple(dict.fromkeys(spans)),
    )
