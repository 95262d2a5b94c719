"""Counting the AWS requests the desk's own code makes, with botocore's event hooks on the clients it uses.

botocore copies a session's event emitter into each client when the client is made, so the hooks go on the
clients `chalicelib.aws` hands out (the ones every adapter shares), not on the session. `before-call` fires
once per API call; `before-send` once per HTTP attempt (a retried call sends twice). Both are counted.
"""
from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter

SERVICES = ("dynamodb", "sqs", "ses")


class AwsCalls:
    """API calls by "service.Operation", HTTP attempts, and the wall time spent inside the calls."""

    def __init__(self):
        self.calls: Counter[str] = Counter()
        self.sqs_by_queue: Counter[str] = Counter()      # "SendMessageBatch desk-outbound"
        self.attempts = 0
        self.seconds_in_calls = 0.0
        self._started = threading.local()
        self._lock = threading.Lock()

    def before_call(self, model, **_):
        self._started.at = time.perf_counter()
        with self._lock:
            self.calls[f"{model.service_model.endpoint_prefix}.{model.name}"] += 1

    def parameters(self, model, params, **_):
        if "QueueUrl" in params:
            with self._lock:
                self.sqs_by_queue[f"{model.name} {params['QueueUrl'].rsplit('/', 1)[-1]}"] += 1

    def before_send(self, **_):
        with self._lock:
            self.attempts += 1

    def after_call(self, **_):
        started = getattr(self._started, "at", None)
        if started is not None:
            with self._lock:
                self.seconds_in_calls += time.perf_counter() - started
            self._started.at = None

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def count(self, *operations: str) -> int:
        return sum(self.calls[operation] for operation in operations)


def desk_clients() -> list:
    """The boto3 clients chalicelib's adapters use (store, analytics and officers share the resource's)."""
    from chalicelib import aws

    return [aws.resource("dynamodb").meta.client] + [aws.client(service) for service in SERVICES]


@contextlib.contextmanager
def counting_aws_calls(clients=None):
    counter = AwsCalls()
    hooks = [("before-parameter-build", counter.parameters), ("before-call", counter.before_call),
             ("before-send", counter.before_send),
             ("after-call", counter.after_call), ("after-call-error", counter.after_call)]
    clients = desk_clients() if clients is None else clients
    for client in clients:
        for event, hook in hooks:
            client.meta.events.register(event, hook, unique_id=f"aws-calls-{id(counter)}-{event}")
    try:
        yield counter
    finally:
        for client in clients:
            for event, hook in hooks:
                client.meta.events.unregister(event, hook, unique_id=f"aws-calls-{id(counter)}-{event}")
