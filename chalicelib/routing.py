"""The router: triage a stored complaint, put it in its district's queue (or HQ's), start its clock."""
from __future__ import annotations

import json

from chalicelib.acknowledgement import acknowledge
from chalicelib.districts import DistrictRegistry
from chalicelib.model import AuditEvent, Complaint, Status, iso, utc_now
from chalicelib.observability import count, logger
from chalicelib.resources import district_queue_name
from chalicelib.sla import clock_started, load_rules
from chalicelib.triage import TriageInput, TriageResult, triage


class PoisonMessageError(ValueError):
    pass


def triage_complaint(complaint: Complaint) -> TriageResult:
    geotag = (complaint.geotag.lat, complaint.geotag.lon) if complaint.geotag else None
    return triage(TriageInput(text=complaint.text, platform=complaint.platform, mentions=complaint.mentions,
                              user_location=complaint.author_location, coordinates=geotag,
                              state=complaint.state, desk=complaint.desk))


def queue_without_district(complaint: Complaint, registry: DistrictRegistry) -> str:
    """No district cue: the desk that received it decides (HQ, or the NRI desk), never a guess."""
    desk = registry.get(complaint.desk)
    return desk.id if desk and desk.is_desk else registry.hq_for_state(complaint.state)


def triaged(complaint: Complaint, result: TriageResult) -> Complaint:
    return complaint.evolve(actionable=result.actionable, category=result.category, group=result.group,
                            priority=result.priority, sensitive=result.sensitive, language=result.language,
                            triage_cues=result.cues)


def route_complaint(complaint_id: str, store, queues, registry: DistrictRegistry, sla_rules=None) -> Complaint:
    """Idempotent. The queue message goes first: if saving then fails the retry sends it again, and a
    duplicate in a district queue is harmless (a claim skips complaints no longer waiting), a lost one is not."""
    complaint = store.get(complaint_id)
    if complaint.status != Status.NEW:
        return complaint
    result = triage_complaint(complaint)
    now = iso(utc_now())
    if not result.actionable:
        kept = store.update(complaint, triaged(complaint, result).evolve(status=Status.NOT_ACTIONABLE),
                            AuditEvent(complaint.id, now, "system:router", "not_actionable",
                                       {"category": result.category, "cues": list(result.cues)}))
        logger().info("complaint not actionable", extra={"complaint_id": complaint.id, "category": result.category})
        acknowledge(kept, queues, registry)
        return kept
    district = result.district or queue_without_district(complaint, registry)
    queues.send(district_queue_name(district), {"complaint_id": complaint.id, "district": district})
    routed = store.update(
        complaint, triaged(complaint, result).evolve(
            status=Status.ROUTED, district=district, routed_at=now,
            **clock_started(triaged(complaint, result), sla_rules or load_rules())),
        AuditEvent(complaint.id, now, "system:router", "routed",
                   {"district": district, "category": result.category, "priority": result.priority,
                    "cues": list(result.cues)}))
    logger().info("complaint routed", extra={"complaint_id": complaint.id, "district": district})
    count("ComplaintsRouted", district=district)
    acknowledge(routed, queues, registry)
    return routed


def complaint_id_of(record_body: str) -> str:
    try:
        complaint_id = json.loads(record_body)["complaint_id"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PoisonMessageError(f"routing message without complaint_id: {record_body[:200]!r}") from exc
    if not isinstance(complaint_id, str):
        raise PoisonMessageError("complaint_id must be a string")
    return complaint_id


def route_batch(records, store, queues, registry: DistrictRegistry, sla_rules=None) -> dict:
    """Route each record on its own; report the ones that failed so only they are retried (then DLQ'd)."""
    failures = []
    for record in records:
        try:
            route_complaint(complaint_id_of(record.body), store, queues, registry, sla_rules)
        except Exception:  # one bad message must not fail its batch: it is reported and retried alone
            logger().exception("routing failed", extra={"message_id": record.to_dict()["messageId"]})
            failures.append({"itemIdentifier": record.to_dict()["messageId"]})
    return {"batchItemFailures": failures}
