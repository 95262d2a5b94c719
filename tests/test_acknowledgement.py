"""The acknowledgement of a routed complaint: reference, what happens next, bilingual, private when sensitive."""
import json

import pytest

from chalicelib.acknowledgement import acknowledgement_text, load_templates
from chalicelib.districts import load_registry
from chalicelib.model import Complaint, reference_number
from chalicelib.platforms.x_api import weighted_length
from local.samples import tweet, x_delivery
from tests.conftest import drain

OUTBOUND = "desk-outbound"


def routed(**fields) -> Complaint:
    values = dict(id="01JROUTED000000000000XYZ12", state="rj", desk="rj-hq", platform="x", external_id="1",
                  kind="post", desk_account_id="1000000001", author_id="2", author_handle="c", author_name=None,
                  text="meri bike chori ho gayi", created_at="2026-11-23T09:00:00.000Z",
                  received_at="2026-11-23T09:00:01.000Z", status="ROUTED", district="rj-jodhpur", actionable=True)
    return Complaint(**{**values, **fields})


def text_for(complaint: Complaint) -> str | None:
    return acknowledgement_text(complaint, load_registry(), load_templates())


def test_reference_is_the_state_and_the_ids_random_tail():
    assert reference_number("rj", "01JROUTED000000000000XYZ12") == "RJ-000X-YZ12"


def test_district_acknowledgement_names_the_district_in_hindi_and_english_with_the_reference():
    text = text_for(routed())
    district = load_registry().get("rj-jodhpur")
    assert routed().reference in text
    assert district.name_hi in text and district.name_en in text


def test_hq_acknowledgement_says_the_district_is_being_decided():
    text = text_for(routed(district="rj-hq"))
    assert "HQ is assigning it" in text and "राजस्थान पुलिस" in text


def test_sensitive_complaint_gets_a_neutral_text_that_names_no_district_nor_repeats_the_post():
    complaint = routed(sensitive=True, text="meri beti ke saath Paota me chhedchhad")
    text = text_for(complaint)
    assert "direct message" in text and complaint.reference in text
    assert load_registry().get("rj-jodhpur").name_en not in text and "Paota" not in text


def test_sensitive_complaint_that_came_privately_is_answered_in_the_same_private_channel():
    text = text_for(routed(sensitive=True, platform="whatsapp", kind="message"))
    assert "contact you here, privately" in text


def test_not_actionable_and_unrouted_complaints_get_no_acknowledgement():
    assert text_for(routed(actionable=False)) is None
    assert text_for(routed(status="NOT_ACTIONABLE")) is None


@pytest.mark.parametrize("state", ["rj", "up"])
def test_every_acknowledgement_of_every_district_fits_an_x_reply(state):
    registry = load_registry()
    longest = max(
        weighted_length(text_for(routed(state=state, district=district.id, sensitive=sensitive, kind=kind)))
        for district in registry.districts if district.state == state
        for sensitive in (False, True) for kind in ("post", "dm"))
    assert longest <= 280


def test_routing_a_complaint_queues_one_acknowledgement(client, post_x, store, queues):
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan Jodhpur me meri bike chori ho gayi", tweet_id="9001")]))
    complaint = store.find_by_external("x", "9001")
    client.lambda_.invoke("route_complaints", {"Records": [{
        "messageId": "m-1", "receiptHandle": "r-1", "body": json.dumps({"complaint_id": complaint.id}),
        "attributes": {}, "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:ap-south-1:123456789012:desk-routing", "awsRegion": "ap-south-1"}]})
    [ack] = drain(queues, OUTBOUND)
    assert (ack["complaint_id"], ack["purpose"], ack["requested_by"]) == (complaint.id, "acknowledgement", "system:router")
    assert store.get(complaint.id).reference in ack["text"] and len(ack["reply_id"]) == 26


def thanks(state: str, category: str = "na_thanks") -> Complaint:
    return routed(state=state, status="NOT_ACTIONABLE", actionable=False, category=category, district=None)


def test_thanks_are_liked_where_the_state_says_like():
    from chalicelib.acknowledgement import likes_thanks

    assert likes_thanks(thanks("rj"), load_templates())
    assert likes_thanks(thanks("rj", "na_praise"), load_templates())


def test_thanks_are_left_alone_by_default_and_other_non_actionable_posts_always():
    from chalicelib.acknowledgement import likes_thanks

    assert not likes_thanks(thanks("up"), load_templates())
    assert not likes_thanks(thanks("rj", "na_political"), load_templates())


def test_a_thanks_post_gets_a_like_and_no_text(client, post_x, store, queues):
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan thank you so much for the quick help", tweet_id="9002")]))
    complaint = store.find_by_external("x", "9002")
    client.lambda_.invoke("route_complaints", {"Records": [{
        "messageId": "m-1", "receiptHandle": "r-1", "body": json.dumps({"complaint_id": complaint.id}),
        "attributes": {}, "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:ap-south-1:123456789012:desk-routing", "awsRegion": "ap-south-1"}]})
    [like] = drain(queues, OUTBOUND)
    assert (like["purpose"], like["text"]) == ("like", "")
