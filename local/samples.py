"""Sample platform deliveries, shaped like the platforms' own, for the local stack, demos and tests."""
from __future__ import annotations

import itertools
import json
import time

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


# Meta (Facebook Pages, Instagram, WhatsApp Cloud API): one change per helper, wrapped by meta_delivery.
RAJASTHAN_PAGE_ID = "3000000001"
RAJASTHAN_INSTAGRAM_ID = "4000000001"
RAJASTHAN_WHATSAPP_ID = "5000000001"
META_OBJECTS = {"facebook": "page", "instagram": "instagram", "whatsapp": "whatsapp_business_account"}


def facebook_feed(text: str | None, *, item: str = "comment", verb: str = "add", comment_id: str | None = None,
                  post_id: str | None = None, parent_id: str | None = None, author_id: str = "2100000001",
                  author_name: str = "Citizen Fb", page_id: str = RAJASTHAN_PAGE_ID) -> dict:
    post_id = post_id or f"{page_id}_{next(_ids):09d}"
    value = {"from": {"id": author_id, "name": author_name}, "item": item, "verb": verb, "post_id": post_id,
             "created_time": 1700000000}
    if text is not None:
        value["message"] = text
    if item == "comment":
        value["comment_id"] = comment_id or f"{post_id.split('_')[-1]}_{next(_ids):09d}"
        value["parent_id"] = parent_id or post_id
    return {"field": "feed", "value": value}


def facebook_mention(*, post_id: str, sender_id: str = "2100000002", verb: str = "add") -> dict:
    return {"field": "mention", "value": {"item": "post", "post_id": post_id, "verb": verb, "sender_id": sender_id,
                                         "sender_name": "Citizen Mention"}}


def instagram_comment(text: str, *, comment_id: str | None = None, author_id: str = "2200000001",
                      username: str = "citizen_ig", parent_id: str | None = None, media_id: str = "17900000000000001") -> dict:
    value = {"from": {"id": author_id, "username": username}, "media": {"id": media_id, "media_product_type": "FEED"},
             "id": comment_id or f"179{next(_ids):014d}", "text": text}
    if parent_id:
        value["parent_id"] = parent_id
    return {"field": "comments", "value": value}


def instagram_mention(*, media_id: str, comment_id: str | None = None) -> dict:
    value = {"media_id": media_id}
    if comment_id:
        value["comment_id"] = comment_id
    return {"field": "mentions", "value": value}


def whatsapp_message(kind: str = "text", *, text: str = "", wamid: str | None = None, sender: str = "919800000001",
                     **content) -> dict:
    """One WhatsApp message of any type; `content` is the type's own object (defaults to a text body)."""
    # Now: replies inside WhatsApp's 24-hour window are free text, later ones need a template.
    message = {"from": sender, "id": wamid or f"wamid.HBgM{next(_ids):012d}", "timestamp": str(int(time.time())),
               "type": kind}
    message[kind] = content or {"body": text}
    return message


def whatsapp_change(*, messages=(), statuses=(), phone_number_id: str = RAJASTHAN_WHATSAPP_ID) -> dict:
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "911412000000", "phone_number_id": phone_number_id},
             "contacts": [{"profile": {"name": "Citizen Wa"}, "wa_id": m["from"]} for m in messages]}
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {"field": "messages", "value": value}


def whatsapp_status(message_id: str, status: str = "delivered", errors=()) -> dict:
    status_item = {"id": message_id, "status": status, "timestamp": "1700000100", "recipient_id": "919800000001"}
    if errors:
        status_item["errors"] = list(errors)
    return status_item


def meta_delivery(platform: str, *changes: dict, account_id: str | None = None) -> dict:
    """One entry holding the changes; account ids default to the Rajasthan desk's demo accounts."""
    default_account = {"facebook": RAJASTHAN_PAGE_ID, "instagram": RAJASTHAN_INSTAGRAM_ID,
                       "whatsapp": "6000000001"}[platform]  # WhatsApp entries name the business account
    return {"object": META_OBJECTS[platform],
            "entry": [{"id": account_id or default_account, "time": 1700000000, "changes": list(changes)}]}


def signed_meta_body(delivery: dict, app_secret: str) -> tuple[bytes, dict]:
    from chalicelib.platforms import meta

    # Meta sends non-ASCII escaped (\u0915): json.dumps' default does the same.
    body = json.dumps(delivery).encode("ascii")
    return body, {"content-type": "application/json", meta.SIGNATURE_HEADER: meta.signature_for(body, app_secret)}
