"""The router: triage a stored complaint, put it in its district's queue (or HQ's), start its clock."""
from __future__ import annotations

import json
from dataclasses import dataclass

from chalicelib.acknowledgement import acknowledge
from chalicelib.districts import DistrictRegistry
from chalicelib.model import AuditEvent, Complaint, Status, iso, utc_now
from chalicelib.observability import count, logger
from chalicelib.resources import OUTBOUND_QUEUE, district_queue_name
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


def routing_of(complaint: Complaint, registry: DistrictRegistry) -> tuple[TriageResult, str | None]:
    """Triage, and the district whose queue an actionable complaint goes to (None: not actionable)."""
    result = triage_complaint(complaint)
    if not result.actionable:
        return result, None
    return result, result.district or queue_without_district(complaint, registry)


def district_message(complaint: Complaint, district: str) -> dict:
    return {"complaint_id": complaint.id, "district": district}


@dataclass(frozen=True)
class Routing:
    """What routing a complaint will save: the complaint as triaged (ROUTED with its clock running, or
    NOT_ACTIONABLE), its audit event, and its district (None: not actionable)."""
    after: Complaint
    event: AuditEvent
    district: str | None


def plan_routing(complaint: Complaint, registry: DistrictRegistry, sla_rules=None) -> Routing:
    result, district = routing_of(complaint, registry)
    now, as_triaged = iso(utc_now()), triaged(complaint, result)
    if district is None:
        return Routing(as_triaged.evolve(status=Status.NOT_ACTIONABLE),
                       AuditEvent(complaint.id, now, "system:router", "not_actionable",
                                  {"category": result.category, "cues": list(result.cues)}), None)
    return Routing(as_triaged.evolve(status=Status.ROUTED, district=district, routed_at=now,
                                     **clock_started(as_triaged, sla_rules or load_rules())),
                   AuditEvent(complaint.id, now, "system:router", "routed",
                              {"district": district, "category": result.category, "priority": result.priority,
                               "cues": list(result.cues)}), district)


def save_routing(complaint: Complaint, routing: Routing, store) -> Complaint:
    saved = store.update(complaint, routing.after, routing.event)
    announce_routing(saved, routing)
    return saved


def announce_routing(saved: Complaint, routing: Routing) -> None:
    if routing.district is None:
        logger().info("complaint not actionable", extra={"complaint_id": saved.id, "category": saved.category})
    else:
        logger().info("complaint routed", extra={"complaint_id": saved.id, "district": routing.district})
        count("ComplaintsRouted", district=routing.district)


def route_complaint(complaint_id: str, store, queues, registry: DistrictRegistry, sla_rules=None) -> Complaint:
    """Idempotent. The queue messages go first: if saving then fails, the retry sends them again. A duplicate
    in a district queue is harmless (a claim skips complaints no longer waiting), a lost one is not; the
    acknowledgement carries a reply id made from the complaint's, so the replier posts it once. Saved first,
    a router stopped before queueing its acknowledgement would leave the complaint routed and never answered."""
    complaint = store.get(complaint_id)
    if complaint.status != Status.NEW:
        return complaint
    routing = plan_routing(complaint, registry, sla_rules)
    if routing.district:
        queues.send(district_queue_name(routing.district), district_message(complaint, routing.district))
    acknowledge(routing.after, queues, registry)
    return save_routing(complaint, routing, store)


