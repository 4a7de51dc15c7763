"""Normalisation: undo case, invisible characters, homoglyphs, leetspeak, spacing and stretching.

The result is the *matching form* every rule and the model see: lower-case ASCII words of
``[a-z0-9]`` separated by single spaces, with every run of a repeated letter squeezed to one
letter ("diiiie" -> "die", "kill" -> "kil", "lladd" -> "lad"). Rule patterns are squeezed the
same way when compiled (see ``squeeze``), so they are written in natural spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nlu.safeguarding.welsh import COLLOQUIAL, COLLOQUIAL_PAIRS

# Cyrillic and Greek look-alikes (after casefolding), plus a few Latin oddities.
_HOMOGLYPHS = {
    "а": "a", "б": "b", "в": "b", "г": "r", "д": "d", "е": "e", "ё": "e", "з": "3", "и": "u",
    "к": "k", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y",
    "х": "x", "ь": "b", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l",
    "ԛ": "q", "ԝ": "w", "ɡ": "g", "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i",
    "κ": "k", "μ": "u", "ν": "v", "ο": "o", "ρ": "p", "σ": "o", "ς": "s", "τ": "t", "υ": "u",
    "χ": "x", "ω": "w", "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t",
}  # fmt: skip
_EMOJI = {
    "💊": " pills ", "💉": " needle ", "🔪": " knife ", "🗡": " knife ", "🩸": " blood ",
    "🪢": " rope ", "🔫": " gun ", "⚰": " coffin ", "🌉": " bridge ", "🚆": " train ",
    "🚂": " train ", "🚄": " train ", "😂": " lol ", "🤣": " lol ", "💀": " lol ", "😭": " crying ",
    "😢": " crying ", "💔": " heartbroken ",
}  # fmt: skip
_APOSTROPHES = "’‘`´ʼ′"
_INVISIBLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2800, 0x3164, 0xFFA0}

_TRANSLATE: dict[int, str | None] = {ord(k): v for k, v in _HOMOGLYPHS.items()}
_TRANSLATE.update({ord(k): v for k, v in _EMOJI.items() if len(k) == 1})
_TRANSLATE.update({ord(c): "'" for c in _APOSTROPHES})
_TRANSLATE.update(dict.fromkeys(_INVISIBLE))

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i", "|": "l", "€": "e"})  # fmt: skip
_LEET_CHARS = re.compile(r"[013457@$!|€]")
# A token without these is returned unchanged by ``_deleet_token``, so a text without them is too.
_DELEET_CHARS = re.compile(r"[013457@$!|€*]")
_HAS_LETTER = re.compile(r"[a-z]")
_NUMBER_UNIT = re.compile(
    r"\d+(?:st|nd|rd|th|am|pm|mg|g|kg|ml|s|k|p|m|h|x|yo|yrs?|mins?|hrs?|lbs?)?"
)
_EDGE_PUNCT = ".,;:?\"'()[]{}<>~^*_-"

# Words that obfuscation with asterisks usually hides ("k*ll", "s*icide").
_WILDCARD_VOCAB = (
    "kill", "killing", "killed", "myself", "suicide", "suicidal", "die", "dead", "jump", "self",
    "harm", "cut", "cutting", "rape", "raped", "pills", "overdose", "hang", "abuse", "abused",
    "touch", "touches", "nudes", "marw", "lladd", "ladd", "hunan",
)  # fmt: skip

# Single characters separated by one space, dot, dash or underscore: "k i l l", "k.i.l.l".
_SPACED = re.compile(r"(?:(?<=\s)|^)([a-z0-9@$!](?:[ ._\-][a-z0-9@$!])+)(?=\s|$)")
_TOKEN = re.compile(r"\S+")
_WELSH_CLITIC = re.compile(r"(?<=[a-z])'(n|r|w)\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SQUEEZE_TEXT = re.compile(r"([a-z])\1+")
# Squeezing would turn "noose" into "nose"; the word is renamed first (rules say "ligature").
_NOOSE = re.compile(r"(?<![a-z])no{2,}s+e*s?(?![a-z])")
_SQUEEZE_PATTERN = re.compile(r"(?<!\\)([a-z])\1+")

# Misspellings and run-together forms, keyed by their squeezed spelling.
_TOKEN_MAP = {
    "sucide": "suicide", "suicde": "suicide", "suiside": "suicide", "suicid": "suicide",
    "sucicide": "suicide", "suiced": "suicide", "suisde": "suicide", "suecide": "suicide",
    "sucid": "suicide", "suiscide": "suicide", "sucidal": "suicidal", "suicdal": "suicidal",
    "suisidal": "suicidal", "suicidial": "suicidal", "suecidal": "suicidal",
    "myslef": "myself", "mysefl": "myself", "meself": "myself", "mysel": "myself",
    "mysef": "myself", "myselfe": "myself", "kilin": "kiling", "kiln": "kiling",
    "paracetemol": "paracetamol", "paracetomol": "paracetamol", "parcetamol": "paracetamol",
    "ibroprofen": "ibuprofen", "ibuprofin": "ibuprofen", "gona": "gona", "guna": "gona",
    "gna": "gona", "gana": "gona", "wana": "wana", "tmrw": "tomorow", "tmr": "tomorow",
    "tmrow": "tomorow", "tomoz": "tomorow", "2moro": "tomorow", "2nite": "tonight",
    "tonite": "tonight", "2night": "tonight", "dwin": "dwi yn", "rwyn": "rwy yn",
    "dwisio": "dwi isio", "dwim": "dwi dim", "sdim": "does dim",
    "dwisho": "dwi isho", "isho": "isio", "ishe": "isio", "eisio": "isio",
    "eisie": "eisiau", "ded": "dead", "ctb": "ctb", "selfharm": "self harm",
    "selfharming": "self harming", "kilmyself": "kil myself", "unalive": "unalive",
}  # fmt: skip


def squeeze(text: str) -> str:
    """Squeeze every run of one repeated letter to a single letter (regex escapes are kept)."""
    return _SQUEEZE_PATTERN.sub(r"\1", text)


# Standard Welsh forms for the rules: each spoken or texting word, its run-together forms split
# first ("dwisho" -> "dwi isho" -> "dwi isio"), then two-word forms.
_STANDARD = {squeeze(k): squeeze(v) for k, v in COLLOQUIAL.items()}
_STANDARD.update(
    {k: " ".join(_STANDARD.get(w, _TOKEN_MAP.get(w, w)) for w in v.split())
     for k, v in _TOKEN_MAP.items() if v != k}
)  # fmt: skip
_PAIRS = {(squeeze(a), squeeze(b)): squeeze(v) for (a, b), v in COLLOQUIAL_PAIRS.items()}
_PAIR_FIRST = frozenset(a for a, _ in _PAIRS) | {"y"}
# south "'y" (my) before a nasal mutation, which only "fy" causes: "'y nghicio i", "'y mreichiau"
_NASAL = ("ngh", "mh", "nh", "ng", "mr", "ml")
# "yn hunan-niweidio" (self-harming) and "hunan-hyder" are compounds, not "'yn hunan" (myself)
_COMPOUND = ("niw", "anaf", "bar", "hyd", "ofal", "del", "lun", "ladiad")


def standard_welsh(norm: str) -> str:
    """Return the matching form ``norm`` with spoken and texting Welsh in standard spelling."""
    words = [_STANDARD.get(w, w) for w in norm.split()]
    if _PAIR_FIRST.isdisjoint(words):
        return " ".join(words)
    words = " ".join(words).split()
    out: list[str] = []
    i = 0
    while i < len(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        pair = _PAIRS.get((words[i], after))
        later = words[i + 2] if i + 2 < len(words) else ""
        if pair is not None and not (after.startswith("hun") and later.startswith(_COMPOUND)):
            out.append(pair)
            i += 2
            continue
        out.append("fy" if words[i] == "y" and after.startswith(_NASAL) else words[i])
        i += 1
    return " ".join(out)


def _deleet_token(token: str) -> str:
    core = token.strip(_EDGE_PUNCT).rstrip("!")
    if not core or not _HAS_LETTER.search(core):
        return token
    if "*" in core:
        return _unmask(core)
    if not _LEET_CHARS.search(core) or _NUMBER_UNIT.fullmatch(core):
        return token
    return core.translate(_LEET)


def _unmask(core: str) -> str:
    pattern = re.compile("".join("[a-z]" if c == "*" else re.escape(c) for c in core))
    for word in _WILDCARD_VOCAB:
        if pattern.fullmatch(word):
            return word
    return core.replace("*", "")


# Words a spaced-out message is split back into ("kilmyself" -> "kil myself"); squeezed.
_SEGMENT_WORDS = tuple(
    """i me my myself want wanna to die dead kill killing end it all took take taken the
    pills tablets self harm cut cutting hate life tonight now going gonna fy hun hunan lladd ladd
    isio eisiau marw dwi dw wedi heno torri yn cymryd tabledi i gyd hurt jump off bridge suicide
    suicidal overdose od help please he she hits touches abuse rape raped""".split()
)
_SEGMENT_LONGEST = 40
_SEGMENT_VOCAB = frozenset(_SEGMENT_WORDS) | frozenset(squeeze(w) for w in _SEGMENT_WORDS)


@lru_cache(maxsize=65_536)  # a pure function of the word; learners reuse their long words
def _segment(word: str, shortest: int = 6) -> str:
    if not shortest <= len(word) <= _SEGMENT_LONGEST or word in _SEGMENT_VOCAB:
        return word
    # best[i]: fewest-words split of word[:i], or None.
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 12), end):
            head = best[start]
            piece = word[start:end]
            if head is not None and piece in _SEGMENT_VOCAB:
                cand = [*head, piece]
                current = best[end]
                if current is None or len(cand) < len(current):
                    best[end] = cand
    found = best[len(word)]
    return " ".join(found) if found else word


def _join_spaced(text: str) -> str:
    runs = list(_SPACED.finditer(text))
    if not runs:
        return text
    spacing = any(len(m.group(1)) >= 5 for m in runs)  # at least three spaced characters

    def join(match: re.Match[str]) -> str:
        run = match.group(1)
        letters = run[::2]
        if (len(letters) < 3 and not spacing) or len(_HAS_LETTER.findall(letters)) < 2:
            return run
        return _segment(squeeze(letters.translate(_LEET)), shortest=4)

    return _SPACED.sub(join, text)


def _unicode_fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TRANSLATE)
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if ch.isascii():
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Cf", "Cn", "Co", "Cs", "Sk"):
            continue
        out.append(" " if cat in ("Cc", "Zs", "Zl", "Zp", "So", "Sm", "Po", "Ps", "Pe") else ch)
    return "".join(out)


def _clitic(match: re.Match[str]) -> str:
    return " yn" if match.group(1) == "n" else " " + match.group(1)


def normalise(text: str) -> str:
    """Return the matching form of ``text`` (see the module docstring); never raises."""
    return standard_welsh(model_form(text))


def model_form(text: str) -> str:
    """Return the form the model reads: the matching form before Welsh forms are standardised.

    The model was trained on this form; its n-grams already learn spoken Welsh from the rows.
    """
    if not isinstance(text, str):
        text = str(text)
    text = text.casefold() if text.isascii() else _unicode_fold(text)
    if _DELEET_CHARS.search(text):
        text = _TOKEN.sub(lambda m: _deleet_token(m.group(0)), text)
    text = _join_spaced(text)
    if "'" in text:  # each pass below is skipped when what it needs is absent
        text = _WELSH_CLITIC.sub(_clitic, text).replace("'", "")
    text = _NOT_WORD.sub(" ", text)
    # Run-together phrases ("iwanttodie") are split before squeezing joins their letters.
    text = " ".join(_segment(w) if len(w) >= 8 else w for w in text.split())
    if "noo" in text:
        text = _NOOSE.sub("ligature", text)
    text = _SQUEEZE_TEXT.sub(r"\1", text)
    words = [_TOKEN_MAP.get(w, w) for w in text.split()]
    return " ".join(words)
