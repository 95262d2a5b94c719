"""Email addresses of district cells, state HQ desks, senior officers and digest readers: data/contacts.json."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "contacts.json"


@lru_cache(maxsize=1)
def _contacts(path: Path = DATA) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def district_cell(district_id: str) -> list[str]:
    contacts = _contacts()
    return contacts["districts"].get(district_id) or [contacts["district_pattern"].format(district=district_id)]


def state_addresses(state: str, role: str) -> list[str]:
    """role: hq | senior_officer | digest"""
    return list(_contacts()["states"][state][role])
