"""The OpenAPI document describes exactly the officer API the app serves."""
import json
from pathlib import Path

import app as application

DOCUMENT = Path(__file__).resolve().parents[2] / "chalicelib" / "openapi.json"


def test_openapi_document_lists_every_officer_route_and_no_other():
    spec = json.loads(DOCUMENT.read_text())
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    served = {(method, path)
              for path, methods in application.app.routes.items() if path.startswith(("/api", "/auth"))
              for method in methods}
    assert documented == served


def test_openapi_document_is_served_to_officers(client, api_headers):
    answer = client.http.get("/api/openapi.json", headers=api_headers)
    assert answer.status_code == 200 and answer.json_body["openapi"].startswith("3.")


def test_openapi_document_is_valid_openapi_3():
    from openapi_spec_validator import validate

    validate(json.loads(DOCUMENT.read_text()))
