"""Fair shares of the service: who the client is, and what one client may use.

* ``client_address``: the peer address, or the address a trusted reverse
  proxy reports in ``X-Forwarded-For``.
* ``QueryBudget``: per client, how many ``/sparql`` queries may run at once
  and how many seconds of query time may be spent per minute (as the
  Wikidata Query Service does); beyond either, ``ClientLimitError`` (429)
  with the seconds to wait.
* ``RequestGuard``: an ASGI middleware that bounds, per client, the requests
  in progress (429) and, for every request, the time until its answer starts
  (503): a slow request never holds a client's place for long.
"""

from __future__ import annotations

import asyncio
import json
import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PENALTY, error_body
from graph.errors import ClientLimitError

WINDOW = 60.0
"""Seconds over which query time is counted."""

UNLIMITED_PATHS = ("/static/", "/health")
"""Paths that never touch the store and are not counted per client."""

# a 429 is held back PENALTY seconds: a client that retries at once cannot make refusals cost the others
# (an asyncio sleep holds no thread; the refused client's retries slow to one per connection per second)


def client_address(scope: Scope, trusted_proxies: frozenset[str]) -> str:
    """The client's address: the peer, or the last untrusted hop of X-Forwarded-For behind a trusted proxy."""
    peer = str((scope.get("client") or ("unknown", 0))[0])
    if peer not in trusted_proxies:
        return peer
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-for":
            hops = [str(hop).strip() for hop in bytes(value).decode("latin-1").split(",") if hop.strip()]
            for hop in reversed(hops):
                if hop not in trusted_proxies:
                    return hop
    return peer


class QueryBudget:
    """Per-client concurrency and query seconds per minute for the public endpoint."""

    def __init__(self, concurrency: int, seconds_per_minute: float) -> None:
        self.concurrency = concurrency
        self.seconds = seconds_per_minute
        self._lock = threading.Lock()
        self._running: dict[str, int] = defaultdict(int)
        self._spent: dict[str, deque[tuple[float, float]]] = defaultdict(deque)

    def _used(self, client: str, now: float) -> float:
        spent = self._spent[client]
        while spent and spent[0][0] < now - WINDOW:
            spent.popleft()
        return sum(duration for _end, duration in spent)

    def _wait_for(self, client: str, now: float) -> float:
        """Seconds until enough of the client's spent time leaves the window."""
        excess = self._used(client, now) - self.seconds
        for end, duration in self._spent[client]:
            excess -= duration
            if excess < 0:
                return max(1.0, end + WINDOW - now)
        return WINDOW

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of the client's query slots while the query runs, then book its time."""
        now = time.monotonic()
        with self._lock:
            if self._running[client] >= self.concurrency:
                raise ClientLimitError(
                    f"this client already has {self.concurrency} SPARQL quer"
                    f"{'y' if self.concurrency == 1 else 'ies'} running; wait for "
                    f"{'it' if self.concurrency == 1 else 'them'} to finish",
                    limit="concurrency",
                    maximum=self.concurrency,
                    retry_after=1,
                    setting="SKG_CLIENT_CONCURRENCY",
                )
            if self._used(client, now) >= self.seconds:
                wait = math.ceil(self._wait_for(client, now))
                raise ClientLimitError(
                    f"this client has used {self.seconds:g} s of query time in the last minute",
                    limit="query_seconds",
                    maximum=self.seconds,
                    retry_after=wait,
                    setting="SKG_CLIENT_QUERY_SECONDS",
                )
            self._running[client] += 1
        started = time.monotonic()
        try:
            yield
        finally:
            end = time.monotonic()
            with self._lock:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]
                self._spent[client].append((end, end - started))


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


class RequestGuard:
    """Per-client requests in progress, and a deadline until every answer starts."""

    def __init__(self, app: ASGIApp, *, per_client: int, timeout: float, trusted_proxies: frozenset[str]) -> None:
        self.app = app
        self.per_client = per_client
        self.timeout = timeout
        self.trusted_proxies = trusted_proxies
        self._in_progress: dict[str, int] = defaultdict(int)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith(UNLIMITED_PATHS):
            await self.app(scope, receive, send)
            return
        client = client_address(scope, self.trusted_proxies)
        scope.setdefault("state", {})["client"] = client
        if self._in_progress[client] >= self.per_client:
            await asyncio.sleep(PENALTY)
            await _send_json(
                send,
                429,
                error_body(
                    "too_many_requests",
                    f"this client already has {self.per_client} requests in progress",
                    429,
                    {"limit": "requests", "maximum": self.per_client, "setting": "SKG_CLIENT_REQUESTS"},
                ),
                {"Retry-After": "1"},
            )
            return
        self._in_progress[client] += 1
        try:
            await self._with_deadline(scope, receive, send)
        finally:
            self._in_progress[client] -= 1
            if not self._in_progress[client]:
                del self._in_progress[client]

    async def _with_deadline(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = asyncio.Event()
        timed_out = False

        async def guarded_send(message: Message) -> None:
            if timed_out:
                return
            if message["type"] == "http.response.start":
                started.set()
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        waiter = asyncio.ensure_future(started.wait())
        try:
            await asyncio.wait({task, waiter}, timeout=self.timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        if task.done() or started.is_set():
            await task  # the answer has started: it streams to the end without a deadline
            return
        timed_out = True
        task.cancel()
        # a request running in a thread finishes in the background; its own queries have a time limit
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        await _send_json(
            send,
            503,
            error_body(
                "request_timeout",
                f"the request took longer than {self.timeout:g} s",
                503,
                {"limit": "request_timeout", "seconds": self.timeout, "setting": "SKG_REQUEST_TIMEOUT"},
            ),
            {"Retry-After": "5"},
        )


__all__ = ["QueryBudget", "RequestGuard", "client_address"]
