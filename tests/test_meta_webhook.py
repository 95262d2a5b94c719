"""GET/POST /webhooks/meta: verification, signatures, Facebook/Instagram/WhatsApp events, bad input, exactly once."""
import json

import pytest

from local.samples import (facebook_feed, facebook_mention, instagram_comment, instagram_mention, meta_delivery,
                           signed_meta_body, whatsapp_change, whatsapp_message, whatsapp_status)
from tests.conftest import drain

ROUTING = "desk-routing"


@pytest.fixture
def post_meta(client, aws):
    def post(delivery: dict):
        body, headers = signed_meta_body(delivery, aws.meta_app_secret)
        return client.http.post("/webhooks/meta", body=body, headers=headers)

    return post


def post_raw(client, aws, body: bytes):
    from chalicelib.platforms.meta import SIGNATURE_HEADER, signature_for

    headers = {"content-type": "application/json", SIGNATURE_HEADER: signature_for(body, aws.meta_app_secret)}
    return client.http.post("/webhooks/meta", body=body, headers=headers)


def complaints_in(store):
    return [i for i in store.table.scan()["Items"] if i["type"] == "complaint"]


def actions(store, complaint_id):
    return [e["action"] for e in store.audit_trail(complaint_id)]


# Verification

def test_subscription_check_with_our_verify_token_echoes_the_challenge_as_plain_text(client, aws):
    response = client.http.get(f"/webhooks/meta?hub.mode=subscribe&hub.verify_token={aws.meta_verify_token}"
                               "&hub.challenge=1158201444")
    assert response.status_code == 200
    assert response.body == b"1158201444"
    assert response.headers["Content-Type"].startswith("text/plain")


def test_subscription_check_with_another_token_is_403(client):
    response = client.http.get("/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")
    assert response.status_code == 403


def test_subscription_check_without_mode_is_403(client, aws):
    assert client.http.get(f"/webhooks/meta?hub.verify_token={aws.meta_verify_token}").status_code == 403


# Signature and envelope

def test_missing_signature_is_401_and_stores_nothing(client, store):
    body = json.dumps(meta_delivery("whatsapp", whatsapp_change(messages=[whatsapp_message(text="help")]))).encode()
    assert client.http.post("/webhooks/meta", body=body, headers={"content-type": "application/json"}).status_code == 401
    assert complaints_in(store) == []


def test_signature_with_another_secret_is_401(client, store):
    body, headers = signed_meta_body(meta_delivery("whatsapp", whatsapp_change(messages=[whatsapp_message(text="x")])),
                                     "not-the-secret")
    assert client.http.post("/webhooks/meta", body=body, headers=headers).status_code == 401
    assert complaints_in(store) == []


def test_signature_is_checked_over_the_exact_bytes_with_escaped_hindi(post_meta, store):
    response = post_meta(meta_delivery("whatsapp", whatsapp_change(
        messages=[whatsapp_message(text="मेरा फोन चोरी हो गया", wamid="wamid.hindi")])))
    assert response.status_code == 200
    assert store.find_by_external("whatsapp", "wamid.hindi").text == "मेरा फोन चोरी हो गया"


def test_reserialised_body_does_not_match_the_signature(client, aws):
    delivery = meta_delivery("whatsapp", whatsapp_change(messages=[whatsapp_message(text="चोरी")]))
    _, headers = signed_meta_body(delivery, aws.meta_app_secret)
    unescaped = json.dumps(delivery, ensure_ascii=False).encode("utf-8")
    assert client.http.post("/webhooks/meta", body=unescaped, headers=headers).status_code == 401


def test_wrong_object_is_400_naming_the_accepted_ones(client, aws, store):
    response = post_raw(client, aws, json.dumps({"object": "user", "entry": []}).encode())
    assert response.status_code == 400
    assert "whatsapp_business_account" in response.json_body["error"]


def test_entry_that_is_not_a_list_is_400(client, aws):
    response = post_raw(client, aws, json.dumps({"object": "page", "entry": {"id": "1"}}).encode())
    assert response.status_code == 400 and "entry" in response.json_body["error"]


def test_whatsapp_message_without_id_is_400_and_nothing_half_written(client, aws, store):
    good = whatsapp_message(text="fine", wamid="wamid.good")
    bad = {"from": "919800000009", "type": "text", "text": {"body": "no id"}}
    response = post_raw(client, aws, json.dumps(meta_delivery("whatsapp", whatsapp_change(messages=[good, bad]))).encode())
    assert response.status_code == 400 and "id" in response.json_body["error"]
    assert complaints_in(store) == []


