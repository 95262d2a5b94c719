"""API access. Until officer accounts exist, the API takes one bearer token from configuration."""
from __future__ import annotations

import hmac


def dev_token_allows(authorization: str | None, dev_token: str) -> bool:
    expected = f"Bearer {dev_token}"
    return bool(authorization) and hmac.compare_digest(authorization.encode(), expected.encode())
