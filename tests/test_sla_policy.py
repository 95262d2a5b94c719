"""The first-response clock as a policy: windows, notice times, what is due, pause and resume (no I/O)."""
import json
from datetime import timedelta

import pytest

from chalicelib import sla
from chalicelib.model import Complaint, Status, iso, parse_iso

RECEIVED = "2026-11-23T04:00:00.000Z"
T0 = parse_iso(RECEIVED)


def complaint(**changes) -> Complaint:
    base = Complaint(id="01JDESK0000000000000000001", state="rj", desk="rj-hq", platform="x", external_id="1",
                     kind="post", desk_account_id="1000000001", author_id="2", author_handle="c", author_name="C",
                     text="mobile chori", created_at=RECEIVED, received_at=RECEIVED, status=Status.ROUTED,
                     district="rj-jodhpur", priority="P2", group="property_crime")
    return base.evolve(**changes)


def running(**changes) -> Complaint:
    started = complaint(**changes)
    return started.evolve(**sla.clock_started(started, sla.load_rules()))


def after(minutes: float):
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize("priority, group, minutes", [
    ("P2", "property_crime", 120), ("P3", "service_request", 120), ("P1", "violent_crime", 15),
    ("P1", "misinformation", 5), ("P2", "misinformation", 5)])
def test_window_follows_priority_and_misinformation(priority, group, minutes):
    assert sla.window_for(complaint(priority=priority, group=group), sla.load_rules()) == timedelta(minutes=minutes)


def test_a_state_may_set_its_own_windows(tmp_path):
    path = tmp_path / "windows.json"
    path.write_text(json.dumps({"default": {"misinformation": 5, "P1": 15, "standard": 120},
                                "states": {"up": {"standard": 60}}}))
    rules = sla.load_rules(path=path)
    assert (sla.window_for(complaint(state="up"), rules), sla.window_for(complaint(state="rj"), rules),
            sla.window_for(complaint(state="up", priority="P1"), rules)) == (
        timedelta(minutes=60), timedelta(minutes=120), timedelta(minutes=15))


def test_window_scale_shortens_every_window():
    assert sla.window_for(complaint(), sla.load_rules(scale=0.005)) == timedelta(seconds=36)


def test_clock_counts_from_receipt_and_keeps_its_window():
    assert sla.clock_started(complaint(), sla.load_rules()) == {"sla_due_at": "2026-11-23T06:00:00.000Z",
                                                                "sla_window_seconds": 7200}


def test_notices_fall_at_half_eighty_percent_full_and_twice_the_window():
    clock = running()
    assert [sla.notice_time(clock, n) for n in sla.NOTICES] == [after(60), after(96), after(120), after(240)]


def test_first_response_due_is_the_end_of_the_window():
    assert sla.first_response_due(running(priority="P1", group="violent_crime")) == after(15)


def test_next_action_is_the_first_notice_not_yet_sent():
    assert sla.next_action_at(running()) == "2026-11-23T05:00:00.000Z"
    assert sla.next_action_at(running(sla_notices_sent=("reminder_50",))) == "2026-11-23T05:36:00.000Z"


def test_a_clock_with_every_notice_sent_has_no_next_action():
    assert sla.next_action_at(running(sla_notices_sent=("breach", "senior_escalation"))) is None


def test_a_notice_being_sent_is_next_due_when_its_claim_expires():
    clock = running(sla_sending="reminder_50", sla_sending_since="2026-11-23T05:00:10.000Z")
    assert sla.next_action_at(clock) == "2026-11-23T05:05:10.000Z"
    assert sla.due_notices(clock, after(62)) == ()
    assert [n.name for n in sla.due_notices(clock, after(66))] == ["reminder_50"]


@pytest.mark.parametrize("changes", [
    {"first_response_at": "2026-11-23T04:10:00.000Z"}, {"status": Status.RESOLVED},
    {"sla_paused_at": "2026-11-23T04:10:00.000Z"}])
def test_a_stopped_or_paused_clock_has_nothing_due(changes):
    clock = running().evolve(**changes)
    assert (sla.next_action_at(clock), sla.due_notices(clock, after(500))) == (None, ())


def test_nothing_is_due_before_half_the_window():
    assert sla.due_notices(running(), after(59)) == ()


def test_a_late_look_skips_the_reminders_a_later_reminder_overtook():
    assert [n.name for n in sla.due_notices(running(), after(100))] == ["reminder_80"]


def test_escalations_are_never_skipped():
    assert [n.name for n in sla.due_notices(running(), after(300))] == ["breach", "senior_escalation"]


def test_claiming_the_breach_marks_the_complaint_breached():
    claimed = sla.claimed(running(), sla.NOTICE_BY_NAME["breach"], after(120.5))
    assert (claimed.breached_at, claimed.sla_sending) == ("2026-11-23T06:00:30.000Z", "breach")


def test_recording_a_notice_clears_the_claim_and_moves_on():
    notice = sla.NOTICE_BY_NAME["reminder_50"]
    sent = sla.recorded(sla.claimed(running(), notice, after(60)), notice)
    assert (sent.sla_notices_sent, sent.sla_sending, sla.next_action_at(sent)) == (
        ("reminder_50",), None, "2026-11-23T05:36:00.000Z")


def test_resuming_keeps_the_time_that_was_left():
    paused = sla.paused(running(), "citizen asked to call back", after(30))
    resumed = sla.resumed(paused, after(75))
    assert (sla.first_response_due(resumed), sla.next_action_at(resumed)) == (after(165), "2026-11-23T05:45:00.000Z")


def test_pausing_a_stopped_clock_is_refused():
    with pytest.raises(sla.SlaClockError):
        sla.paused(running(first_response_at="2026-11-23T04:10:00.000Z"), "why", after(20))


def test_resuming_a_running_clock_is_refused():
    with pytest.raises(sla.SlaClockError):
        sla.resumed(running(), after(20))


def test_a_priority_raised_to_p1_keeps_the_time_a_pause_added():
    paused_ten_minutes = running()
    paused_ten_minutes = paused_ten_minutes.evolve(
        sla_due_at=iso(parse_iso(paused_ten_minutes.sla_due_at) + timedelta(minutes=10)))
    raised = sla.reclassified(paused_ten_minutes, paused_ten_minutes.evolve(priority="P1"), sla.load_rules())
    assert parse_iso(raised.sla_due_at) == after(15 + 10)
    assert raised.sla_window_seconds == 15 * 60
