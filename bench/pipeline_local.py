"""The real local stack (moto server, `chalice local`, local/runner.py) on free ports: end-to-end latency from
the webhook POST to the district queue at a steady rate, then sustained throughput under a burst.

"Arrived in the district queue" is the district message's SentTimestamp, stamped by the queue (moto server,
same machine clock); the start is the time just before the POST. Collectors long-poll the district queues
(receiving hides a message from officers' claims for a while: fine in a bench).

    .venv/bin/python bench/pipeline_local.py      # BENCH_DELIVERIES=200 BENCH_RATE=10 for a quick run
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.settings import DEV_SECRETS  # noqa: E402
from local.samples import signed_x_body, tweet, x_delivery  # noqa: E402
from local.send_webhook import post  # noqa: E402
from local.stack_process import running_stack  # noqa: E402

DELIVERIES = int(os.environ.get("BENCH_DELIVERIES", 1000))
RATE = float(os.environ.get("BENCH_RATE", 10))          # deliveries per second, steady
BURST = int(os.environ.get("BENCH_BURST", 600))
SENDERS = 8                                             # concurrent HTTP clients, as X's retries and fan-out are
PLACES = {"Jodhpur": "rj-jodhpur", "Ajmer": "rj-ajmer", "Udaipur": "rj-udaipur", "Kota": "rj-kota"}
P99_TARGET_S = 1.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def delivery(n: int, tag: str) -> tuple[bytes, dict]:
    place = list(PLACES)[n % len(PLACES)]
    text = f"@PoliceRajasthan {place} me bazaar ke paas meri bike chori ho gayi, kal raat ({tag}{n})"
    return signed_x_body(x_delivery(tweets=[tweet(text)]), DEV_SECRETS["X_CONSUMER_SECRET"])


class DistrictArrivals:
    """One long-polling collector per district queue: complaint id -> SentTimestamp (seconds)."""

    def __init__(self, stack):
        self.sqs = stack.boto("sqs")
        self.arrived: dict[str, float] = {}
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._collect, args=(self.sqs.get_queue_url(
            QueueName=f"desk-district-{district}")["QueueUrl"],), daemon=True) for district in PLACES.values()]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _collect(self, url: str) -> None:
        while not self._stop.is_set():
            messages = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                                AttributeNames=["SentTimestamp"]).get("Messages", [])
            for message in messages:
                self.arrived[json.loads(message["Body"])["complaint_id"]] = \
                    int(message["Attributes"]["SentTimestamp"]) / 1000
            if messages:
                self.sqs.delete_message_batch(QueueUrl=url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])

    def wait_for(self, ids, timeout: float) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline and not all(i in self.arrived for i in ids):
            time.sleep(0.1)


def send(api: str, body: bytes, headers: dict) -> tuple[str, float, float]:
    """POST one delivery; returns (complaint id, time just before the POST, HTTP seconds)."""
    before = time.time()
    status, answer = post(f"{api}/webhooks/x", body, headers)
    took = time.time() - before
    assert status == 200, (status, answer)
    return json.loads(answer)["complaint_ids"][0], before, took


def steady(stack, arrivals: DistrictArrivals) -> dict:
    bodies = [delivery(n, "steady") for n in range(DELIVERIES)]
    start = time.time() + 0.5

    def at_its_time(n: int):
        time.sleep(max(0.0, start + n / RATE - time.time()))
        return send(stack.api, *bodies[n])

    with ThreadPoolExecutor(SENDERS) as pool:
        sent = list(pool.map(at_its_time, range(DELIVERIES)))
    arrivals.wait_for([s[0] for s in sent], timeout=60)
    latencies = [arrivals.arrived[cid] - before for cid, before, _ in sent if cid in arrivals.arrived]
    http = [took for _, _, took in sent]
    return {"deliveries": DELIVERIES, "rate_per_s": RATE, "senders": SENDERS,
            "arrived": len(latencies), "sent_over_s": round(sent[-1][1] - sent[0][1], 1),
            "to_district_queue_s": {"p50": round(statistics.median(latencies), 3),
                                    "p95": round(percentile(latencies, 0.95), 3),
                                    "p99": round(percentile(latencies, 0.99), 3), "max": round(max(latencies), 3)},
            "webhook_http_s": {"p50": round(statistics.median(http), 3), "p95": round(percentile(http, 0.95), 3),
                               "p99": round(percentile(http, 0.99), 3)},
            "p99_target_s": P99_TARGET_S}


def burst(stack, arrivals: DistrictArrivals) -> dict:
    bodies = [delivery(n, "burst") for n in range(BURST)]
    started = time.time()
    with ThreadPoolExecutor(SENDERS) as pool:
        sent = list(pool.map(lambda b: send(stack.api, *b), bodies))
    posted = time.time() - started
    ids = [s[0] for s in sent]
    arrivals.wait_for(ids, timeout=180)
    last = max(arrivals.arrived[i] for i in ids if i in arrivals.arrived)
    return {"deliveries": BURST, "senders": SENDERS, "arrived": sum(i in arrivals.arrived for i in ids),
            "webhook_deliveries_per_s": round(BURST / posted, 1),
            "end_to_end_complaints_per_s": round(BURST / (last - started), 1),
            "seconds": round(last - started, 1)}


def main() -> dict:
    extra_env = {"POWERTOOLS_LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp) / "stack.log", rate_scale="1",
                                                            extra_env=extra_env) as stack:
        with DistrictArrivals(stack) as arrivals:
            result = {"steady": steady(stack, arrivals), "burst": burst(stack, arrivals)}
        log = (Path(tmp) / "stack.log").read_text()
        result["runner_errors"] = log.count("[runner]")
    return result


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