def complaint_id_of(record_body: str) -> str:
    try:
        complaint_id = json.loads(record_body)["complaint_id"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PoisonMessageError(f"routing message without complaint_id: {record_body[:200]!r}") from exc
    if not isinstance(complaint_id, str):
        raise PoisonMessageError("complaint_id must be a string")
    return complaint_id


@dataclass
class TriagedRecord:
    """One record of a batch on its way: its complaint and what routing it will save."""
    message_id: str
    complaint: Complaint
    routing: Routing

    @property
    def district(self) -> str | None:
        return self.routing.district


class OutboundBuffer:
    """Collects the acknowledgements of a batch (acknowledge() sends through it) to send them in one request."""

    def __init__(self):
        self.bodies: list[dict] = []

    def send(self, queue_name: str, body: dict) -> None:
        self.bodies.append(body)


def _fail(failed: set[str], message_id: str, problem: str) -> None:
    logger().error("routing failed", extra={"message_id": message_id, "problem": problem})
    failed.add(message_id)


def _read_batch(records, store, registry: DistrictRegistry, sla_rules, failed: set[str]) -> list[TriagedRecord]:
    """One read for the whole batch. A complaint named twice is routed once: its first record stands for both."""
    wanted: dict[str, str] = {}
    for record in records:
        message_id = record.to_dict()["messageId"]
        try:
            wanted.setdefault(complaint_id_of(record.body), message_id)
        except PoisonMessageError as poison:
            _fail(failed, message_id, str(poison))
    found = store.get_many(list(wanted))
    routings = []
    for complaint_id, message_id in wanted.items():
        complaint = found.get(complaint_id)
        if complaint is None:
            _fail(failed, message_id, f"complaint {complaint_id} is not stored")
        elif complaint.status == Status.NEW:
            try:
                routings.append(TriagedRecord(message_id, complaint, plan_routing(complaint, registry, sla_rules)))
            except Exception:  # one complaint that triage cannot read must not fail its batch
                logger().exception("routing failed", extra={"message_id": message_id})
                failed.add(message_id)
    return routings


def _send_district_messages(routings: list[TriagedRecord], queues, failed: set[str]) -> list[TriagedRecord]:
    """One SendMessageBatch per district queue; a record whose message SQS did not take is not saved (retried)."""
    by_queue: dict[str, list[TriagedRecord]] = {}
    for routing in routings:
        if routing.district:
            by_queue.setdefault(district_queue_name(routing.district), []).append(routing)
    for queue_name, batch in by_queue.items():
        try:
            refused = queues.send_batch(queue_name, [district_message(r.complaint, r.district) for r in batch])
        except Exception:
            logger().exception("district messages not sent", extra={"queue": queue_name})
            refused = range(len(batch))
        for position in refused:
            _fail(failed, batch[position].message_id, f"{queue_name} did not take the message")
    return [r for r in routings if r.message_id not in failed]


def _request_acknowledgements(routings: list[TriagedRecord], queues, registry: DistrictRegistry,
                              failed: set[str]) -> list[TriagedRecord]:
    """Before saving, as in route_complaint; a record whose acknowledgement SQS did not take is not saved."""
    buffer, senders = OutboundBuffer(), []
    for record in routings:
        message_id = record.message_id
        try:
            if acknowledge(record.routing.after, buffer, registry):
                senders.append(message_id)
        except Exception:  # this complaint's acknowledgement only: the others still go out
            logger().exception("acknowledgement failed", extra={"message_id": message_id})
            failed.add(message_id)
    try:
        refused = queues.send_batch(OUTBOUND_QUEUE, buffer.bodies) if buffer.bodies else []
    except Exception:
        logger().exception("acknowledgements not sent")
        refused = range(len(senders))
    for position in refused:
        _fail(failed, senders[position], "acknowledgement not queued")
    return [r for r in routings if r.message_id not in failed]


def _save_routings(routings: list[TriagedRecord], store, failed: set[str]) -> None:
    """One transaction for the batch (store.update_all); a complaint it could not save is reported alone."""
    try:
        outcome = store.update_all([(r.complaint, r.routing.after, (r.routing.event,)) for r in routings])
    except Exception:
        logger().exception("routings not saved")
        outcome = {}
    for record in routings:
        saved = outcome.get(record.complaint.id)
        if isinstance(saved, Complaint):
            announce_routing(saved, record.routing)
        else:
            _fail(failed, record.message_id, f"not saved: {saved!r}")


def route_batch(records, store, queues, registry: DistrictRegistry, sla_rules=None) -> dict:
    """Route a batch with as few AWS requests as each step allows: one read for all, one send per district
    queue, one send for all acknowledgements, one transaction for all the saves. Each record still succeeds
    or fails on its own, and only failed ones are reported (retried, then DLQ'd). As in route_complaint, the
    queue messages go out before the complaint is saved as routed."""
    records = list(records)
    failed: set[str] = set()
    triaged_records = _read_batch(records, store, registry, sla_rules, failed)
    _save_routings(_request_acknowledgements(_send_district_messages(triaged_records, queues, failed), queues,
                                             registry, failed), store, failed)
    return {"batchItemFailures": [{"itemIdentifier": r.to_dict()["messageId"]} for r in records
                                  if r.to_dict()["messageId"] in failed]}
