"""Security: every webhook checks its signature in constant time and limits its body; no secret, password or
token reaches a log line.

Covered elsewhere, not repeated here: officer tokens that expired, were revoked or were signed with another
secret (tests/desk/test_desk_access.py, tests/desk/test_officer_admin.py), officers of another district refused on
every scoped route (tests/desk/test_desk_access.py), markup in a citizen's post shown as text in the desk and
the emails (tests/e2e/test_escaping_browser.py), secrets in the local stack's log (tests/e2e/test_logs_local.py).
"""
import base64
import hmac
import io
import json
import logging
import secrets

import pytest

import app
from chalicelib import wiring
from chalicelib.platforms import meta, x
from chalicelib.settings import DEV_SECRETS
from local.platform_standin import Answer
from local.samples import meta_delivery, tweet, whatsapp_change, whatsapp_message, x_delivery
from tests.test_replies import outbound_event
from tests.test_routing import routing_event

# Per webhook route: how a platform signs, which secret, which body limit.
WEBHOOKS = {
    "/webhooks/x": (x.signature_for, x.SIGNATURE_HEADER, "x_consumer_secret", "max_x_body_bytes"),
    "/webhooks/meta": (meta.signature_for, meta.SIGNATURE_HEADER, "meta_app_secret", "max_meta_body_bytes"),
}
SAMPLE_BODIES = {
    "/webhooks/x": lambda: x_delivery(tweets=[tweet("@PoliceRajasthan meri bike chori ho gayi Ajmer")]),
    "/webhooks/meta": lambda: meta_delivery("whatsapp", whatsapp_change(messages=[
        whatsapp_message(text="Jodhpur me mera phone chori ho gaya")])),
}


def signed(path: str, body: bytes, settings) -> dict:
    sign, header, secret, _ = WEBHOOKS[path]
    return {"content-type": "application/json", header: sign(body, getattr(settings, secret))}


def body_of(path: str) -> bytes:
    return json.dumps(SAMPLE_BODIES[path]()).encode()


def test_every_webhook_route_is_under_these_tests():
    posted = {path for path, methods in app.app.routes.items() if path.startswith("/webhooks/") and "POST" in methods}
    assert posted == set(WEBHOOKS)


def near_misses(signature: str) -> list[str]:
    prefix, value = signature.split("=", 1)
    flipped_last = value[:-1] + ("A" if value[-1] != "A" else "B")
    flipped_first = ("0" if value[0] != "0" else "1") + value[1:]
    return [f"{prefix}={flipped_last}", f"{prefix}={flipped_first}", signature[:-1], signature + "0",
            f"sha1={value}", value, signature.upper() if signature.upper() != signature else signature.lower(),
            f"{prefix}= {value}", ""]


@pytest.mark.parametrize("path", sorted(WEBHOOKS))
def test_a_near_miss_signature_is_refused(client, aws, path):
    body = body_of(path)
    good = signed(path, body, aws)
    header = WEBHOOKS[path][1]
    answers = [client.http.post(path, body=body, headers={**good, header: miss}).status_code
               for miss in near_misses(good[header])]
    assert answers == [401] * len(answers)
    assert client.http.post(path, body=body, headers=good).status_code == 200


@pytest.mark.parametrize("path", sorted(WEBHOOKS))
def test_a_signature_for_another_body_or_secret_is_refused(client, aws, path):
    body = body_of(path)
    sign, header, secret, _ = WEBHOOKS[path]
    other_body = {header: sign(body + b" ", getattr(aws, secret))}
    other_secret = {header: sign(body, getattr(aws, secret) + "x")}
    assert client.http.post(path, body=body, headers=other_body).status_code == 401
    assert client.http.post(path, body=body, headers=other_secret).status_code == 401


@pytest.mark.parametrize("verify, sign", [(x.verify_signature, x.signature_for),
                                          (meta.verify_signature, meta.signature_for)])
def test_signatures_are_compared_in_constant_time(monkeypatch, verify, sign):
    """The answer is hmac.compare_digest's: no `==` that stops at the first differing byte."""
    calls = []
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append((a, b)) or False)
    header = x.SIGNATURE_HEADER if verify is x.verify_signature else meta.SIGNATURE_HEADER
    body = b'{"valid": true}'

    assert verify(body, {header: sign(body, "secret")}, "secret") is False   # compare_digest said no
    assert calls == [(sign(body, "secret").encode(), sign(body, "secret").encode())]


def test_metas_verify_token_is_compared_in_constant_time(monkeypatch):
    calls = []
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append((a, b)) or False)
    query = {"hub.mode": "subscribe", "hub.verify_token": "token", "hub.challenge": "42"}
    assert meta.subscription_challenge(query, "token") is None and calls == [(b"token", b"token")]


