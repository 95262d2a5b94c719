"""The HQ digest's figures for one state and period, built from counter rows (see counters.py), not complaints.

Medians and 90th percentiles are estimated from the response-time buckets: a figure says the quantile
falls in that bucket ("≤ 5 min"), which is all the counters can tell and all a reader needs.
Plain Python: no I/O.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chalicelib.counters import CATEGORY_PREFIX, GROUP_PREFIX, IST, RESPONSE_BUCKETS, UNASSIGNED
from chalicelib.model import parse_iso, reference_number

BUCKET_LABELS = {"rt_2m": "≤ 2 min", "rt_5m": "≤ 5 min", "rt_15m": "≤ 15 min", "rt_30m": "≤ 30 min",
                 "rt_1h": "≤ 1 h", "rt_2h": "≤ 2 h", "rt_4h": "≤ 4 h", "rt_over_4h": "> 4 h"}
FOCUS_GROUPS = ("women_children", "police_conduct")
NOT_ACTIONABLE_GROUP = "not_actionable"
MOVERS_SHOWN = 8
TOP_CATEGORIES_PER_DISTRICT = 3


@dataclass(frozen=True)
class Period:
    kind: str                        # daily | shift
    start: datetime                  # India time, inclusive
    end: datetime                    # India time, exclusive

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.start:%Y-%m-%dT%H}-{self.end:%Y-%m-%dT%H}"

    @property
    def label(self) -> str:
        if self.kind == "daily":
            return f"{self.start:%d %b %Y}"
        return f"{self.start:%d %b %H:%M}–{self.end:%H:%M} IST"

    def slot_keys(self) -> list[str]:
        """The counter items that cover the period: whole India days for a daily digest, hours otherwise."""
        if self.kind == "daily":
            return [f"{self.start:%Y-%m-%d}"]
        hours = int((self.end - self.start).total_seconds() // 3600)
        return [f"{self.start + timedelta(hours=h):%Y-%m-%dT%H}" for h in range(hours)]

    def previous(self) -> Period:
        return Period(self.kind, self.start - (self.end - self.start), self.start)


def daily_period(day: date) -> Period:
    start = datetime(day.year, day.month, day.day, tzinfo=IST)
    return Period("daily", start, start + timedelta(days=1))


def _latest_start(shift_start_hours: tuple[int, ...], moment: datetime, strictly_before: bool) -> datetime:
    candidates = []
    for hour in shift_start_hours:
        candidate = moment.replace(hour=hour)
        if candidate > moment or (strictly_before and candidate == moment):
            candidate -= timedelta(days=1)
        candidates.append(candidate)
    return max(candidates)


def shift_ending(moment: datetime, shift_start_hours: tuple[int, ...]) -> Period:
    """The shift that ended at the latest shift start at or before `moment` (shift starts in India hours)."""
    local = moment.astimezone(IST).replace(minute=0, second=0, microsecond=0)
    end = _latest_start(shift_start_hours, local, strictly_before=False)
    return Period("shift", _latest_start(shift_start_hours, end, strictly_before=True), end)


def quantile_bucket(buckets: Counter, q: float) -> str | None:
    total = sum(buckets[name] for name, _ in RESPONSE_BUCKETS)
    if not total:
        return None
    rank, seen = math.ceil(q * total), 0
    for name, _ in RESPONSE_BUCKETS:
        seen += buckets[name]
        if seen >= rank:
            return name
    raise AssertionError("ranks never exceed the total")


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class DistrictFigures:
    district: str
    name: str
    first_responded: int
    sla_met: int
    breached: int
    mean_seconds: float | None
    median_bucket: str | None
    p90_bucket: str | None
    open_breaches: int               # now, whenever they breached

    @property
    def compliance(self) -> float | None:
        return percent(self.sla_met, self.sla_met + self.breached)


@dataclass(frozen=True)
class Change:
    what: str                        # a category label, a "district · category" pair
    now: int
    before: int

    @property
    def delta(self) -> int:
        return self.now - self.before


@dataclass(frozen=True)
class OpenBreach:
    reference: str
    district: str
    age_seconds: float
    what: str                        # category label, or a neutral word for a sensitive complaint


@dataclass(frozen=True)
class Names:
    """Display names the builder needs: districts (and which are desks, outside the league) and categories."""
    districts: dict[str, str]
    desks: frozenset[str]
    categories: dict[str, str]
    category_groups: dict[str, str]

    def district(self, district_id: str) -> str:
        return "HQ triage (no district yet)" if district_id == UNASSIGNED else self.districts.get(district_id, district_id)

    def category(self, category_id: str) -> str:
        return "uncategorised" if category_id == UNASSIGNED else self.categories.get(category_id, category_id)


@dataclass(frozen=True)
class Digest:
    state: str
    period: Period
    totals: Counter
    districts: list[DistrictFigures]
    league: list[DistrictFigures]
    response_buckets: list[tuple[str, int]]
    category_counts: list[Change]
    movers: list[Change]
    focus: dict[str, list[Change]]
    district_categories: list[tuple[str, list[tuple[str, int]]]]
    open_breaches: list[OpenBreach]  # the oldest ones
    open_breach_total: int

    @property
    def breaches_truncated(self) -> bool:
        return self.open_breach_total > len(self.open_breaches)

    @property
    def compliance(self) -> float | None:
        return percent(self.totals["sla_met"], self.totals["sla_met"] + self.totals["breached"])

    @property
    def misinformation_within_target(self) -> float | None:
        return percent(self.totals["misinfo_within_5m"], self.totals["misinfo_responded"])


def add_up(rows) -> Counter:
    total: Counter = Counter()
    for row in rows:
        total.update({k: v for k, v in row.items() if isinstance(v, (int, float)) and not isinstance(v, bool)})
    return total


def by_district(rows) -> dict[str, Counter]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["district"]].append(row)
    return {district: add_up(district_rows) for district, district_rows in grouped.items()}


def district_figures(district: str, counts: Counter, open_now: int, names: Names) -> DistrictFigures:
    responded = counts["first_responded"]
    return DistrictFigures(district, names.district(district), responded, counts["sla_met"], counts["breached"],
                           counts["response_seconds"] / responded if responded else None,
                           quantile_bucket(counts, 0.5), quantile_bucket(counts, 0.9), open_now)


def prefixed(counts: Counter, prefix: str) -> Counter:
    return Counter({k[len(prefix):]: v for k, v in counts.items() if k.startswith(prefix) and v})


def _changes(now: Counter, before: Counter, label) -> list[Change]:
    return [Change(label(key), now[key], before[key]) for key in set(now) | set(before)]


def actionable_categories(counts: Counter, names: Names) -> Counter:
    return Counter({c: n for c, n in prefixed(counts, CATEGORY_PREFIX).items()
                    if names.category_groups.get(c) != NOT_ACTIONABLE_GROUP})


def category_changes(now: dict[str, Counter], before: dict[str, Counter], names: Names) -> tuple[list, list]:
    """Category totals (actionable categories, largest first) and the (district, category) pairs that moved most."""
    def pairs(by: dict[str, Counter]) -> Counter:
        return Counter({(d, c): n for d, counts in by.items() for c, n in actionable_categories(counts, names).items()})

    totals = _changes(actionable_categories(add_up(now.values()), names),
                      actionable_categories(add_up(before.values()), names), names.category)
    pairs_now, pairs_before = pairs(now), pairs(before)
    movers = _changes(pairs_now, pairs_before, lambda pair: f"{names.district(pair[0])} · {names.category(pair[1])}")
    return (sorted(totals, key=lambda c: (-c.now, c.what)),
            sorted((m for m in movers if m.delta), key=lambda m: (-abs(m.delta), m.what))[:MOVERS_SHOWN])


def focus_groups(now: dict[str, Counter], before: dict[str, Counter], names: Names) -> dict[str, list[Change]]:
    """Per focus group, each district's count against the previous period, largest first."""
    focus = {}
    for group in FOCUS_GROUPS:
        key = GROUP_PREFIX + group
        changes = [Change(names.district(d), now.get(d, Counter())[key], before.get(d, Counter())[key])
                   for d in set(now) | set(before)]
        focus[group] = sorted((c for c in changes if c.now or c.before), key=lambda c: (-c.now, -c.delta, c.what))
    return focus


