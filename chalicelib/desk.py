"""The officer desk: worklist, claim from the district queue, reply, note, resolve, re-route, HQ corrections.

Every change goes through `store.update` with one audit event (who, when, what, before/after), so two officers
acting on the same complaint at once get a VersionConflictError for the second; an officer who sends the
`version` their screen showed also gets it when someone changed the complaint since.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from chalicelib import sla
from chalicelib.api import (BadRequestError, expected_version, optional_text, parse_json_body, present,
                            require_text)
from chalicelib.districts import DistrictRegistry
from chalicelib.model import AuditEvent, Complaint, Status, iso, new_id, parse_iso, utc_now
from chalicelib.officers import Principal, Role, require_hq, require_in_scope
from chalicelib.replies import OutboundReply
from chalicelib.resources import OUTBOUND_QUEUE, district_queue_name
from chalicelib.sla_service import count_first_response
from chalicelib.store import ComplaintNotFoundError, VersionConflictError

WORKLIST_STATUSES = (Status.NEW, Status.ROUTED, Status.RESPONDED, Status.RESOLVED, Status.NOT_ACTIONABLE)
PRIORITIES = ("P1", "P2", "P3")
MAX_TEXT = 10_000
MAX_PAGE = 100
CURSOR_KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")
# A claim looks at no more than this many stale messages (answered, re-routed, duplicates) before giving up.
MAX_STALE_SKIPS = 50


class ComplaintStateError(Exception):
    """The action does not fit the complaint's status (resolving a resolved complaint, re-routing an unrouted one)."""


def audit_diff(before: Complaint, after: Complaint) -> dict:
    old, new = before.to_dict(), after.to_dict()
    changed = [k for k in new if k != "version" and old.get(k) != new[k]]
    return {"before": {k: old.get(k) for k in changed}, "after": {k: new[k] for k in changed}} if changed else {}


def encode_cursor(key: dict | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def decode_cursor(cursor: str, district: str, status: str) -> dict:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error) as exc:
        raise BadRequestError("cursor is not one this API gave out") from exc
    if (not isinstance(key, dict) or sorted(key) != sorted(CURSOR_KEYS)
            or not all(isinstance(key[k], str) for k in CURSOR_KEYS)
            or key["gsi1pk"] != f"D#{district}" or not key["gsi1sk"].startswith(f"{status}#")):
        raise BadRequestError("cursor does not belong to this district and status; start again without it")
    return key


