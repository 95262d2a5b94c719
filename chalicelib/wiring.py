"""Builds the real collaborators from settings, once per Lambda container; tests call reset()."""
from __future__ import annotations

from functools import lru_cache

from chalicelib import aws
from chalicelib.districts import load_registry
from chalicelib.intake import WebhookSpec
from chalicelib.platforms import meta, x
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


def sla_rules():
    from chalicelib.sla import load_rules

    return load_rules(settings().sla_window_scale)


def mailer():
    from chalicelib.mail import Mailer

    return Mailer(settings().ses_sender)


def x_webhook() -> WebhookSpec:
    secret = settings().x_consumer_secret
    return WebhookSpec("x", settings().max_x_body_bytes,
                       verify=lambda body, headers: x.verify_signature(body, headers, secret),
                       parse=x.parse_delivery, malformed=x.MalformedDeliveryError)


def meta_webhook() -> WebhookSpec:
    from chalicelib.platforms.graph import GraphLookup
    from chalicelib.platforms.http import TransientPlatformError

    secret = settings().meta_app_secret
    lookup = GraphLookup(platform_api(settings().graph_api_url, settings().meta_page_token))
    return WebhookSpec("meta", settings().max_meta_body_bytes,
                       verify=lambda body, headers: meta.verify_signature(body, headers, secret),
                       parse=lambda payload: meta.parse_delivery(payload, lookup),
                       malformed=meta.MalformedDeliveryError, unavailable=(TransientPlatformError,))


def platform_api(base_url: str, token: str):
    from chalicelib.platforms.http import JsonApi, RetryPolicy

    config = settings()
    return JsonApi(base_url, token, RetryPolicy(budget_seconds=config.reply_retry_budget_seconds),
                   timeout=config.platform_timeout_seconds)


def reply_clients() -> dict:
    """One reply client per platform, by the platform name complaints carry."""
    from chalicelib.platforms.graph import FacebookReplies, InstagramReplies
    from chalicelib.platforms.whatsapp import WhatsAppReplies
    from chalicelib.platforms.x_api import XReplies

    config = settings()
    return {
        "x": XReplies(platform_api(config.x_api_url, config.x_user_token)),
        "facebook": FacebookReplies(platform_api(config.graph_api_url, config.meta_page_token)),
        "instagram": InstagramReplies(platform_api(config.graph_api_url, config.meta_page_token)),
        "whatsapp": WhatsAppReplies(platform_api(config.graph_api_url, config.whatsapp_token),
                                    config.whatsapp_template, config.whatsapp_template_language),
    }


@lru_cache(maxsize=1)
def officers():
    from chalicelib.officer_store import OfficerStore

    return OfficerStore(settings().table_name)


def desk():
    from chalicelib.desk import Desk

    return Desk(store(), queues(), registry(), settings().claim_lease_seconds, reply_clients(),
                sla_rules=sla_rules())


def reset() -> None:
    for cached in (settings, store, queues, officers):
        cached.cache_clear()
    aws.reset()
