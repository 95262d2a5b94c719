"""Which desk account (and so which state) received a webhook: data/desk_accounts.json."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chalicelib.districts import load_registry

DATA = Path(__file__).parent / "data" / "desk_accounts.json"


@dataclass(frozen=True)
class DeskAccount:
    platform: str
    account_id: str
    handle: str
    desk: str      # registry id: a state desk (rj-hq), a special desk (up-nri) or a district account
    state: str


@lru_cache(maxsize=1)
def desk_accounts(path: Path = DATA) -> dict[tuple[str, str], DeskAccount]:
    registry = load_registry()
    accounts = json.loads(path.read_text(encoding="utf-8"))["accounts"]
    return {
        (a["platform"], a["account_id"]): DeskAccount(a["platform"], a["account_id"], a["handle"], a["desk"],
                                                     registry.get(a["desk"]).state)
        for a in accounts
    }


def find_desk(platform: str, account_id: str) -> DeskAccount | None:
    return desk_accounts().get((platform, account_id))
