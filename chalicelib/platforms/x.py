"""X (Twitter) Account Activity webhooks: CRC, signature, and events → InboundPost.

X marks Account Activity as deprecated in favour of the X Activity API (same CRC and signature, other
event shapes): each event shape is one parser in EVENT_PARSERS, so a new shape plugs in here only.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timezone

from chalicelib.model import DESK_REPLY, Geotag, InboundPost, iso
from chalicelib.platforms.payload import MalformedDeliveryError, read_id as _id, require as _require

SIGNATURE_HEADER = "x-twitter-webhooks-signature"


def _sign(secret: str, message: bytes) -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def crc_response(crc_token: str, consumer_secret: str) -> dict:
    return {"response_token": _sign(consumer_secret, crc_token.encode())}


def signature_for(raw_body: bytes, consumer_secret: str) -> str:
    return _sign(consumer_secret, raw_body)


def verify_signature(raw_body: bytes, headers, consumer_secret: str) -> bool:
    received = headers.get(SIGNATURE_HEADER) or ""
    return hmac.compare_digest(received.encode(), signature_for(raw_body, consumer_secret).encode())


def _created_at(text: str | None) -> str:
    # X writes "Wed Oct 10 20:19:24 +0000 2018"
    if not text:
        return iso(datetime.now(timezone.utc))
    try:
        return iso(datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y"))
    except ValueError as exc:
        raise MalformedDeliveryError(f"created_at {text!r} is not X's date format") from exc


def _millis(text: str | None) -> str:
    try:
        return iso(datetime.fromtimestamp(int(text) / 1000, timezone.utc))
    except (TypeError, ValueError) as exc:
        raise MalformedDeliveryError(f"created_timestamp {text!r} is not epoch milliseconds") from exc


def _geotag(tweet: dict) -> Geotag | None:
    point = tweet.get("coordinates")
    if isinstance(point, dict) and isinstance(point.get("coordinates"), list) and len(point["coordinates"]) == 2:
        lon, lat = point["coordinates"]  # GeoJSON order: longitude first
        return Geotag(lat=float(lat), lon=float(lon))
    return None


def _text(tweet: dict) -> str:
    text = (tweet.get("extended_tweet") or {}).get("full_text") or tweet.get("full_text") or tweet.get("text")
    if not isinstance(text, str):
        raise MalformedDeliveryError("tweet has no text")
    return text


def _tweet(tweet: dict, desk_account_id: str, users: dict) -> InboundPost | None:
    user = _require(tweet, "user", "tweet")
    author_id = _id(user, "id_str", "tweet.user")
    if "retweeted_status" in tweet:
        return None  # a plain retweet: nothing new from a citizen
    if author_id == desk_account_id:
        # The desk's own answer to a post stops that complaint's clock; its other posts are nothing to us.
        return _desk_reply(tweet, desk_account_id) if tweet.get("in_reply_to_status_id_str") else None
    extended = tweet.get("extended_tweet") or {}
    text = _text(tweet)
    entities = extended.get("entities") or tweet.get("entities") or {}
    mentions = tuple(m["screen_name"] for m in entities.get("user_mentions", []) if m.get("screen_name"))
    return InboundPost(
        platform="x", external_id=_id(tweet, "id_str", "tweet"),
        kind="reply" if tweet.get("in_reply_to_status_id_str") else "post",
        desk_account_id=desk_account_id, author_id=author_id,
        author_handle=user.get("screen_name"), author_name=user.get("name"), text=text,
        created_at=_created_at(tweet.get("created_at")), mentions=mentions, geotag=_geotag(tweet),
        author_location=user.get("location") or None, reply_to_id=tweet.get("in_reply_to_status_id_str"),
    )


def _desk_reply(tweet: dict, desk_account_id: str) -> InboundPost:
    return InboundPost(
        platform="x", external_id=_id(tweet, "id_str", "tweet"), kind=DESK_REPLY, desk_account_id=desk_account_id,
        author_id=desk_account_id, author_handle=None, author_name=None, text=_text(tweet),
        created_at=_created_at(tweet.get("created_at")), reply_to_id=str(tweet["in_reply_to_status_id_str"]))


def _direct_message(event: dict, desk_account_id: str, users: dict) -> InboundPost | None:
    if event.get("type") != "message_create":
        return None
    message = _require(event, "message_create", "direct message event")
    sender_id = _id(message, "sender_id", "message_create")
    if sender_id == desk_account_id:
        return None  # our own outgoing DM echoed back
    data = _require(message, "message_data", "message_create")
    text = data.get("text")
    if not isinstance(text, str):
        raise MalformedDeliveryError("direct message has no text")
    sender = users.get(sender_id) or {}
    return InboundPost(
        platform="x", external_id=f"dm-{_id(event, 'id', 'direct message event')}", kind="dm",
        desk_account_id=desk_account_id, author_id=sender_id, author_handle=sender.get("screen_name"),
        author_name=sender.get("name"), text=text, created_at=_millis(event.get("created_timestamp")),
        author_location=sender.get("location") or None,
    )


EVENT_PARSERS = {
    "tweet_create_events": _tweet,
    "direct_message_events": _direct_message,
}


def parse_delivery(payload) -> list[InboundPost]:
    """Every citizen post in one delivery. Deliveries without for_user_id (replay status) carry none."""
    if not isinstance(payload, dict):
        raise MalformedDeliveryError("a delivery must be a JSON object")
    if "for_user_id" not in payload:
        return []
    desk_account_id = str(payload["for_user_id"])
    users = payload.get("users") if isinstance(payload.get("users"), dict) else {}
    posts = []
    for field_name, parse in EVENT_PARSERS.items():
        events = payload.get(field_name, [])
        if not isinstance(events, list):
            raise MalformedDeliveryError(f"{field_name} must be a list")
        for event in events:
            if not isinstance(event, dict):
                raise MalformedDeliveryError(f"each of {field_name} must be an object")
            post = parse(event, desk_account_id, users)
            if post:
                posts.append(post)
    return posts
