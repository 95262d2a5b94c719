"""A webhook, router or replier stopped half-way (a crash, a timeout) leaves nothing lost and nothing doubled.

Found by the fault-injection run (bench/fault_injection.py): acknowledgements were lost when the router stopped
between saving a complaint as routed and queueing its acknowledgement, and when the replier stopped between
claiming a reply and posting it (the claim then hid the reply from every retry, silently). Found reading the
intake: a webhook stopped between storing a complaint and queueing it, redelivered within two minutes (X's
first retries come after 3 s and 27 s), answered 200 and queued nothing, so the complaint stayed NEW for good.
"""
import json
from datetime import timedelta

import pytest
from chalice.app import SQSEvent

from chalicelib import routing, wiring
from chalicelib.model import iso, utc_now
from chalicelib.replies import send_batch
from local.samples import tweet, x_delivery
from tests.conftest import drain
from tests.test_replies import outbound_event
from tests.test_routing import routing_event


class SendsFailingFirst:
    """The real queues; the first send fails (SQS unreachable, or the Lambda stopped there). Records the sends."""

    def __init__(self, queues):
        self.queues, self.sends = queues, []

    def send(self, queue_name, body, delay_seconds=0):
        self.sends.append((queue_name, body, delay_seconds))
        if len(self.sends) == 1:
            raise ConnectionError("SQS did not answer")
        return self.queues.send(queue_name, body, delay_seconds)


def test_a_quick_redelivery_of_a_complaint_stored_but_never_queued_gets_it_routed(aws, store, queues, client):
    from chalicelib import intake
    from local.samples import signed_x_body

    body, headers = signed_x_body(x_delivery(tweets=[tweet("@PoliceRajasthan Ajmer me chain snatching hui",
                                                           tweet_id="9401")]), aws.x_consumer_secret)
    flaky = SendsFailingFirst(queues)
    with pytest.raises(ConnectionError):
        intake.receive_webhook(wiring.x_webhook(), body, headers, store, flaky)
    report = intake.receive_webhook(wiring.x_webhook(), body, headers, store, flaky)   # X's retry, 3 s later

    complaint = store.find_by_external("x", "9401")
    [_, (queue_name, message, delay)] = flaky.sends
    assert report.duplicates == [complaint.id] and queue_name == "desk-routing"
    assert 60 <= delay <= 120     # once the first message would have been routed
    client.lambda_.invoke("route_complaints", routing_event(json.dumps(message)))
    assert store.get(complaint.id).status == "ROUTED"


class StoppedAround:
    """The real store, except that its first `update_all` (the router's save) stops the handler, after or
    before writing."""

    def __init__(self, store, after_writing: bool):
        self.store, self.after_writing, self.stopped = store, after_writing, False

    def __getattr__(self, name):
        return getattr(self.store, name)

    def update_all(self, changes):
        if self.stopped:
            return self.store.update_all(changes)
        self.stopped = True
        if self.after_writing:
            self.store.update_all(changes)
        raise TimeoutError("the handler was stopped here")


@pytest.fixture
def routing_message(post_x, queues):
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan Ajmer me chain snatching hui abhi", tweet_id="9301")]))
    [message] = drain(queues, "desk-routing")
    return SQSEvent(routing_event(json.dumps(message)), context=None)


def route(event, store, queues) -> dict:
    return routing.route_batch(event, store, queues, wiring.registry(), wiring.sla_rules())


def test_a_router_stopped_after_saving_has_already_queued_the_acknowledgement(routing_message, store, queues):
    first = route(routing_message, StoppedAround(store, after_writing=True), queues)
    retry = route(routing_message, store, queues)

    assert first["batchItemFailures"] and retry == {"batchItemFailures": []}
    assert store.find_by_external("x", "9301").status == "ROUTED"
    assert [m["purpose"] for m in drain(queues, "desk-outbound")] == ["acknowledgement"]


def test_a_router_stopped_before_saving_asks_again_for_the_same_reply(routing_message, store, queues, client,
                                                                       platforms_at_standin):
    route(routing_message, StoppedAround(store, after_writing=False), queues)
    route(routing_message, store, queues)
    acknowledgements = drain(queues, "desk-outbound")

    client.lambda_.invoke("send_replies", outbound_event(*acknowledgements))

    assert len(acknowledgements) == 2 and len({a["reply_id"] for a in acknowledgements}) == 1
    assert len(platforms_at_standin.replies()) == 1


@pytest.fixture
def acknowledgement(routing_message, store, queues):
    route(routing_message, store, queues)
    [body] = drain(queues, "desk-outbound")
    return body


def send(body, store, queues) -> dict:
    return send_batch(SQSEvent(outbound_event(body), context=None), store, queues, wiring.reply_clients(),
                      time_left_ms=lambda: 60_000, reserve_ms=25_000)


def uncertain(store, complaint_id: str) -> list[dict]:
    return [e for e in store.audit_trail(complaint_id) if e["action"] == "reply_uncertain"]


def test_a_reply_whose_sender_stopped_after_claiming_is_not_posted_and_the_desk_is_told_once(
        acknowledgement, store, queues, platforms_at_standin):
    long_ago = iso(utc_now() - timedelta(minutes=10))
    store.claim_reply(acknowledgement["reply_id"], acknowledgement["complaint_id"], long_ago)

    answers = [send(acknowledgement, store, queues), send(acknowledgement, store, queues)]

    assert answers == [{"batchItemFailures": []}] * 2
    assert platforms_at_standin.replies() == []
    assert len(uncertain(store, acknowledgement["complaint_id"])) == 1


def test_a_reply_claimed_moments_ago_is_left_for_a_later_try(acknowledgement, store, queues, platforms_at_standin):
    store.claim_reply(acknowledgement["reply_id"], acknowledgement["complaint_id"], iso(utc_now()))

    answer = send(acknowledgement, store, queues)

    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-0"}]}
    assert platforms_at_standin.replies() == [] and uncertain(store, acknowledgement["complaint_id"]) == []
