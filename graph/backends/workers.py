"""Embedded queries in sandboxed worker processes, killed at the deadline.

pyoxigraph has no query timeout or cancel, and a thread cannot be stopped, so
each query runs in one of a few worker processes that hold the store (an
in-memory copy, or the on-disk store opened read-only). The caller waits for
the answer until the deadline; a worker still busy then is killed and
replaced, so a runaway query costs no CPU after its time is up. Answers come
back already serialised, which keeps the pipe's overhead to one bytes copy.

Before its first query a worker confines itself (``graph/sandbox.py``): it
dies with its parent, cannot open network sockets, and has an address-space
limit. A worker whose resident memory has grown by more than that limit's
quarter after an answer retires and is replaced, so one large answer does not
keep its memory for the life of the server.

Workers come in two lanes (``LANES``): the API's own queries and the public
endpoint's, each with its own workers and a bounded queue, so that public
queries never delay traversal, listings or pages.

Workers are plain child interpreters talking over two pipes
(``serve_pipes``), not ``multiprocessing`` processes: spawning through
``multiprocessing`` would re-run the caller's main script in every worker.
They are all started from one long-lived thread, because the kernel's
parent-death signal fires when the *thread* that started a child ends.
"""

from __future__ import annotations

import concurrent.futures
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.errors import BusyError, DataLoadError, GraphError, QueryLimitError, WorkerLostError
from graph.results import QueryOutput
from graph.store import LANES, QueryRequest, StoreConfig

_LIBRARY_ROOT = str(Path(__file__).resolve().parents[2])
# the child finds this library where the parent found it, whatever its working directory
_BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); from graph.backends.workers import serve_pipes; serve_pipes(sys.argv[2:])"
)


def _open_store(config: StoreConfig) -> Any:
    from graph.backends.oxigraph import OxigraphStore
    from graph.loader import load_sources

    if config.kind == "memory":
        store = OxigraphStore()
        load_sources(store, config.sources)
        return store
    assert config.path is not None  # noqa: S101 - checked by PooledStore
    return OxigraphStore(config.path, read_only=True)


def _confine(config: StoreConfig, parent_death: str) -> dict[str, str]:
    """Apply the sandbox once the store is open, before the first query."""
    from graph import sandbox
    from graph.sparql_check import allow_engine_parse, analyse

    analyse("ASK {}")  # build the parser's grammar before the memory cap
    confined = {"network": sandbox.deny_network(), "parent_death": parent_death}
    if confined["network"] == "seccomp":
        allow_engine_parse()
    confined["memory"] = sandbox.limit_memory(config.worker_memory) if config.worker_memory else "no limit set"
    return confined


def _worker_main(inbox: Connection, outbox: Connection, parent_death: str) -> None:
    """Read the config, open the store, confine itself, say ready, then answer until the pipe closes."""
    from graph import sandbox

    config: StoreConfig = inbox.recv()
    try:
        store = _open_store(config)
    except GraphError as error:
        outbox.send(("error", type(error).__name__, error.message, error.where))
        return
    confined = _confine(config, parent_death)
    retire_above = sandbox.resident() + (config.worker_memory or 1 << 30) // 4
    outbox.send(("ready", confined))
    while True:
        try:
            request = inbox.recv()
        except EOFError:
            return
        try:
            answer: tuple[Any, ...] = ("ok", store.query(request))
        except GraphError as error:
            answer = ("error", type(error).__name__, error.message, error.where)
        except MemoryError:
            answer = (
                "error",
                "QueryLimitError",
                "the query needed more memory than a worker may use",
                {"limit": "memory", "setting": "SKG_WORKER_MEMORY_MB"},
            )
            retire_above = 0
        except Exception as error:
            answer = ("bug", type(error).__name__, str(error), {})
        retiring = sandbox.resident() > retire_above
        try:
            outbox.send((*answer, retiring))
        except OSError:  # the parent has gone (shut down, or it gave up on this worker): stop quietly
            return
        if retiring:
            return


class _Spawner:
    """One thread that lives as long as the process and starts every worker (see the module docstring)."""

    _lock = threading.Lock()
    _executor: concurrent.futures.ThreadPoolExecutor | None = None

    @classmethod
    def run(cls, make: Callable[[], _Worker]) -> _Worker:
        with cls._lock:
            if cls._executor is None:
                cls._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="skg-worker-spawner")
            executor = cls._executor
        return executor.submit(make).result()


class _Worker:
    def __init__(self, config: StoreConfig) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-c", _BOOTSTRAP, _LIBRARY_ROOT, str(os.getpid()), str(to_child_r), str(from_child_w)],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self.outbox = Connection(to_child_w, readable=False)
        self.conn = Connection(from_child_r, writable=False)
        self.outbox.send(config)
        self.confined: dict[str, str] = {}

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise DataLoadError("the query worker did not start in time", seconds=timeout)
        try:
            message = self.conn.recv()
        except EOFError:
            self.kill()
            raise DataLoadError("the query worker exited while opening the store") from None
        if message[0] != "ready":
            self.kill()
            _raise(message)
        self.confined = message[1]

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.conn.close()
        self.outbox.close()


def _raise(message: tuple[Any, ...]) -> None:
    from graph import errors

    _status, name, text, where = message[:4]
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, GraphError):
        raise cls(text, **where)
    raise RuntimeError(f"query worker failed: {name}: {text}")


