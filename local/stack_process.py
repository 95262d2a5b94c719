"""Start the local stack as a child process on free ports, for end-to-end tests and benchmarks."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningStack:
    def __init__(self, port: int, moto_port: int, process: subprocess.Popen, log: Path):
        self.port, self.moto_port, self.process, self.log = port, moto_port, process, log
        self.api = f"http://127.0.0.1:{port}"
        self.moto = f"http://127.0.0.1:{moto_port}"

    def boto(self, service: str):
        import boto3

        return boto3.client(service, endpoint_url=self.moto, region_name="ap-south-1",
                            aws_access_key_id="local", aws_secret_access_key="local")

    def wait_until(self, predicate, timeout: float = 20, interval: float = 0.2):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        raise AssertionError(f"condition not met within {timeout}s; stack log:\n{self.log.read_text()[-3000:]}")


@contextlib.contextmanager
def running_stack(log: Path, rate_scale: str = "0.1", extra_env: dict | None = None):
    port, moto_port, platforms_port = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "APP_STAGE"}
    env.update({"PORT": str(port), "MOTO_PORT": str(moto_port), "PLATFORMS_PORT": str(platforms_port),
                "RATE_SCALE": rate_scale, **(extra_env or {})})
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "local.stack"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    stack = RunningStack(port, moto_port, process, log)
    stack.platforms = f"http://127.0.0.1:{platforms_port}"   # local/platform_standin.py: replies sent
    try:
        stack.wait_until(lambda: "READY" in log.read_text() or process.poll() is not None, timeout=120)
        if process.poll() is not None:
            raise RuntimeError(f"local stack exited:\n{log.read_text()[-3000:]}")
        yield stack
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
