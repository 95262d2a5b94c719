"""The replier (desk-outbound handler): posts once per reply_id, audits the outcome, parks refusals in the DLQ."""
import json

import pytest

from chalicelib.replies import request_reply
from local.platform_standin import Answer
from local.samples import tweet, x_delivery
from tests.conftest import drain

OUTBOUND_DLQ = "desk-outbound-dlq"


def outbound_event(*bodies) -> dict:
    return {"Records": [{
        "messageId": f"m-{i}", "receiptHandle": f"r-{i}", "body": body if isinstance(body, str) else json.dumps(body),
        "attributes": {}, "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:ap-south-1:123456789012:desk-outbound", "awsRegion": "ap-south-1"}
        for i, body in enumerate(bodies)]}


@pytest.fixture
def complaint(post_x, store):
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan help", tweet_id="7001")]))
    return store.find_by_external("x", "7001")


@pytest.fixture
def send(client, platforms_at_standin):
    def invoke(*bodies) -> dict:
        return client.lambda_.invoke("send_replies", outbound_event(*bodies)).payload
    return invoke


def reply(complaint, text="We are on it, ref RJ-1", reply_id="01JREPLY00000000000000000A", purpose="officer_reply"):
    return {"complaint_id": complaint.id, "reply_id": reply_id, "purpose": purpose, "text": text,
            "requested_by": "officer:o-17"}


def audit(store, complaint, action):
    return [e for e in store.audit_trail(complaint.id) if e["action"] == action]


def test_reply_is_posted_under_the_citizens_post_and_audited(send, complaint, store, platforms_at_standin, aws):
    assert send(reply(complaint)) == {"batchItemFailures": []}
    [request] = platforms_at_standin.replies()
    assert request.body["reply"] == {"in_reply_to_tweet_id": "7001"}
    assert request.headers["authorization"] == f"Bearer {aws.x_user_token}"
    [sent] = audit(store, complaint, "reply_sent")
    assert (sent["actor"], sent["details"]["reply_id"]) == ("officer:o-17", "01JREPLY00000000000000000A")


def test_redelivered_reply_is_posted_once(send, complaint, platforms_at_standin):
    send(reply(complaint))
    assert send(reply(complaint)) == {"batchItemFailures": []}
    assert len(platforms_at_standin.replies()) == 1


def test_the_same_reply_twice_in_one_batch_is_posted_once(send, complaint, platforms_at_standin):
    send(reply(complaint), reply(complaint))
    assert len(platforms_at_standin.replies()) == 1


def test_a_platforms_refusal_is_audited_and_parked_in_the_dlq(send, complaint, store, queues, platforms_at_standin):
    platforms_at_standin.script(Answer(403, {"title": "Forbidden", "detail": "You are not allowed to reply"}))
    assert send(reply(complaint)) == {"batchItemFailures": []}
    [failed] = audit(store, complaint, "reply_failed")
    assert "403" in failed["details"]["error"]
    assert [m["reply_id"] for m in drain(queues, OUTBOUND_DLQ)] == ["01JREPLY00000000000000000A"]


def test_a_refused_reply_may_be_sent_after_a_dlq_replay(send, complaint, queues, platforms_at_standin):
    platforms_at_standin.script(Answer(400, {"title": "Invalid Request"}))
    send(reply(complaint))
    [parked] = drain(queues, OUTBOUND_DLQ)
    send(parked)
    assert len(platforms_at_standin.replies()) == 2


def test_a_busy_platform_leaves_the_message_for_retry_and_a_retry_sends_it(send, complaint, store, platforms_at_standin):
    platforms_at_standin.script(*[Answer(503, {"title": "Service Unavailable"})] * 3)
    assert send(reply(complaint)) == {"batchItemFailures": [{"itemIdentifier": "m-0"}]}
    assert audit(store, complaint, "reply_sent") == []
    send(reply(complaint))
    assert len(audit(store, complaint, "reply_sent")) == 1


def test_a_post_with_no_answer_is_never_sent_again(send, complaint, store, platforms_at_standin, monkeypatch):
    from chalicelib import wiring

    monkeypatch.setenv("PLATFORM_TIMEOUT_SECONDS", "0.2")
    wiring.settings.cache_clear()
    platforms_at_standin.script(Answer(200, {"data": {"id": "1"}}, delay=0.6))
    send(reply(complaint))
    send(reply(complaint))
    assert len(platforms_at_standin.replies()) == 1
    assert len(audit(store, complaint, "reply_uncertain")) == 1


def test_text_over_xs_280_is_not_sent_and_the_desk_is_told(send, complaint, store, queues, platforms_at_standin):
    send(reply(complaint, text="x" * 281))
    assert platforms_at_standin.replies() == []
    assert "281" in audit(store, complaint, "reply_failed")[0]["details"]["error"]
    assert len(drain(queues, OUTBOUND_DLQ)) == 1


def test_a_message_that_is_not_a_reply_fails_alone(send, complaint, platforms_at_standin):
    result = send("not json", {"complaint_id": complaint.id}, reply(complaint))
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-0"}, {"itemIdentifier": "m-1"}]}
    assert len(platforms_at_standin.replies()) == 1


def test_whatsapp_delivery_status_finds_the_complaint_our_reply_belongs_to(send, store, queues, platforms_at_standin,
                                                                           client, aws):
    from local.samples import meta_delivery, signed_meta_body, whatsapp_change, whatsapp_message, whatsapp_status

    def post(delivery):
        body, headers = signed_meta_body(delivery, aws.meta_app_secret)
        return client.http.post("/webhooks/meta", body=body, headers=headers)

    post(meta_delivery("whatsapp", whatsapp_change(messages=[whatsapp_message(text="help", wamid="wamid.in")])))
    complaint = store.find_by_external("whatsapp", "wamid.in")
    request_reply(queues, complaint.id, "officer_reply", "Noted", "officer:o-1")
    [message] = drain(queues, "desk-outbound")
    send(message)
    our_id = platforms_at_standin.replies()[0]
    sent = audit(store, complaint, "reply_sent")[0]["details"]["platform_message_id"]
    assert our_id.path == "/v25.0/5000000001/messages"
    post(meta_delivery("whatsapp", whatsapp_change(statuses=[whatsapp_status(sent, "delivered")])))
    assert audit(store, complaint, "reply_status")[0]["details"]["status"] == "delivered"


def test_a_like_is_sent_without_text(send, complaint, store, platforms_at_standin):
    send(reply(complaint, text="", purpose="like"))
    [request] = platforms_at_standin.replies()
    assert request.path == "/2/users/1000000001/likes"
    assert len(audit(store, complaint, "reply_sent")) == 1


def test_an_empty_text_reply_is_refused(send, complaint, store, platforms_at_standin):
    send(reply(complaint, text="  "))
    assert platforms_at_standin.replies() == [] and len(audit(store, complaint, "reply_failed")) == 1


def test_records_the_lambda_has_no_time_left_for_are_left_for_sqs(complaint, store, queues, platforms_at_standin):
    from chalice.app import SQSEvent

    from chalicelib import replies, wiring

    event = SQSEvent(outbound_event(reply(complaint)), context=None)
    result = replies.send_batch(event, store, queues, wiring.reply_clients(), time_left_ms=lambda: 10_000,
                                reserve_ms=25_000)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-0"}]}
    assert platforms_at_standin.replies() == []
