"""Derive chalicelib/data/triage_model.json, the counts behind triage's second reader (triage/model.py).

    .venv/bin/python chalicelib/data/derive_triage_model.py

Learns from the labelled posts in tests/data except those kept for measuring: the shared dev set,
rounds 30 and 31 (never tuned on: the standing measure of posts the rules have never seen) and the
other rounds listed in MEASURED_ONLY (34-37 and 78-85: posts neither the rules nor the model saw).
Each post counts once for its group (the first acceptable one); its category is what the keyword rules decided when they got the group right, else it votes only
for the group. Features seen in fewer than MIN_POSTS posts are dropped: one writer's quirk is no
evidence; so are the commonest (COMMON_SHARE).
Run it again after adding labelled posts or changing the rules.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from chalicelib.triage import TriageInput, post_content, triage  # noqa: E402
from chalicelib.triage.model import MODEL, model_features  # noqa: E402

LABELLED = ROOT / "tests" / "data"
MEASURED_ONLY = {"triage_dev.jsonl", "triage_heldout30.jsonl", "triage_heldout31.jsonl",
                 *(f"triage_heldout{n}.jsonl" for n in (34, 35, 36, 37, *range(78, 86)))}
MIN_POSTS = 2
# A word in more than one post in ten ("sir", "ghar") tells the groups apart no better than chance
# and costs the longest lists to walk: dropped, the median post reads in 0.5 ms instead of 0.8.
COMMON_SHARE = 0.1


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


def derive(posts: list[dict]) -> dict:
    rows = [(model_features(post_content(p["text"])), *labels(p)) for p in posts]
    seen_in = Counter(f for features, _, _ in rows for f in features)
    common = COMMON_SHARE * len(rows)
    return {
        "derived_by": "chalicelib/data/derive_triage_model.py",
        "posts": [[group, category_id, "|".join(sorted(f for f in features if MIN_POSTS <= seen_in[f] <= common)), p1]
                  for (features, group, category_id), p1 in zip(rows, (bool(p["expect"].get("p1")) for p in posts))],
    }


def main() -> int:
    files = training_files()
    model = derive(labelled_posts(files))
    MODEL.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{MODEL.name}: {len(model['posts'])} posts from {len(files)} files, {MODEL.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
