"""The SLA sweep against the table (moto): reminders, breach, escalation, each exactly once, and the clock's stops."""
import threading
from datetime import timedelta

import pytest

from chalicelib import sla
from chalicelib.districts import load_registry
from chalicelib.model import AuditEvent, Complaint, Status, new_id, parse_iso
from chalicelib.sla_service import Notifier, pause_clock, record_first_response, resume_clock, sweep
from tests.conftest import drain

RECEIVED = "2026-11-23T04:00:00.000Z"
T0 = parse_iso(RECEIVED)
CELL = ["cell-rj-jodhpur@police.example.in"]
HQ = ["sm-cell-hq@rajpolice.example.in"]
SENIOR = ["adg-crime@rajpolice.example.in"]


def after(minutes: float):
    return T0 + timedelta(minutes=minutes)


class RecordingMailer:
    """Stands in for SES: keeps what was sent; thread-safe, since sweeps overlap in these tests."""

    def __init__(self):
        self.sent = []
        self._lock = threading.Lock()

    def send(self, to, subject, text, html=None, images=()):
        with self._lock:
            self.sent.append((tuple(to), subject, text))
            return f"ses-{len(self.sent)}"

    def recipients(self):
        return [to for to, _, _ in self.sent]


@pytest.fixture
def mailer():
    return RecordingMailer()


@pytest.fixture
def notifier(mailer, queues):
    return Notifier(mailer, queues, load_registry())


@pytest.fixture
def routed(store):
    """Store complaints whose clock started at RECEIVED (standard 2-hour window unless told)."""
    def make(received_at: str = RECEIVED, **changes) -> Complaint:
        complaint = Complaint(id=new_id(parse_iso(received_at)), state="rj", desk="rj-hq", platform="x",
                              external_id=new_id(), kind="post", desk_account_id="1000000001", author_id="2",
                              author_handle="citizen_one", author_name="Citizen", text="mera mobile chori ho gaya",
                              created_at=received_at, received_at=received_at)
        store.add_new(complaint, AuditEvent(complaint.id, received_at, "platform:x", "received"))
        triaged = complaint.evolve(**{"status": Status.ROUTED, "district": "rj-jodhpur", "routed_at": received_at,
                                      "priority": "P2", "group": "property_crime", "category": "mobile_theft",
                                      **changes})
        return store.update(complaint, triaged.evolve(**sla.clock_started(triaged, sla.load_rules())))
    return make


def actions(store, complaint_id: str) -> list[str]:
    return [event["action"] for event in store.audit_trail(complaint_id)]


def test_nothing_is_sent_before_half_the_window(store, notifier, mailer, routed):
    routed()
    assert (sweep(store, notifier, after(59)).sent, mailer.sent) == ([], [])


def test_district_cell_gets_a_reminder_at_half_the_window(store, notifier, mailer, routed):
    complaint = routed()
    sweep(store, notifier, after(61))
    assert mailer.recipients() == [tuple(CELL)]
    assert store.get(complaint.id).sla_notices_sent == ("reminder_50",)


def test_the_second_reminder_comes_at_eighty_percent(store, notifier, mailer, routed):
    routed()
    for minutes in (61, 62, 90, 97, 98):
        sweep(store, notifier, after(minutes))
    assert [subject.split("] ")[1][:12] for _, subject, _ in mailer.sent] == ["Reminder: ha", "Reminder: 80"]


def test_a_late_sweep_sends_only_the_latest_reminder_and_records_the_skipped_one(store, notifier, mailer, routed):
    complaint = routed()
    sweep(store, notifier, after(100))
    assert len(mailer.sent) == 1 and "80%" in mailer.sent[0][1]
    claim = next(e for e in store.audit_trail(complaint.id) if e["action"] == "sla_notice_claimed")
    assert claim["details"]["overtaken"] == ["reminder_50"]


def test_breach_marks_the_complaint_emails_hq_and_lists_an_open_breach(store, notifier, mailer, routed):
    from chalicelib.analytics_table import AnalyticsTable

    complaint = routed(sla_notices_sent=("reminder_50", "reminder_80"))
    sweep(store, notifier, after(120.5))
    breached = store.get(complaint.id)
    assert breached.breached_at == "2026-11-23T06:00:30.000Z" and mailer.recipients() == [tuple(HQ)]
    assert [b["complaint_id"] for b in AnalyticsTable(store.table_name).open_breaches("rj", 10)] == [complaint.id]


