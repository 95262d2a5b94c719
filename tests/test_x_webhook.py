"""POST/GET /webhooks/x: CRC, signatures, bad input, exactly-once storage."""
import base64
import hashlib
import hmac
import json

from local.samples import direct_message, signed_x_body, tweet, x_delivery
from tests.conftest import drain

ROUTING = "desk-routing"


def complaints_in(store):
    return [i for i in store.table.scan()["Items"] if i["type"] == "complaint"]


def test_crc_challenge_answers_base64_hmac_of_the_token(client, aws):
    response = client.http.get("/webhooks/x?crc_token=challenge123")
    expected = base64.b64encode(hmac.new(aws.x_consumer_secret.encode(), b"challenge123", hashlib.sha256).digest())
    assert response.status_code == 200
    assert response.json_body == {"response_token": "sha256=" + expected.decode()}


def test_crc_without_token_is_a_400(client):
    response = client.http.get("/webhooks/x")
    assert response.status_code == 400
    assert "crc_token" in response.json_body["error"]


def test_signed_mention_is_stored_and_queued_for_routing(post_x, store, queues):
    response = post_x(x_delivery(tweets=[tweet("@PoliceRajasthan meri bike chori ho gayi", tweet_id="111")]))
    assert response.status_code == 200
    assert response.json_body["stored"] == 1
    complaint = store.find_by_external("x", "111")
    assert (complaint.state, complaint.desk, complaint.status) == ("rj", "rj-hq", "NEW")
    assert complaint.author_handle == "citizen_one" and complaint.mentions == ("PoliceRajasthan",)
    assert drain(queues, ROUTING) == [{"complaint_id": complaint.id}]


def test_stored_complaint_has_an_audit_event_of_its_arrival(post_x, store):
    post_x(x_delivery(tweets=[tweet("help", tweet_id="112")]))
    complaint = store.find_by_external("x", "112")
    assert [e["action"] for e in store.audit_trail(complaint.id)] == ["received"]


def test_missing_signature_is_401_and_stores_nothing(client, store):
    body = json.dumps(x_delivery(tweets=[tweet("x")])).encode()
    response = client.http.post("/webhooks/x", body=body, headers={"content-type": "application/json"})
    assert response.status_code == 401
    assert complaints_in(store) == []


def test_wrong_signature_is_401_and_stores_nothing(client, store):
    body, headers = signed_x_body(x_delivery(tweets=[tweet("x")]), "not-the-secret")
    assert client.http.post("/webhooks/x", body=body, headers=headers).status_code == 401
    assert complaints_in(store) == []


def test_signature_of_another_body_is_401(client, aws, store):
    _, headers = signed_x_body(x_delivery(tweets=[tweet("original")]), aws.x_consumer_secret)
    tampered = json.dumps(x_delivery(tweets=[tweet("tampered")])).encode()
    assert client.http.post("/webhooks/x", body=tampered, headers=headers).status_code == 401


def signed_raw(client, aws, body: bytes):
    from chalicelib.platforms.x import SIGNATURE_HEADER, signature_for

    headers = {"content-type": "application/json", SIGNATURE_HEADER: signature_for(body, aws.x_consumer_secret)}
    return client.http.post("/webhooks/x", body=body, headers=headers)


def test_signed_non_json_body_is_400_with_a_message(client, aws, store):
    response = signed_raw(client, aws, b"this is not json")
    assert response.status_code == 400
    assert "not JSON" in response.json_body["error"]
    assert complaints_in(store) == []


def test_invalid_utf8_is_400(client, aws):
    response = signed_raw(client, aws, b'{"for_user_id": "\xff\xfe"}')
    assert response.status_code == 400
    assert "UTF-8" in response.json_body["error"]


def test_json_of_the_wrong_shape_is_400(client, aws, store):
    response = signed_raw(client, aws, json.dumps({"for_user_id": "1000000001", "tweet_create_events": "oops"}).encode())
    assert response.status_code == 400
    assert "tweet_create_events" in response.json_body["error"]


