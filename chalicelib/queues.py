"""The SQS adapter: send JSON messages by queue name, receive and delete for work queues and DLQ replay."""
from __future__ import annotations

import json

from chalicelib import aws
from chalicelib.resources import replay_target


class Queues:
    def __init__(self, sqs=None):
        self._sqs = sqs
        self._urls: dict[str, str] = {}

    @property
    def sqs(self):
        return self._sqs or aws.client("sqs")

    def url(self, queue_name: str) -> str:
        if queue_name not in self._urls:
            self._urls[queue_name] = self.sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
        return self._urls[queue_name]

    def send(self, queue_name: str, body: dict, delay_seconds: int = 0) -> str:
        response = self.sqs.send_message(QueueUrl=self.url(queue_name), MessageBody=json.dumps(body),
                                         DelaySeconds=delay_seconds)
        return response["MessageId"]

    def send_batch(self, queue_name: str, bodies: list[dict]) -> list[int]:
        """Send many messages to one queue, ten per SendMessageBatch request (bodies are small: far below the
        request's size limit); returns the positions of the bodies SQS did not take."""
        refused = []
        for start in range(0, len(bodies), 10):
            entries = [{"Id": str(start + i), "MessageBody": json.dumps(body)}
                       for i, body in enumerate(bodies[start:start + 10])]
            response = self.sqs.send_message_batch(QueueUrl=self.url(queue_name), Entries=entries)
            refused += [int(failure["Id"]) for failure in response.get("Failed", [])]
        return refused

    def receive(self, queue_name: str, max_messages: int = 10, visibility_timeout: int | None = None,
                wait_seconds: int = 0) -> list[dict]:
        kwargs = {"QueueUrl": self.url(queue_name), "MaxNumberOfMessages": max_messages,
                  "WaitTimeSeconds": wait_seconds, "AttributeNames": ["All"]}
        if visibility_timeout is not None:
            kwargs["VisibilityTimeout"] = visibility_timeout
        return self.sqs.receive_message(**kwargs).get("Messages", [])

    def delete(self, queue_name: str, receipt_handle: str) -> None:
        self.sqs.delete_message(QueueUrl=self.url(queue_name), ReceiptHandle=receipt_handle)

    def change_visibility(self, queue_name: str, receipt_handle: str, seconds: int) -> None:
        self.sqs.change_message_visibility(QueueUrl=self.url(queue_name), ReceiptHandle=receipt_handle,
                                           VisibilityTimeout=seconds)

    def replay_dlq(self, dlq_name: str, limit: int = 1000) -> int:
        """Move messages from a DLQ back to the queue each came from; returns how many moved."""
        moved = 0
        while moved < limit:
            messages = self.receive(dlq_name, max_messages=min(10, limit - moved))
            if not messages:
                return moved
            for message in messages:
                self.sqs.send_message(QueueUrl=self.url(replay_target(dlq_name, message["Body"])),
                                      MessageBody=message["Body"])
                self.delete(dlq_name, message["ReceiptHandle"])
                moved += 1
        return moved
