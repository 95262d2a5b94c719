"""Two moto server (5.2) behaviours that DynamoDB does not have, fixed for the local stack only.

moto serves requests on threads, and its TransactWriteItems deep-copies the whole table before writing and
puts that copy back when the transaction is cancelled. With concurrent requests (webhooks while the runner
routes) the copy fails half-way ("dictionary changed size during iteration": a 500 to the webhook), and a
cancelled transaction (a duplicate delivery's dedupe guard) silently undoes whatever other requests wrote
meanwhile. The copy also costs time in proportion to the table: seconds per write after a few thousand
complaints. Here DynamoDB requests take turns, and a transaction saves and restores only the items it touches.
"""
from __future__ import annotations

import copy
import threading

_LOCK = threading.RLock()


def _key_of(backend, op_type: str, op: dict) -> dict:
    if op_type != "Put":
        return op["Key"]
    table = backend.get_table(op["TableName"])
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    return {name: op["Item"][name] for name in names}


def _transact_restoring_touched_items(original):
    def transact_write_items(backend, transact_items):
        before = []
        for action in transact_items:
            op_type, op = next(iter(action.items()))
            if "TableName" in op and op["TableName"] in backend.tables:
                key = _key_of(backend, op_type, op)
                item = backend.get_item(op["TableName"], key)
                before.append((op["TableName"], key, item and copy.deepcopy(item.to_json()["Attributes"])))
        try:
            return original(backend, transact_items)
        except Exception:
            for table_name, key, attributes in reversed(before):
                if attributes is None:
                    if backend.get_item(table_name, key) is not None:
                        backend.delete_item(table_name, key)
                else:
                    backend.put_item(table_name, attributes, overwrite=True)
            raise

    return transact_write_items


def _one_at_a_time(call_action):
    def locked(handler):
        with _LOCK:
            return call_action(handler)

    return locked


def apply() -> None:
    """Before the moto server starts. Idempotent."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoDBBackend.transact_write_items, "restores_touched_items", False):
        return
    Table.__deepcopy__ = lambda table, memo: table   # the whole-table copy: replaced by the per-item one above
    DynamoDBBackend.transact_write_items = _transact_restoring_touched_items(DynamoDBBackend.transact_write_items)
    DynamoDBBackend.transact_write_items.restores_touched_items = True
    DynamoHandler.call_action = _one_at_a_time(DynamoHandler.call_action)
