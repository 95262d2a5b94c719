"""The local stack's log (moto, chalice local, the runner, the desk's own lines) holds no secret, no officer
password and no token from the flows that use each of them: login, API calls, signed webhooks, Meta's
subscription check, and replies to the platforms with their tokens."""
import json
import urllib.request

import pytest

from chalicelib.settings import DEV_SECRETS
from local.demo import DEMO_PASSWORD, demo_token
from local.samples import meta_delivery, signed_meta_body, signed_x_body, tweet, whatsapp_change, whatsapp_message, x_delivery
from local.send_webhook import post

pytestmark = pytest.mark.e2e


def get(url: str, token: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_stack_log_holds_no_secret_password_or_token(local_stack):
    # From here on: the banner prints the demo logins' password on purpose (docs/officer-desk.md), and the
    # fuzz tests send requests whose query strings may hold any string of the code, secrets' dev values included.
    start = local_stack.log.stat().st_size
    token = demo_token(local_stack.api, "jaipur-1")
    assert get(f"{local_stack.api}/api/me", token) == 200
    assert get(f"{local_stack.api}/api/me", token[:-3] + "abc") in (401, 403)
    post(f"{local_stack.api}/auth/login", json.dumps({"officer_id": "jaipur-1", "password": DEMO_PASSWORD + "x"}).encode(),
         {"content-type": "application/json"})
    event = tweet("@PoliceRajasthan Ajmer me chain snatching hui abhi")
    body, headers = signed_x_body(x_delivery(tweets=[event]), DEV_SECRETS["X_CONSUMER_SECRET"])
    assert post(f"{local_stack.api}/webhooks/x", body, headers)[0] == 200
    message = whatsapp_message(text="Jodhpur me mera phone chori ho gaya")
    body, headers = signed_meta_body(meta_delivery("whatsapp", whatsapp_change(messages=[message])),
                                     DEV_SECRETS["META_APP_SECRET"])
    assert post(f"{local_stack.api}/webhooks/meta", body, headers)[0] == 200
    assert get(f"{local_stack.api}/webhooks/meta?hub.mode=subscribe&hub.challenge=7"
               f"&hub.verify_token={DEV_SECRETS['META_VERIFY_TOKEN']}") == 200

    def acknowledged() -> bool:   # both replies went out with the platforms' tokens
        with urllib.request.urlopen(f"{local_stack.platforms}/requests.json", timeout=10) as response:
            sent = json.dumps(json.loads(response.read()))
        return event["id_str"] in sent and message["id"] in sent

    local_stack.wait_until(acknowledged, timeout=30)
    logged = local_stack.log.read_bytes()[start:].decode("utf-8", errors="replace")
    assert "POST /webhooks/meta" in logged     # the lines of this test's requests are there
    known = {**DEV_SECRETS, "demo password": DEMO_PASSWORD, "token": token, "token signature": token.rsplit(".", 1)[1]}
    assert [name for name, value in known.items() if value in logged] == []
