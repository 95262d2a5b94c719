"""API access: officers log in for a signed token; the authorizer checks it against the officer's account."""
from __future__ import annotations

import os
from datetime import datetime, timedelta
from functools import lru_cache

from chalicelib.api import parse_json_body, require_text
from chalicelib.model import iso, utc_now
from chalicelib.officers import Principal, hash_password, password_matches
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


@lru_cache(maxsize=1)
def stand_in_hash() -> str:
    return hash_password(os.urandom(16).hex())


def principal_of(request_context: dict) -> Principal:
    return Principal.from_context(request_context["authorizer"])


def login(raw_body: bytes | None, officers, settings, now: datetime | None = None) -> dict:
    """A token for one shift (settings.token_lifetime_hours) in exchange for the officer's id and password."""
    now, lifetime = now or utc_now(), timedelta(hours=settings.token_lifetime_hours)
    body = parse_json_body(raw_body, ("officer_id", "password"))
    officer_id = require_text(body, "officer_id", 100)
    require_text(body, "password", 200)
    password = body["password"]    # as typed: spaces at its ends are part of it
    officer = officers.get(officer_id)
    # An unknown id is checked against a stand-in hash: the same scrypt time, so timing does not reveal ids.
    matches = password_matches(password, officer.password_hash if officer else stand_in_hash())
    if officer is None or not officer.active or not matches:
        raise LoginFailedError("unknown officer id or wrong password")
    return {"token": issue_token(officer, settings.jwt_secret, now, lifetime), "expires_at": iso(now + lifetime),
            "officer": {**officer.principal.to_context(), "name": officer.name}}

