"""Devanagari words in Latin letters, so a town known to the gazetteer only by its English name
(GeoNames) is found when a post writes it in Hindi: खलीलाबाद -> khalilabad, तालबेहट -> talbehat.

Hindi drops the inherent vowel at the end of a word and often inside it (schwa deletion): सुमेरपुर is
sumerpur, not sumerapura. Inside a word the rule is a guess (किशनगढ़ is Kishangarh, but the rule says
kishnagarh), so every keep/drop choice of the medial vowels is offered, most likely first.
"""
from __future__ import annotations

import itertools
import unicodedata
from functools import lru_cache

from chalicelib.triage.normalise import fold

CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j", "झ": "jh", "ञ": "n",
    "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
    "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m", "य": "y", "र": "r", "ल": "l", "ळ": "l", "व": "v",
    "श": "sh", "ष": "sh", "स": "s", "ह": "h",
    "क़": "q", "ख़": "kh", "ग़": "gh", "ज़": "z", "ड़": "r", "ढ़": "rh", "फ़": "f", "य़": "y",
}
VOWEL_SIGNS = {"ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai", "ो": "o",
               "ौ": "au", "ॉ": "o", "ॅ": "e"}
VOWELS = {"अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e", "ऐ": "ai", "ओ": "o",
          "औ": "au", "ऑ": "o"}
NASALS = {"ं", "ँ"}
VIRAMA, NUKTA, VISARGA = "्", "़", "ः"
MAX_CHOICES = 3  # medial vowels whose keep/drop is varied: 2**3 spellings at most


def _syllables(word: str) -> list[list]:
    """[consonant, vowel, inherent] per written syllable."""
    chars = list(unicodedata.normalize("NFD", word))
    units: list[list] = []
    i = 0
    while i < len(chars):
        c = chars[i]
        if i + 1 < len(chars) and chars[i + 1] == NUKTA:
            c, i = c + NUKTA, i + 1
        following = chars[i + 1] if i + 1 < len(chars) else ""
        if c in CONSONANTS and (following == VIRAMA or following in VOWEL_SIGNS):
            units.append([CONSONANTS[c], VOWEL_SIGNS.get(following, ""), False])
            i += 2  # the sign is read with its consonant
            continue
        if c in CONSONANTS:
            units.append([CONSONANTS[c], "a", True])  # the inherent vowel
        elif c in VOWELS:
            units.append(["", VOWELS[c], False])
        elif c in NASALS and units:
            units[-1][1] += "n"
        elif c == VISARGA and units:
            units[-1][1] += "h"
        i += 1
    return units


@lru_cache(maxsize=65536)
def romanised_forms(word: str) -> tuple[str, ...]:
    """Folded Latin spellings of a Devanagari word, the usual schwa deletion first; () for other words."""
    units = _syllables(word)
    if not units:
        return ()
    if units[-1][2] and len(units) > 1:
        units[-1][1] = ""  # the final inherent vowel is silent: नोहर is nohar
    # A medial inherent vowel between two voiced syllables is usually dropped (सुमेरपुर -> sumerpur).
    usual = set()
    for k in range(1, len(units) - 1):
        if units[k][2] and units[k][1] == "a" and units[k - 1][1] and units[k + 1][1] and units[k + 1][0] \
                and k - 1 not in usual:
            usual.add(k)
    medial = [k for k in range(1, len(units) - 1) if units[k][2] and units[k][1] == "a"][:MAX_CHOICES]
    forms = []
    for choice in itertools.product((True, False), repeat=len(medial)):
        dropped = {k for k, keep_usual in zip(medial, choice) if (k in usual) == keep_usual}
        spelled = "".join(c + ("" if k in dropped else v) for k, (c, v, _) in enumerate(units))
        form = fold(spelled)
        if form not in forms:
            forms.append(form)
    return tuple(forms)
