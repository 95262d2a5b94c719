"""The routing queue handler: district queue, ROUTED with a due time, audit, partial batch failures."""
import json

from chalice.test import Client

import app
from local.samples import tweet, x_delivery
from tests.conftest import drain


def routing_event(*bodies: str) -> dict:
    from chalice.app import SQSEvent  # noqa: F401  (shape reference)

    return {"Records": [{
        "messageId": f"m-{i}", "receiptHandle": f"r-{i}", "body": body, "attributes": {}, "messageAttributes": {},
        "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:ap-south-1:123456789012:desk-routing",
        "awsRegion": "ap-south-1"} for i, body in enumerate(bodies)]}


def invoke_router(client: Client, *bodies: str) -> dict:
    return client.lambda_.invoke("route_complaints", routing_event(*bodies)).payload


THEFT = "@PoliceRajasthan mera mobile chori ho gaya, madad kijiye"


def stored(post_x, store, text: str, tweet_id: str, **kwargs):
    post_x(x_delivery(tweets=[tweet(text, tweet_id=tweet_id, **kwargs)]))
    return store.find_by_external("x", tweet_id)


def test_complaint_with_no_district_cue_goes_to_the_state_hq_queue(client, post_x, store, queues):
    complaint = stored(post_x, store, "@PoliceRajasthan meri bike chori ho gayi, kya karun", "11")
    assert invoke_router(client, json.dumps({"complaint_id": complaint.id})) == {"batchItemFailures": []}
    routed = store.get(complaint.id)
    assert (routed.status, routed.district) == ("ROUTED", "rj-hq")
    assert drain(queues, "desk-district-rj-hq") == [{"complaint_id": complaint.id, "district": "rj-hq"}]


def test_tagged_district_account_decides_the_district(client, post_x, store, queues):
    complaint = stored(post_x, store, "@jaipur_police @PoliceRajasthan mobile chhina", "12",
                       mentions=("jaipur_police", "PoliceRajasthan"))
    invoke_router(client, json.dumps({"complaint_id": complaint.id}))
    assert store.get(complaint.id).district == "rj-jaipur"
    assert len(drain(queues, "desk-district-rj-jaipur")) == 1


def test_place_named_in_the_text_decides_the_district(client, post_x, store, queues):
    complaint = stored(post_x, store, "@PoliceRajasthan जोधपुर के पावटा चौराहे पर मेरी स्कूटी चोरी हो गई", "17")
    invoke_router(client, json.dumps({"complaint_id": complaint.id}))
    routed = store.get(complaint.id)
    assert (routed.district, routed.group) == ("rj-jodhpur", "property_crime")
    assert any("district" in cue for cue in routed.triage_cues)


def test_thanks_is_stored_as_not_actionable_and_reaches_no_queue(client, post_x, store, queues):
    complaint = stored(post_x, store, "@PoliceRajasthan thank you so much for the quick help, great work!", "18")
    invoke_router(client, json.dumps({"complaint_id": complaint.id}))
    kept = store.get(complaint.id)
    assert (kept.status, kept.actionable, kept.district, kept.sla_due_at) == ("NOT_ACTIONABLE", False, None, None)
    assert drain(queues, "desk-district-rj-hq") == []


def test_nri_desk_complaint_without_home_district_stays_with_the_nri_desk(client, post_x, store, queues):
    from local.samples import tweet, x_delivery

    post_x(x_delivery(tweets=[tweet("@UPPolNRI my brother's shop was robbed, police not filing FIR", tweet_id="19",
                                    mentions=("UPPolNRI",))], for_user_id="1000000003"))
    complaint = store.find_by_external("x", "19")
    invoke_router(client, json.dumps({"complaint_id": complaint.id}))
    assert store.get(complaint.id).district == "up-nri"


