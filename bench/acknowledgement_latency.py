"""From a signed WhatsApp message to its acknowledgement at the platform stand-in, over the real local stack
(webhook → store → routing queue → router → outbound queue → replier → stand-in). Prints figures.
Absolute numbers are for a 2-core machine with moto and the local runner's long polling, not AWS."""
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.settings import DEV_SECRETS  # noqa: E402
from local.samples import meta_delivery, signed_meta_body, whatsapp_change, whatsapp_message  # noqa: E402
from local.send_webhook import post  # noqa: E402
from local.stack_process import running_stack  # noqa: E402

MESSAGES = 20


def acknowledged(platforms: str, wamid: str) -> bool:
    sent = json.loads(urllib.request.urlopen(f"{platforms}/requests.json", timeout=5).read())
    return any(r["method"] == "POST" and (r["body"] or {}).get("context", {}).get("message_id") == wamid for r in sent)


def main() -> None:
    with running_stack(Path(tempfile.mkdtemp()) / "stack.log", rate_scale="1") as stack:
        latencies = []
        for i in range(MESSAGES):
            message = whatsapp_message(text=f"Jodhpur me Paota circle par mera phone chori ho gaya ({i})")
            body, headers = signed_meta_body(meta_delivery("whatsapp", whatsapp_change(messages=[message])),
                                             DEV_SECRETS["META_APP_SECRET"])
            start = time.perf_counter()
            assert post(f"{stack.api}/webhooks/meta", body, headers)[0] == 200
            stack.wait_until(lambda: acknowledged(stack.platforms, message["id"]), timeout=30, interval=0.02)
            latencies.append(time.perf_counter() - start)
    print(json.dumps({"messages": MESSAGES, "post_to_acknowledgement_median_s": round(statistics.median(latencies), 2),
                      "max_s": round(max(latencies), 2)}))


if __name__ == "__main__":
    main()
