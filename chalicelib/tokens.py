"""Signed, expiring officer tokens (JWT, HS256). The officer's token version inside makes revocation possible."""
from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.model import new_id
from chalicelib.officers import Officer

ALGORITHM = "HS256"
ISSUER = "complaint-desk"


class InvalidTokenError(Exception):
    pass


def issue_token(officer: Officer, secret: str, now: datetime, lifetime: timedelta) -> str:
    import jwt  # deferred: only login and the admin CLI sign tokens

    claims = {"sub": officer.id, "ver": officer.token_version, "role": officer.role, "iss": ISSUER,
              "jti": new_id(now), "iat": int(now.timestamp()), "exp": int((now + lifetime).timestamp())}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str) -> dict:
    """The claims of a token this desk signed and that has not expired; anything else is refused."""
    import jwt

    try:
        return jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                          options={"require": ["sub", "ver", "exp", "iat", "iss"]})
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from exc
