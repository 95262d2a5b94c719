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

from local.fault_run import (POISON_MARKER, STACK_ENV, RunnerProcess, deliver_with_kills, generate,  # noqa: E402
                             pipeline_urls, reconcile, replay_routing_dlq, wait_until_drained)
from local.stack_process import running_stack  # noqa: E402


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
    with running_stack(logs / "stack.log", extra_env=STACK_ENV) as stack:
        runner = RunnerProcess(stack, logs / "runner.log", fault_env).start()
        try:
            statuses = deliver_with_kills(stack, runner, deliveries, args.kills, args.concurrency)
            sent_in = time.perf_counter() - started
            sqs = stack.boto("sqs")
            wait_until_drained(sqs, pipeline_urls(sqs), timeout=600)
            before = reconcile(stack, deliveries, statuses)
            runner.stop()
            runner.fault_env = {k: v for k, v in fault_env.items() if k != "FAULT_POISON_MARKER"}   # the fix
            runner.start()
            replayed = replay_routing_dlq(stack)
            wait_until_drained(sqs, pipeline_urls(sqs), timeout=600)
            after = reconcile(stack, deliveries, statuses)
        finally:
            runner.stop()
    report = {"deliveries": args.deliveries, "seconds_to_send": round(sent_in, 1),
              "seconds_total": round(time.perf_counter() - started, 1), "kills": runner.kills,
              "faults_injected": dict(runner.faults_injected()), "before_replay": before.summary(),
              "replayed": replayed, "after_replay": after.summary(),
              "balances": before.balances() and after.balances(), "not_acknowledged": after.not_acknowledged, "logs": str(logs)}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