def test_facebook_comment_without_author_is_400(client, aws, store):
    change = facebook_feed("help")
    del change["value"]["from"]
    response = post_raw(client, aws, json.dumps(meta_delivery("facebook", change)).encode())
    assert response.status_code == 400 and "from" in response.json_body["error"]


def test_body_over_the_meta_limit_is_413_before_any_parsing(client, aws, store):
    body = b"{" + b" " * aws.max_meta_body_bytes + b"}"
    assert client.http.post("/webhooks/meta", body=body, headers={"content-type": "application/json"}).status_code == 413


def test_meta_limit_is_larger_than_xs(post_meta, store):
    padding = "x" * (300 * 1024)
    response = post_meta(meta_delivery("whatsapp", whatsapp_change(
        messages=[whatsapp_message(text="help " + padding, wamid="wamid.big")])))
    assert response.status_code == 200 and response.json_body["stored"] == 1


# Facebook

def test_facebook_comment_on_the_page_is_stored_and_queued_for_routing(post_meta, store, queues):
    response = post_meta(meta_delivery("facebook", facebook_feed("Jodhpur me meri bike chori", comment_id="55_66")))
    assert response.status_code == 200 and response.json_body["stored"] == 1
    complaint = store.find_by_external("facebook", "55_66")
    assert (complaint.state, complaint.desk, complaint.kind, complaint.author_name) == ("rj", "rj-hq", "comment", "Citizen Fb")
    assert drain(queues, ROUTING) == [{"complaint_id": complaint.id}]


def test_visitor_post_with_a_photo_keeps_the_photo_as_evidence(post_meta, store):
    change = facebook_feed("accident on NH 48", item="photo", post_id="3000000001_77")
    change["value"]["photo"] = "https://scontent.example/photo.jpg"
    post_meta(meta_delivery("facebook", change))
    complaint = store.find_by_external("facebook", "3000000001_77")
    assert complaint.kind == "post" and complaint.media == ("https://scontent.example/photo.jpg",)


def test_reactions_and_likes_are_not_complaints(post_meta, store):
    response = post_meta(meta_delivery("facebook", facebook_feed(None, item="reaction"), facebook_feed(None, item="like")))
    assert response.status_code == 200 and complaints_in(store) == []


def test_the_pages_own_post_is_skipped(post_meta, store):
    post_meta(meta_delivery("facebook", facebook_feed("Our traffic advisory", item="status", author_id="3000000001")))
    assert complaints_in(store) == []


def test_the_pages_reply_to_a_citizen_is_never_stored_as_a_complaint(post_meta, store):
    post_meta(meta_delivery("facebook", facebook_feed("help", comment_id="1_10")))
    reply = facebook_feed("We are on it", comment_id="1_11", parent_id="1_10", author_id="3000000001")
    response = post_meta(meta_delivery("facebook", reply))
    assert response.json_body["stored"] == 0
    assert len(complaints_in(store)) == 1


def test_desk_reply_names_the_comment_it_answers():
    from chalicelib.platforms.meta import parse_delivery

    reply = facebook_feed("We are on it", comment_id="1_11", parent_id="1_10", author_id="3000000001")
    [post] = parse_delivery(meta_delivery("facebook", reply))
    assert (post.kind, post.reply_to_id, post.external_id) == ("desk_reply", "1_10", "1_11")


def test_an_edit_is_audited_and_the_text_as_received_is_kept(post_meta, store):
    post_meta(meta_delivery("facebook", facebook_feed("they beat me near the market", comment_id="2_20")))
    response = post_meta(meta_delivery("facebook", facebook_feed("never mind", comment_id="2_20", verb="edited")))
    complaint = store.find_by_external("facebook", "2_20")
    assert response.json_body["changes_recorded"] == 1
    assert complaint.text == "they beat me near the market"
    edit = [e for e in store.audit_trail(complaint.id) if e["action"] == "post_edited"]
    assert edit[0]["details"]["text"] == "never mind"


def test_a_removal_is_audited_and_the_complaint_stays(post_meta, store):
    post_meta(meta_delivery("facebook", facebook_feed("threat call from 98xxxx", comment_id="3_30")))
    post_meta(meta_delivery("facebook", facebook_feed(None, comment_id="3_30", verb="remove")))
    complaint = store.find_by_external("facebook", "3_30")
    assert complaint.text == "threat call from 98xxxx"
    assert sorted(actions(store, complaint.id)) == ["post_removed", "received"]


