"""The domain: a citizen's complaint, its audit trail and identifiers. Plain Python, no I/O."""
from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta, timezone

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class Status:
    NEW = "NEW"                      # stored, not yet triaged
    NOT_ACTIONABLE = "NOT_ACTIONABLE"
    ROUTED = "ROUTED"                # in a district's (or HQ's) queue, clock running
    RESPONDED = "RESPONDED"          # first response given, clock stopped
    RESOLVED = "RESOLVED"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def new_id(moment: datetime | None = None) -> str:
    """A ULID: 26 characters that sort by creation time, so ids double as a time order."""
    millis = int(moment.timestamp() * 1000) if moment else int(time.time() * 1000)
    number = (millis << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(CROCKFORD[(number >> shift) & 31] for shift in range(125, -1, -5))


@dataclass(frozen=True)
class Geotag:
    lat: float
    lon: float


DESK_REPLY = "desk_reply"            # InboundPost.kind when the desk account itself answers a citizen


@dataclass(frozen=True)
class InboundPost:
    """What a platform adapter extracts from one webhook event, before it becomes a Complaint."""
    platform: str
    external_id: str
    kind: str                        # post | reply | dm | comment | message
    desk_account_id: str
    author_id: str
    author_handle: str | None
    author_name: str | None
    text: str
    created_at: str
    mentions: tuple[str, ...] = ()
    geotag: Geotag | None = None
    author_location: str | None = None
    reply_to_id: str | None = None
    media: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostChanged:
    """The citizen edited, removed or hid a post we may hold: an audit event, never a deletion of evidence."""
    platform: str
    external_id: str
    change: str                      # edited | removed | hidden | unhidden
    at: str
    text: str | None = None


@dataclass(frozen=True)
class DeliveryStatus:
    """The platform's word on one of our own replies (WhatsApp statuses): sent, delivered, read or failed."""
    platform: str
    message_id: str                  # the platform's id of our reply
    status: str
    at: str
    errors: tuple[str, ...] = ()


TUPLE_FIELDS = ("mentions", "media", "triage_cues", "sla_notices_sent")   # lists in items and JSON


@dataclass(frozen=True)
class Complaint:
    id: str
    state: str
    desk: str                        # registry id of the desk account that received it (rj-hq, up-nri, ...)
    platform: str
    external_id: str
    kind: str
    desk_account_id: str
    author_id: str
    author_handle: str | None
    author_name: str | None
    text: str
    created_at: str
    received_at: str
    mentions: tuple[str, ...] = ()
    geotag: Geotag | None = None
    author_location: str | None = None
    reply_to_id: str | None = None
    media: tuple[str, ...] = ()
    status: str = Status.NEW
    district: str | None = None
    actionable: bool | None = None
    category: str | None = None
    group: str | None = None
    priority: str | None = None
    sensitive: bool = False
    language: str | None = None
    triage_cues: tuple[str, ...] = ()
    routed_at: str | None = None
    sla_due_at: str | None = None
    first_response_at: str | None = None
    breached_at: str | None = None   # set once when the first-response window passes unanswered
    resolved_at: str | None = None
    claimed_by: str | None = None    # officer id holding the district-queue lease (claimed_until); a record, not a lock
    claimed_until: str | None = None
    # The first-response clock (chalicelib/sla.py): its window, the notices sent, the one being sent (a claim
    # with its start, retried after a lease), and HQ's pause.
    sla_window_seconds: int | None = None
    sla_notices_sent: tuple[str, ...] = ()
    sla_sending: str | None = None
    sla_sending_since: str | None = None
    sla_paused_at: str | None = None
    sla_pause_reason: str | None = None
    version: int = 0

    @classmethod
    def from_post(cls, post: InboundPost, *, complaint_id: str, state: str, desk: str, received_at: str) -> Complaint:
        return cls(id=complaint_id, state=state, desk=desk, received_at=received_at,
                   **{f.name: getattr(post, f.name) for f in fields(InboundPost)})

    def to_dict(self) -> dict:
        data = asdict(self)
        for name in TUPLE_FIELDS:
            data[name] = list(data[name])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Complaint:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in TUPLE_FIELDS:
            values[name] = tuple(values.get(name) or ())
        for name in ("author_handle", "author_name"):
            values.setdefault(name, None)  # the table drops None; WhatsApp and Facebook authors lack one of them
        if values.get("geotag"):
            values["geotag"] = Geotag(float(values["geotag"]["lat"]), float(values["geotag"]["lon"]))
        if "version" in values:
            values["version"] = int(values["version"])
        return cls(**values)

    def evolve(self, **changes) -> Complaint:
        return replace(self, **changes)

    @property
    def reference(self) -> str:
        return reference_number(self.state, self.id)

    def first_responded(self, at: str) -> Complaint:
        """The first response stops the clock; later responses change nothing here."""
        if self.first_response_at:
            return self
        status = Status.RESPONDED if self.status == Status.ROUTED else self.status
        return self.evolve(first_response_at=at, status=status)


@dataclass(frozen=True)
class AuditEvent:
    complaint_id: str
    at: str
    actor: str                       # "system:router", "officer:<id>", "platform:x"
    action: str                      # received, routed, replied, resolved, rerouted, ...
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def due_at(received_at: str, window: timedelta) -> str:
    return iso(parse_iso(received_at) + window)


def reference_number(state: str, complaint_id: str) -> str:
    """What the citizen is told to quote: short enough to read out on a phone call. The ULID's random tail
    (40 bits in these 8 characters) keeps references of one state apart without a counter."""
    tail = complaint_id[-8:]
    return f"{state.upper()}-{tail[:4]}-{tail[4:]}"
