"""Property: whatever a correctly signed delivery contains, the webhook answers 200 or a clear 4xx, never a 5xx,
and a refused delivery stores nothing."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local.samples import signed_x_body, tweet, x_delivery

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)

# Deliveries that look almost right: real field names with arbitrary values, so parsing goes deep.
tweet_fields = st.fixed_dictionaries({}, optional={
    "id_str": json_values, "text": json_values, "user": json_values, "entities": json_values,
    "extended_tweet": json_values, "coordinates": json_values, "created_at": json_values,
    "in_reply_to_status_id_str": json_values, "retweeted_status": json_values})
deliveries = st.fixed_dictionaries({"for_user_id": st.sampled_from(["1000000001", "1000000002", "42"])}, optional={
    "tweet_create_events": st.lists(tweet_fields, max_size=3) | json_values,
    "direct_message_events": st.lists(json_values, max_size=3) | json_values,
    "users": json_values})


def complaint_count(store) -> int:
    return sum(1 for i in store.table.scan()["Items"] if i["type"] == "complaint")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(delivery=deliveries)
def test_any_signed_x_delivery_gets_200_or_4xx_and_never_half_stores(client, aws, store, delivery):
    before = complaint_count(store)
    body, headers = signed_x_body(delivery, aws.x_consumer_secret)
    response = client.http.post("/webhooks/x", body=body, headers=headers)
    assert response.status_code in (200, 400), response.body
    if response.status_code == 400:
        assert complaint_count(store) == before
        assert json.loads(response.body)["error"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300))
def test_any_signed_byte_string_gets_200_or_4xx(client, aws, raw):
    from chalicelib.platforms.x import SIGNATURE_HEADER, signature_for

    headers = {"content-type": "application/json", SIGNATURE_HEADER: signature_for(raw, aws.x_consumer_secret)}
    assert client.http.post("/webhooks/x", body=raw, headers=headers).status_code in (200, 400)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=400))
def test_any_post_text_is_stored_exactly_as_written(post_x, store, text):
    event = tweet(text[:140], long_text=text)
    assert post_x(x_delivery(tweets=[event])).status_code == 200
    assert store.find_by_external("x", event["id_str"]).text == text


def test_tweet_id_that_is_not_a_string_or_number_is_400(client, aws, store):
    event = tweet("help")
    event["id_str"] = {"nested": "object"}
    body, headers = signed_x_body(x_delivery(tweets=[event]), aws.x_consumer_secret)
    response = client.http.post("/webhooks/x", body=body, headers=headers)
    assert response.status_code == 400 and "id_str" in json.loads(response.body)["error"]
