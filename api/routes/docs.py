"""API documentation for people: Swagger UI at ``/docs`` and ReDoc at ``/redoc``, from local assets.

FastAPI's built-in pages load their scripts from a CDN and start them with an
inline ``<script>``. These pages load the copies vendored in
``api/static/vendor/`` and are started by ``api/static/swagger-init.js`` and
``api/static/redoc-init.js``, which read the OpenAPI address from a
``data-openapi-url`` attribute. So the pages work offline and under a
Content-Security-Policy without ``'unsafe-inline'`` (ReDoc with two style
hashes, below).

Create the application with ``FastAPI(docs_url=None, redoc_url=None)`` and
``app.include_router(docs.router)``.

Swagger UI runs under ``style-src 'self'``. ReDoc does not: its bundled
styled-components creates empty ``<style>`` elements and fills them through
the CSSOM, and it inserts perfect-scrollbar's stylesheet as a ``<style>``.
Both are fixed texts, so ``REDOC_STYLE_HASHES`` in ``style-src`` lets exactly
those two through; no ``'unsafe-inline'`` is needed, and style attributes stay
blocked.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.errors import ApiError

router = APIRouter(include_in_schema=False)

SWAGGER = "/static/vendor/swagger-ui"
REDOC = "/static/vendor/redoc"
NO_CACHE = {"Cache-Control": "no-cache"}
PATHS = frozenset({"/docs", "/redoc"})

REDOC_STYLE_HASHES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty text: styled-components' <style> elements
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's CSS in ReDoc 2.5.4
)
"""CSP hash sources ReDoc needs in ``style-src`` (checked in Chromium by ``tests/e2e/test_page_security.py``)."""


def _openapi_url(request: Request) -> str:
    """Where the application serves its OpenAPI document, below any root path."""
    url: str | None = request.app.openapi_url
    if not url:
        raise ApiError(404, "not_found", "this service does not publish an OpenAPI document")
    root: str = request.scope.get("root_path", "")
    return root.rstrip("/") + url


def _html(title: str, head: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="icon" href="data:,">{head}</head>
<body>{body}</body></html>"""


def swagger_page(title: str, openapi_url: str) -> str:
    """The Swagger UI page for the OpenAPI document at ``openapi_url``."""
    head = f'\n<link rel="stylesheet" href="{SWAGGER}/swagger-ui.css">'
    body = f"""<div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></div>
<script src="{SWAGGER}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>"""
    return _html(f"{title} — API documentation (Swagger UI)", head, body)


def redoc_page(title: str, openapi_url: str) -> str:
    """The ReDoc page for the OpenAPI document at ``openapi_url``."""
    body = f"""<div id="redoc" data-openapi-url="{escape(openapi_url)}"></div>
<script src="{REDOC}/redoc.standalone.js"></script>
<script src="/static/redoc-init.js"></script>"""
    return _html(f"{title} — API reference (ReDoc)", "", body)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI: try the API from the browser."""
    return HTMLResponse(swagger_page(request.app.title, _openapi_url(request)), headers=NO_CACHE)


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc: the API reference as one readable page."""
    return HTMLResponse(redoc_page(request.app.title, _openapi_url(request)), headers=NO_CACHE)


__all__ = ["PATHS", "REDOC_STYLE_HASHES", "redoc_page", "router", "swagger_page"]
