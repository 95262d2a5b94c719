"""One typed settings object, read from the environment at call time (.chalice/config.json per stage)."""
from __future__ import annotations

import os
from dataclasses import dataclass

# Dev defaults are only for the local stage; deployed stages get real secrets from the environment/SSM.
DEV_SECRETS = {
    "X_CONSUMER_SECRET": "dev-x-consumer-secret",
    "META_APP_SECRET": "dev-meta-app-secret",
    "META_VERIFY_TOKEN": "dev-meta-verify-token",
    "JWT_SECRET": "dev-jwt-secret-for-local-and-tests-only",
    "X_USER_TOKEN": "dev-x-user-token",
    "META_PAGE_TOKEN": "dev-meta-page-token",
    "WHATSAPP_TOKEN": "dev-whatsapp-token",
}


@dataclass(frozen=True)
class Settings:
    stage: str
    table_name: str
    x_consumer_secret: str
    meta_app_secret: str
    meta_verify_token: str
    max_x_body_bytes: int
    max_meta_body_bytes: int
    ses_sender: str
    # HQ digests (chalicelib/digest_service.py): a shift digest at each of these India hours, besides the daily one.
    digest_shift_start_hours_ist: tuple[int, ...] = (6, 14, 22)
    digest_breaches_shown: int = 20
    # Replies to citizens (chalicelib/replies.py). The local stack points both URLs at its platform stand-in.
    x_api_url: str = "https://api.x.com"
    graph_api_url: str = "https://graph.facebook.com/v25.0"
    x_user_token: str = ""
    meta_page_token: str = ""
    whatsapp_token: str = ""
    whatsapp_template: str = "complaint_update"
    whatsapp_template_language: str = "hi"
    reply_retry_budget_seconds: float = 8.0
    platform_timeout_seconds: float = 5.0
    # A reply is started only with this much Lambda time left: the retry budget plus three timed-out attempts.
    reply_time_reserve_ms: int = 25_000
    # First-response clock (chalicelib/sla.py): states whose district reminders also tag the district's X account;
    # a window scale below 1 (dev stages only) shortens every window to watch a breach locally (docs/sla.md).
    sla_reminder_tag_states: tuple[str, ...] = ()
    sla_window_scale: float = 1.0
    sla_sweep_time_reserve_ms: int = 10_000     # a sweep starts no notice with less Lambda time left than this
    # Officer desk (chalicelib/desk.py, docs/officer-desk.md): token signing (infra passes JWT_SECRET from SSM),
    # token lifetime (one shift), and the claim lease (how long a claimed complaint stays out of others' claims).
    jwt_secret: str = ""
    token_lifetime_hours: int = 12
    claim_lease_seconds: int = 600


class MissingSettingError(RuntimeError):
    pass


def _secret(name: str, stage: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if stage in ("dev", "local", "test"):
        return DEV_SECRETS[name]
    raise MissingSettingError(f"{name} must be set for stage {stage!r}")


def load_settings() -> Settings:
    stage = os.environ.get("APP_STAGE", "dev")
    return Settings(
        stage=stage,
        table_name=os.environ.get("TABLE_NAME", "complaint-desk"),
        x_consumer_secret=_secret("X_CONSUMER_SECRET", stage),
        meta_app_secret=_secret("META_APP_SECRET", stage),
        meta_verify_token=_secret("META_VERIFY_TOKEN", stage),
        max_x_body_bytes=int(os.environ.get("MAX_X_BODY_BYTES", 256 * 1024)),
        max_meta_body_bytes=int(os.environ.get("MAX_META_BODY_BYTES", 3 * 1024 * 1024)),
        ses_sender=os.environ.get("SES_SENDER", "desk@police.example.in"),
        digest_shift_start_hours_ist=tuple(
            int(hour) for hour in os.environ.get("DIGEST_SHIFT_START_HOURS_IST", "6,14,22").split(",") if hour.strip()),
        digest_breaches_shown=int(os.environ.get("DIGEST_BREACHES_SHOWN", 20)),
        x_api_url=os.environ.get("X_API_URL", "https://api.x.com"),
        graph_api_url=os.environ.get("GRAPH_API_URL", "https://graph.facebook.com/v25.0"),
        x_user_token=_secret("X_USER_TOKEN", stage),
        meta_page_token=_secret("META_PAGE_TOKEN", stage),
        whatsapp_token=_secret("WHATSAPP_TOKEN", stage),
        whatsapp_template=os.environ.get("WHATSAPP_TEMPLATE", "complaint_update"),
        whatsapp_template_language=os.environ.get("WHATSAPP_TEMPLATE_LANGUAGE", "hi"),
        reply_retry_budget_seconds=float(os.environ.get("REPLY_RETRY_BUDGET_SECONDS", 8.0)),
        platform_timeout_seconds=float(os.environ.get("PLATFORM_TIMEOUT_SECONDS", 5.0)),
        reply_time_reserve_ms=int(os.environ.get("REPLY_TIME_RESERVE_MS", 25_000)),
        sla_reminder_tag_states=tuple(
            state.strip() for state in os.environ.get("SLA_REMINDER_TAG_STATES", "").split(",") if state.strip()),
        sla_window_scale=_window_scale(stage),
        sla_sweep_time_reserve_ms=int(os.environ.get("SLA_SWEEP_TIME_RESERVE_MS", 10_000)),
        jwt_secret=_secret("JWT_SECRET", stage),
        token_lifetime_hours=int(os.environ.get("TOKEN_LIFETIME_HOURS", 12)),
        claim_lease_seconds=int(os.environ.get("CLAIM_LEASE_SECONDS", 600)),
    )


def _window_scale(stage: str) -> float:
    scale = float(os.environ.get("SLA_WINDOW_SCALE", 1.0))
    if scale != 1.0 and stage not in ("dev", "local", "test"):
        raise MissingSettingError(f"SLA_WINDOW_SCALE shortens the SLA and is for dev stages only, not {stage!r}")
    return scale
