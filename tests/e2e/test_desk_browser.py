"""The officer desk in a real browser (Debian's Chromium via Playwright) against the local stack:
log in, claim, reply, resolve, and watch the status and audit trail change."""
import json
import urllib.request
from pathlib import Path

import pytest

from chalicelib.settings import DEV_SECRETS
from local.demo import DEMO_PASSWORD, demo_token
from local.samples import signed_x_body, tweet, x_delivery
from local.send_webhook import post

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Markup in a citizen's post must show as text, never run or render.
HOSTILE_TEXT = '@SP_Balotra Balotra me meri bike chori <img src=x onerror="document.title=\'owned\'">'


@pytest.fixture
def page():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run `make chromium` (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 412, "height": 915})   # a phone screen
        yield page
        browser.close()


def routed_complaint(api: str, external_id: str) -> dict | None:
    request = urllib.request.Request(f"{api}/api/complaints?platform=x&external_id={external_id}",
                                     headers={"Authorization": f"Bearer {demo_token(api)}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        complaint = json.loads(response.read())
    return complaint if complaint["status"] == "ROUTED" else None


def test_officer_claims_replies_and_resolves_in_the_browser(local_stack, page):
    event = tweet(HOSTILE_TEXT, mentions=("SP_Balotra", "PoliceRajasthan"))
    body, headers = signed_x_body(x_delivery(tweets=[event]), DEV_SECRETS["X_CONSUMER_SECRET"])
    assert post(f"{local_stack.api}/webhooks/x", body, headers)[0] == 200
    complaint = local_stack.wait_until(lambda: routed_complaint(local_stack.api, event["id_str"]))
    assert complaint["district"] == "rj-balotra"

    log_in(page, local_stack.api, "balotra-1")
    assert "Balotra district officer" in page.text_content("#who-name")
    listed = page.locator(f"#worklist li[data-id='{complaint['id']}']")
    assert "left" in listed.locator("[data-sla]").text_content()          # every complaint shows its countdown

    page.click("#claim")   # Balotra's queue holds only this complaint: no other test of the session routes there first
    page.wait_for_selector("#detail:not([hidden])")
    assert page.text_content("#d-text") == complaint["text"]            # shown as text, not markup
    assert page.title() != "owned" and page.locator("#detail img").count() == 0
    assert page.get_attribute("#d-status", "data-status") == "ROUTED"
    assert "left" in page.text_content("#d-sla") and "IST" in page.text_content("#d-sla")

    page.fill("#reply textarea", "Thana Balotra ko suchit kiya gaya hai. / Balotra police station is informed.")
    page.click("#reply button[type=submit]")
    page.wait_for_selector("#d-status[data-status=RESPONDED]")
    assert page.locator("#d-audit li[data-action=replied]").count() == 1

    page.fill("#resolve input[name=action_taken]", "Bike traced and returned to owner")
    page.click("#resolve button[type=submit]")
    page.wait_for_selector("#d-status[data-status=RESOLVED]")
    assert page.locator("#d-audit li[data-action=resolved]").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "officer-desk.png"), full_page=True)

    outbound = local_stack.wait_until(lambda: [e for e in audit_of(local_stack.api, complaint["id"])
                                               if e["action"] == "replied"])
    assert outbound[0]["actor"] == "officer:balotra-1"


def log_in(page, api: str, officer_id: str) -> None:
    page.goto(f"{api}/desk")
    page.fill("input[name=officer_id]", officer_id)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#desk:not([hidden])")


def test_hq_sees_a_sensitive_district_complaint_without_identifying_details(local_stack, page):
    text = "@SP_Balotra Balotra me school ke bahar meri beti ke saath chhedchhad hui"
    event = tweet(text, mentions=("SP_Balotra",), handle="worried_parent")
    body, headers = signed_x_body(x_delivery(tweets=[event]), DEV_SECRETS["X_CONSUMER_SECRET"])
    post(f"{local_stack.api}/webhooks/x", body, headers)
    complaint = local_stack.wait_until(lambda: routed_complaint(local_stack.api, event["id_str"]))
    assert complaint["sensitive"] and complaint["district"] == "rj-balotra"

    log_in(page, local_stack.api, "rj-hq-1")
    page.fill("#district", "rj-balotra")
    page.click("#filters button[type=submit]")
    item = page.locator(f"#worklist li[data-id='{complaint['id']}']")
    item.wait_for()
    assert "details hidden" in item.text_content() and "chhedchhad" not in item.text_content()
    item.click()
    page.wait_for_selector("#d-hidden:not([hidden])")
    assert "chhedchhad" not in page.text_content("#detail") and "worried_parent" not in page.text_content("#detail")


def audit_of(api: str, complaint_id: str) -> list[dict]:
    request = urllib.request.Request(f"{api}/api/complaints/{complaint_id}",
                                     headers={"Authorization": f"Bearer {demo_token(api)}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["audit"]
