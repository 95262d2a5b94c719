"""Role-based access: every /api route needs a valid officer token; officers act only within their scope."""
import json
from datetime import timedelta

import pytest

import app as application
from chalicelib.model import utc_now

# Every route that acts on a district or complaint, with a request valid for a complaint of rj-jaipur.
SCOPED_ROUTES = {
    ("GET", "/api/worklist"): ("/api/worklist?district=rj-jaipur", None),
    ("POST", "/api/claims"): ("/api/claims", {"district": "rj-jaipur"}),
    ("GET", "/api/complaints"): ("/api/complaints?platform=x&external_id={external_id}", None),
    ("GET", "/api/complaints/{complaint_id}"): ("/api/complaints/{id}", None),
    ("PATCH", "/api/complaints/{complaint_id}"): ("/api/complaints/{id}", {"priority": "P1",
                                                                         "reason": "child missing"}),
    ("POST", "/api/complaints/{complaint_id}/replies"): ("/api/complaints/{id}/replies", {"text": "We are on it"}),
    ("POST", "/api/complaints/{complaint_id}/notes"): ("/api/complaints/{id}/notes", {"text": "called the SHO"}),
    ("POST", "/api/complaints/{complaint_id}/resolve"): ("/api/complaints/{id}/resolve", {"action_taken": "FIR"}),
    ("POST", "/api/complaints/{complaint_id}/reroute"): ("/api/complaints/{id}/reroute",
                                                          {"district": "rj-jaipur-rural", "reason": "rural area"}),
    ("POST", "/api/complaints/{complaint_id}/clock/pause"): ("/api/complaints/{id}/clock/pause",
                                                              {"reason": "citizen unreachable"}),
    ("POST", "/api/complaints/{complaint_id}/clock/resume"): ("/api/complaints/{id}/clock/resume", {}),
}
HQ_ONLY = {("PATCH", "/api/complaints/{complaint_id}"), ("POST", "/api/complaints/{complaint_id}/clock/pause"),
           ("POST", "/api/complaints/{complaint_id}/clock/resume")}
UNSCOPED_ROUTES = {("GET", "/api/me"), ("GET", "/api/openapi.json"), ("GET", "/api/districts")}


@pytest.fixture
def aws(shared_aws):
    return shared_aws


def api_routes() -> set[tuple[str, str]]:
    return {(method, path) for path, methods in application.app.routes.items() if path.startswith("/api")
            for method in methods}


def call(client, route, complaint, headers):
    template, body = SCOPED_ROUTES[route]
    path = template.format(id=complaint.id, external_id=complaint.external_id)
    kwargs = {"headers": {**headers, "Content-Type": "application/json"}}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    return client.http.request(route[0], path, **kwargs)


def test_every_api_route_is_guarded_by_the_officer_authorizer():
    unguarded = [(m, p) for p, methods in application.app.routes.items() if p.startswith("/api")
                 for m, entry in methods.items() if entry.authorizer is not application.officer_auth]
    assert unguarded == []


def test_every_api_route_is_in_the_access_table():
    assert api_routes() == set(SCOPED_ROUTES) | UNSCOPED_ROUTES


@pytest.mark.parametrize("route", sorted(SCOPED_ROUTES))
def test_officer_of_another_district_is_refused(route, client, routed, balotra):
    assert call(client, route, routed("rj-jaipur"), balotra).status_code == 403


@pytest.mark.parametrize("route", sorted(SCOPED_ROUTES))
def test_hq_of_another_state_is_refused(route, client, routed, up_hq):
    assert call(client, route, routed("rj-jaipur"), up_hq).status_code == 403


@pytest.mark.parametrize("route", sorted(set(SCOPED_ROUTES) - HQ_ONLY))
def test_officer_of_the_district_is_let_through(route, client, routed, jaipur):
    assert call(client, route, routed("rj-jaipur"), jaipur).status_code < 300


@pytest.mark.parametrize("route", sorted(HQ_ONLY))
def test_district_officer_may_not_use_hq_routes_even_in_their_district(route, client, routed, jaipur):
    assert call(client, route, routed("rj-jaipur"), jaipur).status_code == 403


@pytest.mark.parametrize("route", sorted(SCOPED_ROUTES))
def test_hq_of_the_state_is_let_through(route, client, routed, rj_hq):
    complaint = routed("rj-jaipur")
    if route == ("POST", "/api/complaints/{complaint_id}/clock/resume"):
        call(client, ("POST", "/api/complaints/{complaint_id}/clock/pause"), complaint, rj_hq)
    assert call(client, route, complaint, rj_hq).status_code < 300


@pytest.mark.parametrize("route", sorted(SCOPED_ROUTES))
def test_request_without_token_is_refused(route, client, routed):
    assert call(client, route, routed("rj-jaipur"), {}).status_code in (401, 403)


def test_token_of_a_revoked_officer_is_refused(client, officer_headers):
    from chalicelib import wiring

    headers = officer_headers("revoked-1", "district_officer", district="rj-jaipur")
    assert client.http.get("/api/me", headers=headers).status_code == 200
    wiring.officers().revoke_tokens("revoked-1")
    assert client.http.get("/api/me", headers=headers).status_code == 403


def test_expired_token_is_refused(client, aws, officer_headers):
    from chalicelib import wiring
    from chalicelib.tokens import issue_token

    officer_headers("jaipur-1", "district_officer", district="rj-jaipur")
    stale = issue_token(wiring.officers().get("jaipur-1"), aws.jwt_secret, utc_now() - timedelta(hours=13),
                        timedelta(hours=12))
    assert client.http.get("/api/me", headers={"Authorization": f"Bearer {stale}"}).status_code == 403


def test_token_signed_with_another_secret_is_refused(client, officer_headers):
    from chalicelib import wiring
    from chalicelib.tokens import issue_token

    officer_headers("jaipur-1", "district_officer", district="rj-jaipur")
    other_secret = "another-secret-of-thirty-two-bytes-or-more"
    forged = issue_token(wiring.officers().get("jaipur-1"), other_secret, utc_now(), timedelta(hours=1))
    assert client.http.get("/api/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 403


def test_authorizer_tells_the_view_who_is_calling(client, jaipur):
    me = client.http.get("/api/me", headers=jaipur).json_body
    assert me == {"officer_id": "jaipur-1", "role": "district_officer", "state": "rj", "district": "rj-jaipur"}


def test_login_with_the_right_password_gives_a_working_token(client, officer_headers):
    officer_headers("rj-hq-1", "hq_operator", state="rj")
    answer = client.http.post("/auth/login", headers={"Content-Type": "application/json"},
                              body=json.dumps({"officer_id": "rj-hq-1", "password": "password-1"}))
    assert answer.status_code == 200
    me = client.http.get("/api/me", headers={"Authorization": f"Bearer {answer.json_body['token']}"})
    assert me.json_body["role"] == "hq_operator"


@pytest.mark.parametrize("credentials", [{"officer_id": "rj-hq-1", "password": "wrong-password"},
                                         {"officer_id": "nobody", "password": "password-1"}])
def test_login_with_wrong_credentials_is_401_without_saying_which(client, officer_headers, credentials):
    officer_headers("rj-hq-1", "hq_operator", state="rj")
    answer = client.http.post("/auth/login", headers={"Content-Type": "application/json"},
                              body=json.dumps(credentials))
    assert answer.status_code == 401 and answer.json_body["error"] == "unknown officer id or wrong password"
