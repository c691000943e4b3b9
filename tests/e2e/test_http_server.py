"""Hostile HTTP against a real uvicorn process run by ``api.server``, over raw sockets on a loopback port.

The server runs with short limits (header deadline 2 s, keep-alive 1 s, 60
connections) so that each deadline is measured in a few seconds.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from api.http_guards import uri_too_long_body
from api.settings import REPOSITORY
from tests.conftest import free_port, memory_settings, wait_until_responds

pytestmark = pytest.mark.server

HEADER_TIMEOUT = 2.0
KEEP_ALIVE = 1
MAX_CONNECTIONS = 60
MAX_URL_BYTES = memory_settings().max_url_bytes

LAUNCH = """
import sys
from api.app import create_app
from api.http_guards import install_http_guards
from api.server import ServerLimits, run_server
from tests.conftest import memory_settings

settings = memory_settings()
app = create_app(settings)
install_http_guards(app, settings.max_url_bytes)
limits = ServerLimits.from_settings(settings, header_timeout=float(sys.argv[2]), keep_alive=int(sys.argv[3]),
                                    max_connections=int(sys.argv[4]))
raise SystemExit(0 if run_server(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", limits=limits) else 1)
"""


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A server with the short limits on a free port; stopped by its PID."""
    chosen = free_port()
    log = (tmp_path_factory.mktemp("http_server") / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, str(chosen), str(HEADER_TIMEOUT), str(KEEP_ALIVE), str(MAX_CONNECTIONS)],
        cwd=REPOSITORY,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_responds(f"http://127.0.0.1:{chosen}/health")
        yield chosen
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def _request(method: str, target: str) -> bytes:
    return f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


def _until_closed(sock: socket.socket, timeout: float = 10.0) -> bytes:
    """Everything the server sends until it closes; fails if it does not close within ``timeout``."""
    sock.settimeout(timeout)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One response (framed by Content-Length) from a connection that stays open."""
    sock.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed before the headers: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, headers = _parse_head(head)
    while len(body) < int(headers.get("content-length", "0")):
        chunk = sock.recv(65536)
        assert chunk, "closed before the body"
        body += chunk
    return status, headers, body


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers


def _parse(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status, headers = _parse_head(head)
    return status, headers, body


def _closed_at(socks: list[socket.socket], deadline: float) -> dict[socket.socket, tuple[float, bytes]]:
    """When each socket was closed by the server (EOF or reset), and what it sent before, until ``deadline``."""
    selector = selectors.DefaultSelector()
    for sock in socks:
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, sock)
    closed: dict[socket.socket, tuple[float, bytes]] = {}
    received: dict[socket.socket, bytes] = {sock: b"" for sock in socks}
    while len(closed) < len(socks) and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.1):
            ready: socket.socket = key.data
            try:
                chunk = ready.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if chunk:
                received[ready] += chunk
            else:
                closed[ready] = (time.monotonic(), received[ready])
                selector.unregister(ready)
    selector.close()
    return closed


def test_half_open_connections_are_closed_after_the_header_timeout(port: int) -> None:
    socks = []
    started = time.monotonic()
    for _ in range(50):
        sock = _connect(port)
        sock.sendall(b"GET /health HT")  # half a request line, never finished
        socks.append(sock)
    try:
        closed = _closed_at(socks, started + HEADER_TIMEOUT + 2)
        assert len(closed) == 50, f"{50 - len(closed)} of 50 half-open connections still open after {HEADER_TIMEOUT + 2} s"
        seconds = sorted(at - started for at, _ in closed.values())
        assert seconds[0] >= HEADER_TIMEOUT - 0.1, seconds
        assert seconds[-1] <= HEADER_TIMEOUT + 2, seconds
        for _, raw in closed.values():
            status, headers, body = _parse(raw)
            assert status == 408 and headers["connection"] == "close"
            assert json.loads(body)["error"] == "request_timeout"
    finally:
        for sock in socks:
            sock.close()
    assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200


def test_a_head_trickled_after_a_response_is_cut_at_the_header_timeout(port: int) -> None:
    # uvicorn's keep-alive timer stops at the first byte; the header deadline does not
    with _connect(port) as sock:
        sock.sendall(_request("GET", "/health"))
        assert _read_response(sock)[0] == 200
        answered = time.monotonic()
        sock.settimeout(0.25)
        closed_after = None
        for byte in b"GET /health HTTP/1.1\r\nX-Slow: " + b"a" * 100:
            try:
                sock.sendall(bytes([byte]))
                if sock.recv(65536) == b"":
                    closed_after = time.monotonic() - answered
                    break
            except TimeoutError:
                continue
            except (ConnectionResetError, BrokenPipeError):
                closed_after = time.monotonic() - answered
                break
        assert closed_after is not None, "a trickled head kept the connection open"
        assert HEADER_TIMEOUT - 0.1 <= closed_after <= HEADER_TIMEOUT + 1, closed_after


def test_a_1_mb_url_gets_414_with_the_json_body_not_a_reset(port: int) -> None:
    with _connect(port) as sock:
        sock.sendall(_request("GET", "/sparql?query=" + "a" * 1_000_000))  # raises if the server resets
        status, headers, body = _parse(_until_closed(sock))
    assert status == 414 and headers["content-type"] == "application/json" and headers["connection"] == "close"
    assert json.loads(body) == uri_too_long_body(MAX_URL_BYTES)
    assert json.loads(body)["where"] == {"limit": MAX_URL_BYTES, "setting": "SKG_MAX_URL_BYTES"}


def test_oversized_header_fields_get_431_and_garbage_gets_400_as_json(port: int) -> None:
    # a short target but 1 MB of header fields (h11 checks the size of a head still incomplete, so the bound
    # holds to within one socket read of 256 KiB)
    cookie = "c=" + "x" * 1_000_000
    with _connect(port) as sock:
        sock.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n".encode())
        status, _headers, body = _parse(_until_closed(sock))
    assert status == 431 and json.loads(body)["error"] == "headers_too_large"
    with _connect(port) as sock:
        sock.sendall(b"GET /h\xe9alth HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # not ASCII: not a valid request target
        status, _headers, body = _parse(_until_closed(sock))
    assert status == 400 and json.loads(body)["error"] == "bad_request"


def test_the_url_limit_is_exact_and_its_414_keeps_the_connection(port: int) -> None:
    prefix = "/health?pad="
    with _connect(port) as sock:
        sock.sendall(_request("GET", prefix + "a" * (MAX_URL_BYTES - len(prefix))))
        assert _read_response(sock)[0] == 200
        sock.sendall(_request("GET", prefix + "a" * (MAX_URL_BYTES - len(prefix) + 1)))
        status, _headers, body = _read_response(sock)
        assert status == 414 and json.loads(body) == uri_too_long_body(MAX_URL_BYTES)
        sock.sendall(_request("GET", "/health"))
        assert _read_response(sock)[0] == 200


def test_head_answers_the_get_headers_without_a_body(port: int) -> None:
    for path in ("/health", "/"):
        with _connect(port) as sock:
            sock.sendall(_request("GET", path))
            get_status, get_headers, get_body = _read_response(sock)
            assert get_status == 200 and int(get_headers["content-length"]) == len(get_body) > 0
            sock.sendall(_request("HEAD", path))
            sock.settimeout(10)
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            head, _, extra = data.partition(b"\r\n\r\n")
            status, headers = _parse_head(head)
            assert status == 200, head
            assert headers["content-length"] == get_headers["content-length"]
            assert headers["content-type"] == get_headers["content-type"]
            sock.settimeout(0.3)
            with pytest.raises(TimeoutError):
                extra += sock.recv(65536)
            assert extra == b"", "HEAD sent body bytes"
            sock.sendall(_request("GET", path))  # the connection is still in step: the next answer starts cleanly
            assert _read_response(sock)[0] == 200


def test_405_names_every_method_of_the_path(port: int) -> None:
    with _connect(port) as sock:
        sock.sendall(_request("PUT", "/sparql"))
        status, headers, body = _read_response(sock)
    assert status == 405
    allowed = [m.strip() for m in headers["allow"].split(",")]
    assert {"GET", "HEAD", "POST"} <= set(allowed) and "PUT" not in allowed
    assert json.loads(body)["where"] == {"path": "/sparql", "allowed": allowed}


def test_an_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout(port: int) -> None:
    with _connect(port) as sock:
        sock.sendall(_request("GET", "/health"))
        assert _read_response(sock)[0] == 200
        answered = time.monotonic()
        rest = _until_closed(sock, timeout=KEEP_ALIVE + 3)
        idle = time.monotonic() - answered
    assert rest == b"", "an idle connection is closed without an answer"
    assert KEEP_ALIVE - 0.1 <= idle <= KEEP_ALIVE + 0.75, idle


def test_connections_over_the_limit_get_503_and_the_server_recovers(port: int) -> None:
    held = [_connect(port) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.3)  # let the server accept them all
        with _connect(port) as extra:
            extra.sendall(_request("GET", "/health"))
            status, headers, body = _parse(_until_closed(extra))
        assert status == 503 and headers["retry-after"] == "1"
        assert json.loads(body)["error"] == "too_many_connections"
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.5)
    assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
