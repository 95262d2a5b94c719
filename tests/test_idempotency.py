"""Every handler run twice on the same input has the effect of one run: SQS and EventBridge deliver at least once.

The effects compared are everything the desk can change: every table item (complaints, guards, audit events,
counters, claims), every queue's messages, the emails sent and the requests made to the platforms.
"""
import json

import pytest

from chalicelib import wiring
from chalicelib.model import AuditEvent, Complaint, Status, iso, new_id, utc_now
from local.samples import RAJASTHAN_DESK_ID, meta_delivery, signed_meta_body, tweet, whatsapp_change, whatsapp_message, x_delivery
from tests.conftest import drain
from tests.test_replies import outbound_event
from tests.test_routing import routing_event


def table_items(store) -> list[dict]:
    items, start = [], {}
    while True:
        page = store.table.scan(**start)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda item: (item["pk"], item["sk"]))
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def queue_depths(queues) -> dict[str, int]:
    depths = {}
    for url in queues.sqs.list_queues(MaxResults=1000).get("QueueUrls", []):
        attributes = queues.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed"])["Attributes"]
        depths[url.rsplit("/", 1)[-1]] = sum(int(v) for v in attributes.values())
    return {name: depth for name, depth in depths.items() if depth}


def emails_sent() -> int:
    from moto.ses.models import ses_backends

    return len(ses_backends["123456789012"]["ap-south-1"].sent_messages)


@pytest.fixture
def effects(store, queues, platforms_at_standin):
    """A snapshot of everything a handler can change."""
    def snapshot() -> dict:
        return {"items": table_items(store), "queues": queue_depths(queues), "emails": emails_sent(),
                "platform_requests": len(platforms_at_standin.requests)}
    return snapshot


@pytest.fixture
def routed_complaint(post_x, store, queues, client):
    """A stored, routed complaint, its routing message and its acknowledgement (both taken off their queues)."""
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan Jodhpur me Paota circle par mera phone chori ho gaya",
                                    tweet_id="9001")]))
    [routing] = drain(queues, "desk-routing")
    client.lambda_.invoke("route_complaints", routing_event(json.dumps(routing)))
    [acknowledgement] = drain(queues, "desk-outbound")
    return store.find_by_external("x", "9001"), routing, acknowledgement


def test_a_redelivered_webhook_stores_and_queues_nothing_more(client, aws, queues, effects):
    """Once routed (a duplicate of a complaint still NEW asks for a delayed look: tests/test_delivery_recovery.py)."""
    body, headers = signed_meta_body(meta_delivery("whatsapp", whatsapp_change(messages=[
        whatsapp_message(text="Ajmer me chain snatching hui abhi")])), aws.meta_app_secret)
    assert client.http.post("/webhooks/meta", body=body, headers=headers).json_body["stored"] == 1
    client.lambda_.invoke("route_complaints", routing_event(*[json.dumps(m) for m in drain(queues, "desk-routing")]))
    once = effects()

    again = client.http.post("/webhooks/meta", body=body, headers=headers)

    assert again.json_body["duplicates"] == 1 and effects() == once


def test_a_routing_batch_delivered_twice_routes_and_acknowledges_once(post_x, client, queues, effects):
    bodies = []
    for n, text in enumerate(["@PoliceRajasthan Ajmer me chain snatching hui abhi", "@PoliceRajasthan good morning",
                              "@PoliceRajasthan meri bike chori ho gayi"]):
        post_x(x_delivery(tweets=[tweet(text, tweet_id=f"910{n}")]))
    bodies = [json.dumps(body) for body in drain(queues, "desk-routing")]
    event = routing_event(*bodies)
    assert client.lambda_.invoke("route_complaints", event).payload == {"batchItemFailures": []}
    once = effects()

    again = client.lambda_.invoke("route_complaints", event).payload

    assert again == {"batchItemFailures": []} and effects() == once
    assert once["queues"]["desk-outbound"] == 2   # the two actionable ones: no acknowledgement for a greeting


def test_an_outbound_batch_delivered_twice_posts_once(client, routed_complaint, effects):
    complaint, _, acknowledgement = routed_complaint
    event = outbound_event(acknowledgement)
    client.lambda_.invoke("send_replies", event)
    once = effects()

    client.lambda_.invoke("send_replies", event)

    assert effects() == once and once["platform_requests"] == 1


def overdue_complaint(store) -> Complaint:
    """Routed two hours and a minute ago with both reminders sent: its breach notice is due."""
    from datetime import timedelta

    received = utc_now().replace(microsecond=0) - timedelta(minutes=121)
    complaint = Complaint(id=new_id(received), state="rj", desk="rj-hq", platform="x", external_id="9200", kind="post",
                          desk_account_id=RAJASTHAN_DESK_ID, author_id="2", author_handle="citizen_one",
                          author_name="Citizen", text="mobile chori", created_at=iso(received), received_at=iso(received))
    store.add_new(complaint, AuditEvent(complaint.id, iso(received), "platform:x", "received"))
    return store.update(complaint, complaint.evolve(
        status=Status.ROUTED, district="rj-jodhpur", priority="P2", routed_at=iso(received),
        sla_due_at=iso(received + timedelta(hours=2)), sla_notices_sent=("reminder_50", "reminder_80")))


def test_an_sla_sweep_fired_twice_sends_one_breach_notice(client, store, effects, monkeypatch):
    monkeypatch.setenv("SLA_SWEEP_TIME_RESERVE_MS", "0")   # chalice.test's Lambda context has only 3 s
    wiring.settings.cache_clear()
    overdue_complaint(store)
    event = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [], region="ap-south-1")
    assert len(client.lambda_.invoke("sla_sweep", event).payload["sent"]) == 1
    once = effects()

    again = client.lambda_.invoke("sla_sweep", event).payload

    assert again["sent"] == [] and effects() == once and once["emails"] == 1


@pytest.mark.parametrize("handler, moment", [("daily_digest", "2026-11-23T02:30:00Z"),
                                             ("shift_digest", "2026-11-23T08:30:00Z")])
def test_a_digest_schedule_fired_twice_sends_each_digest_once(client, routed_complaint, effects, handler, moment):
    event = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [], region="ap-south-1")
    event["time"] = moment
    client.lambda_.invoke(handler, event)
    once = effects()

    client.lambda_.invoke(handler, event)

    assert effects() == once and once["emails"] >= 1
