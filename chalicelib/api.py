"""The read API over complaints: one complaint with its audit trail."""
from __future__ import annotations

from chalicelib.store import ComplaintNotFoundError


class BadRequestError(ValueError):
    pass


def complaint_view(store, complaint_id: str) -> dict:
    complaint = store.get(complaint_id)
    return {**complaint.to_dict(), "audit": store.audit_trail(complaint.id)}


def find_complaint_view(store, query: dict | None) -> dict:
    query = query or {}
    platform, external_id = query.get("platform"), query.get("external_id")
    if not platform or not external_id:
        raise BadRequestError("give both platform and external_id, e.g. ?platform=x&external_id=1234")
    complaint = store.find_by_external(platform, external_id)
    if complaint is None:
        raise ComplaintNotFoundError(f"{platform}/{external_id}")
    return complaint_view(store, complaint.id)
