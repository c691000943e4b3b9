"""HTTP-level answers the routes do not give by themselves, as pure ASGI middlewares.

* ``UrlLength``: a request target (path and query string) longer than
  ``max_url_bytes`` gets 414 with the JSON error body, telling the client to
  use POST; the server (``api.server``) lets heads up to that size through.
* ``HeadAsGet``: HEAD on a path that has a GET route runs as that GET and
  sends its status and headers (Content-Length included) but no body;
  FastAPI's routes answer only the methods they name, so HEAD was a 405.
* ``AllowedMethods``: a 405 names, in ``Allow`` and in the body, the methods of
  *every* route of the path (plus HEAD with GET, and OPTIONS when CORS
  answers preflights); the router names only the first route's methods
  (``PUT /sparql`` said ``Allow: GET`` though POST is a route too).

``install_http_guards(app, max_url_bytes)`` puts them in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.middleware import Middleware
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body

DEFAULT_MAX_URL_BYTES = 320_000
"""Three times the largest query (``SKG_MAX_QUERY_BYTES``, 100 000), percent-encoding's worst case, plus room for
the other parameters: any query the endpoint accepts fits in a GET, and its size limit is the one a client meets.
(The catalogue's queries grow 1.25 to 1.6 times when encoded.)"""

METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def target_bytes(scope: Scope) -> int:
    """Length of the request target as it came on the request line (path and ``?query``)."""
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    query = scope.get("query_string", b"")
    return len(raw_path) + (1 + len(query) if query else 0)


def uri_too_long_body(limit: int) -> dict[str, Any]:
    """The 414 body, the same from the middleware and from the server's own answer."""
    message = (
        f"the request target (path and query string) is longer than {limit} bytes; send the query in the body "
        "of a POST instead (application/x-www-form-urlencoded or application/sparql-query)"
    )
    return error_body("uri_too_long", message, 414, {"limit": limit, "setting": "SKG_MAX_URL_BYTES"})


def _routes_of(app: FastAPI, scope: Scope) -> tuple[bool, set[str]]:
    """Whether some route takes the request as it is, and the methods of all the routes whose path matches.

    FastAPI keeps included routers as branches; ``iter_route_contexts`` yields
    their routes with the prefixes applied, the same ones the router tries.
    """
    takes = False
    methods: set[str] = set()
    for route in iter_route_contexts(app.router.routes):
        match, _child = route.matches(scope)
        if match is Match.FULL:
            takes = True
        if match is not Match.NONE:
            methods |= set(route.methods or ())
    return takes, methods


def _ordered(methods: Iterable[str]) -> list[str]:
    known = [m for m in METHOD_ORDER if m in methods]
    return known + sorted(set(methods) - set(METHOD_ORDER))


def _has_middleware(app: FastAPI, cls: type) -> bool:
    return any(cast(object, m.cls) is cls for m in app.user_middleware)


class UrlLength:
    """414 for a request target over the limit, before any route or body is read."""

    def __init__(self, app: ASGIApp, *, max_url_bytes: int) -> None:
        self.app = app
        self.max_url_bytes = max_url_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and target_bytes(scope) > self.max_url_bytes:
            response = JSONResponse(uri_too_long_body(self.max_url_bytes), status_code=414)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class HeadAsGet:
    """HEAD runs as GET where only a GET route matches; the body is never sent."""

    def __init__(self, app: ASGIApp, *, routes_of: FastAPI) -> None:
        self.app = app
        self.fastapi = routes_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        as_get = {**scope, "method": "GET"}
        # routes that take HEAD themselves (Starlette's, static files) keep it; a copy, so the server's scope says HEAD
        if not _routes_of(self.fastapi, scope)[0] and _routes_of(self.fastapi, as_get)[0]:
            scope = as_get

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            if message["type"] == "http.response.pathsend":  # a file response's body, by path
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, headers_only)


class AllowedMethods:
    """The router's 405 replaced by one that names every method of the path; with CORS, a plain OPTIONS gets 204.

    Only a 405 is looked at, so other requests pay nothing; it is replaced
    only when no route takes the method, i.e. when it is the router's, not a
    route's own answer.
    """

    def __init__(self, app: ASGIApp, *, routes_of: FastAPI) -> None:
        self.app = app
        self.fastapi = routes_of
        # the middleware stack is built once user_middleware is final, so this is read after every add_middleware
        self.cors = _has_middleware(routes_of, CORSMiddleware)

    def allowed(self, methods: set[str]) -> list[str]:
        """The methods to announce for a path whose routes have ``methods``."""
        announced = set(methods)
        if "GET" in announced:
            announced.add("HEAD")
        if self.cors:
            announced.add("OPTIONS")
        return _ordered(announced)

    def answer(self, scope: Scope) -> JSONResponse | _Empty | None:
        """The answer to send instead of the router's 405, or None to keep the one given."""
        takes, methods = _routes_of(self.fastapi, scope)
        if takes or not methods:
            return None
        allowed = self.allowed(methods)
        headers = {"Allow": ", ".join(allowed)}
        if self.cors and scope["method"] == "OPTIONS":
            return _Empty(headers)
        path = scope["path"]
        message = f"{scope['method']} is not allowed on {path}; allowed: {', '.join(allowed)}"
        body = error_body("method_not_allowed", message, 405, {"path": path, "allowed": allowed})
        return JSONResponse(body, status_code=405, headers=headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = dict(scope)  # as it came: the router writes its matches into the scope it is given
        replaced = False

        async def watch(message: Message) -> None:
            nonlocal replaced
            if replaced:  # the router's own 405 is dropped
                return
            if message["type"] == "http.response.start" and message["status"] == 405:
                answer = self.answer(request)
                if answer is not None:
                    replaced = True
                    await answer(request, receive, send)
                    return
            await send(message)

        await self.app(scope, receive, watch)


class _Empty:
    """204 with the given headers (an OPTIONS answer)."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": self.headers})
        await send({"type": "http.response.body", "body": b""})


def install_http_guards(app: FastAPI, max_url_bytes: int) -> None:
    """Add the guards to ``app``; call it after the app's other ``add_middleware`` calls. A second call does nothing.

    HEAD goes first (outermost), so that the GET it runs passes every layer
    (compression, security headers) and its headers are exactly GET's. The
    URL and Allow checks go last, next to the router, so that their answers
    still get the security and CORS headers and the per-client accounting.
    """
    if app.middleware_stack is not None:
        raise RuntimeError("install_http_guards must be called before the application starts")
    if _has_middleware(app, HeadAsGet):
        return
    app.add_middleware(HeadAsGet, routes_of=app)
    # appended: user_middleware runs first to last, and add_middleware always inserts at the front
    app.user_middleware.append(Middleware(UrlLength, max_url_bytes=max_url_bytes))
    app.user_middleware.append(Middleware(AllowedMethods, routes_of=app))


__all__ = [
    "DEFAULT_MAX_URL_BYTES",
    "AllowedMethods",
    "HeadAsGet",
    "UrlLength",
    "install_http_guards",
    "target_bytes",
    "uri_too_long_body",
]