def test_senior_officer_is_told_at_twice_the_window(store, notifier, mailer, routed):
    routed(sla_notices_sent=("reminder_50", "reminder_80", "breach"))
    sweep(store, notifier, after(239))
    sweep(store, notifier, after(241))
    assert mailer.recipients() == [tuple(SENIOR)]


def test_a_sweep_after_hours_of_outage_sends_the_breach_and_the_escalation(store, notifier, mailer, routed):
    complaint = routed()
    sweep(store, notifier, after(300))
    assert mailer.recipients() == [tuple(HQ), tuple(SENIOR)]
    assert store.get(complaint.id).sla_notices_sent == ("breach", "senior_escalation")


def test_after_the_last_notice_the_complaint_leaves_the_sweeps_index(store, notifier, routed):
    routed()
    sweep(store, notifier, after(300))
    assert store.due_before("2099-01-01T00:00:00.000Z") == ([], None)


def test_the_sweep_reads_only_complaints_with_something_due(store, notifier, routed):
    routed(), routed(), routed(received_at="2026-11-23T05:00:00.000Z")
    assert sweep(store, notifier, after(61)).items_read == 2


def test_a_late_run_catches_up_oldest_first_across_pages(store, notifier, mailer, routed):
    complaints = [routed(received_at=f"2026-11-23T04:0{i}:00.000Z") for i in (4, 1, 3, 0, 2)]
    report = sweep(store, notifier, after(70), page_size=2)
    assert [line.split()[0] for line in report.sent] == sorted(c.id for c in complaints)
    assert len(mailer.sent) == 5


def test_a_sweep_out_of_time_stops_between_complaints_and_the_next_run_goes_on(store, notifier, mailer, routed):
    routed(), routed()
    checks = iter([True, False])
    first = sweep(store, notifier, after(61), has_time=lambda: next(checks))
    second = sweep(store, notifier, after(62))
    assert (len(first.sent), first.unfinished, len(second.sent), second.unfinished) == (1, True, 1, False)


def test_a_complaint_still_with_the_hq_desk_reminds_hq(store, notifier, mailer, routed):
    routed(district="rj-hq")
    sweep(store, notifier, after(61))
    assert mailer.recipients() == [tuple(HQ)]


def test_first_response_stops_the_clock(store, notifier, mailer, routed):
    complaint = routed()
    answered = record_first_response(store, complaint.id, "2026-11-23T04:30:00.000Z", "officer:rj-17", "desk")
    sweep(store, notifier, after(300))
    assert (answered.status, mailer.sent) == (Status.RESPONDED, [])
    assert store.due_before("2099-01-01T00:00:00.000Z") == ([], None)


def test_a_later_response_does_not_move_the_first(store, routed):
    complaint = routed()
    record_first_response(store, complaint.id, "2026-11-23T04:30:00.000Z", "officer:rj-17", "desk")
    again = record_first_response(store, complaint.id, "2026-11-23T04:50:00.000Z", "officer:rj-17", "desk")
    assert again.first_response_at == "2026-11-23T04:30:00.000Z" and actions(store, complaint.id).count(
        "first_response") == 1


def test_a_paused_clock_sends_nothing_and_leaves_the_index(store, notifier, mailer, routed):
    complaint = routed()
    pause_clock(store, complaint.id, "citizen unreachable, calling back", "officer:hq-1", now=after(10))
    sweep(store, notifier, after(300))
    assert mailer.sent == [] and store.due_before("2099-01-01T00:00:00.000Z") == ([], None)


def test_a_resumed_clock_runs_on_with_the_time_it_had_left(store, notifier, mailer, routed):
    complaint = routed()
    pause_clock(store, complaint.id, "citizen unreachable", "officer:hq-1", now=after(10))
    resumed = resume_clock(store, complaint.id, "officer:hq-1", "reached", now=after(40))
    sweep(store, notifier, after(89))
    assert (resumed.sla_due_at, mailer.sent) == ("2026-11-23T06:30:00.000Z", [])
    sweep(store, notifier, after(91))
    assert len(mailer.sent) == 1


