"""Lazily made boto3 clients, shared by the adapters; made on first use so moto is active first."""
from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=None)
def client(service: str):
    import boto3  # deferred: boto3 costs ~120 ms of cold start, and only paths that touch AWS need it

    return boto3.client(service, region_name=os.environ.get("AWS_DEFAULT_REGION", "ap-south-1"))


@lru_cache(maxsize=None)
def resource(service: str):
    import boto3

    return boto3.resource(service, region_name=os.environ.get("AWS_DEFAULT_REGION", "ap-south-1"))


class TableAdapter:
    """Base of the adapters over the desk's one DynamoDB table: the resource is made on first use,
    unless one is given (tests)."""

    def __init__(self, table_name: str, dynamodb=None):
        self.table_name = table_name
        self._dynamodb = dynamodb

    @property
    def table(self):
        return (self._dynamodb or resource("dynamodb")).Table(self.table_name)


def reset() -> None:
    """Forget cached clients (tests switch between moto instances)."""
    client.cache_clear()
    resource.cache_clear()
