"""Cold start: median time for a fresh Python process to import app.py, and to import it and answer a first
signed X webhook (store + queue, which pulls in boto3) against moto server. Prints figures."""
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 7

IMPORT_ONLY = "import time; t = time.perf_counter(); import app; print(time.perf_counter() - t)"
FIRST_WEBHOOK = """
import time
from local.samples import signed_x_body, tweet, x_delivery
body, headers = signed_x_body(x_delivery(tweets=[tweet("help")]), "dev-x-consumer-secret")
t = time.perf_counter()
import app
from chalice.test import Client
with Client(app.app) as client:
    assert client.http.post("/webhooks/x", body=body, headers=headers).status_code == 200
print(time.perf_counter() - t)
"""


def median_seconds(code: str, env: dict) -> float:
    runs = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                 env=env, check=True).stdout.strip().splitlines()[-1]) for _ in range(RUNS)]
    return statistics.median(runs)


def moto_server_with_resources() -> tuple[object, dict]:
    """The child processes talk to moto over HTTP, so each pays for boto3 as a fresh Lambda would."""
    import socket

    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from chalicelib.resources import create_resources

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "ap-south-1",
           "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "APP_STAGE": "test", "POWERTOOLS_METRICS_DISABLED": "true"}
    clients = [boto3.client(name, endpoint_url=env["AWS_ENDPOINT_URL"], region_name="ap-south-1",
                            aws_access_key_id="x", aws_secret_access_key="x") for name in ("dynamodb", "sqs", "ses")]
    create_resources(*clients, "complaint-desk", "desk@police.example.in")
    return server, env


def measure() -> dict:
    server, env = moto_server_with_resources()
    try:
        return {"runs": RUNS, "import_app_ms": round(median_seconds(IMPORT_ONLY, env) * 1000),
                "import_and_first_webhook_ms": round(median_seconds(FIRST_WEBHOOK, env) * 1000)}
    finally:
        server.stop()


if __name__ == "__main__":
    figures = measure()
    print(f"import app.py                               median of {RUNS}: {figures['import_app_ms']:6.0f} ms")
    print(f"import + first signed X webhook (moto HTTP)  median of {RUNS}: "
          f"{figures['import_and_first_webhook_ms']:6.0f} ms")
