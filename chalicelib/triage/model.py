"""A second reader: the labelled posts most like this one.

Every writer of complaints brings words the rules do not know ("ghode ko bhookha rakh ke taange me
jotta hai", "locks his 12-year-old domestic help inside the flat") and uses the rules' keywords in
sentences about something else ("taala laga diya aur tange tod denge" is no burglary). The post is
compared with the labelled posts in tests/data (data/derive_triage_model.py): the NEIGHBOURS that
share the most telling words and word pairs (rare ones count more) vote for a group, and those of
the winning group for a category; those that were emergencies (P1) vote for P1. Triage
(__init__.py) decides when the vote counts; the cue it leaves tells HQ that the category or the
priority is a reading, not a rule.

Neighbours beat a naive Bayes model on the same counts when one writer was left out of training
(group of posts without a keyword 76 % against 61 %, category within the right group 82 % against
36 %: bench/triage_second_reader.py). Plain Python; the posts load on the first one that needs them.
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from chalicelib.triage.normalise import PLACE_MASK, stem

MODEL = Path(__file__).resolve().parent.parent / "data" / "triage_model.json"
NEIGHBOURS = 10


@dataclass(frozen=True)
class Reading:
    group: str
    category: str | None   # None when the post reads as not actionable
    probability: float     # the winning group's share of the neighbours' vote
    emergency: float       # the share of the vote from posts that were P1 (danger now)


def model_features(content: tuple[str, ...]) -> frozenset[str]:
    """Stems and adjacent pairs of stems: "band kar" says more than "band" and "kar" apart.
    Masked place names are neither: a town says where, not what. Hindi stems are read in Latin
    letters (P1 recall of a writer left out +1 to +3 points, group macro-F1 +0.1 to +0.7)."""
    words = [_latin(s) for s in content if s != PLACE_MASK]
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in zip(words, words[1:]))


@lru_cache(maxsize=8192)
def _latin(stem_: str) -> str:
    """चोरी and chori are one word to the reader: Hindi and Hinglish posts teach each other."""
    if stem_.isascii():
        return stem_
    from chalicelib.triage.romanise import romanised_forms  # Hindi posts only

    forms = romanised_forms(stem_)
    return stem(forms[0]) if forms else stem_


class PostModel:
    def __init__(self, data: dict) -> None:
        self.labels = [(group, category_id) for group, category_id, _, _ in data["posts"]]
        self.p1 = [p1 for _, _, _, p1 in data["posts"]]
        self.index: dict[str, list[int]] = defaultdict(list)
        for i, (_, _, features, _) in enumerate(data["posts"]):
            for feature in features.split("|"):
                self.index[feature].append(i)
        total = len(self.labels)
        self.weight = {f: math.log(total / (1 + len(posts))) for f, posts in self.index.items()}

    def read(self, content: tuple[str, ...]) -> Reading | None:
        shared: dict[int, float] = {}
        get = shared.get
        for feature in model_features(content):
            weight = self.weight.get(feature)
            for i in self.index.get(feature, ()):
                shared[i] = get(i, 0.0) + weight
        # sorted() runs in C: faster than heapq.nlargest over a thousand candidates
        nearest = sorted(shared.items(), key=itemgetter(1), reverse=True)[:NEIGHBOURS]
        if not nearest:
            return None
        group = _winner((self.labels[i][0], s) for i, s in nearest)
        votes = sum(s for _, s in nearest)
        probability = sum(s for i, s in nearest if self.labels[i][0] == group) / votes if votes else 0.0
        emergency = sum(s for i, s in nearest if self.p1[i]) / votes if votes else 0.0
        if group == "not_actionable":
            return Reading(group, None, probability, emergency)
        categories = [(self.labels[i][1], s) for i, s in nearest if self.labels[i][0] == group and self.labels[i][1]]
        return Reading(group, _winner(categories) if categories else None, probability, emergency)


def _winner(votes) -> str:
    tally: dict[str, float] = defaultdict(float)
    for name, score in votes:
        tally[name] += score
    return max(tally, key=tally.__getitem__)


@lru_cache(maxsize=1)
def post_model() -> PostModel:
    return PostModel(json.loads(MODEL.read_text(encoding="utf-8")))
