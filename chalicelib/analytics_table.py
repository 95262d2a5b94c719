"""Digest counters and the open-breach list, kept in the complaint table.

`change_actions(before, after)` gives the Update/Put/Delete actions that store.py adds to the complaint's
own transaction, so a change and its counting commit together or not at all. `AnalyticsTable` is what a
digest reads: one counter item per India day (and per India hour, for shift digests) and district, and
the open breaches, oldest first. It counts the items it reads (the digest's cost).
"""
from __future__ import annotations

from collections import Counter

from chalicelib import aws
from chalicelib.counters import district_of, is_open_breach, slot_of, tallies
from chalicelib.model import Complaint
from chalicelib.resources import expiry


def counter_pk(state: str, slot_key: str) -> str:
    return f"AGG#{state}#{slot_key}"


OPEN_BREACHES_SLOT = "OPEN"            # a gauge per district, not a time slot: +1 on a breach, -1 at its answer
# A digest claim only has to outlast repeats of its schedule's run (EventBridge delivers at least once).
DIGEST_CLAIM_DAYS = 7


def breach_key(state: str, complaint_id: str) -> dict:
    return {"pk": f"BREACH#{state}", "sk": complaint_id}


def digest_sent_key(state: str, period_id: str) -> dict:
    return {"pk": f"DIGEST#{state}", "sk": period_id}


def _add_counts(pk: str, sk: str, counts: Counter) -> dict:
    names = {f"#c{i}": name for i, name in enumerate(counts)}
    values = {f":c{i}": value for i, value in enumerate(counts.values())}
    return {"Update": {
        "Key": {"pk": pk, "sk": sk},
        "UpdateExpression": "SET #type = :type ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(counts))),
        "ExpressionAttributeNames": {"#type": "type", **names},
        "ExpressionAttributeValues": {":type": "counter", **values},
    }}


def _counter_increments(before: Complaint | None, after: Complaint) -> list[tuple[tuple[str, str], Counter]]:
    """The (counter item key, increments) of one change: each tally filed under its India day and hour."""
    increments = []
    for tally in tallies(before, after):
        slot = slot_of(tally.at)
        increments += [((counter_pk(after.state, slot_key), tally.district), Counter(tally.counts))
                       for slot_key in (slot.day, slot.hour)]
    return increments


def breach_item(complaint: Complaint) -> dict:
    """What the digest may show of an open breach. Nothing about a sensitive complaint beyond its
    district and times is even stored here (TRIAGE.md privacy)."""
    item = {**breach_key(complaint.state, complaint.id), "type": "open_breach", "complaint_id": complaint.id,
            "district": complaint.district, "received_at": complaint.received_at,
            "breached_at": complaint.breached_at, "sensitive": complaint.sensitive}
    if not complaint.sensitive:
        item.update(category=complaint.category, group=complaint.group)
    return {k: v for k, v in item.items() if v is not None}


def _open_gauge(complaint: Complaint, change: int) -> tuple[tuple[str, str], Counter]:
    return (counter_pk(complaint.state, OPEN_BREACHES_SLOT), district_of(complaint)), Counter(open_breaches=change)


def _breach_changes(before: Complaint | None, after: Complaint) -> tuple[list[dict], list]:
    """The open-breach list's Put or Delete and the per-district count of open breaches, kept together."""
    was_open, is_open = is_open_breach(before), is_open_breach(after)
    if is_open and not was_open:
        return [{"Put": {"Item": breach_item(after)}}], [_open_gauge(after, 1)]
    if is_open and before.district != after.district:
        return [{"Put": {"Item": breach_item(after)}}], [_open_gauge(before, -1), _open_gauge(after, 1)]
    if was_open and not is_open:
        return [{"Delete": {"Key": breach_key(before.state, before.id)}}], [_open_gauge(before, -1)]
    return [], []


def change_actions(before: Complaint | None, after: Complaint) -> list[dict]:
    """Everything a complaint change adds to its transaction besides the complaint and its audit."""
    return changes_actions([(before, after)])


def changes_actions(changes) -> list[dict]:
    """What several complaints' (before, after) changes add to one transaction: one ADD per counter item
    touched, the increments landing on it summed first, because a transaction may not touch one item twice."""
    merged: dict[tuple[str, str], Counter] = {}
    breach_list: list[dict] = []
    for before, after in changes:
        listed, gauges = _breach_changes(before, after)
        breach_list += listed
        for key, increments in _counter_increments(before, after) + gauges:
            merged.setdefault(key, Counter()).update(increments)
    return [_add_counts(pk, sk, counts) for (pk, sk), counts in merged.items()] + breach_list


class AnalyticsTable(aws.TableAdapter):
    def __init__(self, table_name: str, dynamodb=None):
        super().__init__(table_name, dynamodb)
        self.items_read = 0

    def _query(self, limit: int | None = None, **kwargs) -> list[dict]:
        from chalicelib.store import from_dynamo

        items, start = [], None
        while True:
            page = self.table.query(**kwargs, **({"ExclusiveStartKey": start} if start else {}),
                                    **({"Limit": limit - len(items)} if limit else {}))
            items += page["Items"]
            self.items_read += page["ScannedCount"]
            start = page.get("LastEvaluatedKey")
            if not start or (limit and len(items) >= limit):
                return [from_dynamo(item) for item in items]

    def counter_rows(self, state: str, slot_keys) -> list[dict]:
        """Counter items of the given India days or hours, each with its `district` (the item's sk)."""
        from boto3.dynamodb.conditions import Key

        rows = []
        for slot_key in slot_keys:
            for item in self._query(KeyConditionExpression=Key("pk").eq(counter_pk(state, slot_key))):
                rows.append({**{k: v for k, v in item.items() if k not in ("pk", "sk", "type")},
                             "district": item["sk"]})
        return rows

    def open_breach_counts(self, state: str) -> dict[str, int]:
        """Open breaches now, by district (districts with none are left out)."""
        rows = self.counter_rows(state, [OPEN_BREACHES_SLOT])
        return {row["district"]: row["open_breaches"] for row in rows if row.get("open_breaches")}

    def open_breaches(self, state: str, limit: int) -> list[dict]:
        """The oldest open breaches first: complaint ids are ULIDs, so the sort key is the arrival order."""
        from boto3.dynamodb.conditions import Key

        return self._query(limit=limit, KeyConditionExpression=Key("pk").eq(breach_key(state, "")["pk"]))

    def claim_digest(self, state: str, period_id: str, at: str) -> bool:
        """True once per (state, period): a schedule that fires twice sends one email."""
        from botocore.exceptions import ClientError

        try:
            self.table.put_item(Item={**digest_sent_key(state, period_id), "type": "digest_sent", "at": at,
                                      **expiry(at, DIGEST_CLAIM_DAYS)},
                                ConditionExpression="attribute_not_exists(pk)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release_digest(self, state: str, period_id: str) -> None:
        self.table.delete_item(Key=digest_sent_key(state, period_id))
