"""The DynamoDB table adapter: complaints, their dedupe guards and audit trails, in one table."""
from __future__ import annotations

import random
import time
from decimal import Decimal

from chalicelib import analytics_table, aws
from chalicelib.model import AuditEvent, Complaint, new_id
from chalicelib.resources import SLA_INDEX, WORKLIST_INDEX, expiry
from chalicelib.sla import next_action_at


class DuplicateComplaintError(Exception):
    def __init__(self, existing_id: str | None):
        super().__init__(f"already stored as {existing_id}")
        self.existing_id = existing_id


class VersionConflictError(Exception):
    def __init__(self, message: str, complaint_ids: list[str] = ()):
        super().__init__(message)
        self.complaint_ids = list(complaint_ids)


class ComplaintNotFoundError(Exception):
    pass


def to_dynamo(value):
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: to_dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [to_dynamo(v) for v in value]
    return value


def from_dynamo(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_dynamo(v) for v in value]
    return value


def complaint_key(complaint_id: str) -> dict:
    return {"pk": f"C#{complaint_id}", "sk": "COMPLAINT"}


def guard_key(platform: str, external_id: str) -> dict:
    return {"pk": f"EXT#{platform}#{external_id}", "sk": "GUARD"}


def reply_guard_key(reply_id: str) -> dict:
    return {"pk": f"REPLY#{reply_id}", "sk": "GUARD"}


# A reply claim must outlive every redelivery of its message: 4 days in desk-outbound, 14 in its DLQ, and 4
# again after a replay. What was sent stays on the complaint's audit trail and in the sent-reply link.
REPLY_CLAIM_DAYS = 30


def sent_reply_key(platform: str, platform_message_id: str) -> dict:
    return {"pk": f"OUT#{platform}#{platform_message_id}", "sk": "GUARD"}


# DynamoDB's limit of actions in one transaction.
MAX_TRANSACTION_ACTIONS = 100


def _transaction_chunks(changes: list) -> list[list]:
    """Consecutive changes whose actions, counters merged, fit one transaction."""
    chunks: list[list] = []
    for change in changes:
        if chunks and _action_count(chunks[-1] + [change]) <= MAX_TRANSACTION_ACTIONS:
            chunks[-1].append(change)
        else:
            chunks.append([change])
    return chunks


def _action_count(changes: list) -> int:
    return (sum(1 + len(events) for _, _, events in changes)
            + len(analytics_table.changes_actions([(before, after) for before, after, _ in changes])))


def complaint_item(complaint: Complaint) -> dict:
    item = {**complaint_key(complaint.id), "type": "complaint", **to_dynamo(complaint.to_dict())}
    if complaint.district:
        # Worklist: a district's complaints by status, oldest first.
        item["gsi1pk"] = f"D#{complaint.district}"
        item["gsi1sk"] = f"{complaint.status}#{complaint.received_at}#{complaint.id}"
    next_action = next_action_at(complaint)
    if next_action:
        # Sparse: only running clocks with a notice still to send, ordered by when the next one is due,
        # so a sweep reads what is due and nothing else.
        item["sla_pk"] = "OPEN"
        item["sla_sk"] = f"{next_action}#{complaint.id}"
    return item


def audit_item(event: AuditEvent) -> dict:
    return {"pk": f"C#{event.complaint_id}", "sk": f"EV#{event.at}#{new_id()}", "type": "audit",
            **to_dynamo(event.to_dict())}


