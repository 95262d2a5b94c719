"""End to end over HTTP: a signed WhatsApp message is routed and acknowledged at the local platform stand-in."""
import json
import urllib.request

import pytest

from chalicelib.settings import DEV_SECRETS
from local.demo import demo_token
from local.samples import meta_delivery, signed_meta_body, whatsapp_change, whatsapp_message
from local.send_webhook import post

pytestmark = pytest.mark.e2e


def get(url: str, token: str | None = None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return response.read().decode()


def test_whatsapp_complaint_is_acknowledged_on_whatsapp_with_its_reference(local_stack):
    message = whatsapp_message(text="Jodhpur me Paota circle par mera phone chori ho gaya")
    body, headers = signed_meta_body(meta_delivery("whatsapp", whatsapp_change(messages=[message])),
                                     DEV_SECRETS["META_APP_SECRET"])
    status, answer = post(f"{local_stack.api}/webhooks/meta", body, headers)
    assert status == 200 and json.loads(answer)["stored"] == 1

    url = f"{local_stack.api}/api/complaints?platform=whatsapp&external_id={message['id']}"
    token = demo_token(local_stack.api)
    complaint = local_stack.wait_until(lambda: (c := json.loads(get(url, token)))["status"] == "ROUTED" and c)
    reference = f"RJ-{complaint['id'][-8:-4]}-{complaint['id'][-4:]}"

    def acknowledgement():
        sent = json.loads(get(f"{local_stack.platforms}/requests.json"))
        return [r for r in sent if r["method"] == "POST" and reference in json.dumps(r["body"], ensure_ascii=False)]

    [request] = local_stack.wait_until(acknowledgement)
    assert request["path"] == "/v25.0/5000000001/messages"
    assert request["body"]["to"] == message["from"] and request["body"]["context"] == {"message_id": message["id"]}
    assert reference in get(f"{local_stack.platforms}/")


@pytest.mark.parametrize("arguments", [
    ["--platform", "facebook", "Ajmer me chain snatching hui"],
    ["--platform", "instagram", "Jaipur MI Road par do ghante se jam"],
    ["--platform", "whatsapp", "--lat", "26.27", "--lon", "73.01", "Paota Circle"],
])
def test_send_webhook_delivers_a_signed_sample_for_each_meta_platform(local_stack, arguments, capsys):
    from local.send_webhook import main

    assert main(["--port", str(local_stack.port), *arguments]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == 200