def test_routed_complaint_is_due_two_hours_after_it_was_received(client, post_x, store):
    from chalicelib.model import parse_iso

    complaint = stored(post_x, store, THEFT, "13")
    invoke_router(client, json.dumps({"complaint_id": complaint.id}))
    routed = store.get(complaint.id)
    assert (parse_iso(routed.sla_due_at) - parse_iso(routed.received_at)).total_seconds() == 2 * 3600


def test_routing_writes_an_audit_event(client, post_x, store):
    complaint = stored(post_x, store, THEFT, "14")
    invoke_router(client, json.dumps({"complaint_id": complaint.id}))
    routed_events = [e for e in store.audit_trail(complaint.id) if e["action"] == "routed"]
    assert routed_events[0]["details"]["district"] == "rj-hq"


def test_routing_the_same_complaint_twice_changes_nothing_the_second_time(client, post_x, store, queues):
    complaint = stored(post_x, store, THEFT, "15")
    body = json.dumps({"complaint_id": complaint.id})
    invoke_router(client, body)
    invoke_router(client, body)
    assert store.get(complaint.id).version == 1
    assert len(drain(queues, "desk-district-rj-hq")) == 1


def test_poison_message_is_reported_alone_and_the_rest_routed(client, post_x, store):
    good = stored(post_x, store, THEFT, "16")
    result = invoke_router(client, json.dumps({"complaint_id": good.id}), "not json",
                           json.dumps({"complaint_id": "01NOSUCHCOMPLAINT000000000"}))
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-1"}, {"itemIdentifier": "m-2"}]}
    assert store.get(good.id).status == "ROUTED"


def test_routing_queue_sends_a_message_to_its_dlq_after_five_receives(queues, aws):
    from chalicelib.resources import queue_specs

    routing = next(s for s in queue_specs() if s.name == "desk-routing")
    attributes = queues.sqs.get_queue_attributes(QueueUrl=queues.url("desk-routing"),
                                                 AttributeNames=["RedrivePolicy"])["Attributes"]
    policy = json.loads(attributes["RedrivePolicy"])
    assert policy["maxReceiveCount"] in (5, "5") and policy["deadLetterTargetArn"].endswith(routing.dlq_name)


def test_dlq_replay_returns_messages_to_their_queue(queues):
    queues.send("desk-routing-dlq", {"complaint_id": "A"})
    queues.send("desk-district-dlq", {"complaint_id": "B", "district": "rj-ajmer"})
    assert queues.replay_dlq("desk-routing-dlq") == 1
    assert queues.replay_dlq("desk-district-dlq") == 1
    assert drain(queues, "desk-routing") == [{"complaint_id": "A"}]
    assert drain(queues, "desk-district-rj-ajmer") == [{"complaint_id": "B", "district": "rj-ajmer"}]


def test_dlq_cli_reports_and_replays(queues, capsys):
    from chalicelib import dlq

    queues.send("desk-routing-dlq", {"complaint_id": "C"})
    dlq.main(["status"], queues)
    assert json.loads(capsys.readouterr().out)["desk-routing-dlq"] == 1
    dlq.main(["replay", "desk-routing-dlq"], queues)
    assert json.loads(capsys.readouterr().out) == {"replayed": 1, "from": "desk-routing-dlq"}
    assert drain(queues, "desk-routing") == [{"complaint_id": "C"}]


def test_log_lines_name_the_handler_that_wrote_them(client, post_x, store):
    import io
    import logging

    from chalicelib.observability import logger

    complaint = stored(post_x, store, THEFT, "31")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger().addHandler(handler)  # Powertools binds stdout at creation: capture through a handler of our own
    handler.setFormatter(logger().handlers[0].formatter)
    try:
        invoke_router(client, json.dumps({"complaint_id": complaint.id}))
    finally:
        logger().removeHandler(handler)
    routed_lines = [json.loads(line) for line in stream.getvalue().splitlines() if "complaint routed" in line]
    assert routed_lines and routed_lines[0]["handler"] == "route_complaints"
    assert routed_lines[0]["complaint_id"] == complaint.id
