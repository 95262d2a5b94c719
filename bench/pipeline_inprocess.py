"""The machine path in one process on moto (no HTTP, no polling): signed X webhook → store → routing queue →
router (batches of 10, as Lambda's poller hands them over) → district queue, and the acknowledgement → replier
(batches of 5) → platform stand-in. For each handler: AWS requests by operation (botocore hooks, bench/aws_calls.py),
DynamoDB units and SQS billed requests (bench/capacity.py), durations, log bytes; and a cProfile of the
webhook + router part.

    .venv/bin/python bench/pipeline_inprocess.py      # prints JSON
"""
from __future__ import annotations

import contextlib
import cProfile
import io
import json
import logging
import os
import pstats
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The desk's environment for the test stage (fake credentials, no endpoint that would bypass moto).
import tests.conftest  # noqa: E402,F401

ROUTER_BATCH = 10
REPLIER_BATCH = 5
SCENARIO_BATCHES = int(os.environ.get("BENCH_BATCHES", 5))
PROFILE_COMPLAINTS = 100
LAMBDA_POLLER_CALLS_PER_BATCH = 2     # ReceiveMessage + DeleteMessageBatch, made by Lambda, not by our code
PLACES = ["Jodhpur", "Ajmer", "Udaipur", "Kota", "Bikaner", "Alwar", "Bharatpur", "Sikar", "Pali", "Tonk"]


def texts(scenario: str, count: int) -> list[str]:
    """Complaints for a scenario: how many district queues a batch of ten spans decides the district sends."""
    if scenario == "not_actionable":
        # An opinion: the most common kind of post that is not a complaint, and one the desk does not answer.
        return [f"@PoliceRajasthan ye neta log sirf vote ke liye aate hain ({n})" for n in range(count)]
    spread = {"one_district": 1, "eight_districts": 8, "ten_districts": 10}[scenario]
    return [f"@PoliceRajasthan {PLACES[n % spread]} me Paota circle ke paas meri bike chori ho gayi, "
            f"kal raat ghar ke bahar se le gaye ({n})" for n in range(count)]


def lambda_records(messages: list[dict], queue: str) -> dict:
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
        "eventSource": "aws:sqs", "eventSourceARN": f"arn:aws:sqs:ap-south-1:123456789012:{queue}",
        "awsRegion": "ap-south-1"} for m in messages]}


def take(queues, queue: str, count: int) -> list[dict]:
    """Up to `count` messages off a queue (deleted: the handler's run stands in for Lambda's delete)."""
    messages = []
    while len(messages) < count:
        got = queues.receive(queue, max_messages=min(10, count - len(messages)))
        if not got:
            break
        for message in got:
            queues.delete(queue, message["ReceiptHandle"])
        messages += got
    return messages


class LogBytes(logging.Handler):
    """Bytes the Powertools logger writes (Lambda ships each line to CloudWatch Logs)."""

    def __init__(self, formatter):
        super().__init__()
        self.setFormatter(formatter)
        self.bytes = 0

    def emit(self, record):
        self.bytes += len(self.format(record).encode("utf-8")) + 1


@contextlib.contextmanager
def measured(kind: str, results: dict, clients, index_entries: dict):
    from bench.aws_calls import counting_aws_calls
    from bench.capacity import CapacityMeter
    from chalicelib.observability import logger

    meter = CapacityMeter(index_entries)
    meter.register(clients)
    log = LogBytes(logger().handlers[0].formatter)
    logger().addHandler(log)
    stdout = io.StringIO()   # EMF metric lines
    started = time.perf_counter()
    try:
        with counting_aws_calls(clients) as calls, contextlib.redirect_stdout(stdout):
            yield
    finally:
        elapsed = time.perf_counter() - started
        logger().removeHandler(log)
        meter.unregister(clients)
    entry = results.setdefault(kind, {"invocations": 0, "durations_s": [], "seconds_in_aws_calls": 0.0,
                                      "calls": {}, "meters": [], "log_bytes": 0})
    entry["invocations"] += 1
    entry["durations_s"].append(elapsed)
    entry["seconds_in_aws_calls"] += calls.seconds_in_calls
    for operation, number in calls.calls.items():
        entry["calls"][operation] = entry["calls"].get(operation, 0) + number
    entry["outbound_sends"] = entry.get("outbound_sends", 0) + sum(
        n for key, n in calls.sqs_by_queue.items() if key.startswith("SendMessage") and key.endswith(" desk-outbound"))
    entry["meters"].append(meter)
    entry["log_bytes"] += log.bytes + len(stdout.getvalue().encode("utf-8"))


