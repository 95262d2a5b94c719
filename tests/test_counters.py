"""Which counters one complaint change adds to, and under which India time slot and district."""
from collections import Counter

import pytest

from chalicelib.counters import response_bucket, slot_of, tallies
from chalicelib.model import Complaint, Status

RECEIVED = "2026-11-23T03:00:00.000Z"          # 08:30 in India


def complaint(**changes) -> Complaint:
    base = Complaint(id="01JAAAAAAAAAAAAAAAAAAAAAAA", state="rj", desk="rj-hq", platform="x", external_id="1",
                     kind="post", desk_account_id="1", author_id="9", author_handle="h", author_name="n", text="t",
                     created_at=RECEIVED, received_at=RECEIVED)
    return base.evolve(**changes)


ROUTED = complaint(status=Status.ROUTED, district="rj-jodhpur", category="vehicle_theft", group="property_crime",
                   actionable=True, routed_at="2026-11-23T03:01:00.000Z", sla_due_at="2026-11-23T05:00:00.000Z")


def counted(before, after) -> dict:
    merged = {}
    for tally in tallies(before, after):
        merged.setdefault((tally.at, tally.district), Counter()).update(tally.counts)
    return {key: dict(counts) for key, counts in merged.items()}


def test_a_new_complaint_is_received_with_no_district_yet():
    assert counted(None, complaint()) == {(RECEIVED, "-"): {"received": 1}}


def test_triage_counts_actionable_category_group_and_routing_once():
    assert counted(complaint(), ROUTED) == {
        (RECEIVED, "rj-jodhpur"): {"actionable": 1, "cat#vehicle_theft": 1, "grp#property_crime": 1},
        ("2026-11-23T03:01:00.000Z", "rj-jodhpur"): {"routed": 1}}


def test_a_reroute_counts_nothing_again():
    assert counted(ROUTED, ROUTED.evolve(district="rj-balotra")) == {}


def test_a_non_actionable_post_counts_as_not_actionable():
    after = complaint(status=Status.NOT_ACTIONABLE, actionable=False, category="na_thanks", group="not_actionable")
    assert counted(complaint(), after)[(RECEIVED, "-")] == {"not_actionable": 1, "cat#na_thanks": 1,
                                                           "grp#not_actionable": 1}


def test_a_first_response_in_time_counts_its_bucket_seconds_and_sla_met():
    after = ROUTED.first_responded("2026-11-23T03:04:00.000Z")
    assert counted(ROUTED, after) == {("2026-11-23T03:04:00.000Z", "rj-jodhpur"): {
        "first_responded": 1, "response_seconds": 240, "rt_5m": 1, "sla_met": 1}}


def test_a_late_first_response_the_sweep_missed_counts_as_a_breach_not_as_met():
    after = ROUTED.first_responded("2026-11-23T05:30:00.000Z")
    assert counted(ROUTED, after) == {("2026-11-23T05:30:00.000Z", "rj-jodhpur"): {
        "first_responded": 1, "response_seconds": 9000, "rt_4h": 1, "breached": 1}}


def test_a_breach_marked_by_the_sweep_is_not_counted_again_at_the_late_response():
    breached = ROUTED.evolve(breached_at="2026-11-23T05:00:05.000Z")
    assert counted(ROUTED, breached) == {("2026-11-23T05:00:05.000Z", "rj-jodhpur"): {"breached": 1}}
    assert "breached" not in counted(breached, breached.first_responded("2026-11-23T05:30:00.000Z"))[
        ("2026-11-23T05:30:00.000Z", "rj-jodhpur")]


@pytest.mark.parametrize("answered_at, within", [("2026-11-23T03:05:00.000Z", True),
                                                 ("2026-11-23T03:05:01.000Z", False)])
def test_misinformation_counts_whether_it_was_answered_within_five_minutes(answered_at, within):
    rumour = ROUTED.evolve(category="rumour_fake_news", group="misinformation")
    counts = counted(rumour, rumour.first_responded(answered_at))[(answered_at, "rj-jodhpur")]
    assert (counts["misinfo_responded"], counts.get("misinfo_within_5m", 0)) == (1, int(within))


def test_resolution_is_counted_when_it_happens():
    responded = ROUTED.first_responded("2026-11-23T03:04:00.000Z")
    after = responded.evolve(status=Status.RESOLVED, resolved_at="2026-11-24T10:00:00.000Z")
    assert counted(responded, after) == {("2026-11-24T10:00:00.000Z", "rj-jodhpur"): {"resolved": 1}}


@pytest.mark.parametrize("seconds, bucket", [(120, "rt_2m"), (121, "rt_5m"), (7200, "rt_2h"), (14401, "rt_over_4h")])
def test_response_buckets_include_their_upper_bound(seconds, bucket):
    assert response_bucket(seconds) == bucket


def test_slots_are_india_days_and_hours():
    slot = slot_of("2026-11-22T18:45:00.000Z")           # 00:15 on the 23rd in India
    assert (slot.day, slot.hour) == ("2026-11-23", "2026-11-23T00")


def test_a_breach_escalated_to_hq_in_the_same_change_is_charged_to_the_district_that_missed_it():
    escalated = ROUTED.evolve(breached_at="2026-11-23T05:00:05.000Z", district="rj-hq")
    assert counted(ROUTED, escalated) == {("2026-11-23T05:00:05.000Z", "rj-jodhpur"): {"breached": 1}}
