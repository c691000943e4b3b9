"""Answers that cannot change while the service runs: a strong ETag, 304 on revalidation, a bounded cache.

The data do not change while a store serves, so a GET's answer is fixed by
the data version, the code and settings that produced it (the *fingerprint*)
and the request itself (path, query string, ``Accept``, whether gzip is
accepted, the host the links are written for). ``AnswerCache`` is a pure
ASGI middleware that

* derives the ETag from those before anything runs, so ``If-None-Match``
  is answered 304 without touching the store;
* keeps complete 200 answers in ``Answers``, an in-memory LRU bounded in
  bytes (``SKG_ANSWER_CACHE_MB``), and serves repeats from it (``X-Cache:
  hit``; a computed answer says ``miss``);
* keeps the answers too big for memory as files beside the store
  (``api/answer_files.py``, ``SKG_ANSWER_FILES_MB``), streamed again in
  constant memory, so that a large export is computed once per data
  version rather than once per request or process;
* lets identical requests that arrive while one is being computed wait for
  it instead of computing it again.

A request with ``Cache-Control: no-cache`` gets a freshly computed answer
(that is how ``bench/`` measures cold figures).

Only GET is cached: POST (SPARQL by form or body) and errors pass through,
and so do the static files (which carry their own validators) and
``/health``.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.answer_files import AnswerFiles, AnswerWriter, StoredAnswer

BYPASS = ("/static/", "/health", "/ingest")
"""Paths whose answers are not fixed by the data (or carry validators of their own)."""

MAX_TAGS = 64
"""Entity tags read from one If-None-Match header; the rest are ignored."""

CODE_SUFFIXES = (".py", ".html", ".rq", ".json", ".yaml")


@lru_cache(maxsize=8)
def code_fingerprint(folders: tuple[Path, ...]) -> str:
    """A digest of the files that shape answers (code, templates, queries), read once at start-up."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.suffix in CODE_SUFFIXES and "static" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Answer:
    """A complete 200 answer: its response headers and body."""

    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    @property
    def cost(self) -> int:
        """The bytes it holds: body and headers."""
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


