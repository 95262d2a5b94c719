"""The local stand-in for Lambda's event sources: polls the app's SQS queues and fires its schedules.

It reads what to run from the Chalice app itself (app.event_sources), so a new queue handler or
schedule in app.py runs locally with no change here. Deletes what the handler did not report as failed,
like Lambda with ReportBatchItemFailures; failed messages reappear after their visibility timeout and
go to the DLQ after maxReceiveCount receives (moto applies the redrive policy).
"""
from __future__ import annotations

import importlib
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from chalice.app import Cron, Rate, ScheduledEventConfig, SQSEventConfig


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = ""
    invoked_function_arn: str = "arn:aws:lambda:ap-south-1:123456789012:function:local"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def _field_matches(field: str, value: int) -> bool:
    if field in ("*", "?"):
        return True
    for part in field.split(","):
        if part.startswith("*/") and value % int(part[2:]) == 0:
            return True
        if "-" in part and not part.startswith("*"):
            low, high = (int(p) for p in part.split("-"))
            if low <= value <= high:
                return True
        if part.isdigit() and int(part) == value:
            return True
    return False


def cron_matches(expression: str, moment: datetime) -> bool:
    """AWS cron(min hour day-of-month month day-of-week year), numeric fields only, in UTC."""
    minutes, hours, day, month, weekday, _year = expression[5:-1].split()
    aws_weekday = (moment.isoweekday() % 7) + 1  # AWS: 1 = Sunday
    return all([_field_matches(minutes, moment.minute), _field_matches(hours, moment.hour),
                _field_matches(day, moment.day), _field_matches(month, moment.month),
                _field_matches(weekday, aws_weekday)])


def rate_seconds(expression: str) -> int:
    value, unit = re.fullmatch(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)", expression).groups()
    return int(value) * {"minute": 60, "hour": 3600, "day": 86400}[unit.rstrip("s")]


def schedule_string(config: ScheduledEventConfig) -> str:
    expression = config.schedule_expression
    return expression.to_string() if isinstance(expression, (Cron, Rate)) else expression


def call_handler(handler, event, context):
    return handler(event, context)


LONG_POLL_SECONDS = 1   # short, so that stop() ends a poller within a second


class LocalRunner:
    def __init__(self, app_module: str = "app", poll_seconds: float = 0.5, region: str = "ap-south-1",
                 rate_scale: float = 1.0, invoke=call_handler):
        self.module = importlib.import_module(app_module)
        self.invoke = invoke   # local/faults.py wraps this to inject failures and timeouts
        self.app = self.module.app
        self.poll_seconds = poll_seconds
        self.region = region
        self.rate_scale = rate_scale   # < 1 fires rate() schedules faster, to watch the clock locally
        self._stop = threading.Event()
        self._last_fired: dict[str, float] = {}
        self._last_cron_minute: dict[str, str] = {}

    def handler(self, config):
        return getattr(self.module, config.handler_string.split(".")[-1])

    def sqs_sources(self) -> list[SQSEventConfig]:
        return [s for s in self.app.event_sources if isinstance(s, SQSEventConfig)]

    def schedules(self) -> list[ScheduledEventConfig]:
        return [s for s in self.app.event_sources if isinstance(s, ScheduledEventConfig)]

    def poll_queue(self, config: SQSEventConfig, queues, wait_seconds: int = 0) -> int:
        url = queues.url(config.queue)
        messages = queues.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=min(config.batch_size, 10),
                                              AttributeNames=["All"], WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return 0
        arn = f"arn:aws:sqs:{self.region}:123456789012:{config.queue}"
        event = {"Records": [{
            "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
            "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
            "eventSource": "aws:sqs", "eventSourceARN": arn, "awsRegion": self.region} for m in messages]}
        try:
            result = self.invoke(self.handler(config), event,
                                 LambdaContext(config.name, aws_request_id=str(uuid.uuid4())))
            failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
        except Exception as exc:  # a handler that raises fails its whole batch, as on Lambda
            print(f"[runner] {config.name} raised {exc!r}; batch left for retry", flush=True)
            failed = {m["MessageId"] for m in messages}
        for message in messages:
            if message["MessageId"] not in failed:
                queues.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def due_schedules(self, now: float) -> list[ScheduledEventConfig]:
        due = []
        for config in self.schedules():
            expression = schedule_string(config)
            if expression.startswith("rate("):
                period = rate_seconds(expression) * self.rate_scale
                if now - self._last_fired.get(config.name, 0) >= period:
                    self._last_fired[config.name] = now
                    due.append(config)
            else:
                moment = datetime.fromtimestamp(now, timezone.utc)
                minute = moment.strftime("%Y%m%d%H%M")
                if cron_matches(expression, moment) and self._last_cron_minute.get(config.name) != minute:
                    self._last_cron_minute[config.name] = minute
                    due.append(config)
        return due

    def fire(self, config: ScheduledEventConfig) -> object:
        event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
                 "account": "123456789012", "time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "region": self.region, "resources": [f"arn:aws:events:{self.region}:123456789012:rule/{config.name}"],
                 "detail": {}}
        return self.handler(config)(event, LambdaContext(config.name, aws_request_id=str(uuid.uuid4())))

    def fire_due_schedules(self) -> None:
        for config in self.due_schedules(time.time()):
            try:
                self.fire(config)
            except Exception as exc:
                print(f"[runner] schedule {config.name} raised {exc!r}", flush=True)

    def poll_forever(self, config: SQSEventConfig, queues) -> None:
        """One queue's poller, long polling like Lambda's: a message is handed over as it arrives, and a busy
        queue (replies waiting on a platform) never delays another's."""
        while not self._stop.is_set():
            try:
                self.poll_queue(config, queues, wait_seconds=LONG_POLL_SECONDS)
            except Exception as exc:  # moto restarting or a queue missing: keep the loop alive
                print(f"[runner] poll of {config.queue} failed: {exc!r}", flush=True)
                self._stop.wait(self.poll_seconds)

    def run_forever(self, queues) -> None:
        for config in self.sqs_sources():
            threading.Thread(target=self.poll_forever, args=(config, queues), daemon=True).start()
        while not self._stop.is_set():
            self.fire_due_schedules()
            self._stop.wait(self.poll_seconds)

    def stop(self) -> None:
        self._stop.set()


def main(argv=None) -> int:
    """The runner as its own process, beside `LOCAL_RUNNER=external python -m local.stack`: a test can kill it
    mid-batch (SIGKILL) and start it again. FAULT_* variables inject failures (local/faults.py)."""
    import argparse
    import os
    import signal

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", 5000)))
    parser.add_argument("--platforms-url", default=os.environ.get("PLATFORMS_URL", "http://127.0.0.1:8900"))
    parser.add_argument("--rate-scale", type=float, default=float(os.environ.get("RATE_SCALE", 1.0)))
    args = parser.parse_args(argv)
    from local.stack import stack_environment

    os.environ.update(stack_environment(args.moto_port))
    os.environ.update({"X_API_URL": args.platforms_url, "GRAPH_API_URL": f"{args.platforms_url}/v25.0"})
    from chalicelib import wiring
    from local import faults

    runner = LocalRunner(rate_scale=args.rate_scale, invoke=faults.invoker_from_env(call_handler))
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    print("RUNNER READY", flush=True)
    runner.run_forever(wiring.queues())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
