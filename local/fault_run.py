"""A fault-injection run against the local stack: signed X and Meta deliveries with duplicates and reordering,
sent concurrently while `python -m local.runner` fails (local/faults.py) and is killed mid-batch; then the
reconciliation of what the stack holds. Used by tests/e2e/test_fault_injection.py and bench/fault_injection.py.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from chalicelib.settings import DEV_SECRETS
from local import samples
from local.stack_process import running_stack

ROOT = Path(__file__).resolve().parent.parent
POISON_MARKER = "ZZ-ROUTER-BUG"   # complaints holding it fail routing until the runner restarts without the bug
# Desk accounts per state and platform (chalicelib/data/desk_accounts.json).
ACCOUNTS = {"rj": {"x": "1000000001", "facebook": "3000000001", "instagram": "4000000001", "whatsapp": "5000000001"},
            "up": {"x": "1000000002", "facebook": "3000000002", "instagram": "4000000002", "whatsapp": "5000000002"}}
MENTION = {"rj": "PoliceRajasthan", "up": "Uppolice"}
# A mix the triage sends to districts, to HQ (no district cue) and nowhere (not actionable).
TEXTS = {
    "rj": ["Jodhpur me Paota circle par mera phone chori ho gaya", "Ajmer me chain snatching hui abhi",
           "meri bike chori ho gayi, kripya madad karein", "thank you for quick help, jai hind",
           "Kota me online fraud hua, 20000 rupaye kat gaye", "Jaipur MI Road par accident hua hai, ambulance bhejo",
           "bahut accha kaam, dhanyavaad"],
    "up": ["Lucknow Hazratganj me do ghante se jam laga hai", "mere ghar ke bahar roz raat ko sharab peekar gaali dete hain",
           "good morning sir", "Kanpur me padosi ne zameen par kabza kar liya", "mera purse kho gaya metro me"],
}
PLATFORM_SHARE = (("x", 0.35), ("x_dm", 0.10), ("whatsapp", 0.25), ("facebook", 0.15), ("instagram", 0.15))


@dataclass(frozen=True)
class Delivery:
    path: str
    body: bytes
    headers: dict
    external_ids: tuple[str, ...]


def _platform(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for name, share in PLATFORM_SHARE:
        total += share
        if roll < total:
            return name
    return PLATFORM_SHARE[-1][0]


def _x(kind: str, state: str, text: str, number: str) -> Delivery:
    if kind == "x_dm":
        event = samples.direct_message(text, event_id=f"18{number}", sender_id=f"26{number}",
                                       recipient_id=ACCOUNTS[state]["x"])
        delivery, external_id = samples.x_delivery(dms=[event], for_user_id=ACCOUNTS[state]["x"]), event["id"]
    else:
        event = samples.tweet(f"@{MENTION[state]} {text}", tweet_id=f"17{number}", author_id=f"25{number}",
                              mentions=(MENTION[state],))
        delivery, external_id = samples.x_delivery(tweets=[event], for_user_id=ACCOUNTS[state]["x"]), event["id_str"]
    body, headers = samples.signed_x_body(delivery, DEV_SECRETS["X_CONSUMER_SECRET"])
    return Delivery("/webhooks/x", body, headers, (external_id,))


def _meta(platform: str, state: str, texts: list[str], number: str) -> Delivery:
    account = ACCOUNTS[state][platform]
    if platform == "whatsapp":   # WhatsApp batches: one delivery may carry several messages
        messages = [samples.whatsapp_message(text=text, wamid=f"wamid.FI{number}{n}", sender=f"91{number}{n}")
                    for n, text in enumerate(texts)]
        changes, ids = [samples.whatsapp_change(messages=messages, phone_number_id=account)], [m["id"] for m in messages]
    elif platform == "facebook":
        changes = [samples.facebook_feed(texts[0], post_id=f"{account}_{number}", comment_id=f"{number}_1",
                                         author_id=f"21{number}")]
        ids = [changes[0]["value"]["comment_id"]]
    else:
        changes = [samples.instagram_comment(texts[0], comment_id=f"179{number}", author_id=f"22{number}")]
        ids = [changes[0]["value"]["id"]]
    body, headers = samples.signed_meta_body(samples.meta_delivery(platform, *changes, account_id=account),
                                             DEV_SECRETS["META_APP_SECRET"])
    return Delivery("/webhooks/meta", body, headers, tuple(ids))


def generate(count: int, duplicate_share: float = 0.2, seed: int = 0, poisoned: int = 0) -> list[Delivery]:
    """`count` deliveries: the originals, and `duplicate_share` of them sent again, all in shuffled order.
    The first `poisoned` originals carry POISON_MARKER in their text."""
    rng = random.Random(seed)
    originals = []
    for n in range(round(count * (1 - duplicate_share))):
        state, platform, number = rng.choice(("rj", "up")), _platform(rng), f"{seed % 1000:03d}{n:09d}"
        texts = [rng.choice(TEXTS[state]) for _ in range(rng.choice((1, 1, 1, 2)) if platform == "whatsapp" else 1)]
        if n < poisoned:
            texts[0] = f"{texts[0]} {POISON_MARKER}"
        originals.append(_x(platform, state, texts[0], number) if platform.startswith("x")
                         else _meta(platform, state, texts, number))
    # Poisoned posts are sent once: a duplicate would ask the router for another (delayed) look at them.
    mixed = originals + [rng.choice(originals[poisoned:]) for _ in range(count - len(originals))]
    rng.shuffle(mixed)
    return mixed


def post(url: str, delivery: Delivery, attempts: int = 4) -> tuple[int, float]:
    """POST as a platform does: a failed or slow attempt is retried. Returns the final status and latency."""
    status, started = 0, time.perf_counter()
    for attempt in range(attempts):
        request = urllib.request.Request(url + delivery.path, data=delivery.body, headers=delivery.headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, time.perf_counter() - started
        except urllib.error.HTTPError as error:
            status = error.code
            if status < 500:
                break
        except OSError:
            status = 0
        time.sleep(0.5 * (attempt + 1))
    return status, time.perf_counter() - started


def send_all(api: str, deliveries: list[Delivery], concurrency: int = 8) -> Counter:
    with ThreadPoolExecutor(concurrency) as pool:
        return Counter(status for status, _ in pool.map(lambda d: post(api, d), deliveries))


# With the stack's visibility timeouts scaled to 3 s (VISIBILITY_SCALE=0.05), one reply attempt is held to 2 s:
# a claim older than that belongs to an attempt that stopped (chalicelib/replies.py:settle_taken_claim).
RUNNER_TIMING = {"REPLY_TIME_RESERVE_MS": "2000", "REPLY_RETRY_BUDGET_SECONDS": "1", "PLATFORM_TIMEOUT_SECONDS": "0.5"}
STACK_ENV = {"LOCAL_RUNNER": "external", "VISIBILITY_SCALE": "0.05"}


class RunnerProcess:
    """`python -m local.runner` beside a stack started with LOCAL_RUNNER=external; killed and restarted at will."""

    def __init__(self, stack, log: Path, fault_env: dict | None = None):
        self.stack, self.log, self.fault_env = stack, log, fault_env or {}
        self.process: subprocess.Popen | None = None
        self.kills = 0

    def start(self, with_faults: bool = True) -> RunnerProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "FAULT_")) and k != "APP_STAGE"}
        env.update({"RATE_SCALE": "0.1", **RUNNER_TIMING, **(self.fault_env if with_faults else {})})
        if "FAULT_SEED" in env:   # each restart fails other invocations than the one before
            env["FAULT_SEED"] = str(int(env["FAULT_SEED"]) + self.kills)
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local.runner", "--moto-port", str(self.stack.moto_port),
                 "--platforms-url", self.stack.platforms], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        """SIGKILL: no cleanup, whatever batch is in hand stays undeleted."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def faults_injected(self) -> Counter:
        lines = [line for line in self.log.read_text().splitlines() if line.startswith("[faults] ")]
        return Counter("abandoned at the deadline" if "timed out" in line else "poison read" if "poison" in line
                       else f"{line.split()[1]} {line.split(' in ')[1].split()[0]}" for line in lines
                       if "injecting" not in line)


