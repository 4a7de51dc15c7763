"""Welsh initial-consonant mutations, so one rule matches "taro", "daro", "nharo" and "tharo"."""

from __future__ import annotations

_SOFT = {"c": "g", "p": "b", "t": "d", "g": "", "b": "f", "d": "dd", "ll": "l", "m": "f", "rh": "r"}
_NASAL = {"c": "ngh", "p": "mh", "t": "nh", "g": "ng", "b": "m", "d": "n"}
_ASPIRATE = {"c": "ch", "p": "ph", "t": "th"}


def mutations(word: str) -> list[str]:
    """Return ``word`` with its radical form first, then every soft, nasal and aspirate form."""
    forms = [word]
    for table in (_SOFT, _NASAL, _ASPIRATE):
        for radical in ("ll", "rh", word[:1]):
            if word.startswith(radical) and radical in table:
                form = table[radical] + word[len(radical) :]
                if form and form not in forms:
                    forms.append(form)
                break
    return forms


def mut(*words: str) -> str:
    """Return a regex alternation of every mutated form of each of ``words``."""
    forms: list[str] = []
    for word in words:
        forms.extend(f for f in mutations(word) if f not in forms)
    return "(?:" + "|".join(forms) + ")"