def _lost(returncode: int | None, memory: int | None) -> GraphError:
    """The error for a worker that stopped while running a query."""
    if returncode == -signal.SIGABRT and memory:
        # the engine aborts the process when an allocation fails under the address-space limit
        return QueryLimitError(
            f"the query needed more memory than a worker may use ({memory >> 20} MiB); its worker was replaced",
            limit="memory",
            setting="SKG_WORKER_MEMORY_MB",
        )
    return WorkerLostError(
        "the query worker stopped while running the query; it has been replaced, retry", exit_status=returncode, retry_after=1
    )


class _Lane:
    """The workers of one lane and the requests waiting for them."""

    def __init__(self, name: str, size: int, queue_size: int) -> None:
        self.name = name
        self.size = size
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.slots = threading.BoundedSemaphore(size + queue_size)  # running + waiting


class PooledStore:
    """The embedded store, queried through sandboxed worker processes with a deadline."""

    start_timeout = 120.0

    def __init__(self, config: StoreConfig) -> None:
        if config.kind == "directory" and config.path is None:
            raise ValueError("a directory store needs a path")
        self._config = config
        self._closed = False
        sizes = {"api": max(1, config.workers), "public": max(1, config.public_workers)}
        self._lanes = {name: _Lane(name, sizes[name], config.queue_size) for name in LANES}
        workers = [(lane, _Spawner.run(lambda: _Worker(config))) for lane in self._lanes.values() for _ in range(lane.size)]
        try:
            for _lane, worker in workers:
                worker.wait_ready(self.start_timeout)
        except GraphError:
            for _lane, worker in workers:
                worker.kill()
            raise
        self.confinement = workers[0][1].confined
        for lane, worker in workers:
            lane.idle.put(worker)

    def query(self, request: QueryRequest) -> QueryOutput:
        """Run a query in an idle worker of its lane; kill the worker if the deadline passes."""
        lane = self._lanes.get(request.lane, self._lanes["api"])
        timeout = request.timeout if request.timeout is not None else self._config.default_timeout
        if not lane.slots.acquire(blocking=False):
            raise BusyError(
                f"every {lane.name} query worker is busy and the queue is full; retry shortly",
                lane=lane.name,
                retry_after=1,
                setting="SKG_QUEUE_SIZE",
            )
        try:
            return self._run(lane, request, timeout)
        finally:
            lane.slots.release()

    def _run(self, lane: _Lane, request: QueryRequest, timeout: float | None) -> QueryOutput:
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            worker = lane.idle.get(timeout=timeout)
        except queue.Empty:
            raise BusyError(
                "no query worker became free within the time limit; retry shortly", lane=lane.name, seconds=timeout, retry_after=1
            ) from None
        try:
            worker.outbox.send(request)
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            answered = worker.conn.poll(remaining)
            message = worker.conn.recv() if answered else None
        except (EOFError, OSError):
            worker.process.wait(timeout=5)
            self._replace(lane, worker)
            raise _lost(worker.process.returncode, self._config.worker_memory) from None
        except BaseException:
            self._replace(lane, worker)
            raise
        if message is None:
            self._replace(lane, worker)
            raise QueryLimitError(f"the query ran longer than the time limit of {timeout} s", limit="timeout", seconds=timeout)
        if message[-1]:  # the worker retires after this answer
            self._replace(lane, worker)
        else:
            lane.idle.put(worker)
        if message[0] == "ok":
            output: QueryOutput = message[1]
            return output
        _raise(message)
        raise AssertionError("unreachable")

    def _replace(self, lane: _Lane, worker: _Worker | None) -> None:
        """Kill a worker (if given) and start its replacement in the background."""
        if worker is not None:
            worker.kill()

        def start() -> None:
            if self._closed:
                return
            fresh = _Spawner.run(lambda: _Worker(self._config))
            fresh.wait_ready(self.start_timeout)
            if self._closed:
                fresh.kill()
                return
            lane.idle.put(fresh)

        threading.Thread(target=start, daemon=True).start()

    def load_file(self, path: Path, graph_iri: str) -> int:
        """Pooled stores are read-only: load through ``OxigraphStore`` first."""
        from graph.errors import ReadOnlyError

        raise ReadOnlyError("the served store is read-only; load data with `solidarity-kg load`")

    def clear(self) -> None:
        """Pooled stores are read-only."""
        from graph.errors import ReadOnlyError

        raise ReadOnlyError("the served store is read-only")

    def worker_pids(self) -> list[int]:
        """Process ids of the idle workers (for health reports and tests)."""
        return [w.process.pid for lane in self._lanes.values() for w in list(lane.idle.queue)]

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for lane in self._lanes.values():
            while True:
                try:
                    lane.idle.get_nowait().kill()
                except queue.Empty:
                    break


__all__ = ["PooledStore"]


def serve_pipes(args: list[str]) -> None:
    """Worker entry point: die with the parent, then answer on the two pipe descriptors it gave."""
    from graph.sandbox import die_with_parent

    parent_death = die_with_parent(int(args[0]))
    _worker_main(Connection(int(args[1]), writable=False), Connection(int(args[2]), readable=False), parent_death)