def test_a_redelivered_removal_is_audited_once(post_meta, store):
    post_meta(meta_delivery("facebook", facebook_feed("help", comment_id="3_31")))
    removal = meta_delivery("facebook", facebook_feed(None, comment_id="3_31", verb="remove"))
    post_meta(removal)
    assert post_meta(removal).json_body["changes_recorded"] == 0
    assert actions(store, store.find_by_external("facebook", "3_31").id).count("post_removed") == 1


def test_removal_of_a_post_we_never_stored_is_ignored(post_meta, store):
    response = post_meta(meta_delivery("facebook", facebook_feed(None, comment_id="9_99", verb="remove")))
    assert response.status_code == 200 and response.json_body["ignored"] == 1


def test_page_mention_text_is_read_from_the_graph_api(client, aws, post_meta, store, platforms_at_standin):
    platforms_at_standin.objects["2100000002_88"] = {
        "id": "2100000002_88", "message": "@PoliceRajasthan chain snatching in Ajmer",
        "from": {"id": "2100000002", "name": "Citizen Mention"}, "created_time": "2023-11-14T22:13:20+0000"}
    post_meta(meta_delivery("facebook", facebook_mention(post_id="2100000002_88")))
    complaint = store.find_by_external("facebook", "2100000002_88")
    assert (complaint.kind, complaint.text) == ("mention", "@PoliceRajasthan chain snatching in Ajmer")
    [lookup] = platforms_at_standin.requests
    assert lookup.path == "/v25.0/2100000002_88" and lookup.headers["authorization"] == f"Bearer {aws.meta_page_token}"


# Instagram

def test_instagram_comment_is_stored_with_the_commenters_username(post_meta, store):
    post_meta(meta_delivery("instagram", instagram_comment("mera phone chori ho gaya", comment_id="17800000000000001")))
    complaint = store.find_by_external("instagram", "17800000000000001")
    assert (complaint.kind, complaint.author_handle, complaint.desk) == ("comment", "citizen_ig", "rj-hq")


def test_instagram_comment_named_comment_id_is_accepted(post_meta, store):
    change = instagram_comment("help")
    change["value"]["comment_id"] = change["value"].pop("id")
    post_meta(meta_delivery("instagram", change))
    assert store.find_by_external("instagram", change["value"]["comment_id"]) is not None


def test_instagram_caption_mention_text_is_fetched_through_mentioned_media(post_meta, store, platforms_at_standin):
    platforms_at_standin.objects["4000000001"] = {"mentioned_media": {
        "id": "18000000000000001", "caption": "@policerajasthan stunt bikers on JLN Marg",
        "username": "citizen_cap", "timestamp": "2023-11-14T22:13:20+0000"}}
    post_meta(meta_delivery("instagram", instagram_mention(media_id="18000000000000001")))
    complaint = store.find_by_external("instagram", "18000000000000001")
    assert (complaint.text, complaint.author_handle) == ("@policerajasthan stunt bikers on JLN Marg", "citizen_cap")
    [lookup] = platforms_at_standin.requests
    assert lookup.query["fields"].startswith("mentioned_media.media_id(18000000000000001)")


def test_instagram_mention_that_can_no_longer_be_read_stores_nothing(post_meta, store, platforms_at_standin):
    response = post_meta(meta_delivery("instagram", instagram_mention(media_id="1", comment_id="2")))
    assert response.status_code == 200 and complaints_in(store) == []


def test_graph_api_down_during_a_mention_is_503_so_meta_retries(post_meta, store, platforms_at_standin):
    from local.platform_standin import Answer

    platforms_at_standin.script(*[Answer(500, {"error": {"message": "down"}})] * 5)
    response = post_meta(meta_delivery("instagram", instagram_mention(media_id="5")))
    assert response.status_code == 503
    assert complaints_in(store) == []


# WhatsApp

def test_whatsapp_text_message_is_stored_with_the_senders_profile_name(post_meta, store, queues):
    post_meta(meta_delivery("whatsapp", whatsapp_change(messages=[whatsapp_message(text="help", wamid="wamid.1")])))
    complaint = store.find_by_external("whatsapp", "wamid.1")
    assert (complaint.kind, complaint.author_id, complaint.author_name) == ("message", "919800000001", "Citizen Wa")
    assert complaint.desk_account_id == "5000000001" and complaint.state == "rj"


