"""GET /api/complaints: one complaint with its audit trail, behind the API token."""


def test_complaint_is_read_by_id_with_its_audit_trail(client, post_x, store, api_headers):
    from local.samples import tweet, x_delivery

    post_x(x_delivery(tweets=[tweet("help", tweet_id="21")]))
    complaint = store.find_by_external("x", "21")
    response = client.http.get(f"/api/complaints/{complaint.id}", headers=api_headers)
    assert response.status_code == 200
    assert response.json_body["status"] == "NEW"
    assert [e["action"] for e in response.json_body["audit"]] == ["received"]


def test_complaint_is_found_by_platform_and_external_id(client, post_x, api_headers):
    from local.samples import tweet, x_delivery

    post_x(x_delivery(tweets=[tweet("help", tweet_id="22")]))
    response = client.http.get("/api/complaints?platform=x&external_id=22", headers=api_headers)
    assert response.status_code == 200 and response.json_body["external_id"] == "22"


def test_unknown_complaint_is_404(client, api_headers):
    assert client.http.get("/api/complaints/NOPE", headers=api_headers).status_code == 404


def test_search_without_external_id_is_400(client, api_headers):
    response = client.http.get("/api/complaints?platform=x", headers=api_headers)
    assert response.status_code == 400 and "external_id" in response.json_body["error"]


def test_api_without_token_is_refused(client):
    assert client.http.get("/api/complaints/ANY").status_code in (401, 403)


def test_api_with_wrong_token_is_refused(client):
    assert client.http.get("/api/complaints/ANY", headers={"Authorization": "Bearer nope"}).status_code in (401, 403)
