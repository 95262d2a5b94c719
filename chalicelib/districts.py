"""The routing units: districts, commissionerates and desks, read from data/districts.csv."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "districts.csv"

# Only handles someone has actually seen may decide a route; pattern guesses need a human first.
CONFIRMED_HANDLE_SOURCES = {"yes", "seed document"}


@dataclass(frozen=True)
class District:
    id: str
    state: str
    kind: str
    name_en: str
    name_hi: str
    aliases: tuple[str, ...]
    lat: float | None
    lon: float | None
    x_handles: tuple[str, ...]
    handles_confirmed: bool

    @property
    def is_desk(self) -> bool:
        return self.id.endswith("-hq") or self.id == "up-nri"


@dataclass(frozen=True)
class DistrictRegistry:
    districts: tuple[District, ...]

    def get(self, district_id: str) -> District | None:
        return self._by_id().get(district_id)

    def ids(self) -> list[str]:
        return [d.id for d in self.districts]

    def hq_for_state(self, state: str) -> str:
        return f"{state}-hq"

    def by_confirmed_handle(self, handle: str) -> District | None:
        return self._by_handle().get(handle.lstrip("@").lower())

    def _by_id(self) -> dict[str, District]:
        return {d.id: d for d in self.districts}

    @lru_cache(maxsize=1)
    def _by_handle(self) -> dict[str, District]:
        return {h.lower(): d for d in self.districts if d.handles_confirmed for h in d.x_handles}


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _float(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


@lru_cache(maxsize=1)
def load_registry(path: Path = DATA) -> DistrictRegistry:
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return DistrictRegistry(tuple(
        District(
            id=row["id"], state=row["state"], kind=row["kind"],
            name_en=row["name_en"], name_hi=row["name_hi"], aliases=_split(row["aliases"]),
            lat=_float(row["lat"]), lon=_float(row["lon"]),
            x_handles=_split(row["x_handles"]),
            handles_confirmed=row["handle_seen_in_public_source"].strip() in CONFIRMED_HANDLE_SOURCES,
        )
        for row in rows if row["state"] in ("rj", "up")
    ))
