"""Digest figures from counter rows, each checked against numbers worked out by hand (see the fixture)."""
from collections import Counter
from datetime import date, datetime, timezone

import pytest

from chalicelib.digest import Names, build_digest, daily_period, duration_text, quantile_bucket, shift_ending

NAMES = Names(
    districts={"rj-jodhpur": "Jodhpur", "rj-balotra": "Balotra", "rj-hq": "HQ desk"},
    desks=frozenset({"rj-hq"}),
    categories={"vehicle_theft": "Vehicle theft", "rape_sexual_assault": "Rape", "general_query": "General query",
                "police_misconduct_corruption": "Police misconduct", "rumour_fake_news": "Rumour",
                "na_thanks": "Thanks"},
    category_groups={"vehicle_theft": "property_crime", "rape_sexual_assault": "women_children",
                     "general_query": "service_request", "police_misconduct_corruption": "police_conduct",
                     "rumour_fake_news": "misinformation", "na_thanks": "not_actionable"},
)
# 22 Nov: Jodhpur answered in 60 s, 240 s and 9,000 s (the last one late: 2 met, 1 breached);
# Balotra in 120 s and 600 s (one of them misinformation, within 5 min); HQ desk in 30 s.
TODAY = [
    {"district": "-", "received": 10},
    {"district": "rj-jodhpur", "actionable": 4, "not_actionable": 1, "routed": 4, "first_responded": 3,
     "response_seconds": 9300, "rt_2m": 1, "rt_5m": 1, "rt_4h": 1, "sla_met": 2, "breached": 1, "resolved": 1,
     "cat#vehicle_theft": 2, "cat#rape_sexual_assault": 1, "cat#police_misconduct_corruption": 1, "cat#na_thanks": 1,
     "grp#property_crime": 2, "grp#women_children": 1, "grp#police_conduct": 1, "grp#not_actionable": 1},
    {"district": "rj-balotra", "actionable": 3, "routed": 3, "first_responded": 2, "response_seconds": 720,
     "rt_2m": 1, "rt_15m": 1, "sla_met": 2, "misinfo_responded": 1, "misinfo_within_5m": 1,
     "cat#rumour_fake_news": 1, "cat#vehicle_theft": 2, "grp#misinformation": 1, "grp#property_crime": 2},
    {"district": "rj-hq", "actionable": 2, "routed": 2, "first_responded": 1, "response_seconds": 30, "rt_2m": 1,
     "sla_met": 1, "cat#general_query": 2, "grp#service_request": 2},
]
YESTERDAY = [
    {"district": "rj-jodhpur", "cat#vehicle_theft": 1, "grp#property_crime": 1,
     "cat#police_misconduct_corruption": 3, "grp#police_conduct": 3},
    {"district": "rj-balotra", "cat#vehicle_theft": 2, "grp#property_crime": 2},
]
BREACHES = [
    {"complaint_id": "01JOLDEST", "district": "rj-jodhpur", "received_at": "2026-11-23T00:00:00.000Z",
     "category": "vehicle_theft", "sensitive": False},
    {"complaint_id": "01JNEWER", "district": "rj-balotra", "received_at": "2026-11-23T01:00:00.000Z",
     "sensitive": True},
]
OPEN_NOW = {"rj-jodhpur": 1, "rj-balotra": 1}
NOW = datetime(2026, 11, 23, 2, 30, tzinfo=timezone.utc)


@pytest.fixture
def digest():
    return build_digest("rj", daily_period(date(2026, 11, 22)), TODAY, YESTERDAY, BREACHES[:1], OPEN_NOW, NOW, NAMES)


def test_totals_add_up_every_district(digest):
    totals = digest.totals
    assert [totals[k] for k in ("received", "actionable", "not_actionable", "routed", "first_responded", "resolved",
                                "sla_met", "breached")] == [10, 9, 1, 9, 6, 1, 5, 1]


def test_compliance_is_first_responses_in_time_over_all_outcomes(digest):
    assert digest.compliance == 83.3          # 5 of 6


def test_compliance_per_district(digest):
    assert {d.name: d.compliance for d in digest.districts} == {"Balotra": 100.0, "HQ desk": 100.0, "Jodhpur": 66.7}


def test_league_ranks_districts_by_mean_response_and_leaves_out_desks(digest):
    assert [(d.name, d.mean_seconds) for d in digest.league] == [("Balotra", 360.0), ("Jodhpur", 3100.0)]


def test_median_and_90th_percentile_are_the_buckets_they_fall_in(digest):
    jodhpur, balotra = digest.league[1], digest.league[0]
    assert (jodhpur.median_bucket, jodhpur.p90_bucket) == ("rt_5m", "rt_4h")
    assert (balotra.median_bucket, balotra.p90_bucket) == ("rt_2m", "rt_15m")


