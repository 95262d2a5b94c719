"""The replier: what the desk says to a citizen goes out on the platform where they wrote, at most once per reply.

Outbound messages (docs/DESIGN.md) name a complaint and carry a ULID `reply_id`: a claim on that id, written
with a condition before posting, keeps a redelivered message from posting twice. A claim is given back only
when nothing was posted (platform said no, or stayed unreachable), so the retry may send it.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Callable, Mapping, Protocol

from chalicelib.model import AuditEvent, Complaint, iso, new_id, parse_iso, utc_now
from chalicelib.observability import count, logger
from chalicelib.platforms.http import PermanentPlatformError, TransientPlatformError, UncertainOutcomeError
from chalicelib.resources import OUTBOUND_QUEUE

PURPOSES = ("acknowledgement", "officer_reply", "reminder_tag", "like")   # a like carries no text
OUTBOUND_DLQ = f"{OUTBOUND_QUEUE}-dlq"


class PoisonReplyError(ValueError):
    """An outbound message that is not a reply at all."""


class ReplyRejectedError(Exception):
    """This reply can never be sent as it is (too long, refused by the platform): retrying cannot help."""


class ReplyInProgressError(Exception):
    """Another attempt holds this reply's claim and may still be posting it: the message is tried again later."""


class ReplyClient(Protocol):
    platform: str
    max_length: int

    def measure(self, text: str) -> int: ...

    def reply(self, complaint: Complaint, text: str) -> str: ...

    def like(self, complaint: Complaint) -> str | None: ...


@dataclass(frozen=True)
class OutboundReply:
    complaint_id: str
    reply_id: str
    purpose: str
    text: str
    requested_by: str

    @classmethod
    def from_body(cls, body: str) -> OutboundReply:
        try:
            data = json.loads(body)
            reply = cls(**{name: data[name] for name in cls.__dataclass_fields__})
        except (ValueError, KeyError, TypeError) as exc:
            raise PoisonReplyError(f"outbound message is not a reply: {body[:200]!r}") from exc
        if reply.purpose not in PURPOSES or not all(isinstance(v, str) for v in asdict(reply).values()):
            raise PoisonReplyError(f"outbound message has a bad purpose or field type: {body[:200]!r}")
        return reply

    def to_dict(self) -> dict:
        return asdict(self)


def request_reply(queues, complaint_id: str, purpose: str, text: str, requested_by: str,
                  reply_id: str | None = None) -> str:
    """Queue a reply to the citizen; returns its reply_id (the idempotency key: a new ULID unless given)."""
    reply = OutboundReply(complaint_id, reply_id or new_id(), purpose, text, requested_by)
    queues.send(OUTBOUND_QUEUE, reply.to_dict())
    return reply.reply_id


def _audit(reply: OutboundReply, action: str, **details) -> AuditEvent:
    return AuditEvent(reply.complaint_id, iso(utc_now()), reply.requested_by, action,
                      {"reply_id": reply.reply_id, "purpose": reply.purpose, **details})


def _tell_uncertain(reply: OutboundReply, store, claimed_at: str, error: str) -> None:
    """Once per reply, whichever attempt finds out: dated when the uncertain attempt claimed it."""
    event = AuditEvent(reply.complaint_id, claimed_at, reply.requested_by, "reply_uncertain",
                       {"reply_id": reply.reply_id, "purpose": reply.purpose, "error": error})
    store.add_event(event, once_key=f"{reply.reply_id}#uncertain")


def _reject(reply: OutboundReply, store, reason: str) -> ReplyRejectedError:
    # On the complaint, so the desk sees that the citizen did not get this reply, and why.
    store.add_event(_audit(reply, "reply_failed", error=reason))
    return ReplyRejectedError(reason)


