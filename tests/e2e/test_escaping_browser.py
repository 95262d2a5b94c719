"""Markup in a citizen's post, in a real browser: the desk, the SLA notice email and the HQ digest show it as
text, and none of it runs (Debian's Chromium via Playwright, against the local stack)."""
import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest

from chalicelib.model import Complaint
from chalicelib.settings import DEV_SECRETS
from chalicelib.store import from_dynamo
from local.samples import signed_x_body, tweet, x_delivery
from local.send_webhook import post
from local.stack_process import ROOT
from tests.e2e.test_desk_browser import log_in, page, routed_complaint  # noqa: F401  (page is a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
PAYLOADS = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">',
            '<svg onload="window.__pwned=1"></svg>', '"><iframe src="javascript:parent.__pwned=1"></iframe>',
            "{{7*7}} ${7*7}"]
HOSTILE_TEXT = "@PoliceRajasthan Jaipur MI Road par meri bike chori ho gayi " + " ".join(PAYLOADS)
HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">Ramesh'
INJECTED = "script, img, svg, iframe"


@pytest.fixture(scope="module")
def hostile(local_stack):
    event = tweet(HOSTILE_TEXT, long_text=HOSTILE_TEXT, mentions=("PoliceRajasthan",), handle="ramesh_j")
    event["user"]["name"] = HOSTILE_NAME
    body, headers = signed_x_body(x_delivery(tweets=[event]), DEV_SECRETS["X_CONSUMER_SECRET"])
    assert post(f"{local_stack.api}/webhooks/x", body, headers)[0] == 200
    complaint = local_stack.wait_until(lambda: routed_complaint(local_stack.api, event["id_str"]))
    assert complaint["district"] == "rj-jaipur" and complaint["text"] == HOSTILE_TEXT
    return complaint


def assert_nothing_ran(page):
    assert page.evaluate("window.__pwned") is None and page.title() != "49"


def test_the_desk_shows_a_hostile_post_as_text(local_stack, page, hostile):  # noqa: F811
    log_in(page, local_stack.api, "jaipur-1")
    listed = page.locator(f"#worklist li[data-id='{hostile['id']}']")
    listed.click()
    page.wait_for_selector("#detail:not([hidden])")

    assert page.text_content("#d-text") == HOSTILE_TEXT
    assert page.locator(f"#detail :is({INJECTED}), #worklist :is({INJECTED})").count() == 0
    assert HOSTILE_NAME in page.text_content("#detail")
    assert_nothing_ran(page)


def outbox_url(stack) -> str:
    return re.search(r"Sent emails\s+(http://127\.0\.0\.1:\d+)", stack.log.read_text()).group(1)


def stored(stack, complaint_id: str) -> Complaint:
    from boto3.dynamodb.types import TypeDeserializer

    item = stack.boto("dynamodb").get_item(TableName="complaint-desk",
                                           Key={"pk": {"S": f"C#{complaint_id}"}, "sk": {"S": "COMPLAINT"}})["Item"]
    plain = {k: TypeDeserializer().deserialize(v) for k, v in item.items()}
    return Complaint.from_dict(from_dynamo({k: v for k, v in plain.items() if k in Complaint.__dataclass_fields__}))


def newest_mail_number(outbox: str, subject_part: str) -> str:
    with urllib.request.urlopen(outbox, timeout=10) as response:
        index = response.read().decode()
    return re.findall(rf'href="/mail/(\d+)">[^<]*{re.escape(subject_part)}', index)[0]


def test_the_sla_notice_email_shows_a_hostile_post_as_text(local_stack, page, hostile):  # noqa: F811
    """The notice the sweep sends at the first reminder, rendered from the stored complaint and sent through
    the stack's SES, then opened in the local outbox as HQ's browser would open it."""
    from chalicelib.mail import Mailer
    from chalicelib.sla import NOTICES
    from chalicelib.sla_mail import render_notice

    complaint = stored(local_stack, hostile["id"])
    email = render_notice(complaint, NOTICES[0], "Jaipur Commissionerate")   # reminder_50
    Mailer("desk@police.example.in", ses=local_stack.boto("ses")).send(["sp.jaipur@example.in"], email.subject,
                                                                        email.text)
    outbox = outbox_url(local_stack)

    page.goto(f"{outbox}/mail/{newest_mail_number(outbox, complaint.reference)}")

    assert HOSTILE_TEXT in page.text_content("body")
    assert page.locator(INJECTED).count() == 0
    assert_nothing_ran(page)


def test_the_digest_email_carries_no_post_text_and_runs_nothing(local_stack, page, hostile):  # noqa: F811
    env = {**os.environ, "AWS_ENDPOINT_URL": local_stack.moto, "AWS_ACCESS_KEY_ID": "local",
           "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "ap-south-1", "APP_STAGE": "dev"}
    subprocess.run([sys.executable, "-m", "chalicelib.digest_cli", "--state", "rj", "--day", "today"], cwd=ROOT,
                   env=env, capture_output=True, text=True, check=True)
    outbox = outbox_url(local_stack)

    page.goto(f"{outbox}/mail/{newest_mail_number(outbox, 'Rajasthan')}")

    assert "Jaipur" in page.text_content("body")                  # the complaint is counted for its district
    assert "__pwned" not in page.content() and "Ramesh" not in page.content()
    assert page.locator("script, iframe, svg").count() == 0
    assert page.locator("img").count() == page.locator("img[src^='data:image/png']").count()   # the charts only
    assert_nothing_ran(page)
