"""The permissions table (infra/permissions.py) against what the code really calls: a day at the desk runs every
Lambda function in-process on moto, each AWS call is attributed to the app.py handler it ran under, translated to
the IAM action and resource AWS would authorise, and must be granted to that function's role."""
import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from chalicelib.model import new_id, utc_now
from chalicelib.resources import DISTRICT_DLQ, DISTRICT_QUEUE_PREFIX, OUTBOUND_QUEUE, ROUTING_QUEUE
from infra.permissions import CLAIM, CONSUME, DISTRICT_QUEUES, EMAIL, FUNCTION_GRANTS, QUERY, SEND, Grants
from local.platform_standin import Answer
from local.samples import tweet, x_delivery
from tests.conftest import drain
from tests.test_replies import outbound_event
from tests.test_routing import routing_event

APP_FILE = str(Path(__file__).resolve().parent.parent / "app.py")
TRANSACTION_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                       "ConditionCheck": "ConditionCheckItem"}


def iam_requests(service: str, operation: str, params: dict) -> list[tuple[str, str]]:
    """(IAM action, resource) pairs AWS authorises for one API call: a transaction item by item, an index query
    on the index, a batch SQS call as its single-message action."""
    if service == "dynamodb":
        if operation == "TransactWriteItems":
            return [(f"dynamodb:{TRANSACTION_ACTIONS[kind]}", "table") for item in params["TransactItems"]
                    for kind in item]
        return [(f"dynamodb:{operation}", f"index/{params['IndexName']}" if params.get("IndexName") else "table")]
    if service == "sqs":
        queue = params.get("QueueName") or params["QueueUrl"].rsplit("/", 1)[1]
        return [(f"sqs:{operation.removesuffix('Batch')}", queue)]
    return [(f"{service}:{operation}", "the desk's sender")]


def _queue_matches(granted: str, queue: str) -> bool:
    if granted == DISTRICT_QUEUES:
        return queue.startswith(DISTRICT_QUEUE_PREFIX) and queue != DISTRICT_DLQ
    return granted == queue


def is_granted(grants: Grants, action: str, resource: str) -> bool:
    """The same reading of a Grants as infra/stacks.py renders into the role's policy."""
    if action.startswith("dynamodb:"):
        return action in grants.table if resource == "table" else (
            action == QUERY and resource.removeprefix("index/") in grants.indexes)
    if action.startswith("sqs:"):
        return any([action in CONSUME and grants.consumes == resource,
                    action in SEND and any(_queue_matches(q, resource) for q in grants.sends),
                    action in CLAIM and grants.claims and _queue_matches(DISTRICT_QUEUES, resource)])
    return action in EMAIL and grants.emails


class HandlerCalls:
    """Each AWS call of the desk's clients, filed under the Lambda function whose app.py handler is running."""

    def __init__(self, route_views: set[str]):
        self.route_views = route_views
        self.by_function: dict[str, set[tuple[str, str]]] = {}

    def function_running(self) -> str | None:
        frame = sys._getframe()
        while frame and frame.f_code.co_filename != APP_FILE:
            frame = frame.f_back
        if frame is None:
            return None          # the test's own setup and checks
        name = frame.f_code.co_name
        return "api_handler" if name in self.route_views else name

    def record(self, params, model, **_):
        function = self.function_running()
        if function:
            self.by_function.setdefault(function, set()).update(
                iam_requests(model.service_model.signing_name, model.name, params))


@pytest.fixture
def handler_calls(aws):
    import app
    from chalicelib import aws as desk_aws

    calls = HandlerCalls({entry.view_name for methods in app.app.routes.values() for entry in methods.values()})
    clients = [desk_aws.resource("dynamodb").meta.client] + [desk_aws.client(s) for s in ("dynamodb", "sqs", "ses")]
    for boto_client in clients:
        boto_client.meta.events.register("before-parameter-build", calls.record, unique_id="handler-calls")
    yield calls
    for boto_client in clients:
        boto_client.meta.events.unregister("before-parameter-build", calls.record, unique_id="handler-calls")


def scheduled(client, moment: str | None = None) -> dict:
    event = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [], region="ap-south-1")
    return {**event, "time": moment} if moment else event


