"""The officer desk's web page and its two assets, served by the app itself (no build step, no CDN)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from chalice import Response

STATIC = Path(__file__).parent / "static"
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8"}
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
def _read(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _response(name: str) -> Response:
    return Response(_read(name), headers={**HEADERS, "Content-Type": CONTENT_TYPES[Path(name).suffix]})


def desk_page() -> Response:
    return _response("desk.html")


def desk_asset(name: str) -> Response:
    if name not in ASSETS:
        raise AssetNotFoundError(f"no asset {name!r}")
    return _response(name)