def test_pause_and_resume_are_audited_with_their_reasons(store, routed):
    complaint = routed()
    pause_clock(store, complaint.id, "awaiting call back", "officer:hq-1", now=after(10))
    resume_clock(store, complaint.id, "officer:hq-1", "called", now=after(40))
    events = {e["action"]: e for e in store.audit_trail(complaint.id)}
    assert events["sla_paused"]["details"] == {"reason": "awaiting call back"}
    assert (events["sla_resumed"]["actor"], events["sla_resumed"]["details"]["pause_reason"],
            events["sla_resumed"]["details"]["reason"]) == ("officer:hq-1", "awaiting call back", "called")


def test_pausing_a_clock_twice_is_refused(store, routed):
    complaint = routed()
    pause_clock(store, complaint.id, "first", "officer:hq-1", now=after(10))
    with pytest.raises(sla.SlaClockError):
        pause_clock(store, complaint.id, "second", "officer:hq-1", now=after(11))


def test_rerouting_keeps_the_original_clock(store, notifier, mailer, routed):
    complaint = routed()
    store.update(complaint, complaint.evolve(district="rj-jodhpur-rural"))
    sweep(store, notifier, after(61))
    assert mailer.recipients() == [("cell-rj-jodhpur-rural@police.example.in",)]


def test_states_that_want_it_get_a_tag_reply_on_x_with_the_reminder(store, mailer, queues, routed):
    complaint = routed(district="rj-balotra")
    sweep(store, Notifier(mailer, queues, load_registry(), ("rj",)), after(61))
    [tag] = drain(queues, "desk-outbound")
    assert (tag["purpose"], tag["complaint_id"], tag["requested_by"]) == ("reminder_tag", complaint.id, "system:sla")
    assert tag["text"].startswith("@")


def test_a_sensitive_complaint_gets_no_public_tag(store, mailer, queues, routed):
    routed(district="rj-balotra", sensitive=True)
    sweep(store, Notifier(mailer, queues, load_registry(), ("rj",)), after(61))
    assert drain(queues, "desk-outbound") == [] and len(mailer.sent) == 1


# Exactly once: overlapping sweeps and sweeps that fail half way.

