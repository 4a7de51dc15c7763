"""The literal prefilter: needles are sound, and no rule or situation that matches is skipped."""

from __future__ import annotations

import csv
import json
import re
from importlib import resources
from pathlib import Path

from nlu.safeguarding.normalise import normalise
from nlu.safeguarding.prefilter import LiteralIndex, needles
from nlu.safeguarding.rules import RULES
from nlu.safeguarding.situations import SITUATIONS

HELDOUT = Path(__file__).resolve().parents[2] / "data" / "heldout" / "risk.jsonl"


def test_needles_of_literals_branches_and_optional_parts() -> None:
    assert needles(re.compile(r"ab(?:c|d)e")) == frozenset({"abce", "abde"})
    optional = re.compile(r"(?<![a-z])kil(?:ing)? me(?![a-z])")
    assert needles(optional) == frozenset({"kil me", "kiling me"})
    assert needles(re.compile(r"take(?: [a-z0-9]+){0,3} pils")) == frozenset({" pils"})
    assert needles(re.compile(r"cut+ing")) == frozenset({"ing"})  # the longest required literal


def test_patterns_without_a_literal_have_no_needles() -> None:
    assert needles(re.compile(r"[a-z]+")) is None
    assert needles(re.compile(r"(?:a|[a-z]+)b?")) is None
    assert needles(re.compile(r"kill", re.IGNORECASE)) is None
    assert needles(re.compile(r"(?:x)?")) is None


def test_every_match_of_a_pattern_contains_one_of_its_needles() -> None:
    pattern = re.compile(r"(?<![a-z0-9])(?:wan(?:a|t to)|going to)(?: [a-z0-9]+){0,2} die")
    found = needles(pattern)
    assert found is not None
    for text in ("i wana die", "i want to just die", "going to die", "im going to realy die"):
        match = pattern.search(text)
        assert match is not None, text
        assert any(n in match.group() for n in found), (text, found)


def test_the_index_skips_patterns_whose_needles_are_absent() -> None:
    index = LiteralIndex([re.compile(r"kil+ myself"), re.compile(r"[a-z]+"), re.compile("rn")])
    assert index.unfiltered == 1
    assert index.candidates("hello there") == frozenset({1})
    assert index.candidates("i want to kil myself rn") == frozenset({0, 1, 2})


def _corpus() -> list[str]:
    texts = [json.loads(line)["text"] for line in HELDOUT.read_text("utf-8").splitlines() if line]
    data = resources.files("nlu.safeguarding.data")
    for name in ("training.csv", "calibration.csv"):
        lines = data.joinpath(name).read_text(encoding="utf-8").splitlines()
        texts += [row["text"] for row in csv.DictReader(lines)]
    return [normalise(t) for t in texts]


def test_no_rule_or_situation_pattern_that_matches_is_filtered_out() -> None:
    patterns = [r.pattern for r in RULES]
    patterns += [p for s in SITUATIONS for p in (*s.all_of, *s.none_of)]
    index = LiteralIndex(patterns)
    assert index.unfiltered < len(patterns) // 10  # the prefilter does filter
    matched = 0
    for norm in _corpus():
        candidates = index.candidates(norm)
        for i, pattern in enumerate(patterns):
            if pattern.search(norm):
                matched += 1
                assert i in candidates, (pattern.pattern[:80], norm)
    assert matched > 1000