def test_tweet_without_user_is_400_and_nothing_half_written(client, aws, store):
    good = tweet("fine", tweet_id="301")
    bad = {"id_str": "302", "text": "no user"}
    response = signed_raw(client, aws, json.dumps(x_delivery(tweets=[bad, good])).encode())
    assert response.status_code == 400
    assert complaints_in(store) == []


def test_json_array_body_is_400(client, aws):
    assert signed_raw(client, aws, b"[1, 2]").status_code == 400


def test_delivery_without_events_is_200_and_stores_nothing(post_x, store):
    response = post_x({"for_user_id": "1000000001"})
    assert response.status_code == 200 and response.json_body["stored"] == 0
    assert complaints_in(store) == []


def test_replay_job_status_without_for_user_id_is_accepted(post_x, store):
    response = post_x({"replay_job_status": {"job_state": "Complete"}})
    assert response.status_code == 200
    assert complaints_in(store) == []


def test_body_over_256_kb_is_413_before_any_parsing(client, store):
    body = b"{" + b" " * (256 * 1024) + b"}"
    response = client.http.post("/webhooks/x", body=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert complaints_in(store) == []


def test_the_same_delivery_twice_creates_one_complaint(post_x, store, queues):
    delivery = x_delivery(tweets=[tweet("chain snatching near Paota", tweet_id="401")])
    first, second = post_x(delivery), post_x(delivery)
    assert first.status_code == second.status_code == 200
    assert second.json_body["duplicates"] == 1 and second.json_body["stored"] == 0
    assert len(complaints_in(store)) == 1
    assert len(drain(queues, ROUTING)) == 1


def test_redelivery_of_a_stored_but_unqueued_complaint_queues_it(post_x, store, queues, monkeypatch):
    from datetime import timedelta

    monkeypatch.setattr("chalicelib.intake.REQUEUE_UNROUTED_AFTER", timedelta(0))
    delivery = x_delivery(tweets=[tweet("help", tweet_id="402")])
    post_x(delivery)
    drain(queues, ROUTING)  # as if the first send had been lost
    post_x(delivery)
    assert drain(queues, ROUTING) == [{"complaint_id": store.find_by_external("x", "402").id}]


def test_unknown_desk_account_is_200_and_stores_nothing(post_x, store):
    response = post_x(x_delivery(tweets=[tweet("hello")], for_user_id="999"))
    assert response.status_code == 200
    assert response.json_body["ignored_unknown_account"] == 1
    assert complaints_in(store) == []


def test_several_events_in_one_delivery_are_all_stored(post_x, store):
    delivery = x_delivery(tweets=[tweet("one", tweet_id="501"), tweet("two", tweet_id="502")],
                          dms=[direct_message("three", event_id="503")])
    assert post_x(delivery).json_body["stored"] == 3
    assert store.find_by_external("x", "dm-503").kind == "dm"


def test_desks_own_posts_retweets_and_own_dms_are_skipped(post_x, store):
    delivery = x_delivery(tweets=[tweet("our reply", author_id="1000000001"), tweet("RT", retweet=True)],
                          dms=[direct_message("our dm", sender_id="1000000001")])
    assert post_x(delivery).json_body["stored"] == 0
    assert complaints_in(store) == []


def test_long_post_is_stored_in_full(post_x, store):
    full = "मेरी शिकायत " + "बहुत लंबी " * 40
    post_x(x_delivery(tweets=[tweet(full[:140], tweet_id="601", long_text=full)]))
    assert store.find_by_external("x", "601").text == full


def test_geotag_is_read_longitude_first(post_x, store):
    post_x(x_delivery(tweets=[tweet("accident", tweet_id="701", coordinates=(26.27, 73.01))]))
    geotag = store.find_by_external("x", "701").geotag
    assert (geotag.lat, geotag.lon) == (26.27, 73.01)


def test_reply_records_the_post_it_answers(post_x, store):
    post_x(x_delivery(tweets=[tweet("still waiting", tweet_id="801", reply_to="800")]))
    complaint = store.find_by_external("x", "801")
    assert (complaint.kind, complaint.reply_to_id) == ("reply", "800")
