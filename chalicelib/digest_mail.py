"""The digest as an email: subject, plain text and HTML from chalicelib/templates/, PNG charts inline."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chalicelib.digest import BUCKET_LABELS, Digest, Names, duration_text
from chalicelib.mail import InlineImage
from chalicelib.pngchart import bar_chart

TEMPLATES = Path(__file__).parent / "templates"
STATE_NAMES = {"rj": "Rajasthan Police / राजस्थान पुलिस", "up": "UP Police / उत्तर प्रदेश पुलिस"}
TOTALS_ROWS = (
    ("प्राप्त", "Received", "received"), ("कार्रवाई योग्य", "Actionable", "actionable"),
    ("कार्रवाई योग्य नहीं", "Not actionable", "not_actionable"), ("ज़िले को भेजी गईं", "Routed", "routed"),
    ("प्रथम उत्तर", "First responded", "first_responded"), ("निस्तारित", "Resolved", "resolved"),
    ("समय सीमा उल्लंघन", "SLA breaches", "breached"),
)
FOCUS_HEADINGS = {
    "women_children": ("महिलाओं और बच्चों के विरुद्ध अपराध", "Crimes against women and children, by district"),
    "police_conduct": ("पुलिस आचरण (एफ़आईआर न लिखना सहित)", "Police conduct, incl. refusal to register an FIR, by district"),
}
LEAGUE_CHART_ROWS = 15


@dataclass(frozen=True)
class DigestEmail:
    subject: str
    text: str
    html: str
    images: tuple[InlineImage, ...]


def percent_text(value: float | None) -> str:
    return "–" if value is None else f"{value:g}%"


@lru_cache(maxsize=1)
def environment():
    import jinja2  # deferred: only the digest Lambda renders templates

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             autoescape=jinja2.select_autoescape(["html"]), keep_trailing_newline=True)
    env.filters.update(
        duration=duration_text,
        pct=percent_text,
        bucket=lambda name: BUCKET_LABELS.get(name, "–") if name else "–",
        signed=lambda number: f"{number:+d}" if number else "0",
    )
    return env


def names_for(state: str) -> Names:
    """District and category display names from the registry and the triage taxonomy."""
    from chalicelib.districts import load_registry
    from chalicelib.triage.taxonomy import categories

    districts = [d for d in load_registry().districts if d.state == state]
    return Names(districts={d.id: d.name_en for d in districts},
                 desks=frozenset(d.id for d in districts if d.is_desk),
                 categories={c.id: f"{c.label_en} ({c.label_hi})" for c in categories()},
                 category_groups={c.id: c.group for c in categories()})


def charts(digest: Digest) -> tuple[InlineImage, ...]:
    buckets = [(label.replace("≤", "<="), count, str(count)) for label, count in digest.response_buckets]
    images = [InlineImage("response-times", bar_chart(buckets))]
    if digest.league:
        league = [(d.name, d.mean_seconds, duration_text(d.mean_seconds)) for d in digest.league[:LEAGUE_CHART_ROWS]]
        images.append(InlineImage("league", bar_chart(league)))
    return tuple(images)


def render(digest: Digest) -> DigestEmail:
    state_name = STATE_NAMES.get(digest.state, digest.state.upper())
    subject = (f"{state_name}: SLA digest {digest.period.label} · compliance {percent_text(digest.compliance)}, "
               f"{digest.open_breach_total} open breaches")
    context = {"digest": digest, "state_name": state_name, "period_label": digest.period.label,
               "subject": subject, "totals_rows": TOTALS_ROWS,
               "focus_groups": [(group, *FOCUS_HEADINGS[group]) for group in digest.focus]}
    return DigestEmail(subject, environment().get_template("digest.txt").render(context),
                       environment().get_template("digest.html").render(context), charts(digest))
