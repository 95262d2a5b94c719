"""Files the app serves itself: the officer desk's page and its two assets (no build step, no CDN), and the
OpenAPI document of the officer API (chalicelib/openapi.json)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from chalice import Response

CHALICELIB = Path(__file__).parent
STATIC = CHALICELIB / "static"
CONTENT_TYPES = {".json": "application/json", ".html": "text/html; charset=utf-8",
                 ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
ASSETS = ("desk.js", "desk.css")
# The page runs only its own script: no inline code, so injected citizen text could not run even if escaping failed.
HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
                                "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class AssetNotFoundError(Exception):
    pass


@lru_cache(maxsize=None)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _response(path: Path) -> Response:
    return Response(_read(path), headers={**HEADERS, "Content-Type": CONTENT_TYPES[path.suffix]})


def desk_page() -> Response:
    return _response(STATIC / "desk.html")


def openapi_document() -> Response:
    return _response(CHALICELIB / "openapi.json")


def desk_asset(name: str) -> Response:
    if name not in ASSETS:
        raise AssetNotFoundError(f"no asset {name!r}")
    return _response(STATIC / name)