@pytest.mark.parametrize("path", sorted(WEBHOOKS))
def test_a_body_over_the_webhooks_limit_is_refused_before_anything_else(client, aws, path):
    limit = getattr(aws, WEBHOOKS[path][3])
    body = b" " * (limit + 1)    # valid JSON whitespace, validly signed: only the size is wrong
    assert client.http.post(path, body=body, headers=signed(path, body, aws)).status_code == 413


@pytest.mark.parametrize("path", sorted(WEBHOOKS))
def test_a_declared_length_over_the_limit_is_refused(client, aws, path):
    body = body_of(path)
    limit = getattr(aws, WEBHOOKS[path][3])
    headers = {**signed(path, body, aws), "content-length": str(limit + 1)}
    assert client.http.post(path, body=body, headers=headers).status_code == 413


# --- nothing secret in the logs --------------------------------------------------------------------------------

@pytest.fixture
def canaries(aws, monkeypatch):
    """Every secret setting set to a value that cannot appear by chance."""
    values = {name: f"canary-{name.lower().replace('_', '-')}-{secrets.token_hex(12)}" for name in DEV_SECRETS}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    wiring.settings.cache_clear()
    yield values
    wiring.settings.cache_clear()


@pytest.fixture
def all_log_output(capsys, caplog):
    """Powertools' handler (bound to the real stdout when it was made), std logging, and stdout/stderr."""
    from chalicelib.observability import SERVICE, logger

    logger()
    caplog.set_level(logging.INFO)
    handlers = [h for h in logging.getLogger(SERVICE).handlers if isinstance(h, logging.StreamHandler)]
    buffer = io.StringIO()
    previous = [h.setStream(buffer) for h in handlers]

    def read() -> str:
        out = capsys.readouterr()
        return "\n".join([buffer.getvalue(), caplog.text, out.out, out.err])

    yield read
    for handler, stream in zip(handlers, previous):
        handler.setStream(stream)


def test_no_secret_password_or_token_reaches_the_logs(client, platforms_at_standin, canaries, all_log_output, queues):
    from chalicelib.officer_admin import create_officer

    settings = wiring.settings()
    password = f"canary-password-{secrets.token_hex(6)}"
    create_officer(wiring.officers(), wiring.registry(), "jaipur-7", "SI Canary", "district_officer", password,
                   district="rj-jaipur")
    for path in WEBHOOKS:
        body = body_of(path)
        client.http.post(path, body=body, headers=signed(path, body, settings))
        client.http.post(path, body=body, headers={WEBHOOKS[path][1]: "sha256=wrong"})
    client.http.get("/webhooks/x?crc_token=challenge")
    client.http.get(f"/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token={settings.meta_verify_token}")
    client.http.get("/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong")
    routing = [json.dumps(json.loads(m["Body"])) for m in queues.receive("desk-routing")]
    client.lambda_.invoke("route_complaints", routing_event(*routing))
    outbound = [json.loads(m["Body"]) for m in queues.receive("desk-outbound")]
    platforms_at_standin.script(Answer(400, {"error": {"message": "Invalid OAuth access token", "code": 190}}))
    client.lambda_.invoke("send_replies", outbound_event(*outbound))
    login = json.dumps({"officer_id": "jaipur-7", "password": password})
    token = client.http.post("/auth/login", body=login, headers={"content-type": "application/json"}).json_body["token"]
    client.http.post("/auth/login", body=login.replace(password, password + "x"),
                     headers={"content-type": "application/json"})
    client.http.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    client.http.get("/api/me", headers={"Authorization": f"Bearer {token[:-2]}xx"})
    client.http.post("/api/claims", body="{not json", headers={"Authorization": f"Bearer {token}"})

    logged = all_log_output()
    assert "complaint received" in logged and "reply" in logged     # the scan did see the handlers' lines
    signature = token.rsplit(".", 1)[1]
    leaked = [name for name, value in {**canaries, "password": password, "token": token,
                                       "token signature": signature}.items() if value in logged]
    assert leaked == []
    assert platforms_at_standin.requests, "the platform tokens were used"
    assert any(r.headers.get("authorization", "").endswith(canaries["X_USER_TOKEN"]) or
               r.headers.get("authorization", "").endswith(canaries["WHATSAPP_TOKEN"])
               for r in platforms_at_standin.requests)


def test_an_x_crc_answer_is_the_documented_hmac_not_the_secret(client, aws):
    answer = client.http.get("/webhooks/x?crc_token=abc").json_body["response_token"]
    expected = base64.b64encode(hmac.new(aws.x_consumer_secret.encode(), b"abc", "sha256").digest()).decode()
    assert answer == f"sha256={expected}" and aws.x_consumer_secret not in answer
