"""Digest reads: 50,000 complaints over four weeks, counted through the store's own counter code path
(`analytics_table.change_actions` for every change of every complaint), then the daily digest of the
day with most counter items is built and emailed, counting the DynamoDB items it reads. The target is fewer than 2,000.

    .venv/bin/python bench/digest_reads.py
"""
import os
import random
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The desk's environment for the test stage (fake credentials, no endpoint that would bypass moto).
import tests.conftest  # noqa: E402,F401

os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"   # one line per sweep or digest would drown the figures

COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", 50_000))
DAYS = 28
FIRST_DAY = date(2026, 10, 26)
ACTIONABLE_SHARE = 0.23          # UP's seed figure: 127,652 of 561,460 tweets were actionable
BREACH_SHARE = 0.08
OPEN_BREACH_SHARE = 0.3          # of breaches: still unanswered when the digest runs
READ_TARGET = 2_000


def lifecycle(number: int, rng: random.Random, districts: list[str], categories: list, weights: list[float]):
    """The successive states of one complaint, as the store would see them."""
    from chalicelib.model import Complaint, Status, iso

    received = datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, tzinfo=timezone.utc) + timedelta(
        seconds=rng.uniform(0, DAYS * 86400))
    complaint = Complaint(id=f"01BENCH{number:019d}", state="rj", desk="rj-hq", platform="x", external_id=str(number),
                          kind="post", desk_account_id="1", author_id="1", author_handle=None, author_name=None,
                          text="", created_at=iso(received), received_at=iso(received))
    states = [complaint]
    if rng.random() > ACTIONABLE_SHARE:
        states.append(complaint.evolve(status=Status.NOT_ACTIONABLE, actionable=False, category="na_thanks",
                                       group="not_actionable"))
        return states
    category = rng.choices(categories, weights)[0]
    routed = complaint.evolve(status=Status.ROUTED, actionable=True, district=rng.choice(districts),
                              category=category.id, group=category.group, sensitive=category.sensitive,
                              routed_at=iso(received + timedelta(seconds=30)),
                              sla_due_at=iso(received + timedelta(hours=2)))
    states.append(routed)
    if rng.random() < BREACH_SHARE:
        breached = routed.evolve(breached_at=iso(received + timedelta(hours=2, seconds=30)))
        states.append(breached)
        if rng.random() < OPEN_BREACH_SHARE:
            return states
        states.append(breached.first_responded(iso(received + timedelta(hours=rng.uniform(2.1, 6)))))
    else:
        states.append(routed.first_responded(iso(received + timedelta(seconds=rng.expovariate(1 / 900) % 7000))))
    if rng.random() < 0.6:
        responded = states[-1]
        states.append(responded.evolve(status=Status.RESOLVED, resolved_at=iso(received + timedelta(days=1))))
    return states


def counter_items(complaints: int) -> tuple[dict, int]:
    """Apply every change's actions in memory (ADD sums, Put, Delete) and return the resulting items."""
    from chalicelib.analytics_table import change_actions
    from chalicelib.districts import load_registry
    from chalicelib.triage.taxonomy import categories

    rng = random.Random(7)
    districts = [d.id for d in load_registry().districts if d.state == "rj"]
    actionable = [c for c in categories() if c.actionable]
    weights = [1 / (rank + 1) for rank in range(len(actionable))]      # a few categories dominate, as in life
    items: dict[tuple[str, str], dict] = {}
    changes = 0
    for number in range(complaints):
        states = lifecycle(number, rng, districts, actionable, weights)
        for before, after in zip([None] + states[:-1], states):
            changes += 1
            for action in change_actions(before, after):
                kind, body = next(iter(action.items()))
                if kind == "Update":
                    key = (body["Key"]["pk"], body["Key"]["sk"])
                    item = items.setdefault(key, {"pk": key[0], "sk": key[1], "type": "counter"})
                    values = body["ExpressionAttributeValues"]
                    for placeholder, name in body["ExpressionAttributeNames"].items():
                        if placeholder != "#type":
                            item[name] = item.get(name, 0) + values[":" + placeholder[1:]]
                elif kind == "Put":
                    items[(body["Item"]["pk"], body["Item"]["sk"])] = body["Item"]
                else:
                    items.pop((body["Key"]["pk"], body["Key"]["sk"]), None)
    return items, changes


def measure(complaints: int = COMPLAINTS) -> dict:
    """Counter items of `complaints` complaints over DAYS days in a table, then a daily and a shift digest."""
    from moto import mock_aws

    from chalicelib import wiring
    from chalicelib.digest import daily_period, shift_ending
    from chalicelib.digest_service import send_digest
    from chalicelib.resources import create_resources

    started = time.perf_counter()
    items, changes = counter_items(complaints)
    counted = time.perf_counter() - started
    with mock_aws():
        import boto3

        wiring.reset()
        settings = wiring.settings()
        create_resources(boto3.client("dynamodb"), boto3.client("sqs"), boto3.client("ses"),
                         settings.table_name, settings.ses_sender)
        written = time.perf_counter()
        with boto3.resource("dynamodb").Table(settings.table_name).batch_writer() as batch:
            for item in items.values():
                batch.put_item(Item=item)
        written = time.perf_counter() - written
        days = Counter(k[0].split("#")[2] for k in items if k[0].startswith("AGG#") and len(k[0].split("#")[2]) == 10)
        busiest = max(days, key=days.get)
        period = daily_period(date.fromisoformat(busiest))
        analytics = wiring.analytics()
        built = time.perf_counter()
        run = send_digest("rj", period, analytics, wiring.mailer(), period.end + timedelta(hours=8),
                          settings.digest_breaches_shown)
        built = time.perf_counter() - built
        shift_period = shift_ending(period.start + timedelta(hours=14), settings.digest_shift_start_hours_ist)
        shift = send_digest("rj", shift_period, wiring.analytics(), wiring.mailer(), period.end,
                            settings.digest_breaches_shown)
    return {"complaints": complaints, "days": DAYS, "changes": changes, "counted_s": round(counted, 1),
            "counter_and_breach_items": len(items), "written_s": round(written, 1), "digest_day": busiest,
            "day_items": sum(1 for k in items if k[0] == f"AGG#rj#{busiest}"),
            "daily_items_read": run.items_read, "shift_items_read": shift.items_read, "shift_period": str(shift.period),
            "built_ms": round(built * 1000), "recipients": len(run.recipients), "read_target": READ_TARGET,
            "ok": bool(run.sent and shift.sent and max(run.items_read, shift.items_read) < READ_TARGET)}


def main() -> int:
    f = measure()
    print(f"complaints                 {f['complaints']:>8,} over {f['days']} days ({f['changes']:,} changes counted "
          f"in {f['counted_s']:.1f} s)")
    print(f"counter + breach items     {f['counter_and_breach_items']:>8,} (written in {f['written_s']:.1f} s)")
    print(f"digest day                 {f['digest_day']} (the day with most counter items: {f['day_items']})")
    print(f"items read by the digest   {f['daily_items_read']:>8,} (target < {READ_TARGET:,})")
    print(f"items read by a shift one  {f['shift_items_read']:>8,} ({f['shift_period']}: hourly items, this and the "
          "previous shift)")
    print(f"digest built and sent in   {f['built_ms']:>8.0f} ms, to {f['recipients']} addresses")
    return 0 if f["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
