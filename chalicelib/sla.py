"""The first-response clock: how long a district has, which notices a running clock sends, and when.

A routed complaint's window depends on what it is (TRIAGE.md: misinformation 5 minutes, other P1 15 minutes,
everything else 2 hours; per state in data/sla_windows.json). Four notices follow from the window: reminders to
the district at 50% and 80%, the breach at 100% (HQ is told) and a second escalation at twice the window (the
state's senior officer). The complaint records what was sent and the notice being sent (a claim): everything the
sweep needs is derived from the complaint itself, including the one time the SLA index orders it by.
Plain Python: no I/O. Times are UTC ISO strings, as everywhere in the model.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from chalicelib.model import Complaint, Status, iso, parse_iso

DATA = Path(__file__).parent / "data" / "sla_windows.json"
MISINFORMATION_GROUP = "misinformation"
# Longer than a sweep can run: a claim this old belongs to a sweep that died, and the notice is tried again.
CLAIM_LEASE = timedelta(minutes=5)


class SlaClockError(ValueError):
    """The clock cannot do that now (pause a stopped clock, resume one that runs)."""


@dataclass(frozen=True)
class Notice:
    name: str
    fraction: float                  # of the window, counted from receipt
    audience: str                    # district | hq | senior_officer
    escalation: bool                 # never skipped; a reminder overtaken by a later notice is


NOTICES = (
    Notice("reminder_50", 0.5, "district", escalation=False),
    Notice("reminder_80", 0.8, "district", escalation=False),
    Notice("breach", 1.0, "hq", escalation=True),
    Notice("senior_escalation", 2.0, "senior_officer", escalation=True),
)
NOTICE_BY_NAME = {notice.name: notice for notice in NOTICES}


@dataclass(frozen=True)
class Windows:
    misinformation: timedelta
    p1: timedelta
    standard: timedelta


@dataclass(frozen=True)
class SlaRules:
    default: Windows
    states: dict[str, Windows]
    scale: float = 1.0               # < 1 only in the local stage, to watch a breach happen within a minute

    def windows(self, state: str) -> Windows:
        return self.states.get(state, self.default)


def _windows(minutes: dict, fallback: dict) -> Windows:
    merged = {**fallback, **minutes}
    return Windows(*(timedelta(minutes=merged[key]) for key in ("misinformation", "P1", "standard")))


@lru_cache(maxsize=8)
def load_rules(scale: float = 1.0, path: Path = DATA) -> SlaRules:
    data = json.loads(path.read_text(encoding="utf-8"))
    return SlaRules(_windows(data["default"], {}),
                    {state: _windows(minutes, data["default"]) for state, minutes in data["states"].items()},
                    scale)


def window_for(complaint: Complaint, rules: SlaRules) -> timedelta:
    windows = rules.windows(complaint.state)
    if complaint.group == MISINFORMATION_GROUP:
        window = windows.misinformation
    elif complaint.priority == "P1":
        window = windows.p1
    else:
        window = windows.standard
    return window * rules.scale


def clock_started(complaint: Complaint, rules: SlaRules) -> dict:
    """The fields that start a triaged complaint's clock, counted from its receipt."""
    window = window_for(complaint, rules)
    return {"sla_due_at": iso(parse_iso(complaint.received_at) + window),
            "sla_window_seconds": round(window.total_seconds())}


def reclassified(before: Complaint, after: Complaint, rules: SlaRules) -> Complaint:
    """HQ corrected the category or priority: the clock runs against the corrected class's window, still
    counted from receipt, and a pause still moves it on. A stopped clock stays as it was."""
    if not before.sla_due_at or before.first_response_at:
        return after
    window = window_for(after, rules)
    shift = window - window_of(before)
    if not shift:
        return after
    return after.evolve(sla_due_at=iso(parse_iso(before.sla_due_at) + shift),
                        sla_window_seconds=round(window.total_seconds()))


def window_of(complaint: Complaint) -> timedelta:
    if complaint.sla_window_seconds is not None:
        return timedelta(seconds=complaint.sla_window_seconds)
    # A clock started before windows were kept on the complaint.
    return parse_iso(complaint.sla_due_at) - parse_iso(complaint.received_at)