class Answers:
    """Complete answers by request key, least recently used dropped first, at most ``max_bytes`` in all."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entry_bytes = max_bytes // 8
        """One answer takes at most an eighth of the cache, so that one big view cannot empty it."""
        self._entries: OrderedDict[str, Answer] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Answer | None:
        answer = self._entries.get(key)
        if answer is not None:
            self._entries.move_to_end(key)
        return answer

    def put(self, key: str, answer: Answer) -> None:
        if answer.cost > self.entry_bytes or key in self._entries:
            return
        self._entries[key] = answer
        self.size += answer.cost
        while self.size > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.size -= dropped.cost

    def stats(self) -> dict[str, int]:
        """What ``/health`` reports: entries, bytes, limit, hits and misses since start."""
        return {
            "entries": len(self._entries),
            "bytes": self.size,
            "max_bytes": self.max_bytes,
            "hits": self.hits,
            "misses": self.misses,
        }


def request_key(scope: Scope, headers: Headers, fingerprint: str, version: str) -> str:
    """The digest of everything a GET's answer depends on."""
    parts = [
        fingerprint,
        version,
        scope.get("scheme", "http"),
        headers.get("host", ""),
        scope.get("root_path", ""),
        scope.get("path", ""),
        scope.get("query_string", b"").decode("latin-1"),
        headers.get("accept", ""),
        "gzip" if "gzip" in headers.get("accept-encoding", "").lower() else "",
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 asks for this header)."""
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",", MAX_TAGS)[:MAX_TAGS]]
    return any(tag.removeprefix("W/") == etag for tag in tags)


def _wants_fresh(headers: Headers) -> bool:
    """``Cache-Control: no-cache`` (or ``Pragma: no-cache``) on a request: compute the answer again (RFC 9111)."""
    directives = headers.get("cache-control", "").lower() + "," + headers.get("pragma", "").lower()
    return any(part.strip() in ("no-cache", "max-age=0") for part in directives.split(","))


def _cacheable(message: Message) -> bool:
    if message["status"] != 200:
        return False
    for name, value in message.get("headers", []):
        if name.lower() == b"cache-control" and b"no-store" in value.lower():
            return False
    return True


VARY = (b"accept", b"accept-encoding")
"""The request headers an answer depends on (besides the URL), as ``Vary`` says to shared caches."""


def _with_validators(headers: Iterable[tuple[bytes, bytes]], etag: str, cache: bytes) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() not in (b"etag", b"x-cache", b"vary")]
    varies = [v.strip().lower() for k, v in headers if k.lower() == b"vary" for v in v.split(b",")]
    if not any(k.lower() == b"cache-control" for k, _ in kept):
        kept.append((b"cache-control", b"no-cache"))
    vary = b", ".join(dict.fromkeys([*varies, *VARY]))
    return [*kept, (b"vary", vary), (b"etag", etag.encode()), (b"x-cache", cache)]


class AnswerCache:
    """ETag, 304 and the answer cache for GET requests (see the module's docstring)."""

    def __init__(self, app: ASGIApp, *, answers: Answers, fingerprint: str, files: AnswerFiles | None = None) -> None:
        self.app = app
        self.answers = answers
        self.fingerprint = fingerprint
        self.files = files
        self._pending: dict[str, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or str(scope.get("path", "")).startswith(BYPASS):
            await self.app(scope, receive, send)
            return
        runtime = getattr(getattr(scope.get("app"), "state", None), "runtime", None)
        version = getattr(runtime, "data_version", "")
        if not version:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = request_key(scope, headers, self.fingerprint, version)
        etag = f'"{key[:32]}"'
        if matches(headers.get("if-none-match"), etag):
            validators = _with_validators([], etag, b"revalidated")
            await send({"type": "http.response.start", "status": 304, "headers": validators})
            await send({"type": "http.response.body", "body": b""})
            return
        fresh = _wants_fresh(headers)
        if self._keeps and key in self._pending and not fresh:
            await self._pending[key].wait()
        answer = self.answers.get(key) if self.answers.max_bytes and not fresh else None
        if answer is not None:
            self.answers.hits += 1
            await send({"type": "http.response.start", "status": 200, "headers": list(answer.headers)})
            await send({"type": "http.response.body", "body": answer.body})
            return
        stored = self.files.find(key) if self.files is not None and not fresh else None
        if stored is not None:
            await _send_stored(stored, send)
            return
        self.answers.misses += 1
        await self._compute(scope, receive, send, key, etag)

    @property
    def _keeps(self) -> bool:
        return bool(self.answers.max_bytes) or self.files is not None

    async def _compute(self, scope: Scope, receive: Receive, send: Send, key: str, etag: str) -> None:
        done = self._pending.setdefault(key, asyncio.Event()) if self._keeps else None
        headers: list[tuple[bytes, bytes]] | None = None
        kept = _Keeping(self.answers, self.files, key)

        async def capture(message: Message) -> None:
            nonlocal headers
            if message["type"] == "http.response.start" and _cacheable(message):
                headers = _with_validators(message.get("headers", []), etag, b"miss")
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and headers is not None and done is not None:
                await kept.add(message.get("body", b""))
                if not message.get("more_body", False):
                    await kept.finish([(k, b"hit" if k == b"x-cache" else v) for k, v in headers])
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            kept.abort()
            if done is not None and self._pending.get(key) is done:
                del self._pending[key]
                done.set()


class _Keeping:
    """The body of one computed answer as it is sent: in memory while it fits the memory tier's entry bound,
    then in a file of the disk tier (if there is one), else not kept."""

    def __init__(self, answers: Answers, files: AnswerFiles | None, key: str) -> None:
        self.answers, self.files, self.key = answers, files, key
        self.chunks: list[bytes] = []
        self.size = 0
        self.writer: AnswerWriter | None = None

    async def add(self, body: bytes) -> None:
        self.size += len(body)
        if self.size <= self.answers.entry_bytes:
            self.chunks.append(body)
        elif self.files is not None:
            if self.writer is None:  # too big for memory: what came so far, then the rest, go to a file
                self.writer = await anyio.to_thread.run_sync(self.files.writer, self.key)
                body, self.chunks = b"".join(self.chunks) + body, []
            await anyio.to_thread.run_sync(self.writer.write, body)

    async def finish(self, headers: list[tuple[bytes, bytes]]) -> None:
        if self.writer is not None:
            await anyio.to_thread.run_sync(self.writer.commit, headers)
            self.writer = None
        elif self.size <= self.answers.entry_bytes:
            self.answers.put(self.key, Answer(tuple(headers), b"".join(self.chunks)))

    def abort(self) -> None:
        """An answer that did not end (an error, a client gone): nothing of it is kept."""
        if self.writer is not None:
            self.writer.abort()
            self.writer = None


async def _send_stored(stored: StoredAnswer, send: Send) -> None:
    """Stream an answer kept on disk, a piece at a time, read off the event loop."""
    try:
        await send({"type": "http.response.start", "status": 200, "headers": stored.headers})
        piece = await anyio.to_thread.run_sync(stored.read)
        while True:
            following = await anyio.to_thread.run_sync(stored.read) if piece else b""
            await send({"type": "http.response.body", "body": piece, "more_body": bool(following)})
            if not following:
                break
            piece = following
    finally:
        stored.close()


__all__ = ["AnswerCache", "Answers", "code_fingerprint", "matches", "request_key"]
