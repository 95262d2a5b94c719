"""Phrase lexicons matched on stemmed tokens.

A pattern is a phrase ("paise kat gaye") or phrases joined by '&' that must all occur somewhere in
the post ("bike & chori"). Stopwords are dropped from both sides, so "naukri ke naam par" matches
"naukri naam". A phrase written with a leading '=' keeps its stopwords and is matched on the full
text ("=ko peeta": beaten, where "peete" alone could be drinking). A rule's weight is its number of
content tokens: specific rules outscore single words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from chalicelib.triage.normalise import fold, lexicon, stem, tokenize


@dataclass(frozen=True)
class Hit:
    key: str          # what the rule votes for (a category id or a cue list name)
    pattern: str      # as written in the data file, shown to HQ
    weight: int
    parts: tuple[tuple[str, ...], ...] = ()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(stem(t) for w in lexicon()["stopwords"] for t in tokenize(w))


def content_stems(stems: tuple[str, ...]) -> tuple[str, ...]:
    stop = stopwords()
    return tuple(s for s in stems if s not in stop and len(s) > 1 or s.isdigit())


def _phrase(text: str, drop_stopwords: bool) -> tuple[str, ...]:
    stems = tuple(stem(t) for t in tokenize(text))
    kept = content_stems(stems) if drop_stopwords else stems
    return kept or stems


DEV_CONSONANT = re.compile("[\u0915-\u0939]")


def _too_short(stem_: str) -> bool:
    """Two Latin letters or one Devanagari syllable (le, ro, ले, रो): no evidence alone."""
    return len(stem_) <= 2 if stem_.isascii() else len(DEV_CONSONANT.findall(stem_)) <= 1


class Matcher:
    """Match with `drop_stopwords` on content_stems(text.stems), else on text.stems."""

    def __init__(self, rules: list[tuple[str, str]], drop_stopwords: bool = True):
        self.rules: list[tuple[str, str, tuple[tuple[str, ...], ...], int]] = []
        self.by_phrase: dict[tuple[str, ...], list[int]] = {}
        self.first: dict[str, list[tuple[str, ...]]] = {}
        self.exact_first: dict[str, list[tuple[str, ...]]] = {}
        for key, pattern in rules:
            parts = []
            for part in pattern.split("&"):
                exact = part.strip().startswith("=")
                phrase = _phrase(part.strip().lstrip("="), drop_stopwords and not exact)
                if drop_stopwords and not exact and len(phrase) == 1 and _too_short(phrase[0]):
                    # "le gaya" must not shrink to "le" (take), "ro raha" to "ro": too common alone.
                    whole = _phrase(part.strip(), False)
                    exact, phrase = len(whole) > 1, whole if len(whole) > 1 else phrase
                if phrase:
                    # exact phrases are told apart from content phrases by a marker element
                    parts.append(("=", *phrase) if exact else phrase)
            if not parts:
                continue
            index = len(self.rules)
            weight = sum(len(p) - (p[0] == "=") for p in parts)
            self.rules.append((key, pattern, tuple(parts), weight))
            for part in set(parts):
                if part not in self.by_phrase:
                    if part[0] == "=":
                        self.exact_first.setdefault(part[1], []).append(part)
                    else:
                        self.first.setdefault(part[0], []).append(part)
                self.by_phrase.setdefault(part, []).append(index)

    def match(self, stems: tuple[str, ...], full: tuple[str, ...] = ()) -> list[Hit]:
        """`stems`: the stream the matcher was built for; `full`: every stem, for '=' phrases."""
        found: set[tuple[str, ...]] = set()
        for i, s in enumerate(stems):
            for phrase in self.first.get(s, ()):
                if stems[i:i + len(phrase)] == phrase:
                    found.add(phrase)
        for i, s in enumerate(full):
            for phrase in self.exact_first.get(s, ()):
                if full[i:i + len(phrase) - 1] == phrase[1:]:
                    found.add(phrase)
        fired: set[int] = set()
        for phrase in found:
            for index in self.by_phrase[phrase]:
                if index not in fired and all(p in found for p in self.rules[index][2]):
                    fired.add(index)
        return [Hit(self.rules[i][0], self.rules[i][1], self.rules[i][3], self.rules[i][2]) for i in sorted(fired)]


@lru_cache(maxsize=1)
def cue_matcher() -> Matcher:
    """The cue lists of triage_lexicon.json (request, danger_now, injury, child, unrest, ...). A phrase
    written with "=" ("=saal se") is kept out of the one-word collision audit; it matches the same."""
    lex = lexicon()
    rules = [(name, pattern) for name, patterns in lex.items()
             if isinstance(patterns, list) and name not in ("stopwords", "hinglish_markers")
             for pattern in patterns]
    return Matcher(rules, drop_stopwords=False)


@lru_cache(maxsize=1)
def hinglish_markers() -> frozenset[str]:
    return frozenset(lexicon()["hinglish_markers"])


@lru_cache(maxsize=1)
def keyword_forms() -> dict[str, dict[str, set[str]]]:
    """stem -> {folded written form -> rules}, for every keyword or cue part that is one word: such a
    word matches alone, where a word of a longer phrase needs its neighbours too."""
    from chalicelib.triage.taxonomy import load_taxonomy

    lex = lexicon()
    rules = [(c.id, kw) for c in load_taxonomy().values() for kw in c.keywords]
    rules += [(name, p) for name, patterns in lex.items()
              if isinstance(patterns, list) and name not in ("stopwords", "hinglish_markers") for p in patterns]
    forms: dict[str, dict[str, set[str]]] = {}
    for key, pattern in rules:
        for part in pattern.split("&"):
            exact = part.strip().startswith("=")
            tokens = [t for t in tokenize(part.strip().lstrip("=")) if exact or stem(t) in _phrase(part, True)]
            if len(tokens) == 1:
                forms.setdefault(stem(tokens[0]), {}).setdefault(fold(tokens[0]), set()).add(f"{key}: {pattern}")
    return forms


def collisions(words) -> list[tuple[str, str, list[str]]]:
    """(word, stem, rules) for each word that stems like a one-word keyword it is not written like:
    a match the writer did not mean, unless it is an inflection of the keyword (fights/fight)."""
    forms = keyword_forms()
    found = []
    for word in words:
        for token in tokenize(word):
            hit = forms.get(stem(token))
            if hit and fold(token) not in hit:
                found.append((word, stem(token), sorted({r for rules in hit.values() for r in rules})))
    return found
