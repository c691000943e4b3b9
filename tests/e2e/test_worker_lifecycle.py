"""Query workers die with the server: no orphan keeps a core busy after ``kill -9``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from api.settings import REPOSITORY
from tests.conftest import free_port, wait_until_responds

pytestmark = pytest.mark.server

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_no_worker_outlives_a_killed_server(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SKG_STORE": "memory",
        "SKG_WORKERS": "1",
        "SKG_PUBLIC_WORKERS": "1",
        "SKG_QUERY_TIMEOUT": "60",
        "SKG_REQUEST_TIMEOUT": "90",
    }
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=REPOSITORY,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_responds(base + "/health")
        workers = _children(server.pid)
        assert len(workers) == 2

        def slow() -> None:
            try:
                httpx.get(base + "/sparql", params={"query": SLOW}, timeout=70)
            except httpx.TransportError:
                pass

        threading.Thread(target=slow, daemon=True).start()
        time.sleep(1.0)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if server.poll() is None:
            server.kill()
