"""SLA sweep reads: 100,000 closed complaints and 200 open ones (clocks started over the last three hours) in one
table, then one sweep. It reads the sparse SLA index only, so its reads follow the complaints with a notice due,
not the table: the target is at most twice the number due. A second sweep a moment later has nothing to read.

    .venv/bin/python bench/sla_sweep.py          # BENCH_CLOSED=5000 for a quick run
"""
import contextlib
import io
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The desk's environment for the test stage (fake credentials, no endpoint that would bypass moto).
import tests.conftest  # noqa: E402,F401

os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"   # one line per sweep or digest would drown the figures

CLOSED = int(os.environ.get("BENCH_CLOSED", 100_000))
OPEN = 200
READ_FACTOR_TARGET = 2


def complaints(now, rng: random.Random, closed: int):
    """Closed ones answered long ago; open ones routed within the last three hours, some paused, some P1."""
    from chalicelib import sla
    from chalicelib.model import Complaint, Status, iso

    rules = sla.load_rules()
    for number in range(closed + OPEN):
        is_open = number >= closed
        received = now - timedelta(minutes=rng.uniform(0, 180) if is_open else rng.uniform(200, 60 * 24 * 60))
        complaint = Complaint(
            id=f"01BENCH{number:019d}", state="rj", desk="rj-hq", platform="x", external_id=str(number), kind="post",
            desk_account_id="1", author_id="2", author_handle="citizen", author_name=None, text="mobile chori",
            created_at=iso(received), received_at=iso(received), district=rng.choice(["rj-jodhpur", "rj-balotra"]),
            priority="P1" if rng.random() < 0.1 else "P2", group="property_crime", routed_at=iso(received))
        complaint = complaint.evolve(status=Status.ROUTED, **sla.clock_started(complaint, rules))
        if not is_open:
            answered = iso(received + timedelta(minutes=rng.uniform(1, 100)))
            complaint = complaint.first_responded(answered).evolve(status=Status.RESOLVED, resolved_at=answered)
        elif rng.random() < 0.05:
            complaint = complaint.evolve(sla_paused_at=iso(now - timedelta(minutes=5)), sla_pause_reason="bench")
        yield complaint


class CountingStore:
    """The real store, counting the complaints each read returns (index pages and single gets)."""

    def __init__(self, store):
        self.store = store
        self.index_items = self.gets = 0

    def due_before(self, *args):
        page, start = self.store.due_before(*args)
        self.index_items += len(page)
        return page, start

    def get(self, complaint_id):
        self.gets += 1
        return self.store.get(complaint_id)

    def __getattr__(self, name):
        return getattr(self.store, name)


def measure(closed: int = CLOSED) -> dict:
    """One table of `closed` answered complaints and OPEN running ones, one sweep, a second one: what they read."""
    from moto import mock_aws

    from bench.moto_overheads import without_motos_own_overheads
    from chalicelib import sla, wiring
    from chalicelib.model import iso, utc_now
    from chalicelib.resources import create_resources
    from chalicelib.sla_service import Notifier, sweep
    from chalicelib.store import complaint_item

    now = utc_now()
    with mock_aws():
        import boto3

        wiring.reset()
        settings = wiring.settings()
        without_motos_own_overheads()
        create_resources(boto3.client("dynamodb"), boto3.client("sqs"), boto3.client("ses"),
                         settings.table_name, settings.ses_sender)
        started = time.perf_counter()
        due, indexed = 0, 0
        with boto3.resource("dynamodb").Table(settings.table_name).batch_writer() as batch:
            for complaint in complaints(now, random.Random(5), closed):
                next_action = sla.next_action_at(complaint)
                indexed += bool(next_action)
                due += bool(next_action and next_action < iso(now))
                batch.put_item(Item=complaint_item(complaint))
        written = time.perf_counter() - started
        store = CountingStore(wiring.store())
        notifier = Notifier(wiring.mailer(), wiring.queues(), wiring.registry())
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):   # one EMF metric line per notice
            report = sweep(store, notifier, now)
            swept = time.perf_counter() - started
            reads_first = store.index_items
            again = sweep(store, notifier, now + timedelta(seconds=1))
    target = READ_FACTOR_TARGET * due
    return {"complaints": closed + OPEN, "closed": closed, "open": OPEN, "written_s": round(written, 1),
            "in_sla_index": indexed, "due": due, "index_items_read": reads_first, "read_target": target,
            "complaints_reread": store.gets, "notices_sent": len(report.sent), "failed": len(report.failed),
            "sweep_s": round(swept, 1), "second_sweep_items_read": store.index_items - reads_first,
            "second_sweep_notices": len(again.sent),
            "ok": reads_first <= target and len(report.sent) >= due and not report.failed and not again.sent}


def main() -> int:
    f = measure()
    print(f"complaints in the table   {f['complaints']:>8,} ({f['closed']:,} closed, {f['open']} open; "
          f"written in {f['written_s']:.0f} s)")
    print(f"in the SLA index          {f['in_sla_index']:>8,} (running clocks with a notice still to send; "
          "paused ones leave it)")
    print(f"complaints with one due   {f['due']:>8,} (a notice due at the sweep)")
    print(f"index items read          {f['index_items_read']:>8,} (target <= {READ_FACTOR_TARGET} x due = "
          f"{f['read_target']})")
    print(f"complaints re-read (get)  {f['complaints_reread']:>8,} (one to record each notice, one to see what is "
          "due next)")
    print(f"notices sent              {f['notices_sent']:>8,} in {f['sweep_s']:.1f} s ({f['failed']} failed)")
    print(f"second sweep: items read  {f['second_sweep_items_read']:>8,}, notices sent {f['second_sweep_notices']}")
    return 0 if f["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
