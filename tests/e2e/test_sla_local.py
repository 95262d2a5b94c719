"""End to end on the local stack with short windows (docs/sla.md): a complaint's district gets its reminders
and HQ its breach email within a minute, through the sweep on its schedule."""
import json
import urllib.request

import pytest

from chalicelib.settings import DEV_SECRETS
from local.outbox import sent_mails
from local.samples import signed_x_body, tweet, x_delivery
from local.send_webhook import post
from local.stack_process import running_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fast_clock_stack(tmp_path_factory):
    """Its own stack: the shared one keeps real windows, so other tests' complaints stay quiet."""
    log = tmp_path_factory.mktemp("sla-stack") / "stack.log"
    with running_stack(log, rate_scale="0.1", extra_env={"SLA_WINDOW_SCALE": "0.005"}) as stack:
        yield stack


def mails_about(stack, reference: str):
    with urllib.request.urlopen(f"{stack.moto}/moto-api/data.json", timeout=10) as response:
        return [m for m in sent_mails(json.load(response)) if reference in m.subject]


def test_a_reminder_and_a_breach_arrive_within_a_minute(fast_clock_stack):
    event = tweet("@PoliceRajasthan Jodhpur me meri bike chori ho gayi", mentions=("PoliceRajasthan",))
    body, headers = signed_x_body(x_delivery(tweets=[event]), DEV_SECRETS["X_CONSUMER_SECRET"])
    status, answer = post(f"{fast_clock_stack.api}/webhooks/x", body, headers)
    assert status == 200
    tail = json.loads(answer)["complaint_ids"][0][-8:]
    reference = f"RJ-{tail[:4]}-{tail[4:]}"

    mails = fast_clock_stack.wait_until(
        lambda: (found := mails_about(fast_clock_stack, reference)) and any("breached" in m.subject for m in found)
        and found, timeout=60, interval=1)

    assert [m.to for m in mails if "Reminder" in m.subject][:1] == [["cell-rj-jodhpur@police.example.in"]]
    assert [m.to for m in mails if "breached" in m.subject] == [["sm-cell-hq@rajpolice.example.in"]]
