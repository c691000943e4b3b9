"""Security headers on every response, and only trusted Host headers.

``WebSecurity`` is a pure ASGI middleware:

* a request whose Host is not ours gets 400: with ``SKG_BASE_URL`` set, its
  host is the only one accepted, and the request's scheme, host and root path
  are rewritten to the base URL's, so that every absolute URL the service
  writes (service description, ``next`` links, view URLs) comes from the
  setting, never from the request;
* every response carries a strict Content-Security-Policy (no inline script,
  no framing), ``X-Content-Type-Options``, ``X-Frame-Options`` and a
  ``Referrer-Policy``.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from api.pages import YASGUI_STYLE_HASHES
from api.routes.docs import REDOC_STYLE_HASHES

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; "
    f"style-src 'self' {' '.join(YASGUI_STYLE_HASHES + REDOC_STYLE_HASHES)}; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
"""Scripts only from our own files, no inline script, no eval. Styles from our files, plus the few fixed
``<style>`` texts the vendored query editor and ReDoc insert, by hash (no ``'unsafe-inline'``)."""

HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _host_name(host: str) -> str:
    """The host part of a Host header (port removed, IPv6 brackets kept).

    >>> _host_name("[::1]:8000"), _host_name("example.org:80"), _host_name("localhost")
    ('[::1]', 'example.org', 'localhost')
    """
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class WebSecurity:
    """Host check (or base-URL rewrite) and security headers."""

    def __init__(self, app: ASGIApp, *, base_url: str | None, allowed_hosts: list[str]) -> None:
        self.app = app
        self.base = urlsplit(base_url) if base_url else None
        hosts = [self.base.hostname or ""] if self.base else allowed_hosts
        self.allowed = {h.lower() for h in hosts} | {f"[{h.lower()}]" for h in hosts if ":" in h}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        if "*" not in self.allowed and _host_name(host.strip().lower()) not in self.allowed:
            body = json.dumps(
                error_body(
                    "invalid_host", "the Host header names a host this service does not answer for", 400, {"header": "Host"}
                )
            ).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *HEADERS],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        if self.base is not None:
            scope = self._rebased(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _v in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)

    def _rebased(self, scope: Scope) -> Scope:
        assert self.base is not None  # noqa: S101 - checked by the caller
        port = self.base.port or (443 if self.base.scheme == "https" else 80)
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"host"]
        headers.append((b"host", self.base.netloc.encode()))
        return {
            **scope,
            "scheme": self.base.scheme,
            "server": (self.base.hostname, port),
            "root_path": self.base.path.rstrip("/"),
            "headers": headers,
        }


__all__ = ["CONTENT_SECURITY_POLICY", "HEADERS", "WebSecurity"]
