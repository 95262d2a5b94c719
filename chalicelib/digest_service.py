"""Digest runs: which digest is due when, and sending one (read counters, build figures, render, email HQ)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from chalicelib.contacts import state_addresses
from chalicelib.counters import IST
from chalicelib.digest import Period, build_digest, daily_period, shift_ending
from chalicelib.digest_mail import names_for, render
from chalicelib.model import iso, parse_iso
from chalicelib.observability import logger


@dataclass(frozen=True)
class DigestRun:
    state: str
    period: str
    sent: bool
    recipients: tuple[str, ...] = ()
    items_read: int = 0
    message_id: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def digest_states() -> list[str]:
    from chalicelib.districts import load_registry

    return sorted({d.state for d in load_registry().districts})


def send_digest(state: str, period: Period, analytics, mailer, now: datetime, breach_limit: int,
                force: bool = False) -> DigestRun:
    """Once per (state, period) unless forced; a failed send releases its claim so a retry sends it."""
    if not force and not analytics.claim_digest(state, period.id, iso(now)):
        logger().info("digest already sent", extra={"state": state, "period": period.id})
        return DigestRun(state, period.id, sent=False)
    try:
        reads_before = analytics.items_read
        digest = build_digest(state, period, analytics.counter_rows(state, period.slot_keys()),
                              analytics.counter_rows(state, period.previous().slot_keys()),
                              analytics.open_breaches(state, breach_limit), analytics.open_breach_counts(state),
                              now, names_for(state))
        email = render(digest)
        recipients = state_addresses(state, "digest")
        message_id = mailer.send(recipients, email.subject, email.text, email.html, email.images)
    except Exception:
        if not force:
            analytics.release_digest(state, period.id)
        raise
    run = DigestRun(state, period.id, True, tuple(recipients), analytics.items_read - reads_before, message_id)
    logger().info("digest sent", extra=run.to_dict())
    return run


def send_daily_digests(analytics, mailer, scheduled_at: str, settings) -> list[dict]:
    """At 08:00 India time: yesterday's digest (India day) for every state."""
    now = parse_iso(scheduled_at)
    period = daily_period((now.astimezone(IST) - timedelta(days=1)).date())
    return [send_digest(state, period, analytics, mailer, now, settings.digest_breaches_shown).to_dict()
            for state in digest_states()]


def send_due_shift_digests(analytics, mailer, scheduled_at: str, settings) -> list[dict]:
    """Fired every India hour; at a configured shift start, the digest of the shift that just ended."""
    now = parse_iso(scheduled_at)
    if now.astimezone(IST).hour not in settings.digest_shift_start_hours_ist:
        return []
    period = shift_ending(now, settings.digest_shift_start_hours_ist)
    return [send_digest(state, period, analytics, mailer, now, settings.digest_breaches_shown).to_dict()
            for state in digest_states()]
