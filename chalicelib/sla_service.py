"""The SLA sweep and the clock's other moves: first response, pause and resume.

Each notice is sent at most once by the sweeps that overlap: a sweep first claims it on the complaint (a
version-checked update recording it as being sent), then emails, then records it sent. A send that fails gives
the claim back. A claim older than the lease (chalicelib/sla.py) belongs to a sweep that died and is tried again;
only a sweep dying in the instant between SES accepting the email and the record can make that a repeat, and
the retried email says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from chalicelib import sla
from chalicelib.contacts import district_cell, state_addresses
from chalicelib.model import DESK_REPLY, AuditEvent, Complaint, InboundPost, iso, parse_iso, utc_now
from chalicelib.observability import count, logger
from chalicelib.sla_mail import render_notice
from chalicelib.store import VersionConflictError

ACTOR = "system:sla"
PAGE_SIZE = 100
ATTEMPTS = 4                         # re-reads after a concurrent change before giving up for this run


@dataclass
class SweepReport:
    items_read: int = 0              # SLA index items read: the sweep's cost
    sent: list[str] = field(default_factory=list)       # "<complaint id> <notice>"
    failed: list[str] = field(default_factory=list)
    unfinished: bool = False         # stopped for time; the next run continues

    def to_dict(self) -> dict:
        return {"items_read": self.items_read, "sent": self.sent, "failed": self.failed,
                "unfinished": self.unfinished}


@dataclass(frozen=True)
class Notifier:
    """Who hears of a notice and how: email always; a tag reply on X for states that want one."""
    mailer: object
    queues: object
    registry: object
    tag_states: tuple[str, ...] = ()

    def recipients(self, complaint: Complaint, notice: sla.Notice) -> list[str]:
        district = self.registry.get(complaint.district)
        if notice.audience == "district" and not (district and district.is_desk):
            return district_cell(complaint.district)
        # A complaint still with a desk (HQ triage, the NRI desk) reminds HQ itself.
        return state_addresses(complaint.state, "hq" if notice.audience == "district" else notice.audience)

    def district_name(self, complaint: Complaint) -> str:
        district = self.registry.get(complaint.district)
        return district.name_en if district else complaint.district

    def send(self, complaint: Complaint, notice: sla.Notice, repeat_of: str | None) -> dict:
        email = render_notice(complaint, notice, self.district_name(complaint), repeat_of)
        to = self.recipients(complaint, notice)
        details = {"notice": notice.name, "recipients": to,
                   "message_id": self.mailer.send(to, email.subject, email.text)}
        handle = self.tag_handle(complaint, notice)
        if handle:
            details["tag_reply_id"] = self.tag(complaint, handle)
        return details

    def tag_handle(self, complaint: Complaint, notice: sla.Notice) -> str | None:
        """Only a handle seen in a public source (never a guessed one), and never in public on a sensitive
        complaint's thread."""
        if notice.audience != "district" or complaint.state not in self.tag_states or complaint.sensitive \
                or complaint.platform != "x":
            return None
        district = self.registry.get(complaint.district)
        return district.x_handles[0] if district and district.handles_confirmed and district.x_handles else None

    def tag(self, complaint: Complaint, handle: str) -> str | None:
        from chalicelib.replies import request_reply

        text = f"@{handle.lstrip('@')} कृपया इस शिकायत पर कार्रवाई करें / please respond. Ref {complaint.reference}"
        try:
            return request_reply(self.queues, complaint.id, "reminder_tag", text, ACTOR)
        except Exception:  # the tag is a courtesy on top of the email, which has gone: never resend for it
            logger().exception("reminder tag not queued", extra={"complaint_id": complaint.id})
            return None


