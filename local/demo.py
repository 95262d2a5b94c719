"""What the local stack starts with: the deployment's table and queues, then demo data (districts, logins)."""
from __future__ import annotations


def create_stack_resources() -> None:
    from chalicelib import aws, wiring
    from chalicelib.resources import create_resources

    settings = wiring.settings()
    create_resources(aws.client("dynamodb"), aws.client("sqs"), aws.client("ses"),
                     settings.table_name, settings.ses_sender)


# Demo logins for the officer desk (docs/officer-desk.md): (officer id, name, role, state, district).
DEMO_PASSWORD = "demo-pass-2026"
DEMO_OFFICERS = (
    ("admin", "Demo admin", "admin", None, None),
    ("rj-hq-1", "Rajasthan HQ operator", "hq_operator", "rj", None),
    ("up-hq-1", "UP HQ operator", "hq_operator", "up", None),
    ("jaipur-1", "Jaipur Commissionerate officer", "district_officer", None, "rj-jaipur"),
    ("balotra-1", "Balotra district officer", "district_officer", None, "rj-balotra"),
    ("lucknow-1", "Lucknow Commissionerate officer", "district_officer", None, "up-lucknow"),
)


def seed_officers() -> None:
    from chalicelib import wiring
    from chalicelib.officer_admin import create_officer

    for officer_id, name, role, state, district in DEMO_OFFICERS:
        create_officer(wiring.officers(), wiring.registry(), officer_id, name, role, DEMO_PASSWORD,
                       state=state, district=district)


def seed(api_url: str) -> None:
    """Demo content once the API is up. Districts come from the registry data file, so none are written here."""
    seed_officers()
    logins = ", ".join(officer[0] for officer in DEMO_OFFICERS)
    print(f"  Officer desk   {api_url}/desk   log in as one of: {logins}   password: {DEMO_PASSWORD}", flush=True)


def demo_token(api_url: str, officer_id: str = "admin") -> str:
    """Log a demo officer in over HTTP (the way the web form does) and return the bearer token."""
    import json
    import urllib.request

    body = json.dumps({"officer_id": officer_id, "password": DEMO_PASSWORD}).encode()
    request = urllib.request.Request(f"{api_url}/auth/login", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["token"]
