"""The web form is served by the app: one page and its assets, with a policy that runs no inline script."""
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "chalicelib" / "static"


def test_desk_page_is_served_as_html_with_a_strict_content_security_policy(client):
    answer = client.http.get("/desk")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert "अधिकारी लॉगिन" in answer.body.decode()


@pytest.mark.parametrize("asset, kind", [("desk.js", "text/javascript"), ("desk.css", "text/css")])
def test_desk_assets_are_served_with_their_types(client, asset, kind):
    answer = client.http.get(f"/desk/{asset}")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(kind)


def test_unknown_asset_is_404(client):
    assert client.http.get("/desk/app.py").status_code == 404


def test_page_script_never_writes_html_from_data():
    script = (STATIC / "desk.js").read_text()
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)


def test_page_has_no_inline_script():
    assert not re.search(r"<script(?![^>]*\bsrc=)", (STATIC / "desk.html").read_text())
