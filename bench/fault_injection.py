"""Fault injection on the local stack: signed X and Meta deliveries with 20% duplicates in shuffled order,
5% of router and replier invocations failing (exceptions and timeouts), the runner killed mid-batch and
restarted, poison messages; then the reconciliation, before and after the DLQ replay.

    .venv/bin/python bench/fault_injection.py                     # 2,000 deliveries, 5 kills
    .venv/bin/python bench/fault_injection.py --deliveries 400 --kills 2
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from local.fault_run import POISON_MARKER, generate, run_scenario  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--duplicates", type=float, default=0.2)
    parser.add_argument("--fault-rate", type=float, default=0.05)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--poisoned", type=int, default=3, help="complaints that hit a router bug until the fix")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args(argv)

    logs = Path(tempfile.mkdtemp(prefix="fault-injection-"))
    deliveries = generate(args.deliveries, args.duplicates, args.seed, args.poisoned)
    fault_env = {"FAULT_RATE": str(args.fault_rate), "FAULT_SEED": str(args.seed), "FAULT_DEADLINE_SECONDS": "3",
                 "FAULT_POISON_MARKER": POISON_MARKER}
    started = time.perf_counter()
    run = run_scenario(logs, deliveries, fault_env, args.kills, args.concurrency, drain_timeout=600)
    report = {"deliveries": args.deliveries, "seconds_to_send": round(run.seconds_to_send, 1),
              "seconds_total": round(time.perf_counter() - started, 1), "kills": run.runner.kills,
              "faults_injected": dict(run.runner.faults_injected()), "before_replay": run.before.summary(),
              "replayed": run.replayed, "after_replay": run.after.summary(),
              "balances": run.before.balances() and run.after.balances(),
              "not_acknowledged": run.after.not_acknowledged, "logs": str(logs)}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
