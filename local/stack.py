"""One command for the whole local desk: moto server, table and queues, `chalice local`, the queue/schedule runner.

    python -m local.stack            # API on $PORT (default 8000), moto on $MOTO_PORT (default 5000)
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stack_environment(moto_port: int) -> dict:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    env = {**config["environment_variables"], **config["stages"]["dev"]["environment_variables"]}
    env.update({
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "ap-south-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}", "POWERTOOLS_METRICS_DISABLED": "true",
    })
    return {k: v for k, v in env.items() if k not in os.environ or k.startswith("AWS_")}


def wait_for_http(url: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


SECRET_IN_QUERY = re.compile(r"(hub\.verify_token=)[^&\s\"]*")


def relay_redacted(stream, out=None) -> None:
    """chalice local logs every request line with its query string, and Meta's subscription check carries
    the verify token there: the stack's log shows it redacted."""
    out = out or sys.stdout
    for line in iter(stream.readline, b""):
        out.write(SECRET_IN_QUERY.sub(r"\1[redacted]", line.decode("utf-8", errors="replace")))
        out.flush()


def scale_visibility_timeouts(scale: float) -> None:
    """Local only: a failed message comes back after scale x its queue's visibility timeout, so retries and
    moves to the DLQ happen in seconds. The deployment's queues (chalicelib/resources.py) are unchanged."""
    if scale == 1.0:
        return
    from chalicelib import aws
    from chalicelib.resources import queue_specs

    sqs = aws.client("sqs")
    for spec in queue_specs():
        sqs.set_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName=spec.name)["QueueUrl"], Attributes={
            "VisibilityTimeout": str(max(1, round(spec.visibility_timeout * scale)))})


def banner(port: int, moto_port: int, outbox_port: int) -> str:
    return f"""
  Police complaint desk, local stack
  API            http://127.0.0.1:{port}
  moto (AWS)     http://127.0.0.1:{moto_port}   (state: /moto-api/data.json)
  Sent emails    http://127.0.0.1:{outbox_port}   (the local outbox: HTML as HQ would see it)
  HQ digest now:
      AWS_ENDPOINT_URL=http://127.0.0.1:{moto_port} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \\
      .venv/bin/python -m chalicelib.digest_cli --state rj --period daily --day today
  Send a signed sample X mention:
      .venv/bin/python -m local.send_webhook --port {port} "@PoliceRajasthan meri bike chori ho gayi Jodhpur"
  Read it back:
      TOKEN=$(curl -s -d '{{"officer_id":"admin","password":"demo-pass-2026"}}' http://127.0.0.1:{port}/auth/login | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
      curl -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:{port}/api/complaints?platform=x&external_id=<id printed>'
  Officer desk (web form): http://127.0.0.1:{port}/desk
  Ctrl-C stops everything.
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", 5000)))
    parser.add_argument("--outbox-port", type=int, default=int(os.environ.get("OUTBOX_PORT", 8025)))
    parser.add_argument("--platforms-port", type=int, default=int(os.environ.get("PLATFORMS_PORT", 8900)),
                        help="stand-in for the X, Graph and WhatsApp APIs; GET / there lists the replies sent")
    parser.add_argument("--rate-scale", type=float, default=float(os.environ.get("RATE_SCALE", 1.0)),
                        help="multiply rate() schedule periods, e.g. 0.1 to fire every-minute schedules every 6 s")
    args = parser.parse_args(argv)

    os.environ.update(stack_environment(args.moto_port))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request lines drown the desk's own logs
    from moto.server import ThreadedMotoServer

    from local import moto_fixes

    moto_fixes.apply()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=args.moto_port, verbose=False)
    moto.start()
    from local.outbox import start_outbox

    outbox = start_outbox(args.outbox_port, f"http://127.0.0.1:{args.moto_port}")
    from local.platform_standin import PlatformStandIn

    platforms = PlatformStandIn(port=args.platforms_port).start()
    # Before anything reads settings: chalice local and the runner send replies to the stand-in.
    os.environ.update({"X_API_URL": platforms.url, "GRAPH_API_URL": f"{platforms.url}/v25.0"})
    from local import demo
    from local.runner import LocalRunner

    demo.create_stack_resources()
    chalice = subprocess.Popen(
        [str(Path(sys.executable).parent / "chalice"), "local", "--host", "127.0.0.1", "--port", str(args.port),
         "--stage", "dev", "--no-autoreload"], cwd=ROOT, env=os.environ.copy(),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    threading.Thread(target=relay_redacted, args=(chalice.stdout,), daemon=True).start()
    scale_visibility_timeouts(float(os.environ.get("VISIBILITY_SCALE", 1.0)))
    runner = LocalRunner(rate_scale=args.rate_scale)
    from chalicelib import wiring

    if os.environ.get("LOCAL_RUNNER") != "external":   # external: `python -m local.runner` runs the handlers
        threading.Thread(target=runner.run_forever, args=(wiring.queues(),), daemon=True).start()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        wait_for_http(f"http://127.0.0.1:{args.port}/webhooks/x?crc_token=ready")
        demo.seed(f"http://127.0.0.1:{args.port}")
        print(banner(args.port, args.moto_port, outbox.server_address[1]), flush=True)
        print(f"  Platform replies  {platforms.url}/   (as JSON: {platforms.url}/requests.json; docs/replies.md)\n"
              f"  Send a signed WhatsApp message:  .venv/bin/python -m local.send_webhook --port {args.port} "
              f"--platform whatsapp \"Jodhpur me mera phone chori ho gaya\"", flush=True)
        print("READY", flush=True)
        while not stopping.is_set() and chalice.poll() is None:
            stopping.wait(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        runner.stop()
        platforms.stop()
        chalice.terminate()
        try:
            chalice.wait(timeout=10)
        except subprocess.TimeoutExpired:
            chalice.kill()
        outbox.shutdown()
        moto.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
