"""The officer desk API: worklist, claims, replies, notes, resolution, re-routing, HQ corrections, privacy."""
import json
import time
from datetime import timedelta

import pytest

from tests.conftest import drain

JSON = {"Content-Type": "application/json"}


@pytest.fixture(autouse=True)
def aws(shared_aws, emptied):
    return shared_aws


def post(client, path, headers, body):
    return client.http.post(path, headers={**headers, **JSON}, body=json.dumps(body))


def actions(client, complaint_id, headers):
    return [e["action"] for e in client.http.get(f"/api/complaints/{complaint_id}", headers=headers).json_body["audit"]]


# --- worklist -------------------------------------------------------------------------------------------------

def test_worklist_lists_waiting_complaints_oldest_first(client, routed, jaipur):
    newer, older = routed(received_ago=timedelta(minutes=5)), routed(received_ago=timedelta(minutes=50))
    items = client.http.get("/api/worklist", headers=jaipur).json_body["items"]
    assert [c["id"] for c in items] == [older.id, newer.id]


def test_worklist_filters_by_priority(client, routed, jaipur):
    urgent, _routine = routed(priority="P1"), routed(priority="P3")
    items = client.http.get("/api/worklist?priority=P1", headers=jaipur).json_body["items"]
    assert [c["id"] for c in items] == [urgent.id]


def test_worklist_age_filter_keeps_only_older_complaints(client, routed, jaipur):
    old, _fresh = routed(received_ago=timedelta(minutes=90)), routed(received_ago=timedelta(minutes=2))
    items = client.http.get("/api/worklist?older_than_minutes=60", headers=jaipur).json_body["items"]
    assert [c["id"] for c in items] == [old.id]


def test_worklist_pages_with_its_cursor(client, routed, jaipur):
    ids = [routed(received_ago=timedelta(minutes=m)).id for m in (30, 20, 10)]
    first = client.http.get("/api/worklist?limit=2", headers=jaipur).json_body
    second = client.http.get(f"/api/worklist?limit=2&cursor={first['next_cursor']}", headers=jaipur).json_body
    assert [c["id"] for c in first["items"] + second["items"]] == ids and second["next_cursor"] is None


@pytest.mark.parametrize("query, complaint", [("status=OPEN", "status"), ("limit=0", "limit"),
                                              ("cursor=garbage", "cursor"), ("district=nowhere", "district"),
                                              ("colour=red", "colour")])
def test_worklist_with_a_bad_query_is_400_naming_the_problem(client, jaipur, query, complaint):
    answer = client.http.get(f"/api/worklist?{query}", headers=jaipur)
    assert answer.status_code == 400 and complaint in answer.json_body["error"]


# --- claims -----------------------------------------------------------------------------------------------------

def test_claim_gives_the_waiting_complaint_and_records_who_holds_it(client, routed, jaipur):
    complaint = routed()
    answer = post(client, "/api/claims", jaipur, {}).json_body
    assert answer["complaint"]["id"] == complaint.id and answer["complaint"]["claimed_by"] == "jaipur-1"
    assert answer["complaint"]["audit"][-1]["action"] == "claimed"


def test_claimed_complaint_goes_to_no_one_else_until_the_lease_ends(desk_with_lease, routed):
    from chalicelib.officers import Principal

    complaint = routed()
    desk = desk_with_lease(1)
    first, second = (Principal(name, "district_officer", "rj", "rj-jaipur") for name in ("a", "b"))
    assert desk.claim_next(first, b"")["complaint"]["id"] == complaint.id
    assert desk.claim_next(second, b"")["complaint"] is None
    time.sleep(1.2)
    assert desk.claim_next(second, b"")["complaint"]["claimed_by"] == "b"


def test_claim_skips_and_deletes_complaints_no_longer_waiting(client, routed, jaipur, queues):
    answered, waiting = routed(received_ago=timedelta(minutes=30)), routed(received_ago=timedelta(minutes=10))
    post(client, f"/api/complaints/{answered.id}/resolve", jaipur, {"action_taken": "FIR registered"})
    assert post(client, "/api/claims", jaipur, {}).json_body["complaint"]["id"] == waiting.id
    assert post(client, "/api/claims", jaipur, {}).json_body["complaint"] is None


