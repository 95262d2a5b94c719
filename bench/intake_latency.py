"""Webhook intake over HTTP against the real local stack (moto server + chalice local + runner):
latency of signed X deliveries (X gives each attempt 3 s) and the time from POST to ROUTED.
Prints figures. Absolute numbers are for a 2-core machine with moto, not AWS."""
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.settings import DEV_SECRETS  # noqa: E402
from local.demo import demo_token  # noqa: E402
from local.samples import signed_x_body, tweet, x_delivery  # noqa: E402
from local.send_webhook import post  # noqa: E402
from local.stack_process import running_stack  # noqa: E402

DELIVERIES = 200
ROUTED_SAMPLES = 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def status_of(api: str, external_id: str) -> str | None:
    request = urllib.request.Request(f"{api}/api/complaints?platform=x&external_id={external_id}",
                                     headers={"Authorization": f"Bearer {demo_token(api)}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())["status"]
    except urllib.error.HTTPError:
        return None


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp) / "stack.log") as stack:
        latencies, to_routed = [], []
        for i in range(DELIVERIES):
            event = tweet(f"@PoliceRajasthan sample complaint {i} Jodhpur me chori")
            body, headers = signed_x_body(x_delivery(tweets=[event]), DEV_SECRETS["X_CONSUMER_SECRET"])
            started = time.perf_counter()
            status, answer = post(f"{stack.api}/webhooks/x", body, headers)
            latencies.append(time.perf_counter() - started)
            assert status == 200, (status, answer)
            if i < ROUTED_SAMPLES:
                stack.wait_until(lambda: status_of(stack.api, event["id_str"]) == "ROUTED", interval=0.02)
                to_routed.append(time.perf_counter() - started)
        duplicate_started = time.perf_counter()
        post(f"{stack.api}/webhooks/x", body, headers)
        duplicate = time.perf_counter() - duplicate_started
    print(f"signed X delivery -> 200     n={DELIVERIES}  p50 {statistics.median(latencies) * 1000:5.0f} ms  "
          f"p95 {percentile(latencies, 0.95) * 1000:5.0f} ms  max {max(latencies) * 1000:5.0f} ms")
    print(f"redelivered duplicate -> 200  {duplicate * 1000:5.0f} ms")
    print(f"POST -> ROUTED (runner polls every 0.5 s)  n={ROUTED_SAMPLES}  p50 {statistics.median(to_routed):.2f} s  "
          f"max {max(to_routed):.2f} s")


if __name__ == "__main__":
    main()