def change_complaint(store, complaint_id: str, change: Callable[[Complaint], Complaint],
                     event: Callable[[Complaint], AuditEvent],
                     retry_on: tuple[type[Exception], ...] = (VersionConflictError,)) -> Complaint:
    """Read, change, write; on a concurrent change read again and re-apply (these changes do not depend on
    what the other writer did). A change that leaves the complaint as it is writes nothing."""
    for attempt in range(1, ATTEMPTS + 1):
        current = store.get(complaint_id)
        after = change(current)
        if after == current:
            return current
        try:
            return store.update(current, after, event(current))
        except retry_on:
            if attempt == ATTEMPTS:
                raise


def claim(store, complaint: Complaint, notice: sla.Notice, now: datetime, repeat_of: str | None) -> Complaint:
    """Raises VersionConflictError when another sweep (or anyone) changed the complaint since it was read."""
    saved = store.update(complaint, sla.claimed(complaint, notice, now), AuditEvent(
        complaint.id, iso(now), ACTOR, "sla_notice_claimed",
        {"notice": notice.name, "overtaken": list(sla.overtaken_by(complaint, notice)), "repeat_of": repeat_of}))
    if saved.breached_at and not complaint.breached_at:
        count("SlaBreaches", district=saved.district)
        logger().warning("first-response window breached", extra={"complaint_id": saved.id, "district": saved.district})
    return saved


def holds_claim(complaint: Complaint, notice: sla.Notice, claimed_at: datetime) -> bool:
    return complaint.sla_sending == notice.name and complaint.sla_sending_since == iso(claimed_at)


def record_sent(store, claimed_complaint: Complaint, notice: sla.Notice, now: datetime, details: dict) -> None:
    """The email is out: any failure to record it is retried here, since giving up means sending it again."""
    change_complaint(
        store, claimed_complaint.id,
        lambda c: sla.recorded(c, notice) if holds_claim(c, notice, now) else c,
        lambda c: AuditEvent(c.id, iso(utc_now()), ACTOR, "sla_notice_sent", details), retry_on=(Exception,))
    count("SlaNoticesSent", district=claimed_complaint.district, notice=notice.name)


def release(store, claimed_complaint: Complaint, notice: sla.Notice, now: datetime, error: Exception) -> None:
    change_complaint(
        store, claimed_complaint.id,
        lambda c: sla.released(c) if holds_claim(c, notice, now) else c,
        lambda c: AuditEvent(c.id, iso(utc_now()), ACTOR, "sla_notice_failed", {"notice": notice.name,
                                                                                 "error": str(error)[:500]}))


def send_notice(store, notifier: Notifier, complaint: Complaint, notice: sla.Notice, now: datetime) -> bool:
    """Claim, send, record. False when another sweep got the claim; a failed send gives the claim back and raises.
    `repeat_of`: the start of an expired claim on this notice, whose email may or may not have gone out."""
    repeat_of = complaint.sla_sending_since if complaint.sla_sending == notice.name else None
    try:
        claimed_complaint = claim(store, complaint, notice, now, repeat_of)
    except VersionConflictError:
        return False
    try:
        details = notifier.send(claimed_complaint, notice, repeat_of)
    except Exception as error:  # SES refused or was unreachable: nothing went out, the next sweep tries again
        logger().exception("SLA notice not sent", extra={"complaint_id": complaint.id, "notice": notice.name})
        release(store, claimed_complaint, notice, now, error)
        raise
    record_sent(store, claimed_complaint, notice, now, details)
    logger().info("SLA notice sent", extra={"complaint_id": complaint.id, "notice": notice.name})
    return True


def handle_due(store, notifier: Notifier, complaint: Complaint, now: datetime, report: SweepReport) -> None:
    """Every notice due for one complaint, in order; a lost race re-reads it (the winner may have sent it)."""
    for _ in range(len(sla.NOTICES) + ATTEMPTS):
        due = sla.due_notices(complaint, now)
        if not due:
            return
        if send_notice(store, notifier, complaint, due[0], now):
            report.sent.append(f"{complaint.id} {due[0].name}")
        complaint = store.get(complaint.id)