def int_param(query: dict, name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequestError(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def choice_param(query: dict, name: str, default: str | None, choices: tuple[str, ...]) -> str | None:
    value = query.get(name, default)
    if value is not None and value not in choices:
        raise BadRequestError(f"{name} must be one of {', '.join(choices)}")
    return value


@dataclass
class Desk:
    store: object
    queues: object
    registry: DistrictRegistry
    claim_lease_seconds: int
    reply_clients: dict              # platform -> its reply client, which knows the platform's length rule
    clock: Callable[[], datetime] = utc_now
    sla_rules: object = None         # chalicelib.sla.SlaRules; None = the data file's windows

    # --- reading -------------------------------------------------------------------------------------------

    def unit_in_scope(self, principal: Principal, district: str | None) -> str:
        """The routing unit asked for (default: the officer's own), known and within the officer's scope."""
        district = district or principal.home_unit
        if not district:
            raise BadRequestError("give a district (an admin has no home district)")
        unit = self.registry.get(district)
        if unit is None:
            raise BadRequestError(f"unknown district {district!r}")
        require_in_scope(principal, unit.id, unit.state)
        return unit.id

    def districts(self, principal: Principal) -> dict:
        """The routing units an officer can pick from (worklist, claims, re-routing): their state's, or all."""
        state = principal.state if principal.role != Role.ADMIN else None
        return {"districts": [{"id": d.id, "state": d.state, "name_en": d.name_en, "name_hi": d.name_hi}
                              for d in self.registry.districts if state in (None, d.state)]}

    def worklist(self, principal: Principal, query: dict | None) -> dict:
        """A district's complaints of one status (default: waiting for a first response), oldest first."""
        query = query or {}
        unknown = sorted(set(query) - {"district", "status", "priority", "older_than_minutes", "limit", "cursor"})
        if unknown:
            raise BadRequestError(f"unknown query parameter(s): {', '.join(unknown)}")
        district = self.unit_in_scope(principal, query.get("district"))
        status = choice_param(query, "status", Status.ROUTED, WORKLIST_STATUSES)
        priority = choice_param(query, "priority", None, PRIORITIES)
        limit = int_param(query, "limit", 25, 1, MAX_PAGE)
        older_than = int_param(query, "older_than_minutes", 0, 0, 60 * 24 * 365)
        start = decode_cursor(query["cursor"], district, status) if query.get("cursor") else None
        received_before = iso(self.clock() - timedelta(minutes=older_than)) if older_than else None
        complaints, last = self.store.worklist(district, status, limit=limit, start=start,
                                               received_before=received_before, priority=priority)
        return {"district": district, "status": status,
                "items": [present(c, principal, listing=True) for c in complaints],
                "next_cursor": encode_cursor(last)}

    # --- claiming ------------------------------------------------------------------------------------------

    @staticmethod
    def waiting_in(complaint: Complaint | None, district: str) -> bool:
        return complaint is not None and complaint.district == district and complaint.status == Status.ROUTED

    @staticmethod
    def held(complaint: Complaint, now: datetime) -> bool:
        return bool(complaint.claimed_until) and parse_iso(complaint.claimed_until) > now

    def claim_next(self, principal: Principal, raw_body: bytes | None) -> dict:
        """The next complaint from the district's queue, leased to this officer for the SQS visibility timeout:
        unanswered when the lease ends, the message reappears for the next claim. Messages of complaints no longer
        waiting here (answered, resolved, re-routed, gone) are deleted."""
        body = parse_json_body(raw_body, ("district",))
        district = self.unit_in_scope(principal, optional_text(body, "district", 64))
        queue = district_queue_name(district)
        for _ in range(MAX_STALE_SKIPS):
            now = self.clock()   # before the receive: a recorded lease never outlasts the message's invisibility
            messages = self.queues.receive(queue, max_messages=1, visibility_timeout=self.claim_lease_seconds)
            if not messages:
                break
            message = messages[0]
            complaint = self._complaint_of(message)
            if not self.waiting_in(complaint, district):
                self.queues.delete(queue, message["ReceiptHandle"])
                continue
            if self.held(complaint, now):
                continue   # a duplicate message of a claimed complaint: it stays hidden for a lease, never deleted
            lease_end = iso(now + timedelta(seconds=self.claim_lease_seconds))
            try:
                claimed = self._save(principal, complaint,
                                     complaint.evolve(claimed_by=principal.officer_id, claimed_until=lease_end),
                                     "claimed", now, lease_until=lease_end)
            except VersionConflictError:
                self.queues.change_visibility(queue, message["ReceiptHandle"], 0)
                raise
            return {"district": district, "lease_expires_at": lease_end, "complaint": self._view(claimed, principal)}
        return {"district": district, "lease_expires_at": None, "complaint": None}

    def _complaint_of(self, message: dict) -> Complaint | None:
        try:
            complaint_id = json.loads(message["Body"])["complaint_id"]
            return self.store.get(complaint_id)
        except (ValueError, KeyError, TypeError, ComplaintNotFoundError):
            return None

    # --- changes -------------------------------------------------------------------------------------------

    def reply(self, principal: Principal, complaint_id: str, raw_body: bytes | None) -> dict:
        """Queue the officer's reply to the citizen and stop the first-response clock. The reply is saved
        before it is queued, so of two officers replying at once only one reply goes out."""
        body = parse_json_body(raw_body, ("text", "version"))
        text = require_text(body, "text", MAX_TEXT)
        complaint = self._load(principal, complaint_id, body)
        self._require_status(complaint, "reply to", (Status.ROUTED, Status.RESPONDED, Status.NOT_ACTIONABLE,
                                                      Status.RESOLVED))
        self._require_fits(complaint.platform, text)
        now = self.clock()
        reply_id = new_id(now)
        saved = self._save(principal, complaint, complaint.first_responded(iso(now)), "replied", now,
                           reply_id=reply_id, text=text)
        count_first_response(complaint, saved)
        self.queues.send(OUTBOUND_QUEUE, OutboundReply(complaint.id, reply_id, "officer_reply", text,
                                                       principal.actor).to_dict())
        return self._view(saved, principal)

    def add_note(self, principal: Principal, complaint_id: str, raw_body: bytes | None) -> dict:
        body = parse_json_body(raw_body, ("text", "version"))
        text = require_text(body, "text", MAX_TEXT)
        complaint = self._load(principal, complaint_id, body)
        return self._view(self._save(principal, complaint, complaint, "note", self.clock(), text=text), principal)

    def resolve(self, principal: Principal, complaint_id: str, raw_body: bytes | None) -> dict:
        body = parse_json_body(raw_body, ("action_taken", "version"))
        action_taken = require_text(body, "action_taken", MAX_TEXT)
        complaint = self._load(principal, complaint_id, body)
        self._require_status(complaint, "resolve", (Status.ROUTED, Status.RESPONDED))
        now = self.clock()
        resolved = complaint.evolve(status=Status.RESOLVED, resolved_at=iso(now), claimed_until=None)
        return self._view(self._save(principal, complaint, resolved, "resolved", now, action_taken=action_taken),
                          principal)

    def reroute(self, principal: Principal, complaint_id: str, raw_body: bytes | None) -> dict:
        """Send the complaint to another district of its state, or back to HQ ("hq"), with a reason. The clock
        keeps running from the original receipt. The queue message goes first, as in routing: a message for a
        complaint that then failed to move is skipped by the next claim."""
        body = parse_json_body(raw_body, ("district", "reason", "version"))
        target, reason = require_text(body, "district", 64), require_text(body, "reason", MAX_TEXT)
        complaint = self._load(principal, complaint_id, body)
        self._require_status(complaint, "re-route", (Status.ROUTED, Status.RESPONDED))
        target = self.registry.hq_for_state(complaint.state) if target == "hq" else target
        unit = self.registry.get(target)
        if unit is None or unit.state != complaint.state:
            raise BadRequestError(f"district must be a district of state {complaint.state!r} or 'hq', not {target!r}")
        if target == complaint.district:
            raise BadRequestError(f"complaint is already with {target}")
        self.queues.send(district_queue_name(target), {"complaint_id": complaint.id, "district": target})
        now = self.clock()
        moved = complaint.evolve(district=target, claimed_by=None, claimed_until=None)
        return self._view(self._save(principal, complaint, moved, "rerouted", now, reason=reason), principal)

    def correct(self, principal: Principal, complaint_id: str, raw_body: bytes | None) -> dict:
        """HQ corrects triage: category (its group follows; a sensitive category marks the complaint sensitive,
        never the reverse) and/or priority, with a reason."""
        from chalicelib.triage.taxonomy import load_taxonomy

        body = parse_json_body(raw_body, ("category", "priority", "reason", "version"))
        category_id, priority = optional_text(body, "category", 64), optional_text(body, "priority", 2)
        reason = require_text(body, "reason", MAX_TEXT)
        if category_id is None and priority is None:
            raise BadRequestError("give a category, a priority, or both")
        category = load_taxonomy().get(category_id) if category_id else None
        if category_id and category is None:
            raise BadRequestError(f"unknown category {category_id!r}")
        if priority and priority not in PRIORITIES:
            raise BadRequestError(f"priority must be one of {', '.join(PRIORITIES)}")
        complaint = self._load_for_hq(principal, complaint_id, body)
        changes = {"priority": priority} if priority else {}
        if category:
            changes.update(category=category.id, group=category.group,
                           sensitive=complaint.sensitive or category.sensitive)
        corrected = sla.reclassified(complaint, complaint.evolve(**changes), self.sla_rules or sla.load_rules())
        if corrected == complaint:
            raise BadRequestError("nothing to correct: the complaint already has these values")
        return self._view(self._save(principal, complaint, corrected, "corrected", self.clock(), reason=reason),
                          principal)

    def pause_clock(self, principal: Principal, complaint_id: str, raw_body: bytes | None) -> dict:
        """HQ stops the first-response clock with a reason (the SLA engine's rule, chalicelib/sla_service.py)."""
        from chalicelib import sla_service

        body = parse_json_body(raw_body, ("reason", "version"))
        reason = require_text(body, "reason", MAX_TEXT)
        complaint = self._load_for_hq(principal, complaint_id, body)
        return self._view(sla_service.pause_clock(self.store, complaint.id, reason, principal.actor,
                                                  now=self.clock()), principal)

    def resume_clock(self, principal: Principal, complaint_id: str, raw_body: bytes | None) -> dict:
        from chalicelib import sla_service

        body = parse_json_body(raw_body, ("reason", "version"))
        reason = optional_text(body, "reason", MAX_TEXT)
        complaint = self._load_for_hq(principal, complaint_id, body)
        return self._view(sla_service.resume_clock(self.store, complaint.id, principal.actor, reason,
                                                   now=self.clock()), principal)

    # --- shared steps --------------------------------------------------------------------------------------

    def _load(self, principal: Principal, complaint_id: str, body: dict) -> Complaint:
        version = expected_version(body)
        complaint = self.store.get(complaint_id)
        require_in_scope(principal, complaint.district, complaint.state)
        if version is not None and version != complaint.version:
            raise VersionConflictError(
                f"complaint {complaint.id} changed since you loaded it (you saw version {version}, it is now "
                f"{complaint.version}); reload it and try again")
        return complaint

    def _require_fits(self, platform: str, text: str) -> None:
        client = self.reply_clients.get(platform)
        if client is None:
            raise ComplaintStateError(f"the desk cannot reply on {platform!r}")
        length = client.measure(text)
        if length > client.max_length:
            raise BadRequestError(f"reply is {length} characters as {platform} counts them; {platform} allows "
                                  f"{client.max_length}. Shorten it.")

    def _load_for_hq(self, principal: Principal, complaint_id: str, body: dict) -> Complaint:
        complaint = self._load(principal, complaint_id, body)
        require_hq(principal, complaint.state)
        return complaint

    @staticmethod
    def _require_status(complaint: Complaint, verb: str, allowed: tuple[str, ...]) -> None:
        if complaint.status not in allowed:
            raise ComplaintStateError(f"cannot {verb} complaint {complaint.id}: it is {complaint.status}")

    def _save(self, principal: Principal, before: Complaint, after: Complaint, action: str, now: datetime,
              **details) -> Complaint:
        event = AuditEvent(before.id, iso(now), principal.actor, action, {**audit_diff(before, after), **details})
        return self.store.update(before, after, event)

    def _view(self, complaint: Complaint, principal: Principal) -> dict:
        return present(complaint, principal, self.store.audit_trail(complaint.id))
