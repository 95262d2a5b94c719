"""A bounded load test: signed X and Meta deliveries at a steady rate for a few minutes, from this process,
against the local stack in another one (on free ports on 127.0.0.1, or --api for one already running).
Prints the achieved rate, webhook latency percentiles, errors, and the queue backlog at the end.

    .venv/bin/python bench/load_test.py                      # 8 deliveries/s for 180 s
    .venv/bin/python bench/load_test.py --rate 5 --seconds 300
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from local.fault_run import generate, in_flight, pipeline_urls, post, scan_table, wait_until_drained  # noqa: E402
from local.stack_process import running_stack  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_load(api: str, rate: float, seconds: float, seed: int) -> dict:
    """Open loop: delivery i is sent at i/rate seconds whatever the answers before it, as platforms do."""
    deliveries = generate(int(rate * seconds), duplicate_share=0.1, seed=seed)
    results: list[tuple[int, float, float]] = []    # status, latency, lag behind the schedule
    lock = threading.Lock()

    def send(index: int, delivery) -> None:
        lag = time.perf_counter() - (started + index / rate)
        status, latency = post(api, delivery, attempts=1)
        with lock:
            results.append((status, latency, lag))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for index, delivery in enumerate(deliveries):
            time.sleep(max(0.0, started + index / rate - time.perf_counter()))
            pool.submit(send, index, delivery)
    elapsed = time.perf_counter() - started
    latencies = [latency for status, latency, _ in results if status == 200]
    return {
        "deliveries": len(deliveries), "seconds": round(elapsed, 1), "target_rate": rate,
        "achieved_rate": round(len(results) / elapsed, 2),
        "errors": sum(1 for status, _, _ in results if status != 200),
        "latency_ms": {name: round(1000 * percentile(latencies, share), 1)
                       for name, share in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))},
        "latency_mean_ms": round(1000 * statistics.mean(latencies), 1),
        "max_send_lag_ms": round(1000 * max(lag for _, _, lag in results), 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=8.0, help="deliveries per second")
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    log = Path(tempfile.mkdtemp(prefix="load-test-")) / "stack.log"
    with running_stack(log) as stack:
        report = run_load(stack.api, args.rate, args.seconds, args.seed)
        sqs = stack.boto("sqs")
        urls = pipeline_urls(sqs)
        report["backlog_at_end"] = {"routing": in_flight(sqs, urls[0]), "outbound": in_flight(sqs, urls[1])}
        drain_started = time.perf_counter()
        wait_until_drained(sqs, urls, timeout=600, quiet_for=2)
        report["seconds_to_drain_backlog"] = round(time.perf_counter() - drain_started - 2, 1)
        items = scan_table(stack)
        report["complaints_stored"] = sum(1 for i in items if i["sk"] == "COMPLAINT")
        report["complaints_still_new"] = sum(1 for i in items if i["sk"] == "COMPLAINT" and i["status"] == "NEW")
        report["stack_log"] = str(log)
    print(json.dumps(report, indent=2))
    return 0 if report["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
