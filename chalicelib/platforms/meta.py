"""Meta webhooks (Facebook Pages, Instagram, WhatsApp Cloud API): verification, signature, events.

One delivery holds many entries, each many changes, each (WhatsApp) many messages and statuses: every one
is read. The parser yields citizens' posts (InboundPost), edits and removals (PostChanged) and the delivery
state of our own replies (DeliveryStatus); intake decides what each means for the store.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone
from typing import Callable, Protocol

from chalicelib.model import DESK_REPLY, DeliveryStatus, Geotag, InboundPost, PostChanged, iso
from chalicelib.observability import logger
from chalicelib.platforms.payload import MalformedDeliveryError, read_id as _id, require as _require

SIGNATURE_HEADER = "x-hub-signature-256"

# Facebook feed items a citizen writes; reactions, likes and page-level events are not complaints.
FEED_ITEMS = {"status", "post", "photo", "video", "share", "comment"}
FEED_CHANGES = {"edited": "edited", "edit": "edited", "remove": "removed", "hide": "hidden", "unhide": "unhidden"}
WHATSAPP_MEDIA = ("image", "video", "document", "audio")


class MentionLookup(Protocol):
    """Mentions arrive as bare ids; their text lives in the Graph API (chalicelib/platforms/graph.py)."""

    def facebook_object(self, object_id: str) -> dict: ...

    def instagram_mentioned_media(self, ig_user_id: str, media_id: str) -> dict: ...

    def instagram_mentioned_comment(self, ig_user_id: str, comment_id: str) -> dict: ...


def signature_for(raw_body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify_signature(raw_body: bytes, headers, app_secret: str) -> bool:
    # Meta signs the bytes it sent (non-ASCII escaped as \uXXXX): re-serialised JSON would not match.
    received = headers.get(SIGNATURE_HEADER) or ""
    return hmac.compare_digest(received.encode(), signature_for(raw_body, app_secret).encode())


def subscription_challenge(query: dict | None, verify_token: str) -> str | None:
    """The challenge to echo when Meta's subscription check names our verify token, else None."""
    query = query or {}
    token = query.get("hub.verify_token") or ""
    if query.get("hub.mode") != "subscribe" or not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return query.get("hub.challenge")


def _optional_id(mapping: dict, key: str, where: str) -> str | None:
    return _id(mapping, key, where) if mapping.get(key) not in (None, "") else None


def _text(mapping: dict, key: str, where: str) -> str:
    value = mapping.get(key)
    if value is not None and not isinstance(value, str):
        raise MalformedDeliveryError(f"{where}.{key} must be text")
    return value or ""


def _word(mapping: dict, key: str) -> str | None:
    """An enumerated field (item, verb, type): anything but a string matches none of its values."""
    value = mapping.get(key)
    return value if isinstance(value, str) else None


def _object(mapping: dict, key: str) -> dict:
    value = mapping.get(key)
    return value if isinstance(value, dict) else {}


def _objects(mapping: dict, key: str, where: str) -> list[dict]:
    items = mapping.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise MalformedDeliveryError(f"{where}.{key} must be a list of objects")
    return items


