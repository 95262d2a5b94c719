"""Which items DynamoDB's TTL removes (the `expires_at` attribute), and that records of complaints never carry it."""
from datetime import timedelta

from chalicelib.model import AuditEvent, parse_iso
from chalicelib.resources import EXPIRY_ATTRIBUTE
from chalicelib.store import reply_guard_key
from local.samples import tweet, x_delivery

CLAIMED_AT = "2026-11-23T04:00:00.000Z"


def epoch(at: str, days: int) -> int:
    return int((parse_iso(at) + timedelta(days=days)).timestamp())


def raw_items(store) -> list[dict]:
    return store.table.scan()["Items"]


def test_a_reply_claim_expires_thirty_days_after_it_was_claimed(store):
    store.claim_reply("01JREPLY00000000000000000A", "01JCOMPLAINT0000000000000A", CLAIMED_AT)

    claim = store.table.get_item(Key=reply_guard_key("01JREPLY00000000000000000A"))["Item"]

    assert claim[EXPIRY_ATTRIBUTE] == epoch(CLAIMED_AT, 30)


def test_a_sent_reply_keeps_its_claim_thirty_days_from_sending(store):
    store.claim_reply("01JREPLY00000000000000000A", "01JCOMPLAINT0000000000000A", CLAIMED_AT)
    sent = AuditEvent("01JCOMPLAINT0000000000000A", "2026-11-24T04:00:00.000Z", "system:router", "reply_sent")

    store.record_reply_sent("01JREPLY00000000000000000A", "x", "1860000000000000001", sent)

    claim = store.table.get_item(Key=reply_guard_key("01JREPLY00000000000000000A"))["Item"]
    assert (claim["state"], claim[EXPIRY_ATTRIBUTE]) == ("sent", epoch(sent.at, 30))


def test_a_digest_claim_expires_a_week_after_the_run(aws):
    from chalicelib import wiring
    from chalicelib.analytics_table import digest_sent_key

    analytics = wiring.analytics()
    analytics.claim_digest("rj", "daily-2026-11-22", CLAIMED_AT)

    claim = analytics.table.get_item(Key=digest_sent_key("rj", "daily-2026-11-22"))["Item"]
    assert claim[EXPIRY_ATTRIBUTE] == epoch(CLAIMED_AT, 7)


def test_complaints_their_audit_counters_and_dedupe_guards_never_expire(post_x, store):
    # A guard answers later edits, deletions and replies to the post for as long as the complaint exists.
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan Jodhpur me meri bike chori ho gayi", tweet_id="9301")]))

    items = raw_items(store)

    assert {item["pk"].split("#")[0] for item in items} >= {"C", "EXT", "AGG"}
    assert [item["pk"] for item in items if EXPIRY_ATTRIBUTE in item] == []