def table_items(table_name: str) -> dict:
    import boto3

    table = boto3.resource("dynamodb").Table(table_name)
    items, start = {}, None
    while True:
        page = table.scan(**({"ExclusiveStartKey": start} if start else {}))
        items.update({(i["pk"], i["sk"]): i for i in page["Items"]})
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def run_scenario(scenario: str, client, settings, queues, clients, index_entries: dict) -> dict:
    from local.samples import signed_x_body, tweet, x_delivery

    results: dict = {}
    complaints = SCENARIO_BATCHES * ROUTER_BATCH
    for text in texts(scenario, complaints):
        body, headers = signed_x_body(x_delivery(tweets=[tweet(text)]), settings.x_consumer_secret)
        with measured("webhook", results, clients, index_entries):
            assert client.http.post("/webhooks/x", body=body, headers=headers).status_code == 200
    for _ in range(SCENARIO_BATCHES):
        event = lambda_records(take(queues, "desk-routing", ROUTER_BATCH), "desk-routing")
        with measured("router", results, clients, index_entries):
            assert client.lambda_.invoke("route_complaints", event).payload == {"batchItemFailures": []}
    replies = 0
    while messages := take(queues, "desk-outbound", REPLIER_BATCH):
        replies += len(messages)
        with measured("replier", results, clients, index_entries):
            answer = client.lambda_.invoke("send_replies", lambda_records(messages, "desk-outbound")).payload
        assert answer == {"batchItemFailures": []}, answer
    stored = table_items(settings.table_name)
    summary = {"complaints": complaints, "replies": replies}
    for kind, entry in results.items():
        units = [meter.units(stored) for meter in entry.pop("meters")]
        entry.update({key: sum(u[key] for u in units)
                      for key in ("wru", "index_wru", "rru", "sqs_requests", "sqs_billed_requests")})
        entry["wru_by_kind"] = dict(sum((Counter(u["wru_by_kind"]) for u in units), Counter()))
        durations = entry.pop("durations_s")
        entry.update(duration_median_ms=round(statistics.median(durations) * 1000, 1),
                     duration_mean_ms=round(statistics.mean(durations) * 1000, 1),
                     own_ms_per_invocation=round((sum(durations) - entry["seconds_in_aws_calls"])
                                                 / entry["invocations"] * 1000, 1),
                     aws_call_ms_per_invocation=round(
                         entry.pop("seconds_in_aws_calls") / entry["invocations"] * 1000, 1),
                     total_calls=sum(entry["calls"].values()))
        summary[kind] = entry
    poller = {"router": ROUTER_BATCH, "replier": REPLIER_BATCH}
    webhook, router = summary["webhook"]["total_calls"], summary["router"]["total_calls"]
    acknowledgements = summary["router"]["outbound_sends"]
    summary["per_complaint"] = {
        "webhook_requests": webhook / complaints,
        "to_district_queue_requests": (webhook + router - acknowledgements) / complaints,
        "acknowledgement_queue_requests": acknowledgements / complaints,
        "replier_requests": summary.get("replier", {}).get("total_calls", 0) / complaints,
        "lambda_poller_requests": sum(LAMBDA_POLLER_CALLS_PER_BATCH * summary[kind]["invocations"]
                                      for kind in ("router", "replier") if kind in summary) / complaints,
    }
    return summary


@contextlib.contextmanager
def desk_in_process():
    """moto in-process with the desk's resources, a chalice test client, replies to a platform stand-in."""
    from chalice.test import Client

    from chalicelib import wiring
    from local.platform_standin import PlatformStandIn
    from tests.conftest import moto_account

    standin = PlatformStandIn().start()
    os.environ.update({"X_API_URL": standin.url, "GRAPH_API_URL": f"{standin.url}/v25.0",
                       "REPLY_TIME_RESERVE_MS": "0"})   # chalice.test's Lambda context has only 3 s
    try:
        with moto_account() as settings:
            import app

            from chalicelib.observability import logger

            logger().handlers[0].setStream(open(os.devnull, "w"))   # counted by LogBytes, not printed
            with Client(app.app, stage_name="dev") as client:
                yield client, settings, wiring.queues()
    finally:
        standin.stop()


