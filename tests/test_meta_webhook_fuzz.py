"""Property: whatever a correctly signed Meta delivery contains, the webhook answers 200 or a clear 400 (503 only
when the Graph API is down), never a 500, and a refused delivery stores nothing."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local.samples import signed_meta_body

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)
ids = st.sampled_from(["3000000001", "4000000001", "5000000001", "42"]) | json_values

# Real field names with arbitrary values, so parsing goes deep into every object's parser.
feed_values = st.fixed_dictionaries({}, optional={
    "item": st.sampled_from(["comment", "status", "photo", "reaction"]) | json_values,
    "verb": st.sampled_from(["add", "edited", "remove"]) | json_values, "from": json_values | st.fixed_dictionaries(
        {"id": ids}), "post_id": ids, "comment_id": ids, "parent_id": ids, "message": json_values,
    "created_time": json_values, "photo": json_values})
instagram_values = st.fixed_dictionaries({}, optional={
    "id": ids, "comment_id": ids, "text": json_values, "from": json_values | st.fixed_dictionaries({"id": ids}),
    "parent_id": ids, "media_id": ids, "media": json_values})
whatsapp_message = st.fixed_dictionaries({}, optional={
    "from": ids, "id": ids, "timestamp": json_values,
    "type": st.sampled_from(["text", "location", "image", "sticker", "reaction"]) | json_values,
    "text": json_values, "location": json_values, "image": json_values, "context": json_values})
whatsapp_values = st.fixed_dictionaries({}, optional={
    "metadata": json_values | st.fixed_dictionaries({"phone_number_id": ids}),
    "messages": st.lists(whatsapp_message, max_size=3) | json_values,
    "statuses": st.lists(json_values, max_size=2) | json_values, "contacts": json_values})


def change(field: str, values):
    return st.fixed_dictionaries({"field": st.just(field), "value": values}) | st.fixed_dictionaries(
        {"field": st.just(field)}, optional={"value": json_values})


deliveries = st.one_of(
    st.fixed_dictionaries({"object": st.just("page"), "entry": st.lists(st.fixed_dictionaries(
        {"id": ids}, optional={"time": json_values, "changes": st.lists(
            change("feed", feed_values) | change("mention", feed_values), min_size=1, max_size=3) | json_values}), min_size=1, max_size=2)}),
    st.fixed_dictionaries({"object": st.just("instagram"), "entry": st.lists(st.fixed_dictionaries(
        {"id": ids}, optional={"changes": st.lists(
            change("comments", instagram_values) | change("mentions", instagram_values), min_size=1, max_size=3)}),
        min_size=1, max_size=2)}),
    st.fixed_dictionaries({"object": st.just("whatsapp_business_account"), "entry": st.lists(st.fixed_dictionaries(
        {"id": ids}, optional={"changes": st.lists(change("messages", whatsapp_values), min_size=1, max_size=2)}),
        min_size=1, max_size=2)}),
    st.fixed_dictionaries({}, optional={"object": json_values, "entry": json_values}))


def complaint_count(store) -> int:
    return sum(1 for i in store.table.scan()["Items"] if i["type"] == "complaint")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(delivery=deliveries)
def test_any_signed_meta_delivery_gets_200_or_400_and_never_half_stores(client, aws, store, platforms_at_standin,
                                                                       delivery):
    before = complaint_count(store)
    body, headers = signed_meta_body(delivery, aws.meta_app_secret)
    response = client.http.post("/webhooks/meta", body=body, headers=headers)
    assert response.status_code in (200, 400), response.body
    if response.status_code == 400:
        assert complaint_count(store) == before
        assert json.loads(response.body)["error"]
