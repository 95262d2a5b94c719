"""End to end over HTTP: a signed X delivery into the real local stack comes out ROUTED in the right queue."""
import json
import urllib.request

import pytest

from chalicelib.settings import DEV_SECRETS
from local.demo import demo_token
from local.samples import signed_x_body, tweet, x_delivery
from local.send_webhook import post

pytestmark = pytest.mark.e2e


def get_json(url: str) -> dict:
    token = demo_token(url.split("/api/")[0])
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_signed_x_mention_is_routed_into_the_tagged_districts_queue(local_stack):
    event = tweet("@jaipur_police @PoliceRajasthan Malviya Nagar me mera mobile chori ho gaya",
                  mentions=("jaipur_police", "PoliceRajasthan"))
    body, headers = signed_x_body(x_delivery(tweets=[event]), DEV_SECRETS["X_CONSUMER_SECRET"])
    status, answer = post(f"{local_stack.api}/webhooks/x", body, headers)
    assert status == 200 and json.loads(answer)["stored"] == 1

    url = f"{local_stack.api}/api/complaints?platform=x&external_id={event['id_str']}"
    complaint = local_stack.wait_until(lambda: (c := get_json(url))["status"] == "ROUTED" and c)
    assert complaint["district"] == "rj-jaipur"
    assert [e["action"] for e in complaint["audit"]][:2] == ["received", "routed"]

    sqs = local_stack.boto("sqs")
    queue_url = sqs.get_queue_url(QueueName="desk-district-rj-jaipur")["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0)["Messages"]
    assert {"complaint_id": complaint["id"], "district": "rj-jaipur"} in [json.loads(m["Body"]) for m in messages]


def test_redelivered_x_mention_creates_nothing_over_http(local_stack):
    body, headers = signed_x_body(x_delivery(tweets=[tweet("@PoliceRajasthan help")]), DEV_SECRETS["X_CONSUMER_SECRET"])
    first, second = post(f"{local_stack.api}/webhooks/x", body, headers), post(f"{local_stack.api}/webhooks/x", body, headers)
    assert json.loads(first[1])["stored"] == 1
    assert second[0] == 200 and json.loads(second[1])["duplicates"] == 1


def test_bad_signature_is_401_over_http(local_stack):
    body, headers = signed_x_body(x_delivery(tweets=[tweet("x")]), "wrong-secret")
    assert post(f"{local_stack.api}/webhooks/x", body, headers)[0] == 401