def warm_up(client, settings, queues, clients, index_entries: dict) -> None:
    """A warm container: imports done, queue URLs known, templates and gazetteer loaded."""
    for scenario in ("ten_districts", "not_actionable"):
        run_scenario(scenario, client, settings, queues, clients, index_entries)


@contextlib.contextmanager
def profiled(profiler):
    if profiler:
        profiler.enable()
    try:
        yield
    finally:
        if profiler:
            profiler.disable()


def webhook_and_router(client, settings, queues, count: int, profiler=None) -> float:
    """Seconds our handlers take for `count` complaints from signed delivery to district queue, one thread, no
    HTTP; taking the routing messages off the queue (Lambda's poller) is neither timed nor profiled."""
    from local.samples import signed_x_body, tweet, x_delivery

    bodies = [signed_x_body(x_delivery(tweets=[tweet(t)]), settings.x_consumer_secret)
              for t in texts("ten_districts", count)]
    elapsed = 0.0
    with contextlib.redirect_stdout(io.StringIO()):
        started = time.perf_counter()
        with profiled(profiler):
            for body, headers in bodies:
                client.http.post("/webhooks/x", body=body, headers=headers)
        elapsed += time.perf_counter() - started
        while messages := take(queues, "desk-routing", ROUTER_BATCH):
            event = lambda_records(messages, "desk-routing")
            started = time.perf_counter()
            with profiled(profiler):
                client.lambda_.invoke("route_complaints", event)
            elapsed += time.perf_counter() - started
    take(queues, "desk-outbound", 10_000)
    return elapsed


def profile(client, settings, queues) -> dict:
    """Throughput of webhook + router in one thread, then a cProfile of the same: whose code the time is in."""
    plain_seconds = webhook_and_router(client, settings, queues, PROFILE_COMPLAINTS)
    profiler = cProfile.Profile()
    elapsed = webhook_and_router(client, settings, queues, PROFILE_COMPLAINTS, profiler)
    stats = pstats.Stats(profiler)
    total = sum(tottime for (_cc, _nc, tottime, _ct, _callers) in stats.stats.values())
    inside = {name: cumulative(stats, *where) for name, where in ENTRY_POINTS.items()}
    split = {"moto (AWS stand-in)": inside["moto"],
             "botocore + boto3 (request building, signing, parsing)": inside["aws calls"] - inside["moto"],
             "our triage": inside["triage"],
             "our code and chalice (rest)": total - inside["aws calls"] - inside["triage"]}
    top = io.StringIO()
    ours = re.escape(str(ROOT)) + r"/(chalicelib/|app\.py)"   # not the chalice package's own app.py
    pstats.Stats(profiler, stream=top).sort_stats("cumulative").print_stats(ours, 20)
    return {"complaints": PROFILE_COMPLAINTS,
            "complaints_per_second_one_thread": round(PROFILE_COMPLAINTS / plain_seconds, 1),
            "complaints_per_second_under_profiler": round(PROFILE_COMPLAINTS / elapsed, 1),
            "share": {k: round(v / total, 3) for k, v in split.items()},
            "top_cumulative": trimmed(top.getvalue())}


ENTRY_POINTS = {"aws calls": ("botocore/client.py", "_make_api_call"),
                "moto": ("moto/core/botocore_stubber.py", "__call__"),
                "triage": ("chalicelib/triage/__init__.py", "triage")}


def cumulative(stats: pstats.Stats, file_part: str, function: str) -> float:
    """Time spent under a function, callees included (a recursive one counted once)."""
    return sum(ct for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
               if name == function and filename.endswith(file_part))


def trimmed(report: str) -> list[str]:
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return [line.replace(str(ROOT) + "/", "") for line in lines[start:] if line.strip()]


def main() -> dict:
    from bench.aws_calls import desk_clients
    from bench.moto_overheads import without_motos_own_overheads

    logging.getLogger().setLevel(logging.WARNING)
    without_motos_own_overheads()
    with desk_in_process() as (client, settings, queues):
        clients, index_entries = desk_clients(), {}
        warm_up(client, settings, queues, clients, index_entries)
        scenarios = {name: run_scenario(name, client, settings, queues, clients, index_entries)
                     for name in ("one_district", "eight_districts", "ten_districts", "not_actionable")}
        return {"scenarios": scenarios, "profile": profile(client, settings, queues)}


if __name__ == "__main__":
    print(json.dumps(main(), indent=1, default=str))
