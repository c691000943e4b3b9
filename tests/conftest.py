"""Shared fixtures, and the allowed reasons to skip.

Scope follows mutation: the bundled data are read-only, so one in-memory
service (``client``) and one live uvicorn server (``live_server``) serve the
whole session; anything that writes gets its own store.

With ``SKG_STRICT_SKIPS=1`` (``.ci/run`` sets it) the session fails when a test
skips for any reason but these (``ALLOWED_SKIPS``), each naming what the
machine lacks:

- no browser: Chromium, or the playwright package, is not installed;
- no Graphviz: the ``dot`` program is not installed;
- no schemas: the GEXF 1.3 RELAX NG schema or the GraphML XSD is not found;
- no source texts: ``../shared/sources`` (or ``SKG_SOURCES_DIR``) is absent,
  and only for ``tests/test_locator_index.py`` and ``tests/ingest/test_ingest.py``, the tests that read them;
- no network sandbox: libseccomp is not installed.

Any other skip (a dev dependency missing, say) is reported with its test id
and reason, and fails the run.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
    values: dict[str, object] = {
        "store": "memory",
        "workers": 1,
        "public_workers": 1,
        "query_timeout": 10.0,
        "allowed_hosts": ["testserver", "127.0.0.1", "localhost"],
        "client_requests": 64,
        "client_concurrency": 4,
    }
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


@contextmanager
def serving(env: dict[str, str], log_folder: Path, timeout: float = 60.0) -> Iterator[str]:
    """A real uvicorn process of the service with ``env`` on a free loopback port; yields its base URL, stops it by PID."""
    port = free_port()
    log = (log_folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=REPOSITORY,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_responds(base + "/queries", timeout=timeout)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn process serving the bundled data on a free loopback port; yields its base URL."""
    with serving({"SKG_STORE": "memory", "SKG_WORKERS": "2"}, tmp_path_factory.mktemp("live")) as base:
        yield base


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


ALLOWED_SKIPS: tuple[tuple[str, str], ...] = (
    # (pattern the skip reason must match, prefix the test id must have)
    (r"Chromium is not installed|playwright \(dev dependency\) drives the browser", ""),
    (r"Graphviz `dot` is not installed", ""),
    (r"GEXF 1\.3 RELAX NG schema not found|GraphML XSD not found", ""),
    (r"source texts not found", "tests/test_locator_index.py::"),
    (r"source texts not found", "tests/ingest/test_ingest.py::"),
    (r"libseccomp is not installed", ""),
    (r"Virtuoso \(Debian package virtuoso-opensource\) is not installed", "tests/graph/"),
)
_skips: list[tuple[str, str]] = []


def _skip_allowed(nodeid: str, reason: str) -> bool:
    return any(re.search(pattern, reason) and nodeid.startswith(prefix) for pattern, prefix in ALLOWED_SKIPS)


def _record_skip(report: pytest.CollectReport | pytest.TestReport) -> None:
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    reason = reason.removeprefix("Skipped: ")
    if not _skip_allowed(report.nodeid, reason):
        _skips.append((report.nodeid, reason))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _record_skip(report)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    _record_skip(report)


def pytest_sessionfinish(session: pytest.Session) -> None:
    quiet = session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    if os.environ.get("SKG_STRICT_SKIPS") == "1" and _skips and quiet:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if os.environ.get("SKG_STRICT_SKIPS") != "1" or not _skips:
        return
    terminalreporter.section("skips outside the allowed list (SKG_STRICT_SKIPS=1; see tests/conftest.py)", red=True)
    for nodeid, reason in _skips:
        terminalreporter.line(f"{nodeid}: {reason}")
