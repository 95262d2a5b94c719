"""The category list (chalicelib/data/taxonomy.csv): labels, group, default priority, sensitive flag.

    from chalicelib.triage.taxonomy import category, categories, GROUPS
    category("theft").label_hi  # 'चोरी'

Actionable categories map onto the fixed groups of ../shared/TRIAGE.md; six more (na_thanks,
na_greeting, na_praise, na_political, na_spam, na_unrelated) in group 'not_actionable' say why a post
was not routed. `sensitive` is set for the sexual-offence categories (BNS 64-71) and, erring on the
side of the victim, for molestation, sextortion, trafficking, acid attacks and every category whose
victim is a child; triage also flags any other complaint whose victim is a child.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "taxonomy.csv"

GROUPS = (
    "violent_crime", "women_children", "property_crime", "cyber_crime", "road_traffic", "missing_person",
    "police_conduct", "vice_nuisance", "disputes_threats", "animal", "misinformation", "service_request",
    "emergency_rescue", "not_actionable",
)
PRIORITIES = ("P1", "P2", "P3")


class UnknownCategoryError(KeyError):
    pass


@dataclass(frozen=True)
class Category:
    id: str
    label_en: str
    label_hi: str
    group: str
    priority: str
    sensitive: bool
    keywords: tuple[str, ...]   # English, Hindi and Hinglish cues; 'a & b' = both anywhere

    @property
    def actionable(self) -> bool:
        return self.group != "not_actionable"


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


@lru_cache(maxsize=1)
def load_taxonomy(path: Path = DATA) -> dict[str, Category]:
    """All categories by id, in file order (earlier rows win ties in triage)."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out: dict[str, Category] = {}
    for row in rows:
        cat = Category(
            id=row["id"], label_en=row["label_en"], label_hi=row["label_hi"], group=row["group"],
            priority=row["priority"], sensitive=row["sensitive"].strip().lower() == "yes",
            keywords=_split(row["keywords_en"]) + _split(row["keywords_hi"]) + _split(row["keywords_hinglish"]),
        )
        if cat.group not in GROUPS or cat.priority not in PRIORITIES:
            raise ValueError(f"taxonomy row {cat.id!r}: bad group or priority")
        out[cat.id] = cat
    return out


def category(category_id: str) -> Category:
    try:
        return load_taxonomy()[category_id]
    except KeyError as exc:
        raise UnknownCategoryError(category_id) from exc


def categories() -> tuple[Category, ...]:
    return tuple(load_taxonomy().values())
