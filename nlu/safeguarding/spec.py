"""Rules are data: ``data/rules_*.yml`` is validated, expanded and compiled into ``Rule`` objects.

A rule source is a regex over the matching form (see ``normalise``), written in natural spelling
and squeezed here the same way the text is. Expansions, in order: ``{NAME}`` macros from the
file, ``{mut:a,b}`` every Welsh mutation of a and b, ``<G3>`` up to three words, and the person
slots ``<S> <R> <P> <O> <CR> <CP> <CO>``, which turn one rule into a self and an other rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.vocabulary import Category, RiskLevel
from core.yamlload import safe_load
from nlu.safeguarding.normalise import squeeze
from nlu.safeguarding.welsh import mut

RULE_FILES = ("rules_en.yml", "rules_cy.yml", "rules_families.yml")

# Kinds that set a level of their own, with their default level.
LEVEL_KINDS: dict[str, RiskLevel] = {
    "critical": RiskLevel.CRITICAL,  # act, method with intent, plan in motion, in danger now
    "ideation": RiskLevel.HIGH,  # suicidal thoughts; negation/jokes may lower it to medium
    "disclosure": RiskLevel.HIGH,  # self-harm, abuse, exploitation: never lowered
    "concern": RiskLevel.MEDIUM,  # bullying, substances, eating, running away, threats
    "topic": RiskLevel.LOW,  # a risk word with no disclosure ("suicide prevention")
    "distress": RiskLevel.LOW,
}
# Kinds that only modify the level of other hits.
FLAG_KINDS = frozenset({"means", "possession", "future", "now", "plan", "secrecy", "contact"})
Kind = Literal[
    "critical", "ideation", "disclosure", "concern", "topic", "distress",
    "means", "possession", "future", "now", "plan", "secrecy", "contact",
]  # fmt: skip

_SLOTS = {
    "<S>": (
        r"(?:i|im|ive|id|il|i am|i have|i wil|i had|i just|i already|ive just|ive already)",
        r"(?:he|she|they|hes|shes|theyve|theyre|he has|she has|they have|he just|she just)",
    ),
    "<R>": (r"(?:myself|my self)", r"(?:himself|herself|themselves|themself|her self|him self)"),
    "<P>": (r"my", r"(?:his|her|their)"),
    "<O>": (r"me", r"(?:him|her|them)"),
    "<CR>": (r"fy hun(?:an)?(?: i)?", r"(?:ei hun(?:an)?|eu hunain)"),
    "<CP>": (r"fy", r"(?:ei|eu)"),
    "<CO>": (r"(?:fi|mi)", r"(?:hi|o|fo|fe|e|nhw)"),
}
_GAP = re.compile(r"<G(\d+)>")
_MACRO = re.compile(r"\{([A-Z_]+)\}")
_MUT = re.compile(r"\{mut:([^}]+)\}")
# Spoken Welsh drops a syllable the rules spell out: "di" for "wedi", "fy hunan" for "fy hun".
_SPOKEN = (
    (re.compile(r"(?<![a-z])wedi(?![a-z])"), "(?:wedi|di)"),
    (re.compile(r"(?<![a-z])hun(?![a-z(])"), "hun(?:an)?"),
)


class RuleSpec(BaseModel):
    """One rule as written in a rules file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cue: str = Field(min_length=1, max_length=40)
    category: Category | None = None
    kind: Kind
    person: Literal["self", "other", "other_free", "any"] = "any"
    level: RiskLevel | None = None
    any_of: list[str] = Field(min_length=1)


class RuleFile(BaseModel):
    """A rules file: macros, then rules."""

    model_config = ConfigDict(extra="forbid")

    macros: dict[str, str] = {}
    rules: list[RuleSpec]


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule."""

    cue: str
    category: Category | None
    kind: str
    pattern: re.Pattern[str]
    person: str
    level: RiskLevel


def expand(source: str, macros: dict[str, str]) -> str:
    """Expand macros, mutations and gaps (not person slots) in a rule source."""
    source = _MACRO.sub(lambda m: macros[m.group(1)], source)
    source = _MUT.sub(lambda m: mut(*(w.strip() for w in m.group(1).split(","))), source)
    for word, spoken in _SPOKEN:
        source = word.sub(spoken, source)
    return _GAP.sub(lambda m: r"(?: [a-z0-9]+){0," + m.group(1) + "}", source)


def compile_source(source: str) -> re.Pattern[str]:
    """Compile an expanded source into a whole-word pattern over the matching form."""
    source = "".join(
        c for c in unicodedata.normalize("NFKD", source) if not unicodedata.combining(c)
    )
    return re.compile(r"(?<![a-z0-9])(?:" + squeeze(source) + r")(?![a-z0-9])")


def compile_file(rule_file: RuleFile) -> list[Rule]:
    """Compile every rule in a validated rules file, expanding person slots."""
    rules: list[Rule] = []
    for spec in rule_file.rules:
        level = spec.level if spec.level is not None else LEVEL_KINDS.get(spec.kind, RiskLevel.NONE)
        source = "|".join(expand(part, rule_file.macros) for part in spec.any_of)
        variants: list[tuple[str, str]] = [(spec.person, source)]
        if any(slot in source for slot in _SLOTS):
            variants = []
            for index, person in enumerate(("self", "other")):
                filled = source
                for slot, values in _SLOTS.items():
                    filled = filled.replace(slot, values[index])
                variants.append((person, filled))
        for person, filled in variants:
            pattern = compile_source(filled)
            rules.append(Rule(spec.cue, spec.category, spec.kind, pattern, person, level))
    return rules


def load_rules() -> list[Rule]:
    """Load, validate and compile the packaged rules files."""
    rules: list[Rule] = []
    root = resources.files("nlu.safeguarding.data")
    for name in RULE_FILES:
        raw = safe_load(root.joinpath(name).read_text(encoding="utf-8"))
        try:
            rules.extend(compile_file(RuleFile.model_validate(raw)))
        except (ValueError, KeyError, re.error) as exc:
            raise ValueError(f"safeguarding rules file {name} is invalid: {exc}") from exc
    return rules