def in_flight(sqs, queue_url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def kill_mid_batch(runner: RunnerProcess, sqs, queue_urls: list[str], timeout: float = 10) -> None:
    """Kill the runner while it holds messages it has received and not yet deleted."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        held = sum(int(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
                       ["Attributes"]["ApproximateNumberOfMessagesNotVisible"]) for url in queue_urls)
        if held:
            break
        time.sleep(0.05)
    runner.kill()


def wait_until_drained(sqs, queue_urls: list[str], timeout: float, quiet_for: float = 3.0) -> None:
    """Until the pipeline queues stay empty (nothing waiting, nothing in flight) for `quiet_for` seconds."""
    deadline, quiet_since = time.time() + timeout, None
    while time.time() < deadline:
        if sum(in_flight(sqs, url) for url in queue_urls):
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif time.time() - quiet_since >= quiet_for:
            return
        time.sleep(0.5)
    raise TimeoutError(f"pipeline queues not drained within {timeout}s")


# --- reconciliation --------------------------------------------------------------------------------------------

def peek_bodies(sqs, queue_url: str) -> list[str]:
    """Every message body in a queue, read without deleting: each is made visible again afterwards."""
    messages, batch = [], True
    while batch:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=60).get("Messages", [])
        messages += batch
    for message in messages:
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    return [m["Body"] for m in messages]


def reply_target(request: dict) -> str | None:
    """The external id of the citizen's post a platform request answers (local/platform_standin.py records)."""
    body, path = request.get("body") or {}, request["path"]
    if path == "/2/tweets":
        return body.get("reply", {}).get("in_reply_to_tweet_id")
    if "/likes" in path:
        return body.get("tweet_id") or path.split("/")[-2]
    if "/dm_conversations/with/" in path:
        return "dm-to:" + path.split("/")[-2]
    if path.endswith("/messages"):
        return (body.get("context") or {}).get("message_id") or (body.get("reaction") or {}).get("message_id")
    return path.split("/")[-2]


@dataclass
class Reconciliation:
    deliveries_sent: int = 0
    http_status: dict = field(default_factory=dict)
    received: int = 0                   # distinct complaints stored
    routed_to_district: int = 0
    routed_to_hq: int = 0
    not_actionable: int = 0
    in_routing_dlq: int = 0             # stored complaints whose routing message is parked in the DLQ
    unaccounted: list = field(default_factory=list)    # stored, NEW and not in the DLQ: lost
    stored_twice: list = field(default_factory=list)   # one external id, two complaints
    routed_events_not_one: list = field(default_factory=list)
    missing_from_district_queue: list = field(default_factory=list)
    district_duplicates: int = 0        # extra district messages (a claim skips them)
    acknowledgements_expected: int = 0  # one per routed complaint
    acknowledged_once: int = 0          # posted once at the platform (stand-in's record)
    acknowledgement_uncertain: int = 0  # not posted, audited reply_uncertain: the desk is told to check
    not_acknowledged: list = field(default_factory=list)
    replied_twice: list = field(default_factory=list)   # any complaint answered twice (acknowledgement or like)
    poison_in_dlq: int = 0              # routing DLQ messages that name no stored complaint
    outbound_dlq: int = 0

    def balances(self) -> bool:
        return self.received == (self.routed_to_district + self.routed_to_hq + self.not_actionable
                                 + self.in_routing_dlq + len(self.unaccounted))

    def summary(self) -> dict:
        return {k: (len(v) if isinstance(v, list) else v) for k, v in asdict(self).items()}


def scan_table(stack) -> list[dict]:
    from boto3.dynamodb.types import TypeDeserializer

    dynamodb, items, start = stack.boto("dynamodb"), [], {}
    deserialize = TypeDeserializer().deserialize
    while True:
        page = dynamodb.scan(TableName="complaint-desk", **start)
        items += [{k: deserialize(v) for k, v in item.items()} for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return items
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def reconcile(stack, deliveries: list[Delivery], statuses: Counter) -> Reconciliation:
    from chalicelib.districts import load_registry
    from chalicelib.resources import DISTRICT_QUEUE_PREFIX, ROUTING_QUEUE

    registry, sqs = load_registry(), stack.boto("sqs")
    items = scan_table(stack)
    complaints = {i["id"]: i for i in items if i["sk"] == "COMPLAINT"}
    events = Counter((i["complaint_id"], i["action"]) for i in items if i["sk"].startswith("EV#"))
    result = Reconciliation(deliveries_sent=len(deliveries), http_status=dict(statuses), received=len(complaints))
    per_external = Counter((c["platform"], c["external_id"]) for c in complaints.values())
    result.stored_twice = [key for key, n in per_external.items() if n > 1]

    routing_dlq = Counter()
    for body in peek_bodies(sqs, sqs.get_queue_url(QueueName=f"{ROUTING_QUEUE}-dlq")["QueueUrl"]):
        try:
            routing_dlq[json.loads(body)["complaint_id"]] += 1
        except (ValueError, KeyError, TypeError):
            routing_dlq["<not json>"] += 1
    district_messages = Counter()
    for url in sqs.list_queues(QueueNamePrefix=DISTRICT_QUEUE_PREFIX).get("QueueUrls", []):
        if not url.endswith("-dlq"):
            district_messages.update((json.loads(b)["complaint_id"], json.loads(b)["district"])
                                     for b in peek_bodies(sqs, url))
    result.district_duplicates = sum(n - 1 for n in district_messages.values())
    result.outbound_dlq = int(sqs.get_queue_attributes(
        QueueUrl=sqs.get_queue_url(QueueName="desk-outbound-dlq")["QueueUrl"],
        AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])

    with urllib.request.urlopen(f"{stack.platforms}/requests.json", timeout=30) as response:
        replies = Counter(reply_target(r) for r in json.loads(response.read()) if r["method"] == "POST")
    for complaint in complaints.values():
        cid, status = complaint["id"], complaint["status"]
        if status == "ROUTED":
            unit = registry.get(complaint["district"])
            if unit is not None and unit.is_desk:
                result.routed_to_hq += 1
            else:
                result.routed_to_district += 1
            if events[(cid, "routed")] != 1:
                result.routed_events_not_one.append(cid)
            if (cid, complaint["district"]) not in district_messages:
                result.missing_from_district_queue.append(cid)
        elif status == "NOT_ACTIONABLE":
            result.not_actionable += 1
        elif cid in routing_dlq:
            result.in_routing_dlq += 1
        else:
            result.unaccounted.append(cid)
        target = ("dm-to:" + complaint["author_id"]) if complaint["kind"] == "dm" and complaint["platform"] == "x" \
            else complaint["external_id"]
        sent = replies[target]
        if sent > 1:
            result.replied_twice.append(cid)
        if status == "ROUTED":   # every routed complaint is acknowledged (thanks may get a like: not counted)
            result.acknowledgements_expected += 1
            result.acknowledged_once += sent == 1
            if sent == 0 and events[(cid, "reply_uncertain")]:
                result.acknowledgement_uncertain += 1
            elif sent == 0:
                result.not_acknowledged.append({"id": cid, "platform": complaint["platform"],
                                                "actions": sorted(a for (c, a) in events if c == cid)})
    result.poison_in_dlq = sum(n for key, n in routing_dlq.items() if key not in complaints)
    return result


# --- the run ---------------------------------------------------------------------------------------------------

GARBAGE = ("this is not JSON", json.dumps({"complaint_id": "01NOSUCHCOMPLAINT0000000000"}))


def pipeline_urls(sqs) -> list[str]:
    from chalicelib.resources import OUTBOUND_QUEUE, ROUTING_QUEUE

    return [sqs.get_queue_url(QueueName=name)["QueueUrl"] for name in (ROUTING_QUEUE, OUTBOUND_QUEUE)]


def deliver_with_kills(stack, runner: RunnerProcess, deliveries: list[Delivery], kills: int,
                       concurrency: int = 8) -> Counter:
    """Send everything while the runner is killed `kills` times mid-batch (and started again each time);
    poison messages go straight into the routing queue. Returns the HTTP statuses of the deliveries."""
    from concurrent.futures import ThreadPoolExecutor as Pool

    sqs = stack.boto("sqs")
    urls = pipeline_urls(sqs)
    for body in GARBAGE:
        sqs.send_message(QueueUrl=urls[0], MessageBody=body)
    with Pool(1) as sender:
        sending = sender.submit(send_all, stack.api, deliveries, concurrency)
        for _ in range(kills):
            time.sleep(random.uniform(1.0, 3.0))
            kill_mid_batch(runner, sqs, urls)
            runner.start()
        return sending.result()


def replay_routing_dlq(stack) -> dict:
    """The documented recovery command, as an operator runs it."""
    env = {**os.environ, "AWS_ENDPOINT_URL": stack.moto, "AWS_ACCESS_KEY_ID": "local",
           "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "ap-south-1"}
    answer = subprocess.run([sys.executable, "-m", "chalicelib.dlq", "replay", "desk-routing-dlq"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    return json.loads(answer.stdout)


@dataclass
class FaultScenario:
    """What one run did and found: the reconciliation before and after the fix and the DLQ replay."""
    runner: RunnerProcess
    statuses: Counter
    before: Reconciliation
    replayed: dict
    after: Reconciliation
    seconds_to_send: float


def run_scenario(logs: Path, deliveries: list[Delivery], fault_env: dict, kills: int, concurrency: int,
                 drain_timeout: float) -> FaultScenario:
    """Deliver under faults and kills; then 'fix the bug' (restart the runner without the poison marker),
    replay the routing DLQ with the documented command and reconcile again."""
    started = time.perf_counter()
    with running_stack(logs / "stack.log", extra_env=STACK_ENV) as stack:
        runner = RunnerProcess(stack, logs / "runner.log", fault_env).start()
        try:
            statuses = deliver_with_kills(stack, runner, deliveries, kills, concurrency)
            sent_in = time.perf_counter() - started
            sqs = stack.boto("sqs")
            wait_until_drained(sqs, pipeline_urls(sqs), timeout=drain_timeout)
            before = reconcile(stack, deliveries, statuses)
            runner.stop()
            runner.fault_env = {k: v for k, v in fault_env.items() if k != "FAULT_POISON_MARKER"}   # the fix
            runner.start()
            replayed = replay_routing_dlq(stack)
            wait_until_drained(sqs, pipeline_urls(sqs), timeout=drain_timeout)
            after = reconcile(stack, deliveries, statuses)
        finally:
            runner.stop()
    return FaultScenario(runner, statuses, before, replayed, after, sent_in)
