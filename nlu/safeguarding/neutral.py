"""Neutral replies: greetings, thanks, yes/no, ok, emoji, codes, mood scores and "nothing".

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
# Whole-message non-answers to an optional question ("anything you'd like your school to know?"):
# "nothing" alone read as hopelessness by the model (level high, found by the web chat's keyboard
# test). Only these exact messages, as normalised (repeated letters folded: "no coment"): "i have
# nothing" or "nothing matters" still go to the model.
_NON_ANSWER_TEXT = """nothing|nothing else|nothing much|nothing really|nothing to say|
    nothing to add|
    nothing atm|no nothing|nah nothing|nope nothing|nothing thanks|nothing thank you|none|n a|
    not much|nothing for now|not right now|dim byd|dim byd arall|dim byd aral|
    dim byd i dweud|dim i dweud|nothing new|nothing bad|no coment|dim byd newyd|dim sylw|
    dim llawer|dim byd diolch|na dim byd|dim byd rili|dim ar hyn o bryd|dim byd ar hyn o bryd"""
_NON_ANSWERS = frozenset(phrase.strip() for phrase in _NON_ANSWER_TEXT.split("|"))
# A typed code as the whole message ("DEMO-Y10", "abc123"), read from the original text because
# normalising turns digits into letters; and a mood score ("8/10", "7 out of 10", "6 allan o 10").
_CODE = re.compile(r"[A-Za-z]{2,10}[-_ ]?[A-Za-z]{0,2}\d{1,4}[A-Za-z]?")
_SCORE = re.compile(r"\d{1,2}(?: (?:out of|o|allan o))?(?: \d{1,2})?")


def is_neutral(norm: str, text: str = "") -> bool:
    """Return True when a message is empty, only neutral reply words, a code or a mood score."""
    if not norm or _CODE.fullmatch(text.strip()) or _SCORE.fullmatch(norm):
        return True
    if " ".join(norm.split()) in _NON_ANSWERS:
        return True
    words = norm.split()
    return len(words) <= 6 and all(w in _WORDS for w in words)