def test_whatsapp_location_becomes_the_geotag(post_meta, store):
    message = whatsapp_message("location", wamid="wamid.loc", latitude=26.2389, longitude=73.0243, name="Paota Circle")
    post_meta(meta_delivery("whatsapp", whatsapp_change(messages=[message])))
    complaint = store.find_by_external("whatsapp", "wamid.loc")
    assert (complaint.geotag.lat, complaint.geotag.lon, complaint.text) == (26.2389, 73.0243, "Paota Circle")


def test_whatsapp_image_keeps_caption_and_media_id(post_meta, store):
    message = whatsapp_message("image", wamid="wamid.img", caption="illegal liquor shop", id="MEDIA1", mime_type="image/jpeg")
    post_meta(meta_delivery("whatsapp", whatsapp_change(messages=[message])))
    complaint = store.find_by_external("whatsapp", "wamid.img")
    assert (complaint.text, complaint.media) == ("illegal liquor shop", ("whatsapp-media:MEDIA1",))


def test_stickers_and_reactions_are_skipped_with_200(post_meta, store):
    sticker = whatsapp_message("sticker", id="STICKER1", mime_type="image/webp")
    reaction = whatsapp_message("reaction", message_id="wamid.x", emoji="🙏")
    response = post_meta(meta_delivery("whatsapp", whatsapp_change(messages=[sticker, reaction])))
    assert response.status_code == 200 and response.json_body["stored"] == 0
    assert complaints_in(store) == []


def test_same_wamid_twice_creates_one_complaint(post_meta, store, queues):
    delivery = meta_delivery("whatsapp", whatsapp_change(messages=[whatsapp_message(text="help", wamid="wamid.dup")]))
    first, second = post_meta(delivery), post_meta(delivery)
    assert (first.json_body["stored"], second.json_body["duplicates"]) == (1, 1)
    assert len(complaints_in(store)) == 1 and len(drain(queues, ROUTING)) == 1


def test_same_comment_id_twice_creates_one_complaint(post_meta, store):
    delivery = meta_delivery("facebook", facebook_feed("help", comment_id="4_40"))
    post_meta(delivery)
    assert post_meta(delivery).json_body["duplicates"] == 1
    assert len(complaints_in(store)) == 1


def test_every_entry_change_and_message_of_a_batch_is_read(post_meta, store):
    delivery = meta_delivery("whatsapp", whatsapp_change(messages=[whatsapp_message(text="a", wamid="wamid.a"),
                                                                   whatsapp_message(text="b", wamid="wamid.b")]),
                             whatsapp_change(messages=[whatsapp_message(text="c", wamid="wamid.c")]))
    delivery["entry"].append({"id": "6000000002", "changes": [whatsapp_change(
        messages=[whatsapp_message(text="d", wamid="wamid.d")], phone_number_id="5000000002")]})
    assert post_meta(delivery).json_body["stored"] == 4
    assert store.find_by_external("whatsapp", "wamid.d").state == "up"


def test_message_to_a_number_we_do_not_serve_is_ignored(post_meta, store):
    response = post_meta(meta_delivery("whatsapp", whatsapp_change(
        messages=[whatsapp_message(text="hi")], phone_number_id="999")))
    assert response.json_body["ignored_unknown_account"] == 1 and complaints_in(store) == []


def test_status_of_our_reply_is_audited_on_its_complaint(post_meta, store):
    from chalicelib.model import AuditEvent

    post_meta(meta_delivery("whatsapp", whatsapp_change(messages=[whatsapp_message(text="help", wamid="wamid.c1")])))
    complaint = store.find_by_external("whatsapp", "wamid.c1")
    store.claim_reply("R1", complaint.id, "2026-01-01T00:00:00.000Z")
    store.record_reply_sent("R1", "whatsapp", "wamid.ours", AuditEvent(complaint.id, "2026-01-01T00:00:01.000Z",
                                                                       "system:router", "reply_sent"))
    response = post_meta(meta_delivery("whatsapp", whatsapp_change(statuses=[whatsapp_status("wamid.ours", "read")])))
    assert response.json_body["statuses_recorded"] == 1
    status = [e for e in store.audit_trail(complaint.id) if e["action"] == "reply_status"]
    assert status[0]["details"]["status"] == "read"


def test_statuses_are_not_complaints(post_meta, store):
    response = post_meta(meta_delivery("whatsapp", whatsapp_change(statuses=[whatsapp_status("wamid.unknown")])))
    assert response.status_code == 200 and complaints_in(store) == []
