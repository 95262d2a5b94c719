"""The read side of the officer API and the checks every request body goes through."""
from __future__ import annotations

import json

from chalicelib.model import Complaint
from chalicelib.officers import Principal, require_in_scope, sees_in_full
from chalicelib.store import ComplaintNotFoundError

# TRIAGE.md (BNS s.72, POCSO s.23): outside the assigned unit's own view nothing may identify the victim of a
# sensitive complaint, so these go: the post itself, who wrote it, where it points, and cues quoting it.
IDENTIFYING_FIELDS = ("author_id", "author_handle", "author_name", "text", "external_id", "reply_to_id", "mentions",
                      "media", "geotag", "author_location", "triage_cues")
# Audit details that are structured facts, not free text someone typed or a citizen wrote.
NON_IDENTIFYING_DETAILS = ("before", "after", "district", "status")


class BadRequestError(ValueError):
    pass


def parse_json_body(raw_body: bytes | None, allowed: tuple[str, ...] | None = None) -> dict:
    """A JSON object (an empty body reads as {}); with `allowed`, any other field is refused by name."""
    if not raw_body:
        return {}
    try:
        body = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequestError(f"body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise BadRequestError("body must be a JSON object")
    unknown = sorted(set(body) - set(allowed)) if allowed is not None else []
    if unknown:
        raise BadRequestError(f"unknown field(s): {', '.join(unknown)}; expected: {', '.join(allowed)}")
    return body


def optional_text(body: dict, name: str, max_length: int) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BadRequestError(f"{name} must be a non-empty string")
    if len(value) > max_length:
        raise BadRequestError(f"{name} is longer than {max_length} characters")
    return value.strip()


def require_text(body: dict, name: str, max_length: int) -> str:
    value = optional_text(body, name, max_length)
    if value is None:
        raise BadRequestError(f"{name} is required")
    return value


def expected_version(body: dict) -> int | None:
    """The version the officer's screen showed; when given, a newer stored version is a conflict."""
    value = body.get("version")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadRequestError("version must be a non-negative integer (the complaint's version you last saw)")
    return value


def redacted_event(event: dict) -> dict:
    details = {k: v for k, v in (event.get("details") or {}).items() if k in NON_IDENTIFYING_DETAILS}
    return {**event, "details": details}


def present(complaint: Complaint, principal: Principal, audit: list[dict] | None = None,
            listing: bool = False) -> dict:
    """A complaint as this officer may see it: a sensitive one in full only when its assigned unit opens it,
    never in a listing (TRIAGE.md names listings among the places outside that view)."""
    data = complaint.to_dict()
    hidden = complaint.sensitive and (listing or not sees_in_full(principal, complaint.district))
    if hidden:
        data.update({name: [] if isinstance(data[name], list) else None for name in IDENTIFYING_FIELDS})
        audit = [redacted_event(e) for e in audit] if audit is not None else None
    data["redacted"] = hidden
    data["reference"] = complaint.reference
    if audit is not None:
        data["audit"] = audit
    return data


def complaint_view(store, principal: Principal, complaint_id: str) -> dict:
    complaint = store.get(complaint_id)
    require_in_scope(principal, complaint.district, complaint.state)
    return present(complaint, principal, store.audit_trail(complaint.id))


def find_complaint_view(store, principal: Principal, query: dict | None) -> dict:
    query = query or {}
    platform, external_id = query.get("platform"), query.get("external_id")
    if not platform or not external_id:
        raise BadRequestError("give both platform and external_id, e.g. ?platform=x&external_id=1234")
    complaint = store.find_by_external(platform, external_id)
    if complaint is None:
        raise ComplaintNotFoundError(f"{platform}/{external_id}")
    return complaint_view(store, principal, complaint.id)
