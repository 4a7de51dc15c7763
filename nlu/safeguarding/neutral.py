"""Neutral replies: greetings, thanks, yes/no, ok, emoji, codes and mood scores.

A message made only of these words carries no risk of its own, so the model (which reads short
texts through a handful of character n-grams and can mistake "ty" or "no" for distress) is not
asked about it. The rules still run on it, and with conversation context the message is read
together with what came before, so "no" after "are things ok at home?" is not lost.
"""

from __future__ import annotations

import re

_WORDS = frozenset(
    """hi hiya hey heya hello helo yo sup wassup morning afternoon evening good night gn
    bore da prynhawn noswaith nos shwmae sut mae s mae haia
    thanks thank thankyou thx ty tysm tyvm cheers ta much very you so lot a
    diolch yn fawr iawn am ti chi
    ok okay k kk okey oki alright aight fine sound cool nice great grand lovely sure yes yeah
    yep yup ya ye yea no nah nope not really maybe idk dunno mhm hmm uh um
    ia ie do naddo na nage oes nac dim ydw nac ydw ydy wel efallai dwn i gwbod
    bye goodbye cya see later hwyl fawr ta ra
    im i am feeling good happy dw dwi yn hapus da mi
    lol haha xx x emoji""".split()
)
# A typed code as the whole message ("DEMO-Y10", "abc123"), read from the original text because
# normalising turns digits into letters; and a mood score ("8/10", "7 out of 10", "6 allan o 10").
_CODE = re.compile(r"[A-Za-z]{2,10}[-_ ]?[A-Za-z]{0,2}\d{1,4}[A-Za-z]?")
_SCORE = re.compile(r"\d{1,2}(?: (?:out of|o|allan o))?(?: \d{1,2})?")


def is_neutral(norm: str, text: str = "") -> bool:
    """Return True when a message is empty, only neutral reply words, a code or a mood score."""
    if not norm or _CODE.fullmatch(text.strip()) or _SCORE.fullmatch(norm):
        return True
    words = norm.split()
    return len(words) <= 6 and all(w in _WORDS for w in words)