def _moment(value, fallback: str) -> str:
    """Meta writes epoch seconds (number or string) in webhooks and ISO with +0000 in the Graph API."""
    if value in (None, ""):
        return fallback
    try:
        if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
            return iso(datetime.fromtimestamp(int(value), timezone.utc))
        return iso(datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z"))
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise MalformedDeliveryError(f"time {value!r} is neither epoch seconds nor ISO-8601") from exc


def _page_feed(value: dict, page_id: str, at: str, graph: MentionLookup | None) -> list:
    item, verb = _word(value, "item"), _word(value, "verb")
    if item not in FEED_ITEMS:
        return []
    where = f"feed {item}"
    external_id = _id(value, "comment_id" if item == "comment" else "post_id", where)
    when = _moment(value.get("created_time"), at)
    if verb in FEED_CHANGES:
        return [PostChanged("facebook", external_id, FEED_CHANGES[verb], when, _text(value, "message", where) or None)]
    if verb != "add":
        return []
    author = _require(value, "from", where)
    author_id = _id(author, "id", f"{where}.from")
    # Top-level comments name the post as their parent, replies name the comment they answer.
    answers = (_optional_id(value, "parent_id", where) or _optional_id(value, "post_id", where)) \
        if item == "comment" else None
    text = _text(value, "message", where)
    if author_id == page_id:
        return [_desk_reply("facebook", external_id, page_id, text, when, answers)] if answers else []
    media = tuple(_text(value, k, where) for k in ("photo", "video", "link") if value.get(k))
    return [InboundPost(
        platform="facebook", external_id=external_id, kind="comment" if item == "comment" else "post",
        desk_account_id=page_id, author_id=author_id, author_handle=None, author_name=_text(author, "name", where) or None,
        text=text, created_at=when, reply_to_id=answers, media=media)]


def _page_mention(value: dict, page_id: str, at: str, graph: MentionLookup | None) -> list:
    external_id = _id(value, "comment_id" if _word(value, "item") == "comment" else "post_id", "page mention")
    if _word(value, "verb") == "remove":
        return [PostChanged("facebook", external_id, "removed", at)]
    if _word(value, "verb") != "add":
        return []
    found = _lookup(graph).facebook_object(external_id)
    if not found:
        return _unreadable("facebook", external_id)
    author = _object(found, "from")
    return [InboundPost(
        platform="facebook", external_id=external_id, kind="mention", desk_account_id=page_id,
        # Page mentions may carry no sender id; the Graph object names the author when the token may see it.
        author_id=_optional_id(value, "sender_id", "page mention") or _optional_id(author, "id", "author") or "unknown",
        author_handle=None, author_name=_text(value, "sender_name", "page mention") or author.get("name"),
        text=_text(found, "message", "mentioned post"),
        created_at=_moment(found.get("created_time") or value.get("created_time"), at))]


def _instagram_comment(value: dict, ig_user_id: str, at: str, graph: MentionLookup | None) -> list:
    where = "instagram comment"
    # Meta's examples name the comment id `id`, some payloads `comment_id`: accept both.
    external_id = _optional_id(value, "id", where) or _id(value, "comment_id", where)
    author = _require(value, "from", where)
    author_id = _id(author, "id", f"{where}.from")
    text = _text(value, "text", where)
    parent = _optional_id(value, "parent_id", where)
    if author_id == ig_user_id:
        return [_desk_reply("instagram", external_id, ig_user_id, text, at, parent)] if parent else []
    return [InboundPost(
        platform="instagram", external_id=external_id, kind="comment", desk_account_id=ig_user_id,
        author_id=author_id, author_handle=_text(author, "username", where) or None, author_name=None, text=text,
        created_at=at, reply_to_id=parent)]


def _instagram_mention(value: dict, ig_user_id: str, at: str, graph: MentionLookup | None) -> list:
    media_id = _id(value, "media_id", "instagram mention")
    comment_id = _optional_id(value, "comment_id", "instagram mention")
    lookup = _lookup(graph)
    found = (lookup.instagram_mentioned_comment(ig_user_id, comment_id) if comment_id
             else lookup.instagram_mentioned_media(ig_user_id, media_id))
    if not found:
        return _unreadable("instagram", comment_id or media_id)
    text = _text(found, "text" if comment_id else "caption", "instagram mention")
    username = _text(found, "username", "mention") or None
    return [InboundPost(
        platform="instagram", external_id=comment_id or media_id, kind="mention",
        desk_account_id=ig_user_id, author_id=username or "unknown", author_handle=username, author_name=None,
        text=text, created_at=_moment(found.get("timestamp"), at),
        # A reply to a mention names the media (and the comment): POST /{ig-user-id}/mentions.
        reply_to_id=media_id if comment_id else None,
        media=(_text(found, "media_url", "mentioned media"),) if found.get("media_url") else ())]


def _whatsapp_content(message: dict) -> tuple[str, Geotag | None, tuple[str, ...]] | None:
    kind = _word(message, "type")
    body = _object(message, kind) if kind else {}
    if kind == "text":
        return _text(body, "body", "whatsapp text"), None, ()
    if kind == "location":
        try:
            geotag = Geotag(float(_require(body, "latitude", "whatsapp location")),
                            float(_require(body, "longitude", "whatsapp location")))
        except (TypeError, ValueError) as exc:
            raise MalformedDeliveryError("whatsapp location coordinates must be numbers") from exc
        return " ".join(_text(body, k, "whatsapp location") for k in ("name", "address") if body.get(k)), geotag, ()
    if kind in WHATSAPP_MEDIA:
        media_id = _id(body, "id", f"whatsapp {kind}")
        return _text(body, "caption", f"whatsapp {kind}"), None, (f"whatsapp-media:{media_id}",)
    return None


def _whatsapp_message(message: dict, phone_number_id: str, names: dict, at: str) -> InboundPost | None:
    external_id = _id(message, "id", "whatsapp message")
    sender = _id(message, "from", "whatsapp message")
    content = _whatsapp_content(message)
    if content is None:
        logger().info("whatsapp message type not handled; skipped",
                      extra={"type": str(message.get("type")), "external_id": external_id})
        return None
    text, geotag, media = content
    return InboundPost(
        platform="whatsapp", external_id=external_id, kind="message", desk_account_id=phone_number_id,
        author_id=sender, author_handle=None, author_name=names.get(sender), text=text,
        created_at=_moment(message.get("timestamp"), at), geotag=geotag, media=media,
        reply_to_id=_optional_id(_object(message, "context"), "id", "whatsapp message.context"))


def _whatsapp_status(status: dict, at: str) -> DeliveryStatus:
    errors = tuple(f"{e.get('code')}: {e.get('title') or e.get('message')}" for e in _objects(status, "errors", "status"))
    return DeliveryStatus("whatsapp", _id(status, "id", "whatsapp status"), _id(status, "status", "whatsapp status"),
                          _moment(status.get("timestamp"), at), errors)


def _whatsapp_messages(value: dict, business_account_id: str, at: str, graph: MentionLookup | None) -> list:
    phone_number_id = _id(_require(value, "metadata", "whatsapp change"), "phone_number_id", "metadata")
    names = {str(c.get("wa_id")): _text(_object(c, "profile"), "name", "contact") or None
             for c in _objects(value, "contacts", "value")}
    items: list = [_whatsapp_status(s, at) for s in _objects(value, "statuses", "value")]
    for message in _objects(value, "messages", "value"):
        post = _whatsapp_message(message, phone_number_id, names, at)
        if post:
            items.append(post)
    return items


def _desk_reply(platform: str, external_id: str, account_id: str, text: str, at: str, answers: str) -> InboundPost:
    return InboundPost(platform=platform, external_id=external_id, kind=DESK_REPLY, desk_account_id=account_id,
                       author_id=account_id, author_handle=None, author_name=None, text=text, created_at=at,
                       reply_to_id=answers)


def _unreadable(platform: str, external_id: str) -> list:
    # Deleted or made private before we could read it: there is nothing a desk could act on.
    logger().warning("mention not readable in the Graph API; skipped", extra={
        "platform": platform, "external_id": external_id})
    return []


def _lookup(graph: MentionLookup | None) -> MentionLookup:
    if graph is None:
        raise MalformedDeliveryError("a mention needs the Graph API to read its text, and none is configured")
    return graph


FIELD_PARSERS: dict[tuple[str, str], Callable] = {
    ("page", "feed"): _page_feed,
    ("page", "mention"): _page_mention,
    ("instagram", "comments"): _instagram_comment,
    ("instagram", "mentions"): _instagram_mention,
    ("whatsapp_business_account", "messages"): _whatsapp_messages,
}
OBJECTS = sorted({obj for obj, _ in FIELD_PARSERS})


def parse_delivery(payload, graph: MentionLookup | None = None) -> list:
    """Every post, change and delivery status in one delivery, in order."""
    if not isinstance(payload, dict):
        raise MalformedDeliveryError("a delivery must be a JSON object")
    obj = payload.get("object")
    if obj not in OBJECTS:
        raise MalformedDeliveryError(f"object {obj!r} is not one of {', '.join(OBJECTS)}")
    if not isinstance(payload.get("entry"), list):
        raise MalformedDeliveryError("entry must be a list")
    sent_at = iso(datetime.now(timezone.utc))
    items = []
    for entry in _objects(payload, "entry", "delivery"):
        account_id = _id(entry, "id", "entry")
        at = _moment(entry.get("time"), sent_at)
        for change in _objects(entry, "changes", "entry"):
            parse = FIELD_PARSERS.get((obj, _word(change, "field")))
            if parse is None:
                continue  # a field we did not subscribe to, or one that holds no citizen posts
            value = change.get("value")
            if not isinstance(value, dict):
                raise MalformedDeliveryError(f"{obj} {change['field']} change has no value object")
            items.extend(parse(value, account_id, at, graph))
    return items
