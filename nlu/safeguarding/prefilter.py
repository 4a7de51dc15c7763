"""A literal prefilter for the rule and situation patterns, so most patterns are never run.

Each compiled pattern is read once (through the parser of Python's own ``re``) for *needles*:
strings such that every match of the pattern contains at least one of them. A pattern whose
needles are all absent from a text cannot match it, so its regex need not be run there. That is
only a shortcut: a pattern with no usable needles is always run, and a candidate pattern is then
run exactly as before, so what matches is unchanged (``benchmarks/detector_equivalence.py``).

``LiteralIndex`` answers "which patterns can match this text" for a whole list of patterns at
once: needles are grouped by their first three characters, and only the groups whose trigram
occurs in the text are checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import product
from typing import Any

try:  # private modules of the stdlib (3.11+): without them every pattern is simply run
    import re._constants as sre  # type: ignore[import-not-found]  # the parser's node kinds
    import re._parser as sre_parse  # type: ignore[import-not-found]  # the stdlib's regex parser
except ImportError:  # pragma: no cover - a Python whose re is laid out differently
    sre = sre_parse = None

_MAX_STRINGS = 64  # exact-string sets larger than this are given up (the node is "anything")
_MAX_CLASS = 12  # a character class of at most this many characters is expanded
_SHORTEST_KEY = 3  # shorter needles are checked one by one
_KEY = 6  # needles are grouped by their first six characters (or three if shorter)

Strings = frozenset[str] | None  # None: no finite set / no requirement is known


def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Return strings one of which every match of ``pattern`` contains, or None if unknown."""
    if pattern.flags & re.IGNORECASE or sre_parse is None:
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return None
    exact, required = _sequence(list(parsed))
    found = exact if exact is not None else required
    if not found or "" in found:
        return None
    return found


def _score(strings: frozenset[str]) -> tuple[int, int]:
    """How selective a needle set is: its shortest string first, then fewer strings."""
    return (min(len(s) for s in strings), -len(strings))


def _best(candidates: Iterable[Strings]) -> Strings:
    usable = [c for c in candidates if c and "" not in c]
    return max(usable, key=_score) if usable else None


def _concat(left: frozenset[str], right: frozenset[str]) -> Strings:
    if len(left) * len(right) > _MAX_STRINGS:
        return None
    return frozenset(a + b for a, b in product(left, right))


def _sequence(nodes: Sequence[tuple[Any, Any]]) -> tuple[Strings, Strings]:
    """(exact strings, needles) of a sequence of parser nodes."""
    candidates: list[Strings] = []
    run: Strings = frozenset({""})
    whole = True  # every node so far had an exact set
    for node in nodes:
        exact, required = _node(node)
        if exact is not None and run is not None:
            joined = _concat(run, exact)
            if joined is None:  # too many combinations: keep what we had, start again
                candidates.append(run)
                whole = False
                joined = exact
            run = joined
            continue
        if exact is not None:
            run = exact
            continue
        candidates.append(run)
        candidates.append(required)
        whole = False
        run = frozenset({""})
    candidates.append(run)
    return (run if whole else None), _best(candidates)


def _node(node: tuple[Any, Any]) -> tuple[Strings, Strings]:
    """(exact strings, needles) of one parser node."""
    op, av = node
    if op is sre.LITERAL:
        return frozenset({chr(av)}), None
    if op is sre.IN:
        chars = _class_chars(av)
        return chars, None
    if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
        return frozenset({""}), None  # zero width: consumes nothing of the match
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, inner = av
        if add_flags & re.IGNORECASE:
            return None, None
        return _sequence(list(inner))
    if op is sre.BRANCH:
        branches = [_sequence(list(b)) for b in av[1]]
        exacts = [e for e, _ in branches]
        exact: Strings = None
        if all(e is not None for e in exacts):
            union = frozenset().union(*(e for e in exacts if e is not None))
            exact = union if len(union) <= _MAX_STRINGS else None
        each = [e if e is not None else r for e, r in branches]
        required: Strings = None
        if all(x and "" not in x for x in each):
            required = frozenset().union(*(x for x in each if x is not None))
        return exact, required
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, high, inner = av
        exact, required = _sequence(list(inner))
        if low == 0:
            if high == 1 and exact is not None:
                return exact | {""}, None
            return None, None
        inner_best = exact if exact is not None else required
        if low == high == 1:
            return exact, required
        return None, inner_best
    return None, None


def _class_chars(items: Sequence[tuple[Any, Any]]) -> Strings:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # negation, categories or a wide range
        if len(chars) > _MAX_CLASS:
            return None
    return frozenset(chars)


@lru_cache(maxsize=16)  # the rule and situation indices ask about the same text in turn
def _grams(text: str, n: int) -> frozenset[str]:
    """Every substring of ``text`` of length ``n``."""
    return frozenset([text[i : i + n] for i in range(len(text) - n + 1)])


class LiteralIndex:
    """Which of a list of patterns can match a text, judged by their needles."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        always: set[int] = set()
        short: dict[str, set[int]] = {}
        by_key: dict[str, dict[str, set[int]]] = {}
        for index, pattern in enumerate(patterns):
            found = needles(pattern)
            if found is None:
                always.add(index)
                continue
            for needle in found:
                if len(needle) < _SHORTEST_KEY:
                    short.setdefault(needle, set()).add(index)
                else:
                    key = needle[: _KEY if len(needle) >= _KEY else _SHORTEST_KEY]
                    by_key.setdefault(key, {}).setdefault(needle, set()).add(index)
        self._always = frozenset(always)
        self._short = tuple((needle, frozenset(v)) for needle, v in short.items())
        self._by_key = {
            key: tuple((needle, frozenset(v)) for needle, v in group.items())
            for key, group in by_key.items()
        }
        lengths = sorted({len(key) for key in self._by_key})
        self._keys = tuple((n, frozenset(k for k in self._by_key if len(k) == n)) for n in lengths)
        self.size = len(patterns)

    @property
    def unfiltered(self) -> int:
        """How many patterns have no needles (always run)."""
        return len(self._always)

    def candidates(self, text: str) -> set[int]:
        """Indices of the patterns that may match ``text`` (a superset of those that do)."""
        found = set(self._always)
        for needle, indices in self._short:
            if needle in text:
                found |= indices
        by_key = self._by_key
        for n, keys in self._keys:
            for key in keys.intersection(_grams(text, n)):
                for needle, indices in by_key[key]:
                    if needle in text:
                        found |= indices
        return found
