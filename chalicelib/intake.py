"""Webhook intake for every platform: size, signature, JSON, then store each post exactly once and queue it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

from chalicelib.desks import DeskAccount, find_desk
from chalicelib.model import AuditEvent, Complaint, InboundPost, Status, iso, new_id, parse_iso, utc_now
from chalicelib.observability import logger
from chalicelib.platforms import x
from chalicelib.resources import ROUTING_QUEUE
from chalicelib.store import DuplicateComplaintError

REQUEUE_UNROUTED_AFTER = timedelta(minutes=2)


class WebhookError(Exception):
    """A delivery we refuse, with the HTTP status and a message the sender can act on."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class WebhookSpec:
    """What differs between platforms: their limits, signature check and event parser."""
    platform: str
    max_body_bytes: int
    verify: Callable[[bytes, object], bool]
    parse: Callable[[object], list[InboundPost]]
    malformed: type[Exception] = ValueError


@dataclass
class IntakeReport:
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    unknown_desk: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"stored": len(self.stored), "duplicates": len(self.duplicates),
                "ignored_unknown_account": len(self.unknown_desk), "complaint_ids": self.stored}


def answer_x_crc(query: dict | None, consumer_secret: str) -> dict:
    token = (query or {}).get("crc_token")
    if not token:
        raise WebhookError(400, "crc_token query parameter is required")
    return x.crc_response(token, consumer_secret)


def read_delivery(spec: WebhookSpec, raw_body: bytes | None, headers) -> list[InboundPost]:
    raw_body = raw_body or b""
    declared = headers.get("content-length")
    if len(raw_body) > spec.max_body_bytes or (declared and declared.isdigit() and int(declared) > spec.max_body_bytes):
        raise WebhookError(413, f"body is larger than {spec.max_body_bytes} bytes")
    if not spec.verify(raw_body, headers):
        raise WebhookError(401, "missing or invalid signature")
    try:
        payload = json.loads(raw_body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise WebhookError(400, f"body is not valid UTF-8: {exc.reason} at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise WebhookError(400, f"body is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    try:
        return spec.parse(payload)
    except spec.malformed as exc:
        raise WebhookError(400, f"unexpected delivery shape: {exc}") from exc


def store_post(post: InboundPost, desk: DeskAccount, store, queues) -> tuple[str, bool]:
    """Store one post once and queue it for routing. Returns (complaint id, newly stored)."""
    received_at = iso(utc_now())
    complaint = Complaint.from_post(post, complaint_id=new_id(), state=desk.state, desk=desk.desk,
                                    received_at=received_at)
    try:
        store.add_new(complaint, AuditEvent(complaint.id, received_at, f"platform:{post.platform}", "received",
                                            {"external_id": post.external_id, "desk_account": desk.handle}))
    except DuplicateComplaintError as duplicate:
        existing = store.get(duplicate.existing_id)
        if existing.status == Status.NEW and parse_iso(existing.received_at) < utc_now() - REQUEUE_UNROUTED_AFTER:
            # Stored by an earlier delivery that failed before queueing: the redelivery finishes the job.
            # A recent one is most likely still in the routing queue, so a quick duplicate queues nothing.
            queues.send(ROUTING_QUEUE, {"complaint_id": existing.id})
        return existing.id, False
    queues.send(ROUTING_QUEUE, {"complaint_id": complaint.id})
    return complaint.id, True


def receive_webhook(spec: WebhookSpec, raw_body: bytes | None, headers, store, queues) -> IntakeReport:
    report = IntakeReport()
    for post in read_delivery(spec, raw_body, headers):
        desk = find_desk(post.platform, post.desk_account_id)
        if desk is None:
            logger().warning("delivery for an account this desk does not serve", extra={
                "platform": post.platform, "account_id": post.desk_account_id, "external_id": post.external_id})
            report.unknown_desk.append(post.external_id)
            continue
        complaint_id, is_new = store_post(post, desk, store, queues)
        (report.stored if is_new else report.duplicates).append(complaint_id)
        logger().info("complaint received" if is_new else "duplicate delivery", extra={
            "complaint_id": complaint_id, "platform": post.platform, "external_id": post.external_id})
    return report