def sweep(store, notifier: Notifier, now: datetime, page_size: int = PAGE_SIZE,
          has_time: Callable[[], bool] = lambda: True) -> SweepReport:
    """Everything due by `now`, oldest first, page by page: a run after a late or missed one catches up.
    It stops starting notices when `has_time()` turns false, so a Lambda timeout never cuts one in half;
    the next run goes on from the oldest."""
    report, start = SweepReport(), None
    while True:
        page, start = store.due_before(iso(now), page_size, start)
        report.items_read += len(page)
        for complaint in page:
            if not has_time():
                report.unfinished = True
                return report
            try:
                handle_due(store, notifier, complaint, now, report)
            except Exception:  # one complaint's trouble must not stop the others' notices
                logger().exception("SLA sweep failed on a complaint", extra={"complaint_id": complaint.id})
                report.failed.append(complaint.id)
        if not start:
            return report


def run_sweep(scheduled_at: str, store, mailer, queues, registry, settings,
              remaining_millis: Callable[[], int] | None = None) -> dict:
    """The schedule's entry point. Uses the clock, not the event's time: a delayed run acts on what is due now."""
    notifier = Notifier(mailer, queues, registry, settings.sla_reminder_tag_states)
    reserve = settings.sla_sweep_time_reserve_ms    # for the notice in hand: claim, SES, record
    report = sweep(store, notifier, utc_now(),
                   has_time=lambda: remaining_millis is None or remaining_millis() > reserve)
    logger().info("SLA sweep done", extra={"scheduled_at": scheduled_at, **report.to_dict()})
    return report.to_dict()


def record_first_response(store, complaint_id: str, at: str, actor: str, channel: str) -> Complaint:
    """The clock stops at the first response (later ones change nothing). `channel`: desk | platform_reply."""
    before = store.get(complaint_id)
    saved = change_complaint(store, complaint_id, lambda c: c.first_responded(at),
                             lambda c: AuditEvent(c.id, at, actor, "first_response", {"channel": channel}))
    if saved.first_response_at == at:
        count_first_response(before, saved)
    return saved


def count_first_response(before: Complaint, after: Complaint) -> None:
    """The FirstResponseSeconds metric, when this change is the one that stopped the clock."""
    if after.first_response_at and not before.first_response_at:
        seconds = max(0.0, (parse_iso(after.first_response_at) - parse_iso(after.received_at)).total_seconds())
        count("FirstResponseSeconds", seconds, "Seconds", district=after.district or "-")


def record_desk_reply(post: InboundPost, store) -> Complaint | None:
    """The desk's (or a district account's) own answer on the platform, seen in its webhook stream: the first
    response to the complaint it answers. Replies the desk sent itself (acknowledgements, reminder tags,
    officers' replies) were recorded when sent and are not counted again."""
    if post.kind != DESK_REPLY or not post.reply_to_id or store.find_by_reply(post.platform, post.external_id):
        return None
    complaint = store.find_by_external(post.platform, post.reply_to_id)
    if complaint is None:
        return None
    return record_first_response(store, complaint.id, post.created_at, f"platform:{post.platform}", "platform_reply")


def pause_clock(store, complaint_id: str, reason: str, actor: str, now: datetime | None = None) -> Complaint:
    """HQ stops the clock with a reason; the complaint leaves the sweep's index until resumed.
    Raises sla.SlaClockError when the clock is not running."""
    moment = now or utc_now()
    return change_complaint(store, complaint_id, lambda c: sla.paused(c, reason, moment),
                            lambda c: AuditEvent(c.id, iso(moment), actor, "sla_paused", {"reason": reason}))


def resume_clock(store, complaint_id: str, actor: str, reason: str | None = None,
                 now: datetime | None = None) -> Complaint:
    """The clock runs on with the time it had left; raises sla.SlaClockError when it is not paused."""
    moment = now or utc_now()
    return change_complaint(
        store, complaint_id, lambda c: sla.resumed(c, moment),
        lambda c: AuditEvent(c.id, iso(moment), actor, "sla_resumed",
                             {"reason": reason, "paused_at": c.sla_paused_at, "pause_reason": c.sla_pause_reason}))
