"""Triage quality and speed benchmark (issue 3): not a test, a report.

    .venv/bin/python bench/triage_quality.py [labelled.jsonl ...]

Runs `python -m chalicelib.triage` over each labelled file (default: ../shared/data/triage_dev.jsonl)
and prints actionable precision/recall, group macro-F1, district accuracy where a district is expected,
false-route rate where none is, P1 recall and P1 false alarms (actionable posts not labelled P1
that got P1: no target, the price paid for recall); then the median triage time per post on one core and the
import time of the triage module. Targets (on unseen posts): group macro-F1 >= 0.90, district
accuracy >= 0.95, false-route <= 2%, P1 recall >= 0.95, median <= 1 ms, import <= 50 ms.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "tests" / "data" / "triage_dev.jsonl"


def _as_list(value):
    return value if isinstance(value, list) else [value]


def run_cli(rows: list[dict]) -> dict:
    lines = "".join(json.dumps({k: r.get(k) for k in ("id", "text", "platform", "mentions", "user_location",
                                                     "coordinates", "state", "desk")}, ensure_ascii=False) + "\n"
                    for r in rows)
    done = subprocess.run([sys.executable, "-m", "chalicelib.triage"], input=lines, capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, check=True)
    return {out["id"]: out for out in map(json.loads, done.stdout.splitlines())}


def quality(rows: list[dict], got: dict) -> dict[str, float]:
    tp = fp = fn = 0
    district_hits = district_total = false_routes = no_district_total = p1_hits = p1_total = 0
    false_alarms = calm_total = 0
    pairs = []
    for r in rows:
        e, g = r["expect"], got[r["id"]]
        if g.get("error"):
            g = {"actionable": False, "group": "error", "district": None, "priority": "P3"}
        tp += e["actionable"] and g["actionable"]
        fp += (not e["actionable"]) and g["actionable"]
        fn += e["actionable"] and not g["actionable"]
        groups = _as_list(e["group"])
        pairs.append((g["group"] if g["group"] in groups else groups[0], g["group"]))
        expected_districts = [d for d in _as_list(e["district"]) if d]
        if expected_districts:
            district_total += 1
            district_hits += g["district"] in expected_districts
        else:
            no_district_total += 1
            false_routes += g["district"] is not None
        if e.get("p1"):
            p1_total += 1
            p1_hits += g["priority"] == "P1"
        elif e["actionable"]:
            calm_total += 1
            false_alarms += g["priority"] == "P1"
    labels = sorted({t for t, _ in pairs} | {p for _, p in pairs})
    f1s = []
    for label in labels:
        ltp = sum(1 for t, p in pairs if t == label and p == label)
        lfp = sum(1 for t, p in pairs if t != label and p == label)
        lfn = sum(1 for t, p in pairs if t == label and p != label)
        if ltp + lfp + lfn:
            f1s.append(2 * ltp / (2 * ltp + lfp + lfn))
    return {
        "actionable precision": tp / (tp + fp) if tp + fp else 1.0,
        "actionable recall": tp / (tp + fn) if tp + fn else 1.0,
        "group macro-F1": statistics.mean(f1s) if f1s else 1.0,
        "district accuracy": district_hits / district_total if district_total else 1.0,
        "false-route rate": false_routes / no_district_total if no_district_total else 0.0,
        "P1 recall": p1_hits / p1_total if p1_total else 1.0,
        "P1 false alarms": false_alarms / calm_total if calm_total else 0.0,
    }


def speed(rows: list[dict]) -> tuple[float, float]:
    code = "import time; t = time.perf_counter(); import chalicelib.triage; print((time.perf_counter() - t) * 1000)"
    imports = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                                    check=True).stdout) for _ in range(5)]
    sys.path.insert(0, str(ROOT))
    from chalicelib.triage import TriageInput, triage

    posts = [TriageInput(text=r["text"], mentions=tuple(r.get("mentions") or ()),
                         user_location=r.get("user_location"),
                         coordinates=tuple(r["coordinates"]) if r.get("coordinates") else None) for r in rows]
    triage(posts[0])  # data files load on first use; measured separately by the import/cold-start benches
    times = []
    for _ in range(max(1, 2000 // len(posts))):
        for post in posts:
            t = time.perf_counter()
            triage(post)
            times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, statistics.median(imports)


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or [DEFAULT]
    all_rows = []
    for path in files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        all_rows += rows
        print(f"{path.name} ({len(rows)} posts)")
        for name, value in quality(rows, run_cli(rows)).items():
            print(f"  {name:22s} {value:6.1%}")
    median_ms, import_ms = speed(all_rows)
    print(f"median triage per post   {median_ms:.3f} ms")
    print(f"import chalicelib.triage {import_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
