"""Each platform's reply client against a real HTTP server on 127.0.0.1 (local/platform_standin.py):
method, path, auth header and body as the platform documents them; 200, 429 with Retry-After, 500, 400."""
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.model import Complaint
from chalicelib.platforms.graph import FacebookReplies, GraphLookup, InstagramReplies
from chalicelib.platforms.http import (JsonApi, PermanentPlatformError, RetryPolicy, TransientPlatformError,
                                       UncertainOutcomeError, retry_after_seconds)
from chalicelib.platforms.whatsapp import WhatsAppReplies
from chalicelib.platforms.x_api import XReplies, weighted_length
from local.platform_standin import Answer

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def complaint(platform: str, external_id: str, kind: str, **fields) -> Complaint:
    values = dict(id="01JCOMPLAINT00000000ABCDEF", state="rj", desk="rj-hq", platform=platform,
                  external_id=external_id, kind=kind, desk_account_id="5000000001", author_id="919800000001",
                  author_handle=None, author_name=None, text="help", created_at="2026-11-23T09:00:00.000Z",
                  received_at="2026-11-23T09:00:01.000Z")
    return Complaint(**{**values, **fields})


@pytest.fixture
def waits():
    return []


@pytest.fixture
def api(platform_standin, waits):
    def make(prefix: str = "", token: str = "tok-123", budget: float = 8.0, timeout: float = 2.0) -> JsonApi:
        return JsonApi(platform_standin.url + prefix, token, RetryPolicy(budget_seconds=budget), timeout=timeout,
                       sleep=waits.append)
    return make


# X

def test_x_reply_posts_a_tweet_in_reply_to_the_citizens_post(api, platform_standin):
    posted = XReplies(api()).reply(complaint("x", "1790000000000000001", "post"), "Registered, ref RJ-ABCD-EFGH")
    [request] = platform_standin.requests
    assert (request.method, request.path, request.headers["authorization"]) == ("POST", "/2/tweets", "Bearer tok-123")
    assert request.body == {"text": "Registered, ref RJ-ABCD-EFGH",
                            "reply": {"in_reply_to_tweet_id": "1790000000000000001"}}
    assert posted == "1900000000000000001"


def test_x_reply_to_a_dm_is_a_dm_to_its_sender(api, platform_standin):
    posted = XReplies(api()).reply(complaint("x", "dm-180001", "dm", author_id="2000000002"), "We will call you")
    [request] = platform_standin.requests
    assert posted == "dm-1800000000000000001"
    assert request.path == "/2/dm_conversations/with/2000000002/messages"
    assert request.body == {"text": "We will call you"}


def test_x_counts_devanagari_once_and_emoji_and_cjk_twice():
    assert weighted_length("शिकायत") == 6
    assert weighted_length("🙏") == 2 and weighted_length("警察") == 4


def test_x_counts_every_link_as_23():
    assert weighted_length("see https://police.rajasthan.gov.in/a/very/long/path/to/a/page") == 4 + 23


# Facebook and Instagram

def test_facebook_reply_comments_under_the_citizens_comment(api, platform_standin):
    FacebookReplies(api("/v25.0")).reply(complaint("facebook", "1_10", "comment"), "नमस्ते")
    [request] = platform_standin.requests
    assert (request.method, request.path) == ("POST", "/v25.0/1_10/comments")
    assert request.body == {"message": "नमस्ते"} and request.headers["authorization"] == "Bearer tok-123"


def test_instagram_reply_to_a_reply_goes_under_the_top_level_comment(api, platform_standin):
    InstagramReplies(api("/v25.0")).reply(complaint("instagram", "179002", "comment", reply_to_id="179001"), "ok")
    assert platform_standin.requests[0].path == "/v25.0/179001/replies"


def test_instagram_reply_to_a_comment_mention_uses_our_accounts_mentions_edge(api, platform_standin):
    InstagramReplies(api("/v25.0")).reply(
        complaint("instagram", "179777", "mention", reply_to_id="18000001", desk_account_id="4000000001"), "ok")
    [request] = platform_standin.requests
    assert request.path == "/v25.0/4000000001/mentions"
    assert request.body == {"media_id": "18000001", "comment_id": "179777", "message": "ok"}


def test_graph_lookup_reads_a_mentioned_comment(api, platform_standin):
    platform_standin.objects["4000000001"] = {"mentioned_comment": {"text": "@policerajasthan help", "id": "9"}}
    found = GraphLookup(api("/v25.0")).instagram_mentioned_comment("4000000001", "9")
    assert found["text"] == "@policerajasthan help"
    assert platform_standin.requests[0].query["fields"] == "mentioned_comment.comment_id(9){text,timestamp,username}"


# WhatsApp

def whatsapp(api, now=NOW):
    return WhatsAppReplies(api("/v25.0"), "complaint_update", "hi", clock=lambda: now)


def test_whatsapp_reply_inside_24_hours_is_free_text_quoting_the_citizens_message(api, platform_standin):
    posted = whatsapp(api).reply(complaint("whatsapp", "wamid.1", "message"), "We are on it")
    [request] = platform_standin.requests
    assert request.path == "/v25.0/5000000001/messages"
    assert request.body == {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "919800000001",
                            "type": "text", "text": {"body": "We are on it", "preview_url": False},
                            "context": {"message_id": "wamid.1"}}
    assert posted.startswith("wamid.")


