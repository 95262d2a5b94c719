"""API access: officers log in for a signed token; the authorizer checks it against the officer's account."""
from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.api import parse_json_body, require_text
from chalicelib.model import iso, utc_now
from chalicelib.officers import Principal, password_matches
from chalicelib.tokens import InvalidTokenError, issue_token, read_token


class LoginFailedError(Exception):
    """Wrong officer id or password: one message for both, so ids cannot be probed."""


def authorize(authorization: str | None, secret: str, officers) -> Principal | None:
    """The officer behind a `Bearer <jwt>` header, or None. The account is read each time, so a revocation or a
    deactivation takes effect at once (API Gateway's authorizer cache adds its TTL in AWS)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        claims = read_token(token.strip(), secret)
    except InvalidTokenError:
        return None
    officer = officers.get(str(claims["sub"]))
    if officer is None or not officer.active or officer.token_version != claims["ver"]:
        return None
    return officer.principal


def principal_of(request_context: dict) -> Principal:
    return Principal.from_context(request_context["authorizer"])


def login(raw_body: bytes | None, officers, settings, now: datetime | None = None) -> dict:
    """A token for one shift (settings.token_lifetime_hours) in exchange for the officer's id and password."""
    now, lifetime = now or utc_now(), timedelta(hours=settings.token_lifetime_hours)
    secret = settings.jwt_secret
    body = parse_json_body(raw_body, ("officer_id", "password"))
    officer_id, password = require_text(body, "officer_id", 100), require_text(body, "password", 200)
    officer = officers.get(officer_id)
    if officer is None or not officer.active or not password_matches(password, officer.password_hash):
        raise LoginFailedError("unknown officer id or wrong password")
    return {"token": issue_token(officer, secret, now, lifetime), "expires_at": iso(now + lifetime),
            "officer": {**officer.principal.to_context(), "name": officer.name}}

