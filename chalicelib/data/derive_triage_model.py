"""Derive chalicelib/data/triage_model.json, what triage's second reader knows (triage/model.py).

    .venv/bin/python chalicelib/data/derive_triage_model.py

Learns from the labelled posts in tests/data except those kept for measuring: the shared dev set,
rounds 30 and 31 (never tuned on: the standing measure of posts the rules have never seen) and the
other rounds listed in MEASURED_ONLY (34-37, 78-85 and 86-93: posts neither the rules nor the model saw).
Each post counts once for its group (the first acceptable one); its category is what the keyword
rules decided when they got the group right, else it teaches only the group.

Two readers are derived from the same posts:
- the neighbours: each post's features, for the posts most like a new one to vote. Features seen in
  fewer than MIN_POSTS posts are dropped: one writer's quirk is no evidence; so are the commonest
  (COMMON_SHARE);
- the weights: multinomial logistic regression with an L2 penalty (numpy, here only) for the group,
  the category within each group and P1, over the features seen in MIN_POSTS posts or more. Stored
  in hundredths, features whose weights are all small dropped, so triage adds integers in plain
  Python.
Run it again after adding labelled posts or changing the rules.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from chalicelib.triage import TriageInput, post_content, triage  # noqa: E402
from chalicelib.triage.model import MODEL, model_features  # noqa: E402

LABELLED = ROOT / "tests" / "data"
MEASURED_ONLY = {"triage_dev.jsonl", "triage_heldout30.jsonl", "triage_heldout31.jsonl",
                 *(f"triage_heldout{n}.jsonl" for n in (34, 35, 36, 37, *range(78, 94)))}
MIN_POSTS = 2
# A word in more than one post in ten ("sir", "ghar") tells the groups apart no better than chance
# and costs the neighbours the longest lists to walk: dropped, the median post reads in 0.5 ms
# instead of 0.8. The weights keep it: a weight learns how little it says.
COMMON_SHARE = 0.1
# Five writers left out, the readings' group accuracy: a penalty of 1e-4 read as well as 3e-5
# (88.1 / 88.3 %) and better than 3e-4 or 1e-3 (87.5 / 85.5 %); 150 full-batch steps as well as 300.
L2 = 1e-4
STEPS = 150
# A feature keeps its weights in a head when one of them is this many hundredths or more: four
# writers left out, the readings' group accuracy moved 0.2 points and P1 not at all; the file
# shrank from 3.0 to 2.4 MB and loads in about 120 ms instead of 210.
KEEP_FROM = 15
Lesson = tuple[frozenset[str], str, str | None, bool]  # a post's features, group, category, P1


class Design:
    """Which features each post has, as a sparse 0/1 matrix (posts x features) numpy can multiply."""

    def __init__(self, features: list[frozenset[str]], vocabulary: dict[str, int]) -> None:
        bounds, self.columns = [0], []
        for post in features:
            self.columns.extend(vocabulary[f] for f in post if f in vocabulary)
            bounds.append(len(self.columns))
        self.posts, self.features = len(features), len(vocabulary)
        self.rows = np.repeat(np.arange(self.posts), np.diff(bounds))

    def times(self, weights: np.ndarray) -> np.ndarray:
        present = weights[self.columns]
        return np.stack([np.bincount(self.rows, weights=w, minlength=self.posts) for w in present.T], 1)

    def transposed_times(self, errors: np.ndarray) -> np.ndarray:
        present = errors[self.rows]
        return np.stack([np.bincount(self.columns, weights=e, minlength=self.features) for e in present.T], 1)


def logistic_regression(design: Design, classes: list[int], count: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features x count) and biases of a softmax over `count` classes; count 1 is a yes/no
    (class 1 is yes). Full-batch Adam (step 0.05, moments decaying by 0.9 and 0.999) from zero: the
    same posts always give the same weights."""
    target = np.zeros((design.posts, max(count, 2)))
    target[np.arange(design.posts), classes] = 1
    target = target[:, 1:] if count == 1 else target
    params = [np.zeros((design.features, count)), np.zeros(count)]
    moments = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
    for step in range(1, STEPS + 1):
        logits = design.times(params[0]) + params[1]
        if count == 1:
            predicted = 1 / (1 + np.exp(-logits))
        else:
            predicted = np.exp(logits - logits.max(1, keepdims=True))
            predicted /= predicted.sum(1, keepdims=True)
        errors = (predicted - target) / design.posts
        gradients = [design.transposed_times(errors) + L2 * params[0], errors.sum(0)]
        for param, gradient, (mean, square) in zip(params, gradients, moments):
            mean += 0.1 * (gradient - mean)
            square += 0.001 * (gradient * gradient - square)
            param -= 0.05 * (1 - 0.999 ** step) ** 0.5 / (1 - 0.9 ** step) * mean / (np.sqrt(square) + 1e-8)
    return params[0], params[1]


