"""End to end on the local stack: a complaint comes in, a digest is sent on demand, the local outbox shows it."""
import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest

from chalicelib.settings import DEV_SECRETS
from local.samples import signed_x_body, tweet, x_delivery
from local.send_webhook import post
from local.stack_process import ROOT

pytestmark = pytest.mark.e2e


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_a_digest_sent_on_demand_shows_in_the_local_outbox(local_stack):
    event = tweet("@PoliceRajasthan Jodhpur me meri bike chori ho gayi", mentions=("PoliceRajasthan",))
    body, headers = signed_x_body(x_delivery(tweets=[event]), DEV_SECRETS["X_CONSUMER_SECRET"])
    assert post(f"{local_stack.api}/webhooks/x", body, headers)[0] == 200
    env = {**os.environ, "AWS_ENDPOINT_URL": local_stack.moto, "AWS_ACCESS_KEY_ID": "local",
           "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "ap-south-1", "APP_STAGE": "dev"}

    sent = subprocess.run([sys.executable, "-m", "chalicelib.digest_cli", "--state", "rj", "--day", "today"],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    assert json.loads(sent.stdout.splitlines()[-1])["sent"] is True      # after the log lines
    outbox = re.search(r"Sent emails\s+(http://127\.0\.0\.1:\d+)", local_stack.log.read_text()).group(1)
    assert "Rajasthan Police" in fetch(outbox)
    newest = re.findall(r'href="/mail/(\d+)"', fetch(outbox))[0]
    html = fetch(f"{outbox}/mail/{newest}")
    assert "प्राप्त / Received" in html and "data:image/png;base64," in html
    assert int(re.search(r"/ Received: (\d+)", fetch(f"{outbox}/mail/{newest}.txt")).group(1)) >= 1
