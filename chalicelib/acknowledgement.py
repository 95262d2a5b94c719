"""The automatic acknowledgement of a routed complaint: a reference number and what happens next, in Hindi
and English, from chalicelib/templates/acknowledgements.json. Sensitive complaints get a neutral text that
names no district and asks to continue in private (TRIAGE.md, Privacy)."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from chalicelib.districts import DistrictRegistry
from chalicelib.model import CROCKFORD, Complaint, Status
from chalicelib.replies import request_reply

TEMPLATES = Path(__file__).parent / "templates" / "acknowledgements.json"
PRIVATE_CHANNELS = {("x", "dm"), ("whatsapp", "message")}
THANKS_CATEGORIES = {"na_thanks", "na_praise"}


@lru_cache(maxsize=1)
def load_templates(path: Path = TEMPLATES) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def template_key(complaint: Complaint, registry: DistrictRegistry) -> str:
    if complaint.sensitive:
        private = (complaint.platform, complaint.kind) in PRIVATE_CHANNELS
        return "sensitive_private" if private else "sensitive"
    district = registry.get(complaint.district or "")
    return "hq" if district is None or district.is_desk else "district"


def acknowledgement_text(complaint: Complaint, registry: DistrictRegistry, templates: dict) -> str | None:
    """The text to send, or None when this complaint gets no acknowledgement (not routed, not actionable)."""
    if complaint.status != Status.ROUTED or complaint.actionable is False:
        return None
    texts = {**templates["default"], **templates.get(complaint.state, {})}
    district = registry.get(complaint.district or "")
    return texts[template_key(complaint, registry)].format(
        reference=complaint.reference,
        district_en=district.name_en if district else "", district_hi=district.name_hi if district else "")


def likes_thanks(complaint: Complaint, templates: dict) -> bool:
    """Thanks and praise get no reply; a state may have them liked ("thanks": "like" in the templates)."""
    texts = {**templates["default"], **templates.get(complaint.state, {})}
    return (complaint.status == Status.NOT_ACTIONABLE and complaint.category in THANKS_CATEGORIES
            and texts.get("thanks") == "like")


def acknowledgement_id(complaint: Complaint) -> str:
    """The reply id of a complaint's automatic answer, a ULID made from the complaint's: every try of the
    router asks for the same reply, so the replier posts it once."""
    digest = int.from_bytes(hashlib.sha256(f"{complaint.id}:acknowledgement".encode()).digest()[:10], "big")
    return complaint.id[:10] + "".join(CROCKFORD[(digest >> shift) & 31] for shift in range(75, -1, -5))


def acknowledge(complaint: Complaint, queues, registry: DistrictRegistry) -> str | None:
    """Queue the automatic answer to a just-triaged complaint (acknowledgement, or a like of thanks);
    returns its reply_id, or None if none is due."""
    if likes_thanks(complaint, load_templates()):
        return request_reply(queues, complaint.id, "like", "", "system:router", acknowledgement_id(complaint))
    text = acknowledgement_text(complaint, registry, load_templates())
    if text is None:
        return None
    return request_reply(queues, complaint.id, "acknowledgement", text, "system:router", acknowledgement_id(complaint))
