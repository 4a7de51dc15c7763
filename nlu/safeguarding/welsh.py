"""Welsh for the rules: initial mutations ("taro", "daro", "nharo", "tharo") and spoken forms."""

from __future__ import annotations

_SOFT = {"c": "g", "p": "b", "t": "d", "g": "", "b": "f", "d": "dd", "ll": "l", "m": "f", "rh": "r"}
_NASAL = {"c": "ngh", "p": "mh", "t": "nh", "g": "ng", "b": "m", "d": "n"}
_ASPIRATE = {"c": "ch", "p": "ph", "t": "th"}


# Spoken forms that drop the first syllable, mutated like the word itself ("neud", "i neud").
_CLIPPED = {"gwneud": "neud", "gneud": "neud"}


def mutations(word: str) -> list[str]:
    """Return ``word`` with its radical form first, then every soft, nasal and aspirate form."""
    forms = [word]
    if word in _CLIPPED:
        forms.append(_CLIPPED[word])
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


# Spoken and texting forms that no rule spells, read as the standard form the rules are written
# for (north and south): "byta" is "bwyta", "becso" is "poeni", "twtsiad" is "cyffwrdd". Only
# words that are not English words are listed; the normaliser squeezes both sides.
COLLOQUIAL = {
    "byta": "bwyta", "fyta": "fwyta", "myta": "mwyta",
    "becso": "poeni", "fecso": "boeni", "mecso": "mhoeni",
    "twtsiad": "cyffwrdd", "twtsio": "cyffwrdd", "twtshio": "cyffwrdd", "twtsh": "cyffwrdd",
    "dwtsiad": "gyffwrdd", "dwtsio": "gyffwrdd", "dwtshio": "gyffwrdd",
    "wncwl": "yncl", "wncl": "yncl", "yncwl": "yncl",
    "enwe": "enwau", "dyddia": "dyddiau", "dyddie": "dyddiau", "petha": "pethau",
    "pethe": "pethau", "llunia": "lluniau", "llunie": "lluniau", "smoco": "smocio",
    "cwato": "cuddio", "gwato": "cuddio", "nghwato": "nghuddio", "cwtsho": "cuddio",
    "nosweth": "noson", "noswaith": "noson", "cal": "cael", "isie": "isio", "isia": "isio",
    "diom": "dio ddim", "cleisie": "cleisiau", "cleisia": "cleisiau", "gleisie": "gleisiau",
    "breichie": "breichiau", "breichia": "breichiau", "mreichie": "mreichiau",
    "mreichia": "mreichiau", "freichie": "freichiau", "coese": "coesau", "coesa": "coesau",
    "nghoese": "nghoesau", "nghoesa": "nghoesau", "tridie": "tridiau", "marcie": "marciau",
}  # fmt: skip
# Two-word forms: south "'yn hunan" (myself), "i hunan" (himself, herself), "sha thre" (home).
COLLOQUIAL_PAIRS = {
    ("yn", "hunan"): "fy hunan", ("yn", "hun"): "fy hun", ("i", "hunan"): "ei hunan",
    ("sha", "thre"): "adre", ("tua", "thre"): "adre", ("sha", "tre"): "adre",
}  # fmt: skip
