"""Phrase lexicons matched on stemmed tokens.

A pattern is a phrase ("paise kat gaye") or phrases joined by '&' that must all occur somewhere in
the post ("bike & chori"). Stopwords are dropped from both sides, so "naukri ke naam par" matches
"naukri naam". A rule's weight is its number of content tokens: specific rules outscore single words.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chalicelib.triage.normalise import stem, tokenize

LEXICON = Path(__file__).resolve().parent.parent / "data" / "triage_lexicon.json"


@dataclass(frozen=True)
class Hit:
    key: str          # what the rule votes for (a category id or a cue list name)
    pattern: str      # as written in the data file, shown to HQ
    weight: int
    parts: tuple[tuple[str, ...], ...] = ()


@lru_cache(maxsize=1)
def lexicon() -> dict:
    with open(LEXICON, encoding="utf-8") as f:
        return json.load(f)


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


class Matcher:
    """Match with `drop_stopwords` on content_stems(text.stems), else on text.stems."""

    def __init__(self, rules: list[tuple[str, str]], drop_stopwords: bool = True):
        self.rules: list[tuple[str, str, tuple[tuple[str, ...], ...], int]] = []
        self.by_phrase: dict[tuple[str, ...], list[int]] = {}
        self.first: dict[str, list[tuple[str, ...]]] = {}
        for key, pattern in rules:
            parts = tuple(p for p in (_phrase(part, drop_stopwords) for part in pattern.split("&")) if p)
            if not parts:
                continue
            index = len(self.rules)
            self.rules.append((key, pattern, parts, sum(len(p) for p in parts)))
            for part in set(parts):
                if part not in self.by_phrase:
                    self.first.setdefault(part[0], []).append(part)
                self.by_phrase.setdefault(part, []).append(index)

    def match(self, stems: tuple[str, ...]) -> list[Hit]:
        found: set[tuple[str, ...]] = set()
        n = len(stems)
        for i, s in enumerate(stems):
            for phrase in self.first.get(s, ()):
                if stems[i:i + len(phrase)] == phrase:
                    found.add(phrase)
        fired: set[int] = set()
        for phrase in found:
            for index in self.by_phrase[phrase]:
                if index not in fired and all(p in found for p in self.rules[index][2]):
                    fired.add(index)
        return [Hit(self.rules[i][0], self.rules[i][1], self.rules[i][3], self.rules[i][2]) for i in sorted(fired)]


@lru_cache(maxsize=1)
def cue_matcher() -> Matcher:
    """The cue lists of triage_lexicon.json (request, danger_now, injury, child, unrest, ...)."""
    lex = lexicon()
    rules = [(name, pattern) for name, patterns in lex.items()
             if isinstance(patterns, list) and name not in ("stopwords", "hinglish_markers")
             for pattern in patterns]
    return Matcher(rules, drop_stopwords=False)


@lru_cache(maxsize=1)
def hinglish_markers() -> frozenset[str]:
    return frozenset(lexicon()["hinglish_markers"])
