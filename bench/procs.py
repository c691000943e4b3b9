"""Child processes of the benchmark: start, wait until ready, measure memory, stop by PID.

Every process the benchmark starts is registered here and stopped by its PID
(and its descendants' PIDs, read from ``/proc``) when the benchmark ends, even
on an error or Ctrl-C. Memory is read from ``/proc/<pid>/status``: ``VmHWM``
is the peak resident set of a process, summed over the process tree.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import httpx

_RUNNING: dict[int, subprocess.Popen[bytes]] = {}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def descendants(pid: int) -> list[int]:
    """PIDs of every descendant of a process (children first), from /proc."""
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        task_dir = Path(f"/proc/{current}/task")
        try:
            tasks = list(task_dir.iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in children:
                child_pid = int(child)
                if child_pid not in found:
                    found.append(child_pid)
                    stack.append(child_pid)
    return found


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory_kib(pid: int) -> dict[str, int]:
    """Peak (VmHWM) and current (VmRSS) resident memory of a process tree, in KiB."""
    pids = [pid, *descendants(pid)]
    return {
        "peak_kib": sum(_status_kib(p, "VmHWM") for p in pids),
        "rss_kib": sum(_status_kib(p, "VmRSS") for p in pids),
        "processes": len(pids),
    }


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by a process and its live descendants."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for p in [pid, *descendants(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return total


def wait_quiet(pid: int, min_wait: float, timeout: float, window: float = 2.0, threshold: float = 0.1) -> float:
    """Wait until a process tree uses under ``threshold`` CPU seconds per ``window``; return the seconds waited.

    Used after the service starts: it builds caches in the background, which
    would otherwise compete with the first measurements.
    """
    started = time.perf_counter()
    samples = [(started, tree_cpu_seconds(pid))]
    while time.perf_counter() - started < timeout:
        time.sleep(0.5)
        now = time.perf_counter()
        samples.append((now, tree_cpu_seconds(pid)))
        old = next((c for t, c in samples if now - t <= window), samples[0][1])
        if now - started >= min_wait and now - samples[0][0] >= window and samples[-1][1] - old < threshold:
            return now - started
    return time.perf_counter() - started


def start(
    argv: Sequence[str],
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdin: int | None = None,
    stdout: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start and register a child; its output goes to ``log`` unless a pipe is asked for."""
    log.parent.mkdir(parents=True, exist_ok=True)
    handle = log.open("ab")
    process = subprocess.Popen(
        list(argv),
        stdin=stdin,
        stdout=stdout if stdout is not None else handle,
        stderr=handle,
        env=dict(env) if env is not None else None,
        cwd=cwd,
    )
    handle.close()
    _RUNNING[process.pid] = process
    return process


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Stop a child and every descendant, by PID: SIGTERM, then SIGKILL after ``grace`` seconds."""
    family = descendants(process.pid)
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            process.wait(timeout=grace)
    for pid in family:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    _RUNNING.pop(process.pid, None)


def stop_all() -> None:
    """Stop every child still registered (called at exit)."""
    for process in list(_RUNNING.values()):
        with contextlib.suppress(Exception):
            stop(process, grace=5.0)


atexit.register(stop_all)


def wait_http(
    url: str,
    process: subprocess.Popen[bytes],
    timeout: float,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    interval: float = 0.01,
) -> float:
    """Poll ``url`` until it answers 200; return the seconds since the call (raise if it never does)."""
    started = time.perf_counter()
    deadline = started + timeout
    with httpx.Client(timeout=5.0) as client:
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{' '.join(map(str, process.args))} exited with {process.returncode}")  # type: ignore[arg-type]
            try:
                if client.get(url, params=params, headers=headers).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(interval)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def service_argv(python: str, port: int) -> list[str]:
    """The command that serves the API on 127.0.0.1:``port`` (run from the repository)."""
    return [python, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]


def service_env(**settings: str) -> dict[str, str]:
    """This process's environment without its ``SKG_*`` settings, plus ``settings`` (``SKG_…`` names)."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("SKG_")}, **settings}


def timed_start(
    argv: Sequence[str],
    log: Path,
    url: str,
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], float]:
    """Start a server and time spawn to first 200 answer."""
    started = time.perf_counter()
    process = start(argv, log, env=env, cwd=cwd)
    try:
        wait_http(url, process, timeout, params=params, headers=headers)
    except BaseException:
        stop(process)
        raise
    return process, time.perf_counter() - started


def run_timed(
    argv: Sequence[str], log: Path, env: Mapping[str, str] | None = None, cwd: Path | None = None, timeout: float = 3600.0
) -> tuple[float, int]:
    """Run a command to completion; return (seconds, peak RSS KiB of it and its waited-for children)."""
    started = time.perf_counter()
    process = start(argv, log, env=env, cwd=cwd)
    deadline = started + timeout
    try:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{argv[0]} ran longer than {timeout} s")
            time.sleep(0.01)
    finally:
        if process.returncode is None:
            stop(process)
        _RUNNING.pop(process.pid, None)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed with exit code {process.returncode}; see {log}")
    return time.perf_counter() - started, int(usage.ru_maxrss)


def install_signal_handlers(cleanup: Callable[[], None] = stop_all) -> None:
    """Turn SIGTERM into SystemExit so that ``finally`` blocks and atexit run."""

    def handler(signum: int, _frame: object) -> None:
        cleanup()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


__all__ = [
    "descendants",
    "free_port",
    "install_signal_handlers",
    "run_timed",
    "start",
    "stop",
    "stop_all",
    "timed_start",
    "tree_cpu_seconds",
    "tree_memory_kib",
    "wait_http",
    "wait_quiet",
]