def first_response_due(complaint: Complaint) -> datetime | None:
    """When the window closes; a pause moves it on by the time paused."""
    return parse_iso(complaint.sla_due_at) if complaint.sla_due_at else None


def notice_time(complaint: Complaint, notice: Notice) -> datetime:
    return first_response_due(complaint) + window_of(complaint) * (notice.fraction - 1)


def clock_running(complaint: Complaint) -> bool:
    return (complaint.status == Status.ROUTED and not complaint.first_response_at and bool(complaint.sla_due_at)
            and not complaint.sla_paused_at)


def pending_notices(complaint: Complaint) -> tuple[Notice, ...]:
    """The notices after the last one sent (reminders skipped for being overtaken stay behind it)."""
    sent = [i for i, notice in enumerate(NOTICES) if notice.name in complaint.sla_notices_sent]
    return NOTICES[max(sent) + 1:] if sent else NOTICES


def claim_expires(complaint: Complaint) -> datetime:
    return parse_iso(complaint.sla_sending_since) + CLAIM_LEASE


def next_action_at(complaint: Complaint) -> str | None:
    """When the sweep next has something to do for this complaint; None keeps it out of the SLA index."""
    if not clock_running(complaint):
        return None
    if complaint.sla_sending:
        return iso(claim_expires(complaint))
    pending = pending_notices(complaint)
    return iso(notice_time(complaint, pending[0])) if pending else None


def due_notices(complaint: Complaint, now: datetime) -> tuple[Notice, ...]:
    """What is due at `now`, in order, without the reminders a later due notice has overtaken (a sweep that ran
    late sends the 80% reminder, not both). A notice someone is sending is not due until its claim expires."""
    if not clock_running(complaint):
        return ()
    if complaint.sla_sending:
        return (NOTICE_BY_NAME[complaint.sla_sending],) if claim_expires(complaint) <= now else ()
    due = [notice for notice in pending_notices(complaint) if notice_time(complaint, notice) <= now]
    return tuple(notice for i, notice in enumerate(due) if notice.escalation or i == len(due) - 1)


def overtaken_by(complaint: Complaint, notice: Notice) -> tuple[str, ...]:
    """The pending reminders that sending `notice` leaves behind."""
    return tuple(n.name for n in pending_notices(complaint) if n.fraction < notice.fraction)


def claimed(complaint: Complaint, notice: Notice, now: datetime) -> Complaint:
    """The notice taken for sending; the breach is a fact from this moment, whether or not the email gets out."""
    changes = {"sla_sending": notice.name, "sla_sending_since": iso(now)}
    if notice.name == "breach" and not complaint.breached_at:
        changes["breached_at"] = iso(now)
    return complaint.evolve(**changes)


def recorded(complaint: Complaint, notice: Notice) -> Complaint:
    return complaint.evolve(sla_notices_sent=(*complaint.sla_notices_sent, notice.name),
                            sla_sending=None, sla_sending_since=None)


def released(complaint: Complaint) -> Complaint:
    """Nothing went out: the notice is due again at the next sweep."""
    return complaint.evolve(sla_sending=None, sla_sending_since=None)


def paused(complaint: Complaint, reason: str, now: datetime) -> Complaint:
    if not clock_running(complaint):
        raise SlaClockError(f"complaint {complaint.id} has no running first-response clock to pause")
    return complaint.evolve(sla_paused_at=iso(now), sla_pause_reason=reason)


def resumed(complaint: Complaint, now: datetime) -> Complaint:
    """The window goes on with the time it had left when paused: every notice moves by the pause."""
    if not complaint.sla_paused_at:
        raise SlaClockError(f"complaint {complaint.id}'s clock is not paused")
    held = max(now - parse_iso(complaint.sla_paused_at), timedelta(0))
    return complaint.evolve(sla_due_at=iso(first_response_due(complaint) + held), sla_paused_at=None,
                            sla_pause_reason=None)
