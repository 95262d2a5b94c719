"""AWS requests per complaint, counted with botocore's event hooks (bench/aws_calls.py): what AWS bills and
what bounds throughput. Lambda's own SQS poller (receive, delete) is not our code and is not counted here."""
import json

import pytest

from bench.aws_calls import counting_aws_calls
from local.samples import tweet, x_delivery
from tests.conftest import drain
from tests.test_routing import invoke_router

JODHPUR_THEFT = "@PoliceRajasthan Jodhpur me Paota circle par meri bike chori ho gayi ({})"
TEN_PLACES = ["Ajmer", "Udaipur", "Kota", "Bikaner", "Alwar", "Bharatpur", "Sikar", "Jodhpur", "Barmer", "Churu"]


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


def test_a_routed_batch_is_saved_in_one_transaction(client, routing_messages):
    bodies = routing_messages([JODHPUR_THEFT.format(i) for i in range(10)])
    with counting_aws_calls() as calls:
        invoke_router(client, *bodies)
    assert calls.count("dynamodb.TransactWriteItems") == 1


def test_webhook_to_district_queue_takes_at_most_four_requests_per_complaint_even_for_ten_district_queues(
        client, routing_messages):
    """The worst case of batches of ten: every complaint for a different district queue."""
    def texts(tag: str) -> list[str]:
        return [f"@PoliceRajasthan {place} me meri bike chori ho gayi ({tag}{n})"
                for n, place in enumerate(TEN_PLACES)]

    invoke_router(client, *routing_messages(texts("warm")))   # a warm container knows its queue URLs
    with counting_aws_calls() as webhook_calls:
        bodies = routing_messages(texts("a") + texts("b"))
    with counting_aws_calls() as router_calls:
        for start in (0, 10):
            assert invoke_router(client, *bodies[start:start + 10]) == {"batchItemFailures": []}
    assert router_calls.count("sqs.SendMessageBatch") == 2 * (10 + 1)   # ten district queues, the acknowledgements
    webhook = webhook_calls.total - webhook_calls.count("sqs.ReceiveMessage", "sqs.DeleteMessage")   # drain()
    assert (webhook + router_calls.total) / 20 <= 4
