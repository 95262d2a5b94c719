"""The local outbox shows what the desk sent through moto's SES, inline charts included."""
import urllib.request

import pytest

from chalicelib.mail import InlineImage, Mailer, build_message
from chalicelib.pngchart import bar_chart
from local.outbox import from_raw, sent_mails, start_outbox

CHART = InlineImage("chart", bar_chart([("JODHPUR", 3, "3")]))


def test_inline_images_become_data_urls_so_a_browser_shows_them():
    raw = build_message("desk@police.example.in", ["hq@example.in"], "डाइजेस्ट / digest", "plain",
                        '<img src="cid:chart">', (CHART,)).decode()

    mail = from_raw(raw)

    assert (mail.subject, mail.to, mail.text.strip()) == ("डाइजेस्ट / digest", ["hq@example.in"], "plain")
    assert 'src="data:image/png;base64,iVBOR' in mail.html


def test_plain_and_raw_sends_are_both_listed_oldest_first():
    raw = build_message("desk@police.example.in", ["b@example.in"], "raw one", "text").decode()
    state = {"ses": {"Message": [{"source": "desk@police.example.in", "destinations": {"ToAddresses": ["a@example.in"]},
                                  "subject": "plain one", "body": "<p>hi</p>"}],
                     "RawMessage": [{"raw_data": raw}]}}

    assert [(m.subject, m.to) for m in sent_mails(state)] == [("plain one", ["a@example.in"]),
                                                               ("raw one", ["b@example.in"])]


@pytest.fixture
def moto_server():
    from moto.server import ThreadedMotoServer

    from local.stack_process import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_the_outbox_serves_a_sent_digest_over_http(moto_server):
    import boto3

    from local.stack_process import free_port

    ses = boto3.client("ses", endpoint_url=moto_server, region_name="ap-south-1")
    ses.verify_email_identity(EmailAddress="desk@police.example.in")
    Mailer("desk@police.example.in", ses).send(["hq@example.in"], "Rajasthan digest", "text", '<img src="cid:chart">',
                                               (CHART,))
    outbox = start_outbox(free_port(), moto_server)
    base = f"http://127.0.0.1:{outbox.server_address[1]}"
    try:
        index = urllib.request.urlopen(base).read().decode()
        html = urllib.request.urlopen(f"{base}/mail/0").read().decode()
    finally:
        outbox.shutdown()

    assert "Rajasthan digest" in index and "data:image/png;base64," in html