class ComplaintStore(aws.TableAdapter):
    def _transact(self, items: list[tuple[dict, str | None, dict | None]], extra_actions: list[dict] = ()) -> None:
        """Write (item, condition, condition values) puts all-or-nothing: never a half-written complaint.
        `extra_actions` are ready {"Update"|"Put"|"Delete": {...}} actions for this table (digest counters).
        The resource's client serialises plain Python values itself."""
        actions = []
        for item, condition, values in items:
            put = {"TableName": self.table_name, "Item": item}
            if condition:
                put["ConditionExpression"] = condition
            if values:
                put["ExpressionAttributeValues"] = values
            actions.append({"Put": put})
        # After the puts: callers read cancellation reasons by the puts' positions.
        actions += [{kind: {"TableName": self.table_name, **body}} for action in extra_actions
                    for kind, body in action.items()]
        self._write_retrying_conflicts(actions)

    def _write_retrying_conflicts(self, actions: list[dict], attempts: int = 4) -> None:
        """Digest counter items are shared by many changes; when two transactions touch one at the same time
        DynamoDB cancels one (TransactionConflict) with nothing written, so that one is simply tried again."""
        from botocore.exceptions import ClientError

        for attempt in range(1, attempts + 1):
            try:
                self.table.meta.client.transact_write_items(TransactItems=actions)
                return
            except ClientError as exc:
                reasons = {r.get("Code") for r in exc.response.get("CancellationReasons") or []}
                if attempt == attempts or "TransactionConflict" not in reasons or "ConditionalCheckFailed" in reasons:
                    raise
                time.sleep(random.uniform(0.01, 0.05) * attempt)

    @staticmethod
    def _condition_failed(exc) -> list[bool]:
        reasons = exc.response.get("CancellationReasons") or []
        return [r.get("Code") == "ConditionalCheckFailed" for r in reasons]

    def add_new(self, complaint: Complaint, received: AuditEvent) -> None:
        from botocore.exceptions import ClientError

        guard = {**guard_key(complaint.platform, complaint.external_id), "type": "guard", "complaint_id": complaint.id}
        try:
            self._transact([
                (guard, "attribute_not_exists(pk)", None),
                (complaint_item(complaint), "attribute_not_exists(pk)", None),
                (audit_item(received), None, None),
            ], analytics_table.change_actions(None, complaint))
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException" and any(self._condition_failed(exc)[:1]):
                existing = self.find_by_external(complaint.platform, complaint.external_id)
                raise DuplicateComplaintError(existing.id if existing else None) from exc
            raise

    def update(self, before: Complaint, after: Complaint, *events: AuditEvent) -> Complaint:
        """Store `after` if nobody changed the complaint since `before` was read (optimistic concurrency),
        with its audit events, all or nothing. Returns what was stored (version + 1)."""
        saved = after.evolve(version=before.version + 1)
        self._write_changes([(before, saved, events)])
        return saved

    def update_all(self, changes) -> dict[str, Complaint | Exception]:
        """`update` for several complaints ((before, after, events) each) in as few transactions as DynamoDB
        allows: one for a router's batch. Each complaint still succeeds or fails on its own: one changed by
        someone else is left out and the others are written again; any other refusal writes them one by one.
        Returns, by complaint id, what was stored or why not."""
        return self._save([(before, after.evolve(version=before.version + 1), tuple(events))
                           for before, after, events in changes])

    def _save(self, changes: list) -> dict[str, Complaint | Exception]:
        outcome: dict[str, Complaint | Exception] = {}
        for chunk in _transaction_chunks(changes):
            try:
                self._write_changes(chunk)
                outcome.update({after.id: after for _, after, _ in chunk})
            except VersionConflictError as conflict:
                outcome.update(dict.fromkeys(conflict.complaint_ids, conflict))
                rest = [change for change in chunk if change[0].id not in conflict.complaint_ids]
                outcome.update(self._save(rest) if rest else {})
            except Exception as refused:  # noqa: BLE001 - one complaint DynamoDB refuses must not sink the rest
                if len(chunk) == 1:
                    outcome[chunk[0][0].id] = refused
                else:
                    for change in chunk:
                        outcome.update(self._save([change]))
        return outcome

    def _write_changes(self, changes: list) -> None:
        """One transaction: the complaints first (cancellation reasons are read by their positions), their
        audit events, then the digest counters of all the changes."""
        from botocore.exceptions import ClientError

        try:
            self._transact([(complaint_item(after), "version = :expected", {":expected": before.version})
                            for before, after, _ in changes]
                           + [(audit_item(e), None, None) for _, _, events in changes for e in events],
                           analytics_table.changes_actions([(before, after) for before, after, _ in changes]))
        except ClientError as exc:
            stale = [before.id for (before, _, _), failed in zip(changes, self._condition_failed(exc)) if failed]
            if exc.response["Error"]["Code"] == "TransactionCanceledException" and stale:
                raise VersionConflictError(f"complaint {', '.join(stale)} was changed by someone else; "
                                           "reload and retry", stale) from exc
            raise

    def get(self, complaint_id: str) -> Complaint:
        item = self.table.get_item(Key=complaint_key(complaint_id), ConsistentRead=True).get("Item")
        if not item:
            raise ComplaintNotFoundError(complaint_id)
        return Complaint.from_dict(from_dynamo(item))

    def get_many(self, complaint_ids: list[str]) -> dict[str, Complaint]:
        """Complaints by id, strongly consistent, in one BatchGetItem per 100 ids; ids not stored are left out."""
        dynamodb = self._dynamodb or aws.resource("dynamodb")
        found: dict[str, Complaint] = {}
        unique = list(dict.fromkeys(complaint_ids))   # BatchGetItem refuses a key named twice
        for start in range(0, len(unique), 100):
            request = {self.table_name: {"Keys": [complaint_key(i) for i in unique[start:start + 100]],
                                         "ConsistentRead": True}}
            for attempt in range(1, 6):
                response = dynamodb.batch_get_item(RequestItems=request)
                for item in response["Responses"].get(self.table_name, []):
                    complaint = Complaint.from_dict(from_dynamo(item))
                    found[complaint.id] = complaint
                request = response.get("UnprocessedKeys")
                if not request:
                    break
                time.sleep(random.uniform(0.01, 0.05) * attempt)   # throttled: DynamoDB returns the rest
            else:
                raise RuntimeError(f"DynamoDB left complaints unread after retries (throttled): {request}")
        return found

    def find_by_external(self, platform: str, external_id: str) -> Complaint | None:
        guard = self.table.get_item(Key=guard_key(platform, external_id), ConsistentRead=True).get("Item")
        return self.get(guard["complaint_id"]) if guard else None

    def audit_trail(self, complaint_id: str) -> list[dict]:
        from boto3.dynamodb.conditions import Key

        response = self.table.query(
            KeyConditionExpression=Key("pk").eq(f"C#{complaint_id}") & Key("sk").begins_with("EV#"),
            ConsistentRead=True)
        return [from_dynamo({k: v for k, v in item.items() if k not in ("pk", "sk", "type")})
                for item in response["Items"]]

    def worklist(self, district: str, status: str | None = None, limit: int = 50, start: dict | None = None,
                 received_before: str | None = None, priority: str | None = None):
        """A district's complaints, oldest first within a status; `received_before` needs `status`.
        A priority filter is applied after DynamoDB's Limit, so pages are topped up until full or exhausted."""
        from boto3.dynamodb.conditions import Attr, Key

        condition = Key("gsi1pk").eq(f"D#{district}")
        if status and received_before:
            condition &= Key("gsi1sk").between(f"{status}#", f"{status}#{received_before}")
        elif status:
            condition &= Key("gsi1sk").begins_with(f"{status}#")
        kwargs = {"IndexName": WORKLIST_INDEX, "KeyConditionExpression": condition}
        if priority:
            kwargs["FilterExpression"] = Attr("priority").eq(priority)
        items, last = [], start
        while True:
            if last:
                kwargs["ExclusiveStartKey"] = last
            response = self.table.query(**kwargs, Limit=limit - len(items))
            items += response["Items"]
            last = response.get("LastEvaluatedKey")
            if not last or len(items) >= limit:
                return [Complaint.from_dict(from_dynamo(i)) for i in items], last

    def due_before(self, moment_iso: str, limit: int = 100, start: dict | None = None):
        """One page of the complaints whose next SLA action is due before the given moment, earliest first,
        and the key to the next page (None after the last)."""
        from boto3.dynamodb.conditions import Key

        kwargs = {"ExclusiveStartKey": start} if start else {}
        response = self.table.query(IndexName=SLA_INDEX, Limit=limit, **kwargs,
                                    KeyConditionExpression=Key("sla_pk").eq("OPEN") & Key("sla_sk").lt(moment_iso))
        return [Complaint.from_dict(from_dynamo(i)) for i in response["Items"]], response.get("LastEvaluatedKey")

    def add_event(self, event: AuditEvent, once_key: str | None = None) -> bool:
        """An audit event on its own (the complaint is unchanged). With `once_key`, a repeat of the same key
        at the same time adds nothing (platforms retry deliveries): returns False then."""
        if once_key is None:
            self.table.put_item(Item=audit_item(event))
            return True
        return self._put_new({**audit_item(event), "sk": f"EV#{event.at}#{once_key}"})

    def claim_reply(self, reply_id: str, complaint_id: str, at: str) -> bool:
        """Take the right to send one reply; False if it was already sent or is being sent."""
        return self._put_new({**reply_guard_key(reply_id), "type": "reply", "complaint_id": complaint_id,
                              "state": "sending", "claimed_at": at, **expiry(at, REPLY_CLAIM_DAYS)})

    def reply_claim(self, reply_id: str) -> dict | None:
        """The claim on one reply (`state`: sending | sent, `claimed_at`), or None if nobody holds it."""
        item = self.table.get_item(Key=reply_guard_key(reply_id), ConsistentRead=True).get("Item")
        return from_dynamo(item) if item else None

    def _put_new(self, item: dict) -> bool:
        """Put an item that must not exist yet; False if it already does."""
        from botocore.exceptions import ClientError

        try:
            self.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release_reply(self, reply_id: str) -> None:
        """Give the claim back when nothing was posted, so a retry may send it."""
        self.table.delete_item(Key=reply_guard_key(reply_id), ConditionExpression="#s = :sending",
                               ExpressionAttributeNames={"#s": "state"},
                               ExpressionAttributeValues={":sending": "sending"})

    def record_reply_sent(self, reply_id: str, platform: str, platform_message_id: str, sent: AuditEvent) -> None:
        """Mark the reply sent, remember which complaint the platform's message id belongs to (delivery
        statuses name only that id), and audit it, all or nothing."""
        link = {**sent_reply_key(platform, platform_message_id), "type": "reply_link",
                "complaint_id": sent.complaint_id, "reply_id": reply_id}
        guard = {**reply_guard_key(reply_id), "type": "reply", "complaint_id": sent.complaint_id, "state": "sent",
                 "platform_message_id": platform_message_id, "sent_at": sent.at, **expiry(sent.at, REPLY_CLAIM_DAYS)}
        self._transact([(guard, None, None), (link, None, None), (audit_item(sent), None, None)])

    def find_by_reply(self, platform: str, platform_message_id: str) -> Complaint | None:
        link = self.table.get_item(Key=sent_reply_key(platform, platform_message_id), ConsistentRead=True).get("Item")
        return self.get(link["complaint_id"]) if link else None
