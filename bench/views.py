"""Network views of a big graph through the service: time to first byte, total time, size and peak memory.

Starts the service (``python -m api serve``, on-disk store) over a data folder
(one ``generate.py`` wrote, or the bundled data), waits until it is loaded and
quiet, then asks, one request at a time and in this order:

* ``/views/types`` (the summary by class; built by the service's warm-up at start, which the benchmark waits
  out, and kept beside the store);
* ``/views/whole`` as GraphML, GEXF and Cytoscape JSON, the first computing the
  projection (the view itself) and each format's answer;
* ``/views/whole?format=graphml`` again (from the answer files beside the store);
* ``/views/ego`` around a sample practice (on the projection already built);
* after a restart of the service on the same store: ``/views/whole?format=graphml``
  (the answer files survive) and the ego view (the projection is built again).

For each: the HTTP status, seconds to the first byte and to the last, bytes,
and the peak resident memory of the service's process tree while it ran
(the sum over the server and its query workers, sampled every 20 ms from
``/proc``). ``--max-view-triples`` raises ``SKG_MAX_VIEW_TRIPLES`` so that the
whole view of a graph beyond the default is built at all; without it a graph
beyond the limit answers 400 with the views that stay small.

    .venv/bin/python bench/views.py --data DIR [--max-view-triples 2000000] [--label 1M] [--output bench/views.json]

Each run is kept under its label (the generated size, e.g. ``1M``, by default) beside
the runs of other sizes in the output file; ``report.py`` puts them in RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
REPOSITORY = BENCH.parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import procs  # noqa: E402

JSON = {"Accept": "application/sparql-results+json"}


class PeakSampler:
    """Largest summed RSS of a process tree while the ``with`` block runs."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        self.pid, self.every, self.peak_kib = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, procs.tree_memory_kib(self.pid)["rss_kib"])
            self._stop.wait(self.every)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def timed_get(http: httpx.Client, pid: int, url: str, params: dict[str, str]) -> dict[str, Any]:
    """One GET, streamed: status, first byte, total, bytes and peak tree RSS."""
    with PeakSampler(pid) as sampler:
        started = time.perf_counter()
        first: float | None = None
        size, kept = 0, b""
        with http.stream("GET", url, params=params, headers={"Accept-Encoding": "identity"}) as response:
            for chunk in response.iter_raw():
                if first is None:
                    first = time.perf_counter() - started
                size += len(chunk)
                kept = (kept + chunk)[:100_000] if response.status_code >= 400 else kept
            total = time.perf_counter() - started
            status, cache = response.status_code, response.headers.get("x-cache", "")
    body = json.loads(kept) if status >= 400 else {}
    error = {k: body[k] for k in ("error", "message") if k in body} or None
    return {
        "status": status,
        "x_cache": cache,
        "error": error,
        "first_byte_s": round(first if first is not None else total, 3),
        "total_s": round(total, 3),
        "mib": round(size / 2**20, 1),
        "peak_rss_mib": round(sampler.peak_kib / 1024),
    }


def size_label(data: Path) -> str:
    """``1M``, ``5M``… from a generated folder's manifest; the folder's name otherwise."""
    manifest = data / "manifest.json"
    if not manifest.exists():
        return data.name
    target = int(json.loads(manifest.read_text())["target"])
    return f"{target // 1_000_000}M" if target % 1_000_000 == 0 else f"{target // 1000}k"


def sample_practice(data: Path) -> str:
    manifest = data / "manifest.json"
    if manifest.exists():
        return str(json.loads(manifest.read_text())["samples"]["practices"][0])
    return "https://w3id.org/solidarity-kg/id/practice/A-73-206-37-1"


def start_service(root: Path, env: dict[str, str], port: int, log: str) -> Any:
    service, seconds = procs.timed_start(
        procs.service_argv(sys.executable, port),
        root / log,
        f"http://127.0.0.1:{port}/sparql",
        timeout=3600,
        env=env,
        cwd=REPOSITORY,
        params={"query": "ASK {}"},
        headers=JSON,
    )
    procs.wait_quiet(service.pid, min_wait=3.0, timeout=1800)
    return service, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPOSITORY / "data", help="data folder (default: the bundled data)")
    parser.add_argument("--max-view-triples", type=int, help="SKG_MAX_VIEW_TRIPLES for the run (default: the service's)")
    parser.add_argument("--worker-memory-mb", type=int, help="SKG_WORKER_MEMORY_MB for the run (default: the service's)")
    parser.add_argument("--label", help="the run's name in the output file (default: the generated size)")
    parser.add_argument("--output", type=Path, default=BENCH / "views.json")
    args = parser.parse_args(argv)
    procs.install_signal_handlers()
    root = Path(tempfile.mkdtemp(prefix="skg-views-"))
    port = procs.free_port()
    settings = {"SKG_STORE": "directory", "SKG_STORE_PATH": str(root / "store"), "SKG_DATA_DIR": str(args.data)}
    if args.max_view_triples:
        settings["SKG_MAX_VIEW_TRIPLES"] = str(args.max_view_triples)
    if args.worker_memory_mb:
        settings["SKG_WORKER_MEMORY_MB"] = str(args.worker_memory_mb)
    env = procs.service_env(**settings)
    base = f"http://127.0.0.1:{port}"
    practice = sample_practice(args.data)
    requests = [
        ("types", "/views/types", {"format": "node-link"}),
        ("whole graphml (first)", "/views/whole", {"format": "graphml"}),
        ("whole gexf", "/views/whole", {"format": "gexf"}),
        ("whole cyjs", "/views/whole", {"format": "cyjs"}),
        ("whole graphml (again)", "/views/whole", {"format": "graphml"}),
        ("ego depth 1", "/views/ego", {"node": practice, "format": "node-link"}),
    ]
    after_restart = [
        ("whole graphml (after restart)", "/views/whole", {"format": "graphml"}),
        ("ego depth 1 (after restart)", "/views/ego", {"node": practice, "format": "node-link"}),
    ]
    results: dict[str, Any] = {"data": args.data.name, "settings": {k: v for k, v in settings.items() if "PATH" not in k}}
    service = None
    try:
        service, results["first_start_s"] = start_service(root, env, port, "service.log")
        with httpx.Client(base_url=base, timeout=3600) as http:
            results["triples"] = http.get("/health").json().get("triples")
            results["requests"] = {name: timed_get(http, service.pid, path, params) for name, path, params in requests}
        procs.stop(service)
        service, results["restart_s"] = start_service(root, env, port, "service-2.log")
        with httpx.Client(base_url=base, timeout=3600) as http:
            results["requests"].update({name: timed_get(http, service.pid, path, params) for name, path, params in after_restart})
        results["load_average"] = round(os.getloadavg()[0], 2)
    finally:
        if service is not None:
            procs.stop(service)
        shutil.rmtree(root, ignore_errors=True)
    runs = json.loads(args.output.read_text()) if args.output.exists() else {}
    runs[args.label or size_label(args.data)] = results
    args.output.write_text(json.dumps(runs, indent=1) + "\n")
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
