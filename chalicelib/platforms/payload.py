"""Reading fields out of a platform's webhook JSON, with a clear error when one is missing or of the wrong type."""
from __future__ import annotations


class MalformedDeliveryError(ValueError):
    """A delivery we cannot read; intake answers 400 with this message and stores nothing."""


def require(mapping, key: str, where: str):
    if not isinstance(mapping, dict) or mapping.get(key) in (None, ""):
        raise MalformedDeliveryError(f"{where} has no {key}")
    return mapping[key]


def read_id(mapping, key: str, where: str) -> str:
    value = require(mapping, key, where)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise MalformedDeliveryError(f"{where}.{key} must be a string or a number")
    return str(value)
