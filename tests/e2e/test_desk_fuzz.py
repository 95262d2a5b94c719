"""Fuzzing the officer API from its OpenAPI document against the local stack: no input gives a 5xx.

Bounded: a few examples per operation (about 300 requests, about 20 s). Path ids are pointed at one
real complaint so bodies reach the desk's logic instead of stopping at 404."""
import json
import urllib.request
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from chalicelib.settings import DEV_SECRETS
from local.demo import demo_token
from local.samples import signed_x_body, tweet, x_delivery
from local.send_webhook import post

pytestmark = pytest.mark.e2e
DOCUMENT = Path(__file__).resolve().parents[2] / "chalicelib" / "openapi.json"
schema = schemathesis.openapi.from_path(str(DOCUMENT))
# Valid and invalid inputs both: an invalid body must be a 400, never a crash.
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])


@pytest.fixture(scope="module")
def fuzz_target(local_stack):
    """An admin token (reaches every route, HQ ones included) and a routed complaint to aim at."""
    token = demo_token(local_stack.api)
    event = tweet("@jaipur_police Malviya Nagar me chain snatching hui", mentions=("jaipur_police",))
    body, headers = signed_x_body(x_delivery(tweets=[event]), DEV_SECRETS["X_CONSUMER_SECRET"])
    post(f"{local_stack.api}/webhooks/x", body, headers)

    def routed():
        request = urllib.request.Request(
            f"{local_stack.api}/api/complaints?platform=x&external_id={event['id_str']}",
            headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            complaint = json.loads(response.read())
        return complaint["id"] if complaint["status"] == "ROUTED" else None

    return local_stack.api, token, local_stack.wait_until(routed)


@schema.parametrize()
# Generated cases only: the explicit phase adds unsupported methods such as TRACE, which `chalice local` answers
# with 501 itself (API Gateway would not pass them on).
@settings(max_examples=20, deadline=None, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_officer_api_answers_no_input_with_a_server_error(case, fuzz_target):
    api, token, complaint_id = fuzz_target
    if "complaint_id" in (case.path_parameters or {}):
        case.path_parameters["complaint_id"] = complaint_id
    response = case.call(base_url=api, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code < 500, \
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
