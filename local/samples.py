"""Sample platform deliveries, shaped like the platforms' own, for the local stack, demos and tests."""
from __future__ import annotations

import itertools
import json

from chalicelib.platforms import x

_ids = itertools.count(1)
RAJASTHAN_DESK_ID = "1000000001"


def tweet(text: str, *, tweet_id: str | None = None, author_id: str = "2000000001", handle: str = "citizen_one",
          mentions=("PoliceRajasthan",), location: str | None = None, coordinates=None,
          long_text: str | None = None, retweet: bool = False, reply_to: str | None = None) -> dict:
    """One tweet_create_events item; coordinates as (lat, lon), written GeoJSON-style as X does."""
    event = {
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "id": int(tweet_id or 0), "id_str": tweet_id or f"17{next(_ids):017d}",
        "text": text[:140], "truncated": bool(long_text),
        "in_reply_to_status_id_str": reply_to,
        "user": {"id": int(author_id), "id_str": author_id, "name": handle.title(), "screen_name": handle,
                 "location": location},
        "coordinates": {"type": "Point", "coordinates": [coordinates[1], coordinates[0]]} if coordinates else None,
        "entities": {"user_mentions": [{"screen_name": m} for m in mentions]},
    }
    if long_text:
        event["extended_tweet"] = {"full_text": long_text,
                                   "entities": {"user_mentions": [{"screen_name": m} for m in mentions]}}
    if retweet:
        event["retweeted_status"] = {"id_str": "1"}
    return event


def direct_message(text: str, *, event_id: str | None = None, sender_id: str = "2000000002",
                   recipient_id: str = RAJASTHAN_DESK_ID) -> dict:
    return {"type": "message_create", "id": event_id or f"18{next(_ids):017d}", "created_timestamp": "1700000000000",
            "message_create": {"target": {"recipient_id": recipient_id}, "sender_id": sender_id,
                               "message_data": {"text": text}}}


def x_delivery(*, tweets=(), dms=(), for_user_id: str = RAJASTHAN_DESK_ID) -> dict:
    delivery = {"for_user_id": for_user_id}
    if tweets:
        delivery["tweet_create_events"] = list(tweets)
    if dms:
        delivery["direct_message_events"] = list(dms)
        delivery["users"] = {d["message_create"]["sender_id"]: {
            "id": d["message_create"]["sender_id"], "name": "Citizen", "screen_name": "citizen_dm",
            "location": "Jaipur, Rajasthan"} for d in dms}
    return delivery


def signed_x_body(delivery: dict, consumer_secret: str) -> tuple[bytes, dict]:
    body = json.dumps(delivery, ensure_ascii=False).encode("utf-8")
    return body, {"content-type": "application/json", x.SIGNATURE_HEADER: x.signature_for(body, consumer_secret)}
