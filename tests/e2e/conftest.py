"""The real local stack (moto server, `chalice local`, runner) in a subprocess on free ports."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalStack:
    def __init__(self, port: int, moto_port: int, process: subprocess.Popen, log: Path):
        self.port, self.moto_port, self.process, self.log = port, moto_port, process, log
        self.api = f"http://127.0.0.1:{port}"
        self.moto = f"http://127.0.0.1:{moto_port}"

    def boto(self, service: str):
        import boto3

        return boto3.client(service, endpoint_url=self.moto, region_name="ap-south-1",
                            aws_access_key_id="local", aws_secret_access_key="local")

    def wait_until(self, predicate, timeout: float = 20, interval: float = 0.3):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        raise AssertionError(f"condition not met within {timeout}s; stack log:\n{self.log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory):
    port, moto_port = free_port(), free_port()
    log = tmp_path_factory.mktemp("stack") / "stack.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "APP_STAGE"}
    env.update({"PORT": str(port), "MOTO_PORT": str(moto_port), "RATE_SCALE": os.environ.get("E2E_RATE_SCALE", "0.1")})
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "local.stack"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    stack = LocalStack(port, moto_port, process, log)
    try:
        stack.wait_until(lambda: "READY" in log.read_text() or process.poll() is not None, timeout=90)
        assert process.poll() is None, log.read_text()
        yield stack
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