def test_whatsapp_reply_after_24_hours_is_a_template_with_reference_and_text(api, platform_standin):
    whatsapp(api, now=NOW + timedelta(hours=25)).reply(complaint("whatsapp", "wamid.1", "message"), "FIR\nregistered")
    body = platform_standin.requests[0].body
    assert body["type"] == "template" and body["template"]["name"] == "complaint_update"
    assert body["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "RJ-00AB-CDEF"}, {"type": "text", "text": "FIR registered"}]


# Retries and failures (shown on one client; all share JsonApi)

def test_429_is_retried_after_the_seconds_retry_after_asks(api, platform_standin, waits):
    platform_standin.script(Answer(429, {"title": "Too Many Requests"}, {"Retry-After": "3"}))
    XReplies(api()).reply(complaint("x", "1", "post"), "hi")
    assert waits == [3.0] and len(platform_standin.requests) == 2


def test_429_asking_longer_than_the_budget_is_left_for_the_queue(api, platform_standin, waits):
    platform_standin.script(Answer(429, {"title": "Too Many Requests"}, {"Retry-After": "900"}))
    with pytest.raises(TransientPlatformError):
        XReplies(api()).reply(complaint("x", "1", "post"), "hi")
    assert waits == [] and len(platform_standin.requests) == 1


def test_500_is_retried_with_growing_backoff(api, platform_standin, waits):
    platform_standin.script(Answer(500, {}), Answer(503, {}))
    FacebookReplies(api("/v25.0")).reply(complaint("facebook", "1_10", "comment"), "hi")
    assert waits == [0.5, 1.0] and len(platform_standin.requests) == 3


def test_500_every_time_gives_up_after_the_last_attempt(api, platform_standin, waits):
    platform_standin.script(*[Answer(500, {"error": {"message": "oops"}})] * 3)
    with pytest.raises(TransientPlatformError) as raised:
        FacebookReplies(api("/v25.0")).reply(complaint("facebook", "1_10", "comment"), "hi")
    assert raised.value.status == 500 and len(platform_standin.requests) == 3


def test_400_is_permanent_and_not_retried(api, platform_standin, waits):
    platform_standin.script(Answer(400, {"error": {"message": "(#100) Invalid parameter", "code": 100}}))
    with pytest.raises(PermanentPlatformError) as raised:
        InstagramReplies(api("/v25.0")).reply(complaint("instagram", "1", "comment"), "hi")
    assert raised.value.status == 400 and "Invalid parameter" in str(raised.value)
    assert len(platform_standin.requests) == 1


def test_a_post_without_an_answer_in_time_is_uncertain_not_retried(api, platform_standin):
    platform_standin.script(Answer(200, {"data": {"id": "1"}}, delay=0.6))
    with pytest.raises(UncertainOutcomeError):
        XReplies(api(timeout=0.2)).reply(complaint("x", "1", "post"), "hi")
    assert len(platform_standin.requests) == 1


def test_an_unreachable_platform_is_transient(waits):
    unreachable = JsonApi("http://127.0.0.1:9", "t", RetryPolicy(attempts=2), timeout=1, sleep=waits.append)
    with pytest.raises(TransientPlatformError):
        XReplies(unreachable).reply(complaint("x", "1", "post"), "hi")
    assert waits == [0.5]


def test_retry_after_may_be_an_http_date():
    assert 0 < retry_after_seconds("Wed, 21 Oct 2099 07:28:00 GMT")
    assert retry_after_seconds("soon") is None


# Likes of thanks

def test_x_like_likes_the_post_as_the_desk_account(api, platform_standin):
    XReplies(api()).like(complaint("x", "1790000000000000009", "post", desk_account_id="1000000001"))
    [request] = platform_standin.requests
    assert (request.path, request.body) == ("/2/users/1000000001/likes", {"tweet_id": "1790000000000000009"})


def test_facebook_like_posts_to_the_objects_likes_edge(api, platform_standin):
    FacebookReplies(api("/v25.0")).like(complaint("facebook", "1_10", "comment"))
    assert platform_standin.requests[0].path == "/v25.0/1_10/likes"


def test_whatsapp_like_is_a_reaction_to_the_citizens_message(api, platform_standin):
    whatsapp(api).like(complaint("whatsapp", "wamid.1", "message"))
    body = platform_standin.requests[0].body
    assert (body["type"], body["reaction"]["message_id"]) == ("reaction", "wamid.1")


def test_instagram_and_old_whatsapp_messages_cannot_be_liked(api, platform_standin):
    assert InstagramReplies(api("/v25.0")).like(complaint("instagram", "1", "comment")) is None
    assert whatsapp(api, now=NOW + timedelta(days=2)).like(complaint("whatsapp", "wamid.1", "message")) is None
    assert platform_standin.requests == []


def test_a_post_answered_200_without_json_is_uncertain(api, platform_standin):
    platform_standin.script(Answer(200, "<html>ok</html>"))
    with pytest.raises(UncertainOutcomeError):
        FacebookReplies(api("/v25.0")).reply(complaint("facebook", "1_10", "comment"), "hi")


def test_a_read_answered_200_without_json_is_transient(api, platform_standin):
    platform_standin.script(*[Answer(200, "<html>maintenance</html>")] * 3)
    with pytest.raises(TransientPlatformError):
        GraphLookup(api("/v25.0")).facebook_object("1_10")
