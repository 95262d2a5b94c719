"""Officer accounts and who may act where: district officers on one district, HQ on one state, admins anywhere.

Plain Python: the rules here decide access; the authorizer and the desk services apply them.
"""
from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import asdict, dataclass

# scrypt at these costs takes ~50 ms and 16 MB: slow enough for guessing, fine for a login Lambda.
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class Role:
    DISTRICT_OFFICER = "district_officer"
    HQ_OPERATOR = "hq_operator"
    ADMIN = "admin"
    ALL = (DISTRICT_OFFICER, HQ_OPERATOR, ADMIN)


class ForbiddenError(Exception):
    """The officer is signed in but this complaint, district or action is outside their role."""


class InvalidOfficerError(ValueError):
    pass


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt_hex), **SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the authorizer vouches for it: what the views need, nothing secret."""
    officer_id: str
    role: str
    state: str | None = None         # HQ operators and district officers
    district: str | None = None      # district officers only

    @property
    def actor(self) -> str:
        return f"officer:{self.officer_id}"

    @property
    def home_unit(self) -> str | None:
        """The routing unit whose own view this officer has: their district, or their state's HQ desk."""
        if self.role == Role.DISTRICT_OFFICER:
            return self.district
        if self.role == Role.HQ_OPERATOR:
            return f"{self.state}-hq"
        return None

    def to_context(self) -> dict:
        """API Gateway passes authorizer context as flat strings."""
        return {"officer_id": self.officer_id, "role": self.role, "state": self.state or "",
                "district": self.district or ""}

    @classmethod
    def from_context(cls, context: dict) -> Principal:
        return cls(officer_id=context["officer_id"], role=context["role"], state=context.get("state") or None,
                   district=context.get("district") or None)


@dataclass(frozen=True)
class Officer:
    id: str
    name: str
    role: str
    password_hash: str
    state: str | None = None
    district: str | None = None
    token_version: int = 1           # raised by a revocation: every token carrying an older one stops working
    active: bool = True

    @property
    def principal(self) -> Principal:
        return Principal(self.id, self.role, self.state, self.district)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Officer:
        return cls(id=data["id"], name=data["name"], role=data["role"], password_hash=data["password_hash"],
                   state=data.get("state"), district=data.get("district"),
                   token_version=int(data.get("token_version", 1)), active=bool(data.get("active", True)))


def new_officer(officer_id: str, name: str, role: str, password: str, *, district_state: str | None,
                state: str | None = None, district: str | None = None) -> Officer:
    """Checks the role's shape: a district officer has a district (whose state is known), HQ a state, admin neither."""
    if role not in Role.ALL:
        raise InvalidOfficerError(f"role must be one of {', '.join(Role.ALL)}")
    if not officer_id or not officer_id.replace("-", "").replace("_", "").isalnum():
        raise InvalidOfficerError("officer id must be letters, digits, '-' or '_'")
    if len(password) < 8:
        raise InvalidOfficerError("password must have at least 8 characters")
    if role == Role.DISTRICT_OFFICER:
        if not district or not district_state:
            raise InvalidOfficerError("a district officer needs a known --district")
        state = district_state
    elif role == Role.HQ_OPERATOR:
        if not state or district:
            raise InvalidOfficerError("an HQ operator needs --state and no --district")
    elif state or district:
        raise InvalidOfficerError("an admin has neither state nor district")
    return Officer(officer_id, name, role, hash_password(password), state=state,
                   district=district if role == Role.DISTRICT_OFFICER else None)


def may_act_in(principal: Principal, district: str | None, state: str) -> bool:
    """District officers act in their own district; HQ anywhere in its state, unrouted complaints included."""
    if principal.role == Role.ADMIN:
        return True
    if principal.role == Role.HQ_OPERATOR:
        return principal.state == state
    return district is not None and principal.district == district


def require_in_scope(principal: Principal, district: str | None, state: str) -> None:
    if not may_act_in(principal, district, state):
        where = district or f"unrouted ({state})"
        raise ForbiddenError(f"{principal.actor} may not act on {where}")


def require_hq(principal: Principal, state: str) -> None:
    if principal.role == Role.ADMIN or (principal.role == Role.HQ_OPERATOR and principal.state == state):
        return
    raise ForbiddenError(f"only HQ of state {state!r} may do this")


def sees_in_full(principal: Principal, district: str | None) -> bool:
    """The assigned unit's own view: the only place a sensitive complaint is shown with its details."""
    return district is not None and principal.home_unit == district
