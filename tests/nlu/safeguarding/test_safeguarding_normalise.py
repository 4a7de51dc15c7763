"""Normalisation undoes obfuscation before any rule or the model sees a message."""

from __future__ import annotations

import pytest

from nlu.safeguarding import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I WANT To DIE", "i want to die"),  # case
        ("k1ll mys3lf", "kil myself"),  # leetspeak (letters are squeezed: kill -> kil)
        ("d!e", "die"),
        ("h@rm", "harm"),
        ("d i e  n o w", "die now"),  # spaced letters, double space between words
        ("k.i.l.l", "kil"),
        ("diiiiiie", "die"),  # repeated letters
        ("suuuuicide", "suicide"),
        ("su\u200bi\u200ccide", "suicide"),  # zero-width characters
        ("s\u00adelf h\u2060arm", "self harm"),  # soft hyphen, word joiner
        ("kіll myѕеlf", "kil myself"),  # Cyrillic look-alikes
        ("κill", "kil"),  # Greek kappa
        ("ｋｉｌｌ", "kil"),  # fullwidth
        ("𝐤𝐢𝐥𝐥", "kil"),  # mathematical bold
        ("sucide", "suicide"),  # misspelling
        ("suisidal", "suicidal"),
        ("k*ll myself", "kil myself"),  # masking
        ("wanttodie", "want to die"),  # run together
        ("800mg", "800mg"),  # numbers with units are not leetspeak
        ("dwi'n", "dwi yn"),  # Welsh clitics
        ("i'r ysgol", "i r ysgol"),
        ("mynd i'w ladd", "mynd i w lad"),
        ("rŵan", "rwan"),  # circumflex
        ("💊💊", "pils pils"),  # pill emoji names the means
    ],
)
def test_obfuscation_is_undone(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_output_is_lower_case_ascii_words() -> None:
    out = normalise("Ça va?! 😂 ZWJ\u200d—x  y\t\nz")
    assert out == out.strip()
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in out)
    assert "  " not in out


def test_everyday_words_are_not_broken_apart() -> None:
    assert normalise("skilled killed understand") == "skiled kiled understand"
    assert normalise("a b") == "a b"  # two single letters are not a spaced word
