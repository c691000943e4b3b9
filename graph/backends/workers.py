"""Embedded queries in worker processes, killed at the deadline.

pyoxigraph has no query timeout or cancel, and a thread cannot be stopped, so
each query runs in one of a few worker processes that hold the store (an
in-memory copy, or the on-disk store opened read-only). The caller waits for
the answer until the deadline; a worker still busy then is killed and
replaced, so a runaway query costs no CPU after its time is up. Answers come
back already serialised, which keeps the pipe's overhead to one bytes copy.

Workers are plain child interpreters
talking over two pipes (``serve_pipes``), not ``multiprocessing`` processes: spawning through
``multiprocessing`` would re-run the caller's main script in every worker.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.errors import DataLoadError, GraphError, QueryLimitError
from graph.results import QueryOutput
from graph.store import QueryRequest, StoreConfig

_LIBRARY_ROOT = str(Path(__file__).resolve().parents[2])
# the child finds this library where the parent found it, whatever its working directory
_BOOTSTRAP = ("import sys; sys.path.insert(0, sys.argv[1]); "
              "from graph.backends.workers import serve_pipes; serve_pipes(sys.argv[2:])")


def _worker_main(inbox: Connection, outbox: Connection) -> None:
    """Read the config, open the store, say ready, then answer requests until the pipe closes."""
    from graph.backends.oxigraph import OxigraphStore
    from graph.loader import load_sources

    config: StoreConfig = inbox.recv()
    conn = outbox
    try:
        if config.kind == "memory":
            store = OxigraphStore()
            load_sources(store, config.sources)
        else:
            assert config.path is not None  # noqa: S101 - checked by PooledStore
            store = OxigraphStore(config.path, read_only=True)
    except GraphError as error:
        conn.send(("error", type(error).__name__, error.message, error.where))
        return
    conn.send(("ready",))
    while True:
        try:
            request = inbox.recv()
        except EOFError:
            return
        try:
            answer: tuple[Any, ...] = ("ok", store.query(request))
        except GraphError as error:
            answer = ("error", type(error).__name__, error.message, error.where)
        except Exception as error:
            answer = ("bug", type(error).__name__, str(error), {})
        try:
            conn.send(answer)
        except OSError:  # the parent has gone (shut down, or it gave up on this worker): stop quietly
            return


class _Worker:
    def __init__(self, config: StoreConfig) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-c", _BOOTSTRAP, _LIBRARY_ROOT, str(to_child_r), str(from_child_w)],
            pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.outbox = Connection(to_child_w, readable=False)
        self.conn = Connection(from_child_r, writable=False)
        self.outbox.send(config)

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

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.conn.close()
        self.outbox.close()


def _raise(message: tuple[Any, ...]) -> None:
    from graph import errors

    _status, name, text, where = message
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, GraphError):
        raise cls(text, **where)
    raise RuntimeError(f"query worker failed: {name}: {text}")


class PooledStore:
    """The embedded store, queried through worker processes with a deadline."""

    start_timeout = 120.0

    def __init__(self, config: StoreConfig) -> None:
        if config.kind == "directory" and config.path is None:
            raise ValueError("a directory store needs a path")
        self._config = config
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        workers = [_Worker(config) for _ in range(max(1, config.workers))]
        try:
            for worker in workers:
                worker.wait_ready(self.start_timeout)
        except GraphError:
            for worker in workers:
                worker.kill()
            raise
        for worker in workers:
            self._idle.put(worker)

    def query(self, request: QueryRequest) -> QueryOutput:
        """Run a query in an idle worker; kill it if the deadline passes."""
        deadline = None if request.timeout is None else time.monotonic() + request.timeout
        try:
            worker = self._idle.get(timeout=request.timeout)
        except queue.Empty:
            raise QueryLimitError("no query worker became free within the time limit",
                                  limit="timeout", seconds=request.timeout) from None
        try:
            worker.outbox.send(request)
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not worker.conn.poll(remaining):
                self._replace(worker)
                worker = None
                raise QueryLimitError(f"the query ran longer than the time limit of {request.timeout} s",
                                      limit="timeout", seconds=request.timeout)
            message = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                self._replace(worker)
                worker = None
            raise
        finally:
            if worker is not None:
                self._idle.put(worker)
        if message[0] == "ok":
            output: QueryOutput = message[1]
            return output
        _raise(message)
        raise AssertionError("unreachable")

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its replacement in the background."""
        worker.kill()

        def start() -> None:
            if self._closed:
                return
            fresh = _Worker(self._config)
            fresh.wait_ready(self.start_timeout)
            self._idle.put(fresh)

        threading.Thread(target=start, daemon=True).start()

    def load_file(self, path: Path, graph_iri: str) -> int:
        """Pooled stores are read-only: load through ``OxigraphStore`` first."""
        from graph.errors import ReadOnlyError

        raise ReadOnlyError("the served store is read-only; load data with `solidarity-kg load`")

    def clear(self) -> None:
        """Pooled stores are read-only."""
        from graph.errors import ReadOnlyError

        raise ReadOnlyError("the served store is read-only")

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break


__all__ = ["PooledStore"]

def serve_pipes(fds: list[str]) -> None:
    """Worker entry point: answer on the two pipe descriptors given by the parent."""
    _worker_main(Connection(int(fds[0]), writable=False), Connection(int(fds[1]), readable=False))