def hundredths(weights: np.ndarray, biases: np.ndarray, vocabulary: dict[str, int]) -> dict:
    ints = np.rint(weights * 100).astype(int)
    kept = np.abs(ints).max(1) >= KEEP_FROM
    return {"bias": np.rint(biases * 100).astype(int).tolist(),
            "weights": {f: ints[i].tolist() for f, i in vocabulary.items() if kept[i]}}


def training_files(excluded: set[str] = frozenset()) -> list[Path]:
    return [p for p in sorted(LABELLED.glob("triage_*.jsonl")) if p.name not in MEASURED_ONLY | excluded]


def labelled_posts(files: list[Path]) -> list[dict]:
    return [json.loads(line) for path in files for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def labels(post: dict) -> tuple[str, str | None]:
    expect = post["expect"]
    if not expect["actionable"]:
        return "not_actionable", None
    groups = expect["group"] if isinstance(expect["group"], list) else [expect["group"]]
    ruled = triage(TriageInput.from_record(post), second_reading=False)
    return (ruled.group, ruled.category) if ruled.group in groups else (groups[0], None)


def lessons(posts: list[dict]) -> list[Lesson]:
    """What each post teaches: its features, group, category (or None) and whether it was P1."""
    return [(model_features(post_content(p["text"])), *labels(p), bool(p["expect"].get("p1"))) for p in posts]


def derive(posts: list[dict]) -> dict:
    return derive_from(lessons(posts))


def derive_from(taught: list[Lesson]) -> dict:
    seen_in = Counter(f for features, *_ in taught for f in features)
    common = COMMON_SHARE * len(taught)
    return {
        "derived_by": "chalicelib/data/derive_triage_model.py",
        "posts": [[group, "|".join(sorted(f for f in features if MIN_POSTS <= seen_in[f] <= common)), p1]
                  for features, group, _, p1 in taught],
        **weights(taught, {f: i for i, f in enumerate(sorted(f for f, n in seen_in.items() if n >= MIN_POSTS))}),
    }


def weights(taught: list[Lesson], vocabulary: dict[str, int]) -> dict:
    """The group and P1 heads over every post; a category head per group over its posts with one."""
    design = Design([features for features, *_ in taught], vocabulary)
    groups = sorted({group for _, group, _, _ in taught})
    group_head = logistic_regression(design, [groups.index(g) for _, g, _, _ in taught], len(groups))
    p1_head = logistic_regression(design, [int(p1) for *_, p1 in taught], 1)
    categories = {}
    for group in groups:
        named = [(features, category) for features, g, category, _ in taught if g == group and category]
        ids = sorted({category for _, category in named})
        if len(ids) > 1:
            head = logistic_regression(Design([f for f, _ in named], vocabulary),
                                       [ids.index(c) for _, c in named], len(ids))
            categories[group] = {"ids": ids, **hundredths(*head, vocabulary)}
        elif ids:
            categories[group] = {"ids": ids, "bias": [0], "weights": {}}
    return {"groups": groups, "group_head": hundredths(*group_head, vocabulary),
            "p1_head": hundredths(*p1_head, vocabulary), "category_heads": categories}


def main() -> int:
    files = training_files()
    model = derive(labelled_posts(files))
    MODEL.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{MODEL.name}: {len(model['posts'])} posts from {len(files)} files, {MODEL.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