@pytest.fixture
def atomic_requests(monkeypatch):
    """DynamoDB applies each request atomically; in-process moto does not (a transaction deep-copies a table
    that another thread is writing), so each request is made atomic here, and only that: the sweeps' reads,
    claims, sends and records still interleave."""
    from moto.core.botocore_stubber import BotocoreStubber

    lock, original = threading.Lock(), BotocoreStubber.process_request

    def atomic(self, request):
        with lock:
            return original(self, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", atomic)


def overlapping_sweeps(store, notifier, moment, count: int):
    """Run `count` sweeps at once, each with its own boto3 resource (boto3 resources are not thread-safe)."""
    import boto3

    from chalicelib.store import ComplaintStore

    stores = [ComplaintStore(store.table_name, boto3.resource("dynamodb")) for _ in range(count)]
    all_about_to_claim, reports = threading.Barrier(count, timeout=20), []

    def run(own_store):
        write = own_store.update

        def wait_for_the_others_then_write(*args):
            # Every sweep has read the same complaint and decided to claim it before any of them writes.
            own_store.update = write
            all_about_to_claim.wait()
            return write(*args)

        own_store.update = wait_for_the_others_then_write
        reports.append(sweep(own_store, notifier, moment))

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return reports


def test_reminder_is_sent_once_when_two_sweeps_overlap(store, notifier, mailer, routed, atomic_requests):
    complaint = routed()
    overlapping_sweeps(store, notifier, after(61), 2)
    assert len(mailer.sent) == 1 and store.get(complaint.id).sla_notices_sent == ("reminder_50",)


def test_many_overlapping_sweeps_send_each_notice_once_per_complaint(store, notifier, mailer, routed,
                                                                    atomic_requests):
    complaints = [routed() for _ in range(8)]
    for minutes in (61, 97, 121, 241):
        reports = overlapping_sweeps(store, notifier, after(minutes), 4)
        assert not any(r.failed for r in reports)
    assert len(mailer.sent) == 8 * 4
    assert {store.get(c.id).sla_notices_sent for c in complaints} == {tuple(n.name for n in sla.NOTICES)}


def test_a_failure_to_record_a_sent_notice_is_retried_without_sending_again(store, notifier, mailer, routed):
    complaint = routed()
    original_update, failures = store.update, []

    def update_failing_once_after_the_send(before, after_change, *events):
        if mailer.sent and not failures:
            failures.append("injected")
            raise ConnectionError("DynamoDB unreachable after the email went out")
        return original_update(before, after_change, *events)

    store.update = update_failing_once_after_the_send
    sweep(store, notifier, after(61))
    store.update = original_update
    sweep(store, notifier, after(70))
    sweep(store, notifier, after(95))
    assert (failures, len(mailer.sent), store.get(complaint.id).sla_notices_sent) == (["injected"], 1, ("reminder_50",))


class SweepDied(BaseException):
    """The Lambda is killed: nothing after this point runs, not even except-Exception handlers."""


def test_a_notice_claimed_by_a_sweep_that_died_is_not_sent_by_others_within_the_lease(store, mailer, queues, routed):
    class DyingMailer:
        def send(self, *args, **kwargs):
            raise SweepDied()

    complaint = routed()
    with pytest.raises(SweepDied):
        sweep(store, Notifier(DyingMailer(), queues, load_registry()), after(61))
    sweep(store, Notifier(mailer, queues, load_registry()), after(63))
    assert mailer.sent == [] and store.get(complaint.id).sla_sending == "reminder_50"


def test_a_claim_older_than_the_lease_is_sent_by_the_next_sweep_and_says_it_may_repeat(store, mailer, queues, routed):
    class MailerDyingAfterSending(RecordingMailer):
        def send(self, *args, **kwargs):
            super().send(*args, **kwargs)
            raise SweepDied()

    complaint = routed()
    dying = MailerDyingAfterSending()
    with pytest.raises(SweepDied):
        sweep(store, Notifier(dying, queues, load_registry()), after(61))
    sweep(store, Notifier(mailer, queues, load_registry()), after(61) + sla.CLAIM_LEASE + timedelta(seconds=1))
    assert len(dying.sent) == 1 and len(mailer.sent) == 1
    assert "may repeat" in mailer.sent[0][2] and "10:31 IST" in mailer.sent[0][2]
    assert store.get(complaint.id).sla_notices_sent == ("reminder_50",)


def test_a_failed_send_gives_the_claim_back_for_the_next_sweep(store, mailer, queues, routed):
    class RefusingMailer:
        def send(self, *args, **kwargs):
            raise RuntimeError("SES throttled")

    complaint = routed()
    report = sweep(store, Notifier(RefusingMailer(), queues, load_registry()), after(61))
    assert report.failed == [complaint.id] and store.get(complaint.id).sla_sending is None
    sweep(store, Notifier(mailer, queues, load_registry()), after(62))
    assert len(mailer.sent) == 1 and "sla_notice_failed" in actions(store, complaint.id)


# Metrics (EMF lines on stdout, as CloudWatch reads them from the Lambda's log)

def emitted(capsys) -> dict:
    import json

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    return {metric["Name"]: line for line in lines for metric in line["_aws"]["CloudWatchMetrics"][0]["Metrics"]}


def test_a_breach_and_its_notice_are_counted_per_district(store, notifier, routed, monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    routed(sla_notices_sent=("reminder_50", "reminder_80"))
    sweep(store, notifier, after(121))
    metrics = emitted(capsys)
    assert (metrics["SlaBreaches"]["district"], metrics["SlaBreaches"]["SlaBreaches"]) == ("rj-jodhpur", [1.0])
    assert (metrics["SlaNoticesSent"]["notice"], metrics["SlaNoticesSent"]["district"]) == ("breach", "rj-jodhpur")


def test_the_first_response_time_is_counted_in_seconds_per_district(store, routed, monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    complaint = routed()
    record_first_response(store, complaint.id, "2026-11-23T04:02:30.000Z", "officer:rj-17", "desk")
    metric = emitted(capsys)["FirstResponseSeconds"]
    assert (metric["FirstResponseSeconds"], metric["district"]) == ([150.0], "rj-jodhpur")
