"""Serving on a public address: uvicorn on h11 with deadlines and bounds that uvicorn does not set itself.

* **Header deadline.** uvicorn times a connection out only while it is idle
  between requests (``timeout_keep_alive``), and its timer stops at the first
  byte: a client that connects and sends half a request line holds the
  connection for ever. ``GuardedH11Protocol`` gives the request line and
  headers ``header_timeout`` seconds from the connection or from the previous
  response; then it answers 408 (or, if nothing arrived, just closes).
* **Long heads get answers, not resets.** h11's default limit (16 KiB of
  request line and headers) and uvicorn's immediate close on the error made a
  1 MB URL a connection reset. Heads up to ``max_url_bytes`` plus 32 KiB of
  header fields are read (the app answers 414 over ``max_url_bytes``, see
  ``api.http_guards``); beyond that the server itself answers 414 (request line
  still incomplete) or 431 with the JSON error body, then closes gently: it
  half-closes and reads and discards what the client is still sending for up
  to ``LINGER_SECONDS``, so that the client reads the answer instead of
  losing it to a reset.
* **Connections are bounded.** Over ``max_connections`` open connections a new
  one is answered 503 at once and closed the same way. uvicorn's own
  ``limit_concurrency`` is not used: it counts the same connections but
  answers only once a request head has been read and buffered, in plain text.
  The bound is kept below the process's file-descriptor limit, so that the
  store and the query workers always have descriptors left.
* WebSocket is off (the API has none) and uvicorn's proxy headers are off:
  ``SKG_TRUSTED_PROXIES`` alone decides whom ``X-Forwarded-For`` is believed from.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from dataclasses import dataclass
from typing import Any, ClassVar

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import STATUS_PHRASES, H11Protocol

from api.errors import error_body
from api.http_guards import DEFAULT_MAX_URL_BYTES, uri_too_long_body
from api.settings import Settings

log = logging.getLogger("solidarity_kg")

HEADER_FIELD_BYTES = 32 * 1024
"""Room for the header fields beside the request target (nginx's default header buffers are 4 x 8 KiB)."""
LINGER_SECONDS = 2.0
"""How long a refused connection stays open to read what the client is still sending."""
LINGER_BYTES = 4 * 1024 * 1024
"""Most bytes read and dropped from a refused connection; a client sending more is cut off."""
FD_RESERVE = 128
"""File descriptors kept free for the store, the query workers' pipes and the logs."""


@dataclass(frozen=True)
class ServerLimits:
    """The connection-level limits of the server."""

    header_timeout: float = 10.0
    keep_alive: int = 5
    max_url_bytes: int = DEFAULT_MAX_URL_BYTES
    max_connections: int = 1000

    @property
    def head_bytes(self) -> int:
        """Most bytes of request line and headers read before the server answers 414 or 431 itself.

        h11 checks it while a head is incomplete, so a head completed by one
        socket read (at most 256 KiB) may exceed it by that much; the app's 414
        check is exact.
        """
        return self.max_url_bytes + HEADER_FIELD_BYTES

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> ServerLimits:
        """The limits the settings name, then ``overrides``."""
        limits = cls(
            header_timeout=settings.header_timeout,
            keep_alive=settings.keep_alive_timeout,
            max_url_bytes=settings.max_url_bytes,
            max_connections=settings.max_connections,
        )
        return dataclasses.replace(limits, **overrides)


def _json_answer(status: int, body: dict[str, Any], extra: list[tuple[bytes, bytes]]) -> tuple[h11.Response, bytes]:
    payload = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),
        *extra,
    ]
    return h11.Response(status_code=status, headers=headers, reason=STATUS_PHRASES[status]), payload


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline, answers instead of resets, and a connection bound."""

    limits: ClassVar[ServerLimits] = ServerLimits()
    _refusal_logged: ClassVar[float] = 0.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._linger_timer: asyncio.TimerHandle | None = None
        self._lingering = False
        self._linger_left = LINGER_BYTES

    # the head deadline: armed on connection and after each response, stopped when a request head is complete

    def _arm_head_timer(self) -> None:
        self._stop_head_timer()
        self._head_timer = self.loop.call_later(self.limits.header_timeout, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self._lingering:
            return
        if self.cycle is not None and not self.cycle.response_complete:  # a request is being answered
            return
        if self.conn.trailing_data[0]:
            timeout = self.limits.header_timeout
            body = error_body(
                "request_timeout",
                f"the request line and headers did not arrive within {timeout:g} s",
                408,
                {"limit": timeout, "setting": "SKG_HEADER_TIMEOUT"},
            )
            self._refuse(408, body)
            return
        self._close()

    def _close(self) -> None:
        try:
            self.conn.send(h11.ConnectionClosed())
        except h11.LocalProtocolError:
            pass  # the state machine is already past it; the socket still closes
        self.transport.close()

    # refusing: one JSON answer, a half-close, then reading and dropping what still comes

    def _refuse(self, status: int, body: dict[str, Any], extra: list[tuple[bytes, bytes]] | None = None) -> None:
        response, payload = _json_answer(status, body, [*self.server_state.default_headers, *(extra or [])])
        try:
            output = self.conn.send(response) + self.conn.send(h11.Data(data=payload)) + self.conn.send(h11.EndOfMessage())
        except h11.LocalProtocolError:  # a response had already begun: nothing clean can follow it
            self.transport.close()
            return
        self.transport.write(output)
        self._stop_head_timer()
        self._unset_keepalive_if_required()
        self._lingering = True
        if self.transport.can_write_eof():
            self.transport.write_eof()  # the client sees the answer, then end of stream, while still sending
        self.flow.resume_reading()
        self._linger_timer = self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def send_400_response(self, msg: str) -> None:
        """uvicorn calls this when h11 rejects the request; a head over the size limit is named as such."""
        buffered = self.conn.trailing_data[0]
        if len(buffered) > self.limits.head_bytes:
            line_end = buffered.find(b"\n")
            if line_end < 0 or line_end > self.limits.max_url_bytes:
                self._refuse(414, uri_too_long_body(self.limits.max_url_bytes))
            else:
                limit = self.limits.head_bytes
                self._refuse(
                    431,
                    error_body("headers_too_large", f"the request's header fields exceed {limit} bytes", 431, {"limit": limit}),
                )
            return
        self._refuse(400, error_body("bad_request", "the request is not valid HTTP/1.1", 400))

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            if self.loop.time() - GuardedH11Protocol._refusal_logged > 10:  # once per 10 s, not once per connection
                GuardedH11Protocol._refusal_logged = self.loop.time()
                log.warning("%d connections open: new ones are refused with 503", len(self.connections) - 1)
            self._refuse(
                503,
                error_body(
                    "too_many_connections",
                    "the server has too many open connections; retry soon",
                    503,
                    {"limit": self.limits.max_connections, "setting": "SKG_MAX_CONNECTIONS", "retry_after": 1},
                ),
                [(b"retry-after", b"1")],
            )
            return
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            self._linger_left -= len(data)
            if self._linger_left < 0:
                self.transport.close()
            return
        cycle = self.cycle
        super().data_received(data)
        if self.cycle is not cycle:  # a request head was completed
            self._stop_head_timer()

    def on_response_complete(self) -> None:
        cycle = self.cycle
        super().on_response_complete()
        if self.transport.is_closing() or self._lingering:
            return
        if self.cycle is cycle:  # no pipelined request started: the next head is on the clock
            self._arm_head_timer()
        else:
            self._stop_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        if self._linger_timer is not None:
            self._linger_timer.cancel()
            self._linger_timer = None
        super().connection_lost(exc)

    def shutdown(self) -> None:
        if self._lingering:
            self.transport.close()
            return
        super().shutdown()


def protocol_class(limits: ServerLimits) -> type[GuardedH11Protocol]:
    """A protocol class with these limits (uvicorn makes one instance per connection, from the class)."""

    class Configured(GuardedH11Protocol):
        pass

    Configured.limits = limits
    return Configured


def _within_descriptors(wanted: int) -> int:
    try:
        import resource
    except ImportError:  # not on Windows
        return wanted
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or wanted <= soft - FD_RESERVE:
        return wanted
    bounded = max(1, soft - FD_RESERVE)
    log.warning("max_connections %d lowered to %d: the process may open %d files", wanted, bounded, soft)
    return bounded


def build_config(
    app: ASGIApp, *, host: str, port: int, log_level: str = "info", limits: ServerLimits | None = None
) -> uvicorn.Config:
    """The uvicorn configuration: h11 with ``GuardedH11Protocol`` and the given limits."""
    limits = limits or ServerLimits()
    limits = dataclasses.replace(limits, max_connections=_within_descriptors(limits.max_connections))
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        http=protocol_class(limits),
        ws="none",
        proxy_headers=False,
        timeout_keep_alive=limits.keep_alive,
        h11_max_incomplete_event_size=limits.head_bytes,
    )


def run_server(app: ASGIApp, *, host: str, port: int, log_level: str = "info", limits: ServerLimits | None = None) -> bool:
    """Serve until stopped (SIGINT or SIGTERM); False if the server could not start."""
    server = uvicorn.Server(build_config(app, host=host, port=port, log_level=log_level, limits=limits))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    return server.started


__all__ = ["GuardedH11Protocol", "ServerLimits", "build_config", "protocol_class", "run_server"]
