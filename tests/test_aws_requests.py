"""AWS requests per complaint, counted with botocore's event hooks (bench/aws_calls.py): what AWS bills and
what bounds throughput. Lambda's own SQS poller (receive, delete) is not our code and is not counted here."""
import json

import pytest

from bench.aws_calls import counting_aws_calls
from local.samples import tweet, x_delivery
from tests.conftest import drain
from tests.test_routing import invoke_router

JODHPUR_THEFT = "@PoliceRajasthan Jodhpur me Paota circle par meri bike chori ho gayi ({})"
EIGHT_PLACES = ["Ajmer", "Udaipur", "Kota", "Bikaner", "Alwar", "Bharatpur", "Sikar", "Jodhpur"]


@pytest.fixture
def routing_messages(post_x, queues):
    """Post one signed tweet per text; returns the routing queue's messages as bodies for the router."""
    def post(texts: list[str]) -> list[str]:
        for text in texts:
            assert post_x(x_delivery(tweets=[tweet(text)])).status_code == 200
        return [json.dumps(body) for body in drain(queues, "desk-routing")]
    return post


def test_webhook_makes_at_most_two_aws_requests(post_x):
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan warm container: the queue url is known from now on")]))
    with counting_aws_calls() as calls:
        assert post_x(x_delivery(tweets=[tweet(JODHPUR_THEFT.format(1))])).status_code == 200
    assert dict(calls.calls) == {"dynamodb.TransactWriteItems": 1, "sqs.SendMessage": 1}


def test_router_reads_a_batch_of_ten_in_one_request(client, routing_messages):
    bodies = routing_messages([JODHPUR_THEFT.format(i) for i in range(10)])
    with counting_aws_calls() as calls:
        assert invoke_router(client, *bodies) == {"batchItemFailures": []}
    assert (calls.count("dynamodb.BatchGetItem"), calls.count("dynamodb.GetItem")) == (1, 0)


def test_router_sends_one_district_request_per_district_queue_and_one_for_all_acknowledgements(
        client, routing_messages, queues):
    ajmer = [f"@PoliceRajasthan Ajmer me mobile chori ({i})" for i in range(4)]
    bodies = routing_messages([JODHPUR_THEFT.format(i) for i in range(6)] + ajmer)
    with counting_aws_calls() as calls:
        invoke_router(client, *bodies)
    assert calls.count("sqs.SendMessageBatch") == 3   # rj-jodhpur, rj-ajmer, desk-outbound
    assert len(drain(queues, "desk-district-rj-jodhpur")) == 6 and len(drain(queues, "desk-district-rj-ajmer")) == 4


def test_each_routed_complaint_is_saved_in_its_own_transaction(client, routing_messages):
    bodies = routing_messages([JODHPUR_THEFT.format(i) for i in range(10)])
    with counting_aws_calls() as calls:
        invoke_router(client, *bodies)
    assert calls.count("dynamodb.TransactWriteItems") == 10


def test_webhook_to_district_queue_takes_at_most_four_requests_per_complaint_in_batches_of_ten(
        client, routing_messages):
    """Batches spanning up to eight district queues (city-heavy traffic); ten different ones cost 4.1 each."""
    def texts(count: int, tag: str) -> list[str]:
        return [f"@PoliceRajasthan {EIGHT_PLACES[n % 8]} me meri bike chori ho gayi ({tag}{n})" for n in range(count)]

    invoke_router(client, *routing_messages(texts(8, "warm")))   # a warm container knows its queue URLs
    with counting_aws_calls() as webhook_calls:
        bodies = routing_messages(texts(20, ""))
    with counting_aws_calls() as router_calls:
        for start in (0, 10):
            assert invoke_router(client, *bodies[start:start + 10]) == {"batchItemFailures": []}
    webhook = webhook_calls.total - webhook_calls.count("sqs.ReceiveMessage", "sqs.DeleteMessage")   # drain()
    assert (webhook + router_calls.total) / 20 <= 4


def test_a_complaint_named_twice_in_one_batch_is_routed_once(client, routing_messages, queues, store):
    [body] = routing_messages([JODHPUR_THEFT.format(1)])
    assert invoke_router(client, body, body) == {"batchItemFailures": []}
    assert len(drain(queues, "desk-district-rj-jodhpur")) == 1
    assert store.get(json.loads(body)["complaint_id"]).version == 1


def test_a_district_message_sqs_refuses_leaves_its_complaint_new_and_reported(client, routing_messages, store,
                                                                             monkeypatch):
    from chalicelib import wiring

    [body] = routing_messages([JODHPUR_THEFT.format(1)])
    monkeypatch.setattr(wiring.queues(), "send_batch", lambda queue_name, bodies: list(range(len(bodies))))
    assert invoke_router(client, body) == {"batchItemFailures": [{"itemIdentifier": "m-0"}]}
    assert store.get(json.loads(body)["complaint_id"]).status == "NEW"
