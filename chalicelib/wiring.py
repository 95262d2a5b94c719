"""Builds the real collaborators from settings, once per Lambda container; tests call reset()."""
from __future__ import annotations

from functools import lru_cache

from chalicelib import aws
from chalicelib.districts import load_registry
from chalicelib.intake import WebhookSpec
from chalicelib.platforms import x
from chalicelib.queues import Queues
from chalicelib.settings import load_settings
from chalicelib.store import ComplaintStore


@lru_cache(maxsize=1)
def settings():
    return load_settings()


@lru_cache(maxsize=1)
def store() -> ComplaintStore:
    return ComplaintStore(settings().table_name)


@lru_cache(maxsize=1)
def queues() -> Queues:
    return Queues()


def registry():
    return load_registry()


def analytics():
    """A fresh one per digest run: it counts the items that run reads."""
    from chalicelib.analytics_table import AnalyticsTable

    return AnalyticsTable(settings().table_name)


def mailer():
    from chalicelib.mail import Mailer

    return Mailer(settings().ses_sender)


def x_webhook() -> WebhookSpec:
    secret = settings().x_consumer_secret
    return WebhookSpec("x", settings().max_x_body_bytes,
                       verify=lambda body, headers: x.verify_signature(body, headers, secret),
                       parse=x.parse_delivery, malformed=x.MalformedDeliveryError)


def reset() -> None:
    for cached in (settings, store, queues):
        cached.cache_clear()
    aws.reset()
