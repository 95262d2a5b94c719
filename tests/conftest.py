"""Fixtures: fake AWS credentials, moto-backed table and queues built from chalicelib.resources, a Chalice test client."""
import contextlib
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Before anything imports boto3 or Powertools: no real AWS, no endpoint that would bypass mock_aws,
# and the stage's configuration (Powertools reads some of it at import).
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "ap-south-1", "APP_STAGE": "test",
})
_config = json.loads((ROOT / ".chalice" / "config.json").read_text())
os.environ.update(_config["environment_variables"])
os.environ.update({k: v for k, v in _config["stages"]["dev"]["environment_variables"].items() if k != "APP_STAGE"})
os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"


@contextlib.contextmanager
def moto_account():
    """An in-process moto account with the desk's table, queues (with DLQs) and verified sender."""
    from moto import mock_aws

    from chalicelib import wiring
    from chalicelib.resources import create_resources

    with mock_aws():
        wiring.reset()
        import boto3

        settings = wiring.settings()
        create_resources(boto3.client("dynamodb"), boto3.client("sqs"), boto3.client("ses"),
                         settings.table_name, settings.ses_sender)
        yield settings
        wiring.reset()


@pytest.fixture
def aws():
    with moto_account() as settings:
        yield settings


@pytest.fixture
def store(aws):
    from chalicelib import wiring

    return wiring.store()


@pytest.fixture
def queues(aws):
    from chalicelib import wiring

    return wiring.queues()


@pytest.fixture
def client(aws):
    from chalice.test import Client

    import app

    with Client(app.app, stage_name="dev") as test_client:
        yield test_client


@pytest.fixture
def post_x(client, aws):
    """Sign and POST an X delivery; returns the HTTP response."""
    from local.samples import signed_x_body

    def post(delivery: dict):
        body, headers = signed_x_body(delivery, aws.x_consumer_secret)
        return client.http.post("/webhooks/x", body=body, headers=headers)

    return post


@pytest.fixture
def api_headers(aws):
    """An admin's bearer token: may read and act everywhere (tests of scoping use tests/desk/ fixtures)."""
    from chalicelib import wiring
    from chalicelib.model import utc_now
    from chalicelib.officers import Officer, Role
    from chalicelib.tokens import issue_token

    admin = Officer("test-admin", "Test Admin", Role.ADMIN, password_hash="no password: token only")
    wiring.officers().add(admin)
    return {"Authorization": f"Bearer {issue_token(admin, aws.jwt_secret, utc_now(), timedelta(hours=1))}"}


def drain(queues, queue_name: str) -> list[dict]:
    """Every message waiting in a queue, as parsed JSON bodies."""
    bodies = []
    while messages := queues.receive(queue_name):
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            queues.delete(queue_name, message["ReceiptHandle"])
    return bodies


@pytest.fixture
def platform_standin():
    """The platforms' APIs on 127.0.0.1 (local/platform_standin.py): records each request, answers as scripted."""
    from local.platform_standin import PlatformStandIn

    standin = PlatformStandIn().start()
    yield standin
    standin.stop()


@pytest.fixture
def platforms_at_standin(aws, platform_standin, monkeypatch):
    """Settings whose platform API URLs point at the stand-in, with retry waits kept short."""
    from chalicelib import wiring

    monkeypatch.setenv("X_API_URL", platform_standin.url)
    monkeypatch.setenv("GRAPH_API_URL", f"{platform_standin.url}/v25.0")
    monkeypatch.setenv("REPLY_RETRY_BUDGET_SECONDS", "2")
    monkeypatch.setenv("REPLY_TIME_RESERVE_MS", "0")   # chalice.test's Lambda context has only 3 s
    wiring.settings.cache_clear()
    yield platform_standin
    wiring.settings.cache_clear()
