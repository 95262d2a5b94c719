"""What AWS bills for the requests the desk makes: DynamoDB on-demand request units from the sizes of the items
actually written and read, and SQS billed requests (every 64 KB of payload is one request).

DynamoDB's rules (developer guide, "Read/write capacity mode"): a write is 1 WRU per started KB of the item
(the larger of before and after for an update), a strongly consistent read 1 RRU per started 4 KB, a query
1 RRU per started 4 KB of all items it returns together; in a transaction every item costs twice. A global
secondary index that projects ALL costs 1 WRU per started KB each time an item enters it, changes in it or
leaves it, and 2 when its index key changes (the old entry deleted, the new one written). An item's
size is its attribute names plus values: strings and binaries their bytes, numbers about one byte per two
significant digits plus one, booleans and nulls one byte, lists and maps 3 bytes plus one per element.
"""
from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from functools import lru_cache

SQS_BILLING_CHUNK = 64 * 1024


def value_size(value) -> int:
    if isinstance(value, bool) or value is None:
        return 1
    if isinstance(value, (int, float, Decimal)):
        digits = Decimal(str(value)).normalize().as_tuple().digits
        return min(21, (len(digits) + 1) // 2 + 1)
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    if isinstance(value, dict):
        return 3 + sum(len(k.encode("utf-8")) + value_size(v) + 1 for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return 3 + sum(value_size(v) + 1 for v in value)
    raise TypeError(f"no DynamoDB size for {type(value).__name__}")


def item_size(item: dict) -> int:
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def plain(typed: dict) -> dict:
    """Low-level {"S": ...} attribute values as Python values (the params a client call carries)."""
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {name: deserializer.deserialize(value) for name, value in typed.items()}


@lru_cache(maxsize=1)
def index_keys() -> dict[str, tuple[str, str]]:
    """The table's global secondary indexes (chalicelib/resources.py) and their key attributes."""
    from chalicelib.resources import table_definition

    return {index["IndexName"]: tuple(k["AttributeName"] for k in index["KeySchema"])
            for index in table_definition("t")["GlobalSecondaryIndexes"]}


ITEM_KINDS = [("EXT#", "dedupe guard"), ("AGG#", "digest counters"), ("BREACH#", "open breaches"),
              ("REPLY#", "reply claim"), ("OUT#", "sent-reply link"), ("OFFICER#", "officer")]


def item_kind(key: tuple[str, str]) -> str:
    pk, sk = key
    if pk.startswith("C#"):
        return "complaint" if sk == "COMPLAINT" else "audit events"
    return next((kind for prefix, kind in ITEM_KINDS if pk.startswith(prefix)), "other")


def key_of(item: dict) -> tuple[str, str]:
    return item["pk"], item["sk"]


class CapacityMeter:
    """Hooks on the desk's clients that note every DynamoDB write and read, and every SQS payload;
    `units(table_items)` turns them into request units once the run is over (an update's size is the item's
    size at the end, read from the table)."""

    def __init__(self, index_entries: dict | None = None):
        self.index_entries = {} if index_entries is None else index_entries   # item key -> its index keys
        self.index_wru = 0
        self.writes: list[tuple[tuple[str, str], int | None, bool]] = []   # key, size if known, transactional
        self.read_bytes: list[tuple[str, list[int]]] = []                 # operation, sizes of items returned
        self.sqs_requests = 0
        self.sqs_billed = 0
        self.sqs_payload_bytes: list[int] = []

    def before_call(self, model, params, **_):
        """On before-parameter-build: the call's own parameters (before-call sees the HTTP request)."""
        operation = f"{model.service_model.endpoint_prefix}.{model.name}"
        if operation == "dynamodb.TransactWriteItems":
            for action in params["TransactItems"]:
                kind, body = next(iter(action.items()))
                self._note_write(kind, body, transactional=True)
        elif operation in ("dynamodb.PutItem", "dynamodb.UpdateItem", "dynamodb.DeleteItem"):
            self._note_write(model.name.replace("Item", ""), params, transactional=False)
        elif operation == "dynamodb.BatchWriteItem":
            for requests in params["RequestItems"].values():
                for request in requests:
                    kind, body = next(iter(request.items()))
                    self._note_write(kind.replace("Request", ""), body, transactional=False)
        elif operation.startswith("sqs.SendMessage"):
            bodies = [e["MessageBody"] for e in params.get("Entries", [])] or [params["MessageBody"]]
            payload = sum(len(b.encode("utf-8")) for b in bodies)
            self.sqs_payload_bytes += [len(b.encode("utf-8")) for b in bodies]
            self.sqs_billed += max(1, math.ceil(payload / SQS_BILLING_CHUNK))
            self.sqs_requests += 1
        elif operation.startswith("sqs."):
            self.sqs_requests += 1
            self.sqs_billed += 1

    def _note_write(self, kind: str, body: dict, transactional: bool) -> None:
        if kind == "Put":
            item = plain(body["Item"])
            self.writes.append((key_of(item), item_size(item), transactional))
            self._note_index_writes(item)
        elif kind in ("Update", "Delete", "ConditionCheck"):
            self.writes.append((key_of(plain(body["Key"])), None, transactional))

    def _note_index_writes(self, item: dict) -> None:
        units = max(1, math.ceil(item_size(item) / 1024))
        before = self.index_entries.get(key_of(item), {})
        after = {name: tuple(item[k] for k in keys) for name, keys in index_keys().items()
                 if all(k in item for k in keys)}
        for name in set(before) | set(after):
            if name in after and name in before and before[name] != after[name]:
                self.index_wru += units + 1
            else:
                self.index_wru += units
        self.index_entries[key_of(item)] = after

    def after_call(self, model, parsed, **_):
        if model.name == "GetItem":
            self.read_bytes.append(("GetItem", [item_size(_maybe_plain(parsed["Item"]))] if "Item" in parsed else []))
        elif model.name == "BatchGetItem":
            for items in parsed.get("Responses", {}).values():
                self.read_bytes += [("BatchGetItem", [item_size(_maybe_plain(i))]) for i in items]
        elif model.name == "Query":
            self.read_bytes.append(("Query", [item_size(_maybe_plain(i)) for i in parsed.get("Items", [])]))

    def units(self, table_items: dict[tuple[str, str], dict]) -> dict:
        by_kind: Counter[str] = Counter({"index entries": self.index_wru} if self.index_wru else {})
        for key, size, transactional in self.writes:
            if size is None:
                size = item_size(table_items[key]) if key in table_items else 0
            by_kind[item_kind(key)] += max(1, math.ceil(size / 1024)) * (2 if transactional else 1)
        wru = sum(by_kind.values()) - self.index_wru
        rru = sum(max(1, math.ceil(sum(sizes) / 4096)) for _operation, sizes in self.read_bytes)
        return {"wru": wru + self.index_wru, "index_wru": self.index_wru, "wru_by_kind": dict(by_kind),
                "rru": rru, "items_written": len(self.writes),
                "transactional_writes": sum(1 for w in self.writes if w[2]),
                "reads": dict(Counter(operation for operation, _ in self.read_bytes)),
                "sqs_requests": self.sqs_requests, "sqs_billed_requests": self.sqs_billed}

    def register(self, clients) -> None:
        for client in clients:
            client.meta.events.register("before-parameter-build", self.before_call, unique_id=f"capacity-{id(self)}")
            client.meta.events.register("after-call", self.after_call, unique_id=f"capacity-after-{id(self)}")

    def unregister(self, clients) -> None:
        for client in clients:
            client.meta.events.unregister("before-parameter-build", self.before_call, unique_id=f"capacity-{id(self)}")
            client.meta.events.unregister("after-call", self.after_call, unique_id=f"capacity-after-{id(self)}")


def _maybe_plain(item: dict) -> dict:
    """after-call hooks see low-level values, unless boto3's resource has already turned them into Python."""
    typed = all(isinstance(v, dict) and len(v) == 1 and next(iter(v)) in TYPE_TAGS for v in item.values())
    return plain(item) if typed else item


TYPE_TAGS = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}
