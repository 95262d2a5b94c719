"""Which second reader reads best? The neighbours, the weights or both, leaving each writer out.

    .venv/bin/python bench/triage_linear_reader.py

For each writer of bench/triage_second_reader.py, the model (the neighbours' posts and
the linear weights, chalicelib/data/derive_triage_model.py) is derived once from everyone else, and
the writer's posts are triaged with the group and P1 read by the neighbours alone, by the weights
alone and by both (model.NEIGHBOURS_SHARE 1, 0 and 0.5), under the thresholds the neighbours were
tuned for and under the shipped ones (chalicelib/triage/__init__.py). Prints the means over the
writers the rules were never tuned on and over all of them. The unseen rounds are not read here.

Figures (23 Nov 2026, the 26 writers of the time, before rounds 94-101; group macro-F1 / district / false-route / P1 recall / P1 false alarms, mean
over the 21 writers; all 26 in brackets; today's neighbours voted for the category too):
  today's neighbours (38a7918)      82.9 / 90.0 / 3.5 / 86.3 / 10.4 % (85.4 / 90.2 / 2.8 / 88.1 / 9.8 %)
  neighbours alone, old thresholds  83.2 / 90.4 / 3.5 / 86.5 / 10.3 % (85.7 / 90.5 / 2.8 / 88.3 / 9.7 %)
  neighbours alone, new thresholds  84.4 / 92.5 / 4.5 / 89.5 / 11.8 % (86.3 / 92.2 / 3.7 / 90.8 / 11.0 %)
  weights alone, old thresholds     85.7 / 89.8 / 2.5 / 87.5 / 9.9 % (87.7 / 90.0 / 2.0 / 89.1 / 9.4 %)
  weights alone, new thresholds     87.3 / 91.5 / 2.6 / 90.0 / 10.6 % (88.9 / 91.4 / 2.1 / 91.4 / 10.3 %)
  both, old thresholds              85.2 / 89.9 / 2.8 / 86.9 / 9.8 % (87.4 / 90.1 / 2.2 / 88.8 / 9.2 %)
  both, new thresholds (shipped)    88.3 / 92.0 / 3.0 / 90.3 / 10.6 % (89.9 / 91.9 / 2.4 / 91.8 / 10.1 %)
Both read one point of group macro-F1 better than the weights alone, for 0.4 points more false routes.

The shipped thresholds were chosen a few values each, one at a time around the old ones, for the
weights and for both: second reading after general_query 0.2 / 0.3 / 0.4 / 0.5, after na_unrelated
0.4-0.8, overruling a keyword 0.3-0.8 (dismissing it as not actionable 0.4-0.8), P1 0.4-0.8. Lower
thresholds than the neighbours' read better: the weights' probabilities are less extreme than a vote
of ten. Dismissing a keyword's complaint as not actionable under 0.6 routed fewer posts wrongly
(false-route 2.5 % at 0.4) but found fewer complaints (actionable recall 97.4 against 97.7 %), and
read "afeem tashkaron ne police party pe firing ki" as chatter; overruling at 0.4 read half a point
of group macro-F1 better than 0.45 but overruled a dev-set molestation as a chain snatching.
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# triage_second_reader puts the repository and chalicelib/data on the path
from triage_second_reader import ROOT, WRITERS, derivation, measure  # noqa: E402

import chalicelib.triage as triage_module  # noqa: E402
from chalicelib.triage import model  # noqa: E402

READERS = {"neighbours alone": 1.0, "weights alone": 0.0, "both": 0.5}
THRESHOLDS = {  # the names in chalicelib/triage/__init__.py
    "the neighbours' thresholds": {"SECOND_READING_AT": {"general_query": 0.3, "na_unrelated": 0.6},
                                   "OVERRULE_AT": 0.6, "DISMISS_AT": 0.6, "EMERGENCY_READING_AT": 0.7},
    "shipped thresholds": {name: getattr(triage_module, name) for name in
                           ("SECOND_READING_AT", "OVERRULE_AT", "DISMISS_AT", "EMERGENCY_READING_AT")},
}
UNTUNED = [name for name in WRITERS if name.split(" (")[0] not in {f"writer {n}" for n in (1, 2, 3, 4, 6)}]
SHOWN = ("group macro-F1", "district accuracy", "false-route rate", "P1 recall", "P1 false alarms")


def writer_scores(name: str, files: tuple[str, ...], taught: dict[str, list]) -> dict[tuple[str, str], dict]:
    reader = model.PostModel(derivation.derive_from(
        [lesson for path in derivation.training_files(set(files)) for lesson in taught[path.name]]))
    model.post_model = lambda: reader  # noqa: E731 - a reader this writer never taught
    posts = derivation.labelled_posts([ROOT / "tests" / "data" / f for f in files])
    scores = {}
    for reader_name, share in READERS.items():
        model.NEIGHBOURS_SHARE = share
        for thresholds_name, thresholds in THRESHOLDS.items():
            for constant, value in thresholds.items():
                setattr(triage_module, constant, value)
            scores[reader_name, thresholds_name] = measure(posts, True)
    print(name, flush=True)
    return scores


def main() -> int:
    taught = {path.name: derivation.lessons(derivation.labelled_posts([path])) for path in derivation.training_files()}
    results = {name: writer_scores(name, files, taught) for name, files in WRITERS.items()}
    for variant in next(iter(results.values())):
        untuned, everyone = ({m: statistics.mean(results[n][variant][m] for n in names) for m in SHOWN}
                             for names in (UNTUNED, list(WRITERS)))
        print(f"{' under '.join(variant):50s} " + " / ".join(f"{untuned[m]:.1%}" for m in SHOWN)
              + " (" + " / ".join(f"{everyone[m]:.1%}" for m in SHOWN) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
