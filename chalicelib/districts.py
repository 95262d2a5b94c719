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

    def __post_init__(self) -> None:
        # Indexes built once: triage looks districts and handles up for every post.
        object.__setattr__(self, "_index", {d.id: d for d in self.districts})
        object.__setattr__(self, "_handles", {h.lower(): d for d in self.districts if d.handles_confirmed
                                              for h in d.x_handles})

    def get(self, district_id: str) -> District | None:
        return self._index.get(district_id) if isinstance(district_id, str) else None

    def ids(self) -> list[str]:
        return [d.id for d in self.districts]

    def hq_for_state(self, state: str) -> str:
        return f"{state}-hq"

    def by_confirmed_handle(self, handle: str) -> District | None:
        """Only handles seen in a public source; pattern guesses never decide a route."""
        return self._handles.get(handle.lstrip("@").lower()) if isinstance(handle, str) else None

    def in_state(self, state: str) -> tuple[District, ...]:
        return tuple(d for d in self.districts if d.state == state)


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