def test_response_time_distribution_over_the_state(digest):
    assert dict(digest.response_buckets) == {"≤ 2 min": 3, "≤ 5 min": 1, "≤ 15 min": 1, "≤ 30 min": 0, "≤ 1 h": 0,
                                             "≤ 2 h": 0, "≤ 4 h": 1, "> 4 h": 0}


def test_misinformation_answered_within_five_minutes(digest):
    assert digest.misinformation_within_target == 100.0


def test_category_counts_leave_out_non_actionable_and_compare_with_the_previous_period(digest):
    assert [(c.what, c.now, c.before) for c in digest.category_counts] == [
        ("Vehicle theft", 4, 3), ("General query", 2, 0), ("Police misconduct", 1, 3), ("Rape", 1, 0), ("Rumour", 1, 0)]


def test_biggest_movers_are_district_category_pairs_by_size_of_change(digest):
    assert [(m.what, m.delta) for m in digest.movers] == [
        ("HQ desk · General query", 2), ("Jodhpur · Police misconduct", -2), ("Balotra · Rumour", 1),
        ("Jodhpur · Rape", 1), ("Jodhpur · Vehicle theft", 1)]


def test_focus_groups_by_district(digest):
    assert [(c.what, c.now, c.before) for c in digest.focus["women_children"]] == [("Jodhpur", 1, 0)]
    assert [(c.what, c.now, c.before) for c in digest.focus["police_conduct"]] == [("Jodhpur", 1, 3)]


def test_which_areas_report_what(digest):
    assert digest.district_categories == [
        ("Jodhpur", [("Vehicle theft", 2), ("Police misconduct", 1), ("Rape", 1)]),
        ("Balotra", [("Vehicle theft", 2), ("Rumour", 1)]),
        ("HQ desk", [("General query", 2)])]


def test_open_breaches_show_reference_age_and_district_and_how_many_are_not_listed(digest):
    assert [(b.reference, b.district, b.what, duration_text(b.age_seconds)) for b in digest.open_breaches] == [
        ("RJ-1JOL-DEST", "Jodhpur", "Vehicle theft", "2 h 30 min")]
    assert (digest.open_breach_total, digest.breaches_truncated) == (2, True)


def test_open_breaches_now_per_district(digest):
    assert {d.name: d.open_breaches for d in digest.districts} == {"Balotra": 1, "HQ desk": 0, "Jodhpur": 1}


def test_a_district_with_only_older_open_breaches_still_shows_in_the_compliance_table():
    digest = build_digest("rj", daily_period(date(2026, 11, 22)), [], [], [], {"rj-balotra": 3}, NOW, NAMES)
    assert [(d.name, d.open_breaches, d.compliance, d.first_responded) for d in digest.districts] == [
        ("Balotra", 3, None, 0)]
    assert digest.league == []


def test_an_open_breach_of_a_sensitive_complaint_shows_no_category():
    digest = build_digest("rj", daily_period(date(2026, 11, 22)), [], [], BREACHES[1:], {"rj-balotra": 1}, NOW, NAMES)
    assert [(b.district, b.what) for b in digest.open_breaches] == [("Balotra", "protected (sensitive)")]


def test_hourly_rows_of_one_district_are_summed():
    rows = [{"district": "rj-jodhpur", "first_responded": 1, "sla_met": 1, "response_seconds": 100, "rt_2m": 1},
            {"district": "rj-jodhpur", "first_responded": 1, "breached": 1, "response_seconds": 8000, "rt_4h": 1}]
    digest = build_digest("rj", shift_ending(NOW, (6, 14, 22)), rows, [], [], {}, NOW, NAMES)
    assert [(d.first_responded, d.mean_seconds, d.compliance) for d in digest.league] == [(2, 4050.0, 50.0)]


def test_quantile_of_no_responses_is_unknown():
    assert quantile_bucket(Counter(), 0.5) is None


def test_a_shift_digest_covers_the_shift_that_just_ended_in_india_hours():
    period = shift_ending(datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc), (6, 14, 22))   # 14:00 IST
    assert (period.slot_keys()[0], period.slot_keys()[-1], len(period.slot_keys())) == (
        "2026-11-23T06", "2026-11-23T13", 8)


def test_the_night_shift_spans_midnight():
    period = shift_ending(datetime(2026, 11, 23, 0, 30, tzinfo=timezone.utc), (6, 14, 22))   # 06:00 IST
    assert (period.slot_keys()[0], period.slot_keys()[-1]) == ("2026-11-22T22", "2026-11-23T05")
    assert period.previous().slot_keys()[0] == "2026-11-22T14"


def test_a_daily_digest_reads_one_day_item_per_district_and_compares_with_the_day_before():
    period = daily_period(date(2026, 11, 22))
    assert (period.slot_keys(), period.previous().slot_keys()) == (["2026-11-22"], ["2026-11-21"])
