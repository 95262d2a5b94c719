"""WhatsApp Cloud API replies: free text inside the 24-hour customer-service window, a template outside it."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Callable

from chalicelib.model import Complaint, parse_iso, utc_now
from chalicelib.platforms.http import JsonApi

SERVICE_WINDOW = timedelta(hours=24)
THANKS_EMOJI = "\U0001F64F"   # folded hands: the desk's "like" of a citizen's thanks
TEMPLATE_PARAMETER_LIMIT = 1000   # template parameters may hold no newlines and stay short


def one_line(text: str, limit: int = TEMPLATE_PARAMETER_LIMIT) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


class WhatsAppReplies:
    platform = "whatsapp"
    max_length = 4096

    def __init__(self, api: JsonApi, template_name: str, template_language: str,
                 clock: Callable[[], datetime] = utc_now):
        self.api = api
        self.template_name = template_name
        self.template_language = template_language
        self.clock = clock

    def measure(self, text: str) -> int:
        return len(text)

    def in_service_window(self, complaint: Complaint) -> bool:
        # The complaint's own message is the citizen's last one we know of: each message is its own complaint.
        return self.clock() - parse_iso(complaint.created_at) < SERVICE_WINDOW

    def message(self, complaint: Complaint, text: str) -> dict:
        base = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": complaint.author_id}
        if self.in_service_window(complaint):
            return {**base, "type": "text", "text": {"body": text, "preview_url": False},
                    "context": {"message_id": complaint.external_id}}
        parameters = [{"type": "text", "text": complaint.reference}, {"type": "text", "text": one_line(text)}]
        return {**base, "type": "template", "template": {
            "name": self.template_name, "language": {"code": self.template_language},
            "components": [{"type": "body", "parameters": parameters}]}}

    def reply(self, complaint: Complaint, text: str) -> str:
        answer = self.api.post(f"{complaint.desk_account_id}/messages", self.message(complaint, text))
        return str(answer["messages"][0]["id"])

    def like(self, complaint: Complaint) -> str | None:
        if not self.in_service_window(complaint):
            return None  # a reaction is a free-form message: only inside the window
        reaction = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": complaint.author_id,
                    "type": "reaction", "reaction": {"message_id": complaint.external_id, "emoji": THANKS_EMOJI}}
        return str(self.api.post(f"{complaint.desk_account_id}/messages", reaction)["messages"][0]["id"])
