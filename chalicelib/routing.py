"""The router: triage a stored complaint, put it in its district's queue (or HQ's), start its clock."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from chalicelib.districts import DistrictRegistry
from chalicelib.model import AuditEvent, Complaint, Status, due_at, iso, utc_now
from chalicelib.observability import logger
from chalicelib.resources import district_queue_name

FIRST_RESPONSE_WINDOW = timedelta(hours=2)


class PoisonMessageError(ValueError):
    pass


@dataclass(frozen=True)
class RouteDecision:
    district: str
    cues: tuple[str, ...]


def decide_district(complaint: Complaint, registry: DistrictRegistry) -> RouteDecision:
    for handle in complaint.mentions:
        district = registry.by_confirmed_handle(handle)
        if district and not district.is_desk and district.state == complaint.state:
            return RouteDecision(district.id, (f"district: tagged account @{handle} -> {district.id}",))
    desk = registry.get(complaint.desk)
    if desk and not desk.is_desk:
        return RouteDecision(desk.id, (f"district: received by the district account of {desk.id}",))
    hq = registry.hq_for_state(complaint.state)
    return RouteDecision(hq, ("district: no cue -> HQ triage",))


def route_complaint(complaint_id: str, store, queues, registry: DistrictRegistry) -> Complaint:
    """Idempotent. The queue message goes first: if saving then fails the retry sends it again, and a
    duplicate in a district queue is harmless (a claim skips complaints no longer waiting), a lost one is not."""
    complaint = store.get(complaint_id)
    if complaint.status != Status.NEW:
        return complaint
    decision = decide_district(complaint, registry)
    now = iso(utc_now())
    queues.send(district_queue_name(decision.district), {"complaint_id": complaint.id, "district": decision.district})
    routed = store.update(
        complaint, complaint.evolve(status=Status.ROUTED, district=decision.district, triage_cues=decision.cues,
                         routed_at=now, sla_due_at=due_at(complaint.received_at, FIRST_RESPONSE_WINDOW)),
        AuditEvent(complaint.id, now, "system:router", "routed",
                   {"district": decision.district, "cues": list(decision.cues)}))
    logger().info("complaint routed", extra={"complaint_id": complaint.id, "district": decision.district})
    return routed


def complaint_id_of(record_body: str) -> str:
    try:
        complaint_id = json.loads(record_body)["complaint_id"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PoisonMessageError(f"routing message without complaint_id: {record_body[:200]!r}") from exc
    if not isinstance(complaint_id, str):
        raise PoisonMessageError("complaint_id must be a string")
    return complaint_id


def route_batch(records, store, queues, registry: DistrictRegistry) -> dict:
    """Route each record on its own; report the ones that failed so only they are retried (then DLQ'd)."""
    failures = []
    for record in records:
        try:
            route_complaint(complaint_id_of(record.body), store, queues, registry)
        except Exception:  # one bad message must not fail its batch: it is reported and retried alone
            logger().exception("routing failed", extra={"message_id": record.to_dict()["messageId"]})
            failures.append({"itemIdentifier": record.to_dict()["messageId"]})
    return {"batchItemFailures": failures}