def test_claim_from_an_empty_queue_gives_no_complaint(client, jaipur):
    assert post(client, "/api/claims", jaipur, {}).json_body == {"district": "rj-jaipur", "lease_expires_at": None,
                                                                 "complaint": None}


# --- replies ----------------------------------------------------------------------------------------------------

def test_reply_goes_to_the_outbound_queue_and_stops_the_clock(client, routed, jaipur, queues):
    complaint = routed()
    answer = post(client, f"/api/complaints/{complaint.id}/replies", jaipur, {"text": "SHO Malviya Nagar is on it"})
    assert answer.status_code == 200
    assert answer.json_body["status"] == "RESPONDED" and answer.json_body["first_response_at"]
    [message] = drain(queues, "desk-outbound")
    assert message == {"complaint_id": complaint.id, "reply_id": message["reply_id"], "purpose": "officer_reply",
                       "text": "SHO Malviya Nagar is on it", "requested_by": "officer:jaipur-1"}
    replied = answer.json_body["audit"][-1]
    assert replied["action"] == "replied" and replied["details"]["before"]["status"] == "ROUTED"


def test_an_officers_first_reply_is_counted_as_first_response_seconds_of_the_district(client, routed, jaipur,
                                                                                     monkeypatch, capsys):
    import json as json_module

    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    complaint = routed()
    capsys.readouterr()
    post(client, f"/api/complaints/{complaint.id}/replies", jaipur, {"text": "SHO Malviya Nagar is on it"})
    metrics = [json_module.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    [first_response] = [m for m in metrics if "FirstResponseSeconds" in m]
    assert first_response["district"] == complaint.district and first_response["FirstResponseSeconds"][0] >= 0


@pytest.mark.parametrize("platform, limit", [("x", 280), ("instagram", 2200), ("whatsapp", 4096),
                                             ("facebook", 8000)])
def test_reply_over_the_platform_limit_is_refused_before_anything_is_sent(client, routed, jaipur, queues, platform,
                                                                          limit):
    complaint = routed(platform=platform)
    answer = post(client, f"/api/complaints/{complaint.id}/replies", jaipur, {"text": "a" * (limit + 1)})
    assert answer.status_code == 400 and str(limit) in answer.json_body["error"]
    assert drain(queues, "desk-outbound") == [] and actions(client, complaint.id, jaipur) == ["received", "routed"]


def test_reply_to_a_complaint_changed_since_it_was_loaded_is_409_and_nothing_is_sent(client, routed, jaipur, queues):
    complaint = routed()
    post(client, f"/api/complaints/{complaint.id}/notes", jaipur, {"text": "calling the citizen"})
    answer = post(client, f"/api/complaints/{complaint.id}/replies", jaipur,
                  {"text": "on it", "version": complaint.version})
    assert answer.status_code == 409 and "reload" in answer.json_body["error"]
    assert drain(queues, "desk-outbound") == []


def test_second_officer_resolving_with_the_same_version_gets_409(client, routed, jaipur, rj_hq):
    complaint = routed()
    body = {"action_taken": "FIR 12/2026", "version": complaint.version}
    assert post(client, f"/api/complaints/{complaint.id}/resolve", jaipur, body).status_code == 200
    assert post(client, f"/api/complaints/{complaint.id}/resolve", rj_hq, body).status_code == 409


def test_simultaneous_writes_from_the_same_read_conflict_in_the_store(store, routed):
    from chalicelib.model import AuditEvent
    from chalicelib.store import VersionConflictError

    complaint = routed()
    store.update(complaint, complaint, AuditEvent(complaint.id, "2026-01-01T00:00:00.000Z", "officer:a", "note"))
    with pytest.raises(VersionConflictError):
        store.update(complaint, complaint, AuditEvent(complaint.id, "2026-01-01T00:00:00.000Z", "officer:b", "note"))


# --- notes, resolution, re-routing, corrections ------------------------------------------------------------------

def test_note_is_an_audit_event_that_changes_nothing_else(client, routed, jaipur):
    complaint = routed()
    answer = post(client, f"/api/complaints/{complaint.id}/notes", jaipur, {"text": "spoke to the beat officer"})
    assert answer.json_body["status"] == "ROUTED"
    assert answer.json_body["audit"][-1]["details"] == {"text": "spoke to the beat officer"}


def test_resolve_records_the_action_taken_and_a_second_resolve_is_409(client, routed, jaipur):
    complaint = routed()
    answer = post(client, f"/api/complaints/{complaint.id}/resolve", jaipur, {"action_taken": "Phone recovered"})
    assert answer.json_body["status"] == "RESOLVED" and answer.json_body["resolved_at"]
    assert answer.json_body["audit"][-1]["details"]["action_taken"] == "Phone recovered"
    assert post(client, f"/api/complaints/{complaint.id}/resolve", jaipur, {"action_taken": "again"}).status_code == 409


def test_reroute_sends_it_to_the_other_districts_queue_and_keeps_the_clock(client, routed, jaipur, queues):
    complaint = routed()
    drain(queues, "desk-district-rj-jaipur")
    answer = post(client, f"/api/complaints/{complaint.id}/reroute", jaipur,
                  {"district": "rj-jaipur-rural", "reason": "Chomu is rural police"})
    assert answer.json_body["district"] == "rj-jaipur-rural" and answer.json_body["sla_due_at"] == complaint.sla_due_at
    assert drain(queues, "desk-district-rj-jaipur-rural") == [{"complaint_id": complaint.id,
                                                              "district": "rj-jaipur-rural"}]
    assert answer.json_body["audit"][-1]["details"]["reason"] == "Chomu is rural police"


def test_reroute_back_to_hq(client, routed, jaipur, queues):
    complaint = routed()
    answer = post(client, f"/api/complaints/{complaint.id}/reroute", jaipur, {"district": "hq", "reason": "not ours"})
    assert answer.json_body["district"] == "rj-hq" and drain(queues, "desk-district-rj-hq")


def test_reroute_to_another_state_is_400(client, routed, jaipur, queues):
    complaint = routed()
    answer = post(client, f"/api/complaints/{complaint.id}/reroute", jaipur, {"district": "up-lucknow", "reason": "r"})
    assert answer.status_code == 400 and "state 'rj'" in answer.json_body["error"]
    assert drain(queues, "desk-district-up-lucknow") == []


def test_hq_corrects_category_and_priority_and_the_group_follows(client, routed, rj_hq):
    complaint = routed(category="theft", group="property_crime", priority="P3")
    answer = post_patch(client, complaint.id, rj_hq, {"category": "missing_child", "priority": "P1",
                                                      "reason": "the text is about a child"})
    body = answer.json_body
    assert (body["category"], body["group"], body["priority"]) == ("missing_child", "missing_person", "P1")
    assert body["audit"][-1]["details"]["before"]["priority"] == "P3"


def test_raising_priority_to_p1_moves_the_due_time_to_fifteen_minutes_after_receipt(client, routed, rj_hq):
    from chalicelib.model import parse_iso

    complaint = routed(category="theft", group="property_crime", priority="P3")
    body = post_patch(client, complaint.id, rj_hq, {"priority": "P1", "reason": "knife shown, happening now"}).json_body
    assert parse_iso(body["sla_due_at"]) - parse_iso(body["received_at"]) == timedelta(minutes=15)


def test_correcting_an_answered_complaint_leaves_its_stopped_clock_alone(client, routed, rj_hq, jaipur):
    complaint = routed(category="theft", group="property_crime", priority="P3")
    post(client, f"/api/complaints/{complaint.id}/replies", jaipur, {"text": "SHO is on it"})
    body = post_patch(client, complaint.id, rj_hq, {"priority": "P1", "reason": "late correction"}).json_body
    assert body["sla_due_at"] == complaint.sla_due_at


@pytest.mark.parametrize("body, problem", [({"category": "no_such", "reason": "r"}, "unknown category"),
                                           ({"priority": "P9", "reason": "r"}, "priority"),
                                           ({"priority": "P1"}, "reason is required"),
                                           ({"reason": "r"}, "category, a priority")])
def test_hq_correction_with_a_bad_body_is_400(client, routed, rj_hq, body, problem):
    answer = post_patch(client, routed().id, rj_hq, body)
    assert answer.status_code == 400 and problem in answer.json_body["error"]


def post_patch(client, complaint_id, headers, body):
    return client.http.patch(f"/api/complaints/{complaint_id}", headers={**headers, **JSON}, body=json.dumps(body))


def test_hq_pauses_and_resumes_the_clock(client, routed, rj_hq):
    complaint = routed()
    post(client, f"/api/complaints/{complaint.id}/clock/pause", rj_hq, {"reason": "citizen asked to call later"})
    assert post(client, f"/api/complaints/{complaint.id}/clock/pause", rj_hq, {"reason": "again"}).status_code == 409
    assert post(client, f"/api/complaints/{complaint.id}/clock/resume", rj_hq, {}).status_code == 200
    assert actions(client, complaint.id, rj_hq)[-2:] == ["sla_paused", "sla_resumed"]


# --- bad input --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["replies", "notes", "resolve", "reroute"])
def test_acting_on_an_unknown_complaint_is_404(client, rj_hq, path):
    body = {"text": "t", "action_taken": "a", "district": "rj-jaipur", "reason": "r"}
    keep = {"replies": ("text",), "notes": ("text",), "resolve": ("action_taken",), "reroute": ("district", "reason")}
    answer = post(client, f"/api/complaints/01NOSUCHCOMPLAINT/{path}", rj_hq, {k: body[k] for k in keep[path]})
    assert answer.status_code == 404


@pytest.mark.parametrize("raw, problem", [(b"{not json", "not valid JSON"), (b"[]", "JSON object"),
                                          (b"{}", "text is required"), (b'{"text": 5}', "non-empty string"),
                                          (b'{"text": "hi", "cc": "x"}', "unknown field(s): cc"),
                                          (b'{"text": "hi", "version": "3"}', "version must be")])
def test_invalid_reply_body_is_400_saying_what_is_wrong(client, routed, jaipur, raw, problem):
    answer = client.http.post(f"/api/complaints/{routed().id}/replies", headers={**jaipur, **JSON}, body=raw)
    assert answer.status_code == 400 and problem in answer.json_body["error"]


# --- privacy ----------------------------------------------------------------------------------------------------

def test_sensitive_complaint_is_shown_in_full_only_to_its_district(client, routed, jaipur, rj_hq):
    complaint = routed(sensitive=True, text="meri beti ke saath Sanganer school me galat hua")
    own = client.http.get(f"/api/complaints/{complaint.id}", headers=jaipur).json_body
    hq = client.http.get(f"/api/complaints/{complaint.id}", headers=rj_hq).json_body
    assert own["text"] == complaint.text and own["redacted"] is False
    assert hq["redacted"] is True and hq["text"] is None and hq["author_handle"] is None and hq["external_id"] is None


def test_sensitive_complaint_is_redacted_in_listings_and_its_audit_trail_outside_the_district(client, routed, jaipur,
                                                                                             rj_hq):
    complaint = routed(sensitive=True, text="Sanganer school")
    post(client, f"/api/complaints/{complaint.id}/notes", jaipur, {"text": "victim's father Ramesh called"})
    [listed] = [c for c in client.http.get("/api/worklist", headers=jaipur).json_body["items"]
                if c["id"] == complaint.id]
    assert listed["text"] is None
    trail = client.http.get(f"/api/complaints/{complaint.id}", headers=rj_hq).json_body["audit"]
    assert "Ramesh" not in json.dumps(trail)


# --- districts to pick from -------------------------------------------------------------------------------------

def test_officers_pick_districts_of_their_own_state(client, jaipur):
    districts = client.http.get("/api/districts", headers=jaipur).json_body["districts"]
    assert {d["state"] for d in districts} == {"rj"}
    assert {"id": "rj-jaipur-rural", "state": "rj", "name_en": "Jaipur Rural", "name_hi": "जयपुर ग्रामीण"} in districts


def test_duplicate_message_of_a_claimed_complaint_is_hidden_not_deleted(desk_with_lease, routed, queues):
    from chalicelib.officers import Principal

    complaint = routed("rj-jaipur-rural")   # a queue no other test claims from: its in-flight count is ours
    queues.send("desk-district-rj-jaipur-rural", {"complaint_id": complaint.id, "district": "rj-jaipur-rural"})
    desk = desk_with_lease(1)
    first, second = (Principal(name, "district_officer", "rj", "rj-jaipur-rural") for name in ("a", "b"))
    assert desk.claim_next(first, b"")["complaint"]["id"] == complaint.id
    assert desk.claim_next(second, b"")["complaint"] is None
    attributes = queues.sqs.get_queue_attributes(QueueUrl=queues.url("desk-district-rj-jaipur-rural"),
                                                 AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
    assert attributes["Attributes"]["ApproximateNumberOfMessagesNotVisible"] == "2"
