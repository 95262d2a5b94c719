"""X API v2 replies: a reply under the citizen's post, or a DM for a DM."""
from __future__ import annotations

import re
import unicodedata

from chalicelib.model import Complaint
from chalicelib.platforms.http import JsonApi

URL = re.compile(r"https?://\S+")
URL_WEIGHT = 23
# twitter-text v3: these code point ranges weigh 1, everything else (CJK, emoji) 2. Devanagari is in the first.
LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def weighted_length(text: str) -> int:
    """Length as X counts it against its 280 limit: every URL is 23, heavy characters count twice."""
    text = unicodedata.normalize("NFC", text)
    urls = URL.findall(text)
    rest = URL.sub("", text)
    return URL_WEIGHT * len(urls) + sum(
        1 if any(low <= ord(ch) <= high for low, high in LIGHT_RANGES) else 2 for ch in rest)


class XReplies:
    platform = "x"
    max_length = 280

    def __init__(self, api: JsonApi):
        self.api = api

    def measure(self, text: str) -> int:
        return weighted_length(text)

    def reply(self, complaint: Complaint, text: str) -> str:
        if complaint.kind == "dm":
            answer = self.api.post(f"2/dm_conversations/with/{complaint.author_id}/messages", {"text": text})
            return f"dm-{answer['data']['dm_event_id']}"   # the external id intake gives DM events
        answer = self.api.post("2/tweets", {"text": text, "reply": {"in_reply_to_tweet_id": complaint.external_id}})
        return str(answer["data"]["id"])

    def like(self, complaint: Complaint) -> str | None:
        if complaint.kind == "dm":
            return None  # a DM cannot be liked
        self.api.post(f"2/users/{complaint.desk_account_id}/likes", {"tweet_id": complaint.external_id})
        return f"like-{complaint.external_id}"
