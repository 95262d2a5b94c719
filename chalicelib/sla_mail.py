"""The words of an SLA notice email: what is due or overdue, shown in India time. Plain Python, no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from chalicelib.counters import IST
from chalicelib.model import Complaint, parse_iso
from chalicelib.sla import Notice, first_response_due, window_of

TEMPLATES = Path(__file__).parent / "templates"
SUBJECTS = {
    "reminder_50": "Reminder: half the first-response time has passed, respond by {due}",
    "reminder_80": "Reminder: 80% of the first-response time has passed, respond by {due}",
    "breach": "SLA breached: no first response by {due}",
    "senior_escalation": "Escalation: still no first response, twice the window after receipt",
}
HEADINGS = {
    "reminder_50": "This complaint is waiting for its first response.",
    "reminder_80": "This complaint is close to breaching its first-response time.",
    "breach": "This complaint has had no first response within its window.",
    "senior_escalation": "This complaint has waited twice its first-response window without a response.",
}


@dataclass(frozen=True)
class NoticeEmail:
    subject: str
    text: str


def india_time(moment: datetime | str) -> str:
    moment = parse_iso(moment) if isinstance(moment, str) else moment
    return moment.astimezone(IST).strftime("%d %b %Y, %H:%M IST")


def window_text(window: timedelta) -> str:
    minutes = round(window.total_seconds() / 60)
    if minutes < 1:
        return f"{round(window.total_seconds())} seconds"
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


@lru_cache(maxsize=1)
def _template():
    import jinja2  # deferred: only the sweep renders notices

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    return env.get_template("sla_notice.txt")


def render_notice(complaint: Complaint, notice: Notice, district_name: str,
                  repeat_of: str | None = None) -> NoticeEmail:
    """A sensitive complaint's email carries its reference, district and times only (TRIAGE.md privacy).
    `repeat_of`: when an earlier, unconfirmed attempt at this notice was claimed."""
    due = india_time(first_response_due(complaint))
    subject = f"[{complaint.reference}] {SUBJECTS[notice.name].format(due=due)}"
    text = _template().render(
        heading=HEADINGS[notice.name], reference=complaint.reference, platform=complaint.platform,
        district=district_name, received=india_time(complaint.received_at), due=due,
        window=window_text(window_of(complaint)),
        paused=complaint.sla_paused_at and india_time(complaint.sla_paused_at),
        pause_reason=complaint.sla_pause_reason, sensitive=complaint.sensitive,
        category=complaint.category or "not yet known", priority=complaint.priority or "-",
        author=complaint.author_handle or complaint.author_name or complaint.author_id, text=complaint.text,
        repeat_of=repeat_of and india_time(repeat_of))
    return NoticeEmail(subject, text)