def district_categories(now: dict[str, Counter], names: Names) -> list[tuple[str, list[tuple[str, int]]]]:
    """Which areas produce which complaints: each district's commonest categories, busiest district first."""
    rows = []
    for district, counts in now.items():
        top = sorted(actionable_categories(counts, names).items(), key=lambda item: (-item[1], item[0]))
        if top:
            rows.append((names.district(district), [(names.category(c), n) for c, n in top[:TOP_CATEGORIES_PER_DISTRICT]],
                         sum(n for _, n in top)))
    return [(name, top) for name, top, _ in sorted(rows, key=lambda row: (-row[2], row[0]))]


def open_breach(item: dict, state: str, now: datetime, names: Names) -> OpenBreach:
    """Only what HQ needs to chase it, under the reference the citizen and the desk quote; for a sensitive
    complaint no category either (TRIAGE.md)."""
    what = "protected (sensitive)" if item.get("sensitive") else names.category(item.get("category", UNASSIGNED))
    return OpenBreach(reference_number(state, item["complaint_id"]), names.district(item.get("district", UNASSIGNED)),
                      (now - parse_iso(item["received_at"])).total_seconds(), what)


def build_digest(state: str, period: Period, rows: list[dict], previous_rows: list[dict], oldest_breaches: list[dict],
                 open_counts: dict[str, int], now: datetime, names: Names) -> Digest:
    """open_counts: open breaches now by district; oldest_breaches: the open-breach items to list."""
    current, previous = by_district(rows), by_district(previous_rows)
    active = {d for d, c in current.items() if c["first_responded"] or c["breached"]} | set(open_counts)
    figures = sorted((district_figures(d, current.get(d, Counter()), open_counts.get(d, 0), names) for d in active),
                     key=lambda f: f.name)
    league = sorted((f for f in figures if f.first_responded and f.district not in names.desks),
                    key=lambda f: (f.mean_seconds, f.name))
    totals = add_up(current.values())
    categories, movers = category_changes(current, previous, names)
    return Digest(
        state=state, period=period, totals=totals, districts=figures, league=league,
        response_buckets=[(BUCKET_LABELS[name], totals[name]) for name, _ in RESPONSE_BUCKETS],
        category_counts=categories, movers=movers, focus=focus_groups(current, previous, names),
        district_categories=district_categories(current, names),
        open_breaches=[open_breach(item, state, now, names) for item in oldest_breaches],
        open_breach_total=sum(open_counts.values()))


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{seconds / 60:.1f} min" if seconds < 600 else f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"

