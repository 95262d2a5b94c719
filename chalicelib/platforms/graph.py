"""Meta Graph API: replies on Facebook Pages and Instagram, and the text behind mention webhooks."""
from __future__ import annotations

from chalicelib.model import Complaint
from chalicelib.observability import logger
from chalicelib.platforms.http import JsonApi, PermanentPlatformError


class GraphLookup:
    """Reads what a mention webhook only names by id. A refusal (deleted, private) reads as {}: nothing to store."""

    def __init__(self, api: JsonApi):
        self.api = api

    def facebook_object(self, object_id: str) -> dict:
        return self._read(object_id, "message,from,created_time")

    def instagram_mentioned_media(self, ig_user_id: str, media_id: str) -> dict:
        fields = f"mentioned_media.media_id({media_id}){{caption,timestamp,username,media_url}}"
        return self._read(ig_user_id, fields).get("mentioned_media") or {}

    def instagram_mentioned_comment(self, ig_user_id: str, comment_id: str) -> dict:
        fields = f"mentioned_comment.comment_id({comment_id}){{text,timestamp,username}}"
        return self._read(ig_user_id, fields).get("mentioned_comment") or {}

    def _read(self, object_id: str, fields: str) -> dict:
        try:
            return self.api.get(object_id, {"fields": fields})
        except PermanentPlatformError as error:
            logger().warning("graph object not readable", extra={"object_id": object_id, "status": error.status})
            return {}


class FacebookReplies:
    platform = "facebook"
    max_length = 8000

    def __init__(self, api: JsonApi):
        self.api = api

    def measure(self, text: str) -> int:
        return len(text)

    def reply(self, complaint: Complaint, text: str) -> str:
        # A comment under a visitor post or under the citizen's comment: both are POST /{object-id}/comments.
        return str(self.api.post(f"{complaint.external_id}/comments", {"message": text})["id"])

    def like(self, complaint: Complaint) -> str | None:
        self.api.post(f"{complaint.external_id}/likes", {})
        return f"like-{complaint.external_id}"


class InstagramReplies:
    platform = "instagram"
    max_length = 2200

    def __init__(self, api: JsonApi):
        self.api = api

    def measure(self, text: str) -> int:
        return len(text)

    def reply(self, complaint: Complaint, text: str) -> str:
        if complaint.kind == "mention":
            # Mentions sit on someone else's media: only the mentions edge of our own account may answer them.
            body = {"media_id": complaint.reply_to_id or complaint.external_id, "message": text}
            if complaint.reply_to_id:
                body["comment_id"] = complaint.external_id
            return str(self.api.post(f"{complaint.desk_account_id}/mentions", body)["id"])
        # Instagram threads are one level deep: a reply to a reply goes under the top-level comment.
        target = complaint.reply_to_id or complaint.external_id
        return str(self.api.post(f"{target}/replies", {"message": text})["id"])

    def like(self, complaint: Complaint) -> str | None:
        return None  # the Instagram Graph API cannot like comments or mentions