def settle_taken_claim(reply: OutboundReply, store, attempt_limit_ms: int) -> str:
    """An earlier attempt claimed this reply. Sent: nothing to do. Still `sending` after longer than one attempt
    can run (`attempt_limit_ms`): that attempt died between claiming and recording (a crash or a timeout), so
    whether the citizen got it is unknown; as with a post that got no answer, it is not posted again and the
    desk is told, once. Younger: that attempt may still be posting: retried later."""
    claim = store.reply_claim(reply.reply_id)
    if claim and claim["state"] == "sent":
        logger().info("reply already sent", extra={"complaint_id": reply.complaint_id, "reply_id": reply.reply_id})
        return "already_sent"
    if claim and utc_now() - parse_iso(claim["claimed_at"]) > timedelta(milliseconds=attempt_limit_ms):
        _tell_uncertain(reply, store, claim["claimed_at"],
                        "the attempt that claimed this reply stopped before recording what happened")
        return "uncertain"
    raise ReplyInProgressError(f"reply {reply.reply_id} is being sent by another attempt")


def send_reply(reply: OutboundReply, store, clients: Mapping[str, ReplyClient], attempt_limit_ms: int = 0) -> str:
    """Post one reply. Returns sent | already_sent | uncertain | not_possible; raises ReplyRejectedError,
    TransientPlatformError or ReplyInProgressError (the message stays in the queue for a later try)."""
    complaint = store.get(reply.complaint_id)
    client = clients.get(complaint.platform)
    if client is None:
        raise _reject(reply, store, f"no reply client for platform {complaint.platform!r}")
    length = client.measure(reply.text)
    if reply.purpose != "like" and (not reply.text.strip() or length > client.max_length):
        raise _reject(reply, store, f"text of {length} characters; {complaint.platform} takes 1 to {client.max_length}")
    claimed_at = iso(utc_now())
    if not store.claim_reply(reply.reply_id, complaint.id, claimed_at):
        return settle_taken_claim(reply, store, attempt_limit_ms)
    try:
        message_id = client.like(complaint) if reply.purpose == "like" else client.reply(complaint, reply.text)
    except PermanentPlatformError as error:
        store.release_reply(reply.reply_id)
        raise _reject(reply, store, str(error)) from error
    except TransientPlatformError:
        store.release_reply(reply.reply_id)
        raise
    except (UncertainOutcomeError, KeyError, IndexError, TypeError) as error:
        # No answer, or a success answer without the message id we expect: it may be posted. The claim stays
        # (a second post is worse than a missing one) and the desk is told to check.
        _tell_uncertain(reply, store, claimed_at, str(error))
        return "uncertain"
    if message_id is None:
        store.release_reply(reply.reply_id)
        logger().info("this post cannot be liked on its platform", extra={"complaint_id": complaint.id})
        return "not_possible"
    store.record_reply_sent(reply.reply_id, complaint.platform, message_id,
                            _audit(reply, "reply_sent", platform_message_id=message_id, text=reply.text))
    logger().info("reply sent", extra={"complaint_id": complaint.id, "reply_id": reply.reply_id,
                                       "platform": complaint.platform, "purpose": reply.purpose})
    return "sent"


def send_batch(records, store, queues, clients: Mapping[str, ReplyClient],
               time_left_ms: Callable[[], int] | None = None, reserve_ms: int = 0) -> dict:
    """Each record on its own. A rejected reply goes to the DLQ at once (the desk may fix and replay it);
    a platform that stays busy leaves its message for SQS to deliver again, and so do the records the
    Lambda has no time left for: fewer than `reserve_ms` of the context's `time_left_ms`."""
    failures = []
    for record in records:
        message_id = record.to_dict()["messageId"]
        if time_left_ms and time_left_ms() < reserve_ms:
            failures.append({"itemIdentifier": message_id})
            continue
        try:
            reply = OutboundReply.from_body(record.body)
            count("Replies", outcome=send_reply(reply, store, clients, reserve_ms), purpose=reply.purpose)
        except ReplyRejectedError as error:
            logger().warning("reply rejected; parked in the DLQ", extra={"message_id": message_id, "error": str(error)})
            queues.send(OUTBOUND_DLQ, reply.to_dict())
            count("Replies", outcome="rejected", purpose=reply.purpose)
        except Exception:  # one bad message must not fail its batch: it is reported and retried alone
            logger().exception("reply not sent; left for retry", extra={"message_id": message_id})
            failures.append({"itemIdentifier": message_id})
            count("Replies", outcome="retry")
    return {"batchItemFailures": failures}