def digests_failing_once(client, monkeypatch) -> None:
    """Each digest schedule fires twice: the first time rendering fails and the claim is given back."""
    from chalicelib import digest_service

    def broken_render(digest):
        raise RuntimeError("template error")

    for handler, moment in (("daily_digest", "2026-11-23T02:30:00Z"), ("shift_digest", "2026-11-23T08:30:00Z")):
        with monkeypatch.context() as patch, pytest.raises(RuntimeError):
            patch.setattr(digest_service, "render", broken_render)
            client.lambda_.invoke(handler, scheduled(client, moment))
        client.lambda_.invoke(handler, scheduled(client, moment))


def a_day_at_the_desk(client, post_x, api_headers, store, queues, platform, monkeypatch) -> None:
    """Webhooks (one redelivered), routing, acknowledgements (the platform refuses one, another is too long to
    post), every SLA notice of unanswered complaints, an officer's worklist, claim, reply (closing a breach),
    re-route and resolution, and both digests (each failing once)."""
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan Jodhpur me Paota circle par meri bike chori", tweet_id="8101")]))
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan Jodhpur me Paota circle par meri bike chori", tweet_id="8101")]))
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan Ajmer me mera mobile chori ho gaya", tweet_id="8102")]))
    client.lambda_.invoke("route_complaints", routing_event(*map(json.dumps, drain(queues, ROUTING_QUEUE))))
    replies = drain(queues, OUTBOUND_QUEUE)
    platform.script(Answer(403, {"title": "Forbidden"}))
    client.lambda_.invoke("send_replies", outbound_event(*replies, {**replies[0], "reply_id": new_id(),
                                                                    "text": "x" * 5000}))
    three_days_on = utc_now() + timedelta(days=3)
    monkeypatch.setattr("chalicelib.sla_service.utc_now", lambda: three_days_on)
    client.lambda_.invoke("sla_sweep", scheduled(client))
    first, second = store.find_by_external("x", "8101"), store.find_by_external("x", "8102")
    headers = {**api_headers, "Content-Type": "application/json"}
    client.http.get(f"/api/worklist?district={first.district}", headers=headers)
    client.http.post("/api/claims", body=json.dumps({"district": first.district}), headers=headers)
    client.http.post(f"/api/complaints/{first.id}/replies", body=json.dumps({"text": "We are on it"}), headers=headers)
    client.http.post(f"/api/complaints/{second.id}/reroute", headers=headers,
                     body=json.dumps({"district": "hq", "reason": "no district named"}))
    client.http.post(f"/api/complaints/{first.id}/resolve", body=json.dumps({"action_taken": "FIR"}), headers=headers)
    digests_failing_once(client, monkeypatch)


@pytest.fixture
def day_recorded(client, post_x, api_headers, store, queues, monkeypatch, platforms_at_standin, handler_calls):
    from chalicelib import wiring

    monkeypatch.setenv("SLA_SWEEP_TIME_RESERVE_MS", "0")   # chalice.test's Lambda context has only 3 s
    wiring.settings.cache_clear()
    a_day_at_the_desk(client, post_x, api_headers, store, queues, platforms_at_standin, monkeypatch)
    return handler_calls.by_function


def test_every_function_ran_in_the_day(day_recorded):
    assert sorted(day_recorded) == sorted(FUNCTION_GRANTS)


def test_every_aws_call_a_function_makes_is_granted_to_its_role(day_recorded):
    refused = {function: sorted(request for request in requests if not is_granted(FUNCTION_GRANTS[function], *request))
               for function, requests in day_recorded.items()}
    assert refused == {function: [] for function in day_recorded}


def test_every_table_and_email_grant_is_used_in_the_day(day_recorded):
    """Least privilege the other way: no table or email action is granted that the code does not call.
    (SQS sends are granted by queue, and some paths, such as a claim lost to a concurrent change, are rare.)"""
    unused = {}
    for function, grants in FUNCTION_GRANTS.items():
        used = day_recorded.get(function, set())
        unused[function] = (
            [action for action in grants.table if (action, "table") not in used]
            + [f"{QUERY} index/{index}" for index in grants.indexes if (QUERY, f"index/{index}") not in used]
            + [action for action in EMAIL if grants.emails and (action, "the desk's sender") not in used])
    assert unused == {function: [] for function in FUNCTION_GRANTS}
