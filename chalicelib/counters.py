"""Digest counters derived from one complaint change, so figures are counted as events happen, exactly once.

Every counter is a fact about the complaint that, once true, stays true (it was received, it was triaged,
its first response came, it breached). A change increments a counter when the fact is true after it and
was not before; since every change is one version-checked transaction, each fact is counted once.
Each tally is filed under the moment its event happened (India time slot) and the complaint's district.
Plain Python: no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from chalicelib.model import Complaint, Status, parse_iso

IST = timezone(timedelta(hours=5, minutes=30))
DEFAULT_FIRST_RESPONSE_WINDOW = timedelta(hours=2)
MISINFORMATION_TARGET = timedelta(minutes=5)
MISINFORMATION_GROUP = "misinformation"
UNASSIGNED = "-"                     # district or category not known yet (a complaint before triage)

# (counter name, upper bound in seconds); the last bucket is open-ended.
RESPONSE_BUCKETS = (
    ("rt_2m", 120), ("rt_5m", 300), ("rt_15m", 900), ("rt_30m", 1800),
    ("rt_1h", 3600), ("rt_2h", 7200), ("rt_4h", 14400), ("rt_over_4h", None),
)
COUNTS = ("received", "actionable", "not_actionable", "routed", "first_responded", "resolved",
          "sla_met", "breached", "response_seconds", "misinfo_responded", "misinfo_within_5m",
          *(name for name, _ in RESPONSE_BUCKETS))
CATEGORY_PREFIX = "cat#"
GROUP_PREFIX = "grp#"


@dataclass(frozen=True)
class Tally:
    """Increments for one (moment, district): plain counters plus `cat#<category>` / `grp#<group>` counts."""
    at: str
    district: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Slot:
    day: str                         # India day, 2026-11-23
    hour: str                        # India hour, 2026-11-23T08


def slot_of(moment_iso: str) -> Slot:
    local = parse_iso(moment_iso).astimezone(IST)
    return Slot(local.strftime("%Y-%m-%d"), local.strftime("%Y-%m-%dT%H"))


def response_bucket(seconds: float) -> str:
    for name, bound in RESPONSE_BUCKETS:
        if bound is None or seconds <= bound:
            return name
    raise AssertionError("the last bucket is open-ended")


def first_response_due(complaint: Complaint) -> datetime:
    if complaint.sla_due_at:
        return parse_iso(complaint.sla_due_at)
    return parse_iso(complaint.received_at) + DEFAULT_FIRST_RESPONSE_WINDOW


def breach_moment(complaint: Complaint) -> str | None:
    """When the complaint breached its first-response window, if it did: marked by the SLA sweep,
    or shown by a first response that came after the due time before any sweep noticed."""
    if complaint.breached_at:
        return complaint.breached_at
    if complaint.first_response_at and parse_iso(complaint.first_response_at) > first_response_due(complaint):
        return complaint.first_response_at   # filed when it became known, so the next digest shows it
    return None


def is_open_breach(complaint: Complaint | None) -> bool:
    """Breached and still waiting for its first response: what the digest lists as open."""
    return bool(complaint and complaint.breached_at and not complaint.first_response_at
                and complaint.status not in (Status.RESOLVED, Status.NOT_ACTIONABLE))


def district_of(complaint: Complaint) -> str:
    return complaint.district or UNASSIGNED


def _triaged(before: Complaint | None, after: Complaint) -> list[Tally]:
    if after.status == Status.NEW or (before is not None and before.status != Status.NEW):
        return []
    kind = "not_actionable" if after.status == Status.NOT_ACTIONABLE or after.actionable is False else "actionable"
    counts = {kind: 1, CATEGORY_PREFIX + (after.category or UNASSIGNED): 1}
    if after.group:
        counts[GROUP_PREFIX + after.group] = 1
    return [Tally(after.received_at, district_of(after), counts)]


def _first_response(after: Complaint) -> Tally:
    seconds = max(0.0, (parse_iso(after.first_response_at) - parse_iso(after.received_at)).total_seconds())
    counts = {"first_responded": 1, "response_seconds": round(seconds), response_bucket(seconds): 1}
    if breach_moment(after) is None:
        counts["sla_met"] = 1
    if after.group == MISINFORMATION_GROUP:
        counts["misinfo_responded"] = 1
        if seconds <= MISINFORMATION_TARGET.total_seconds():
            counts["misinfo_within_5m"] = 1
    return Tally(after.first_response_at, district_of(after), counts)


def tallies(before: Complaint | None, after: Complaint) -> list[Tally]:
    """What one change (before=None: a new complaint) adds to the counters."""
    found = []
    if before is None:
        found.append(Tally(after.received_at, UNASSIGNED, {"received": 1}))
    found += _triaged(before, after)
    if after.routed_at and not (before and before.routed_at):
        found.append(Tally(after.routed_at, district_of(after), {"routed": 1}))
    if after.first_response_at and not (before and before.first_response_at):
        found.append(_first_response(after))
    breached = breach_moment(after)
    if breached and not (before and breach_moment(before)):
        # Charged to the district that held it while the window ran, even if this change escalates it elsewhere.
        found.append(Tally(breached, district_of(before if before and before.district else after), {"breached": 1}))
    if after.resolved_at and not (before and before.resolved_at):
        found.append(Tally(after.resolved_at, district_of(after), {"resolved": 1}))
    return found

