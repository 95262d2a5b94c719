"""Webhook intake for every platform: size, signature, JSON, then store each post exactly once and queue it."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

from chalicelib.desks import DeskAccount, find_desk
from chalicelib.model import (DESK_REPLY, AuditEvent, Complaint, DeliveryStatus, InboundPost, PostChanged, Status, iso,
                              new_id, parse_iso, utc_now)
from chalicelib.observability import count, logger
from chalicelib.platforms import meta, x
from chalicelib.resources import ROUTING_QUEUE
from chalicelib.sla_service import record_desk_reply
from chalicelib.store import DuplicateComplaintError

REQUEUE_UNROUTED_AFTER = timedelta(minutes=2)
MAX_DELAY_SECONDS = 900   # SQS's limit for DelaySeconds


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
    unavailable: tuple[type[Exception], ...] = ()   # the parser's upstream (Graph API) failed: the sender retries


@dataclass
class IntakeReport:
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    unknown_desk: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    first_responses: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"stored": len(self.stored), "duplicates": len(self.duplicates),
                "ignored_unknown_account": len(self.unknown_desk), "complaint_ids": self.stored,
                "changes_recorded": len(self.changes), "statuses_recorded": len(self.statuses),
                "ignored": len(self.ignored), "first_responses_recorded": len(self.first_responses)}


def answer_x_crc(query: dict | None, consumer_secret: str) -> dict:
    token = (query or {}).get("crc_token")
    if not token:
        raise WebhookError(400, "crc_token query parameter is required")
    return x.crc_response(token, consumer_secret)


def answer_meta_subscription(query: dict | None, verify_token: str) -> str:
    challenge = meta.subscription_challenge(query, verify_token)
    if challenge is None:
        raise WebhookError(403, "hub.mode must be subscribe and hub.verify_token must match")
    return challenge


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
    except spec.unavailable as exc:
        raise WebhookError(503, f"could not read the delivery's content yet, retry later: {exc}") from exc


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
        if existing.status == Status.NEW:
            # The earlier delivery may have stopped between storing and queueing, and the 200 to this one ends
            # the platform's retries: the router looks again once the first message has had its time. If that
            # one routed it, this one finds it routed and does nothing; if it was never sent, this one routes it.
            wait = parse_iso(existing.received_at) + REQUEUE_UNROUTED_AFTER - utc_now()
            queues.send(ROUTING_QUEUE, {"complaint_id": existing.id},
                        delay_seconds=min(MAX_DELAY_SECONDS, max(0, math.ceil(wait.total_seconds()))))
        return existing.id, False
    queues.send(ROUTING_QUEUE, {"complaint_id": complaint.id})
    count("ComplaintsReceived", platform=post.platform, state=desk.state)
    return complaint.id, True


def record_post_change(change: PostChanged, store, report: IntakeReport) -> None:
    """An edit or removal is evidence too: audited on the complaint, whose stored text stays as received."""
    complaint = store.find_by_external(change.platform, change.external_id)
    if complaint is None:
        report.ignored.append(change.external_id)
        return
    event = AuditEvent(complaint.id, change.at, f"platform:{change.platform}", f"post_{change.change}",
                       {"external_id": change.external_id, "text": change.text})
    if store.add_event(event, once_key=f"{change.external_id}#{change.change}"):
        report.changes.append(complaint.id)
        logger().info("post changed on the platform", extra={"complaint_id": complaint.id, "change": change.change})


def record_delivery_status(status: DeliveryStatus, store, report: IntakeReport) -> None:
    complaint = store.find_by_reply(status.platform, status.message_id)
    if complaint is None:
        report.ignored.append(status.message_id)
        return
    event = AuditEvent(complaint.id, status.at, f"platform:{status.platform}", "reply_status",
                       {"platform_message_id": status.message_id, "status": status.status,
                        "errors": list(status.errors)})
    if store.add_event(event, once_key=f"{status.message_id}#{status.status}"):
        report.statuses.append(complaint.id)


def receive_post(post: InboundPost, store, queues, report: IntakeReport) -> None:
    desk = find_desk(post.platform, post.desk_account_id)
    if desk is None:
        logger().warning("delivery for an account this desk does not serve", extra={
            "platform": post.platform, "account_id": post.desk_account_id, "external_id": post.external_id})
        report.unknown_desk.append(post.external_id)
        return
    complaint_id, is_new = store_post(post, desk, store, queues)
    (report.stored if is_new else report.duplicates).append(complaint_id)
    logger().info("complaint received" if is_new else "duplicate delivery", extra={
        "complaint_id": complaint_id, "platform": post.platform, "external_id": post.external_id})


def receive_webhook(spec: WebhookSpec, raw_body: bytes | None, headers, store, queues) -> IntakeReport:
    report = IntakeReport()
    for item in read_delivery(spec, raw_body, headers):
        if isinstance(item, PostChanged):
            record_post_change(item, store, report)
        elif isinstance(item, DeliveryStatus):
            record_delivery_status(item, store, report)
        elif item.kind == DESK_REPLY:
            # The desk's own answer is never a complaint; to a complaint it is that complaint's first response.
            answered = record_desk_reply(item, store)
            if answered:
                report.first_responses.append(answered.id)
            else:
                report.ignored.append(item.external_id)
        else:
            receive_post(item, store, queues, report)
    return report
