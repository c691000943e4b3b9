"""Shared fixtures.

Scope follows mutation: the bundled data are read-only, so one in-memory
service (``client``) and one live uvicorn server (``live_server``) serve the
whole session; anything that writes gets its own store.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import REPOSITORY, Settings

SHARED = REPOSITORY.parent / "shared"
SOURCES = Path(os.environ.get("SKG_SOURCES_DIR", SHARED / "sources"))


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_responds(url: str, timeout: float = 60.0) -> None:
    """Poll a URL until it answers (any status) or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not respond within {timeout} s")


def memory_settings(**overrides: object) -> Settings:
    """Settings for an in-memory store with the bundled data (one query worker per lane).

    The per-client limits are raised: every test request comes from the same address.
    """
    values: dict[str, object] = {"store": "memory", "workers": 1, "public_workers": 1, "query_timeout": 10.0,
                                 "allowed_hosts": ["testserver", "127.0.0.1", "localhost"], "client_requests": 64,
                                 "client_concurrency": 4}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Settings of the shared read-only service."""
    return memory_settings(workers=2)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    """An in-process client of the service on the bundled data (read-only, shared)."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn process serving the bundled data on a free loopback port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "SKG_STORE": "memory", "SKG_WORKERS": "2"}
    log = (tmp_path_factory.mktemp("live") / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=REPOSITORY, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_responds(base + "/queries")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, object]:
    """Check the one JSON error body and return it."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message", "where", "status"}, body
    assert body["status"] == status
    assert body["message"]
    if code is not None:
        assert body["error"] == code, body
    return body  # type: ignore[no-any-return]
