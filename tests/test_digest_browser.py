"""The digest's HTML as a browser renders it: headless Chromium screenshots it to test-artifacts/digest.png."""
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from chalicelib.digest import build_digest, daily_period
from chalicelib.digest_mail import names_for, render
from chalicelib.mail import build_message
from local.outbox import from_raw
from tests.test_digest_figures import BREACHES, OPEN_NOW, TODAY, YESTERDAY

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.browser
def test_the_digest_renders_with_its_charts_in_chromium():
    from playwright.sync_api import sync_playwright

    digest = build_digest("rj", daily_period(date(2026, 11, 22)), TODAY, YESTERDAY, BREACHES, OPEN_NOW,
                          datetime(2026, 11, 23, 2, 30, tzinfo=timezone.utc), names_for("rj"))
    email = render(digest)
    page_html = from_raw(build_message("desk@police.example.in", ["hq@example.in"], email.subject, email.text,
                                       email.html, email.images).decode()).html
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 800, "height": 1200})
            page.set_content(page_html, wait_until="load")
            image_widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
            league_rows = page.locator("#league tr").count()
            page.screenshot(path=str(ARTIFACTS / "digest.png"), full_page=True)
        finally:
            browser.close()

    assert len(image_widths) == 2 and all(width > 100 for width in image_widths)
    assert league_rows == 3                 # header, Balotra, Jodhpur: the HQ desk is not ranked
    assert (ARTIFACTS / "digest.png").stat().st_size > 10_000
