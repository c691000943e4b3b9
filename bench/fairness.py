"""Fair sharing under abuse: cheap requests while one client floods the public endpoint with slow queries.

Starts the service on the bundled data (in memory) on 127.0.0.1, measures the
latency of ``ASK {}`` through ``/sparql`` and of a practice's duty-bearers
while idle, then again while heavy clients keep ``--factor`` times the public
worker count of slow queries in flight (each re-sent the moment it is refused),
and, between the two, the memory of the service's process tree (peak and
resident, summed over the server and its workers) before and after a
753-byte string-doubling query. The heavy clients use other loopback source addresses (127.0.0.2, …),
so the service sees them as other clients, as it would on a public address.

    .venv/bin/python bench/fairness.py [--samples 40] [--factor 10] [--heavy-clients 1]

Prints a table and writes ``bench/fairness.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procs import free_port, install_signal_handlers, service_argv, start, stop, tree_memory_kib, wait_http

REPOSITORY = Path(__file__).resolve().parents[1]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PRACTICE = "/practices/A-73-206-44-1/duty-bearers"
BOMB = (
    'SELECT ?x22 WHERE { ?s ?p ?o BIND("ab" AS ?x0) '
    + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(22))
    + " } LIMIT 120"
)


def _client(source: str) -> httpx.Client:
    # no-cache: every request is computed, as if each asked something new (the answer cache would hide the lanes)
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=120, headers={"Cache-Control": "no-cache"})


def _latencies(client: httpx.Client, url: str, params: dict[str, str] | None, samples: int) -> tuple[list[float], dict[int, int]]:
    times: list[float] = []
    statuses: dict[int, int] = {}
    for _ in range(samples):
        started = time.perf_counter()
        response = client.get(url, params=params)
        times.append((time.perf_counter() - started) * 1000)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        time.sleep(0.02)
    return times, statuses


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
        "max_ms": round(ordered[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=40, help="requests per measurement (default 40)")
    parser.add_argument("--factor", type=int, default=10, help="slow queries in flight per public worker (default 10)")
    parser.add_argument("--heavy-clients", type=int, default=1, help="source addresses the slow queries come from")
    parser.add_argument("--public-workers", type=int, default=2, help="SKG_PUBLIC_WORKERS of the service (default 2)")
    parser.add_argument("--query-timeout", type=float, default=10.0, help="SKG_QUERY_TIMEOUT of the service (default 10)")
    parser.add_argument("--output", type=Path, default=REPOSITORY / "bench" / "fairness.json")
    args = parser.parse_args()
    install_signal_handlers()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SKG_STORE": "memory",
        "SKG_PUBLIC_WORKERS": str(args.public_workers),
        "SKG_QUERY_TIMEOUT": str(args.query_timeout),
    }
    log = Path(tempfile.mkdtemp(prefix="skg-fairness-")) / "server.log"
    server = start(
        service_argv(sys.executable, port),
        log,
        env=env,
        cwd=REPOSITORY,
    )
    results: dict[str, object] = {
        "public_workers": args.public_workers,
        "factor": args.factor,
        "heavy_clients": args.heavy_clients,
        "samples": args.samples,
    }
    try:
        wait_http(base + "/queries", server, timeout=120)
        probe, api = _client("127.0.0.1"), _client("127.0.0.3")
        for _ in range(5):  # warm the caches the first answers build
            probe.get(base + "/sparql", params={"query": "ASK {}"})
            api.get(base + PRACTICE)
        idle_ask, _ = _latencies(probe, base + "/sparql", {"query": "ASK {}"}, args.samples)
        idle_practice, _ = _latencies(api, base + PRACTICE, None, args.samples)

        before = tree_memory_kib(server.pid)
        started = time.perf_counter()
        bomb = probe.get(base + "/sparql", params={"query": BOMB})
        bomb_seconds = time.perf_counter() - started
        time.sleep(1.0)
        after = tree_memory_kib(server.pid)
        try:
            bomb_error = bomb.json().get("error") if len(bomb.content) < 10_000 else None
        except ValueError:
            bomb_error = None
        results["bomb"] = {
            "status": bomb.status_code,
            "bytes": len(bomb.content),
            "error": bomb_error,
            "seconds": round(bomb_seconds, 2),
            "tree_before_kib": before,
            "tree_after_kib": after,
        }
        del bomb

        stop_flag = threading.Event()
        heavy_statuses: dict[int, int] = {}
        lock = threading.Lock()

        def flood(source: str) -> None:
            with _client(source) as heavy:
                while not stop_flag.is_set():
                    try:
                        status = heavy.get(base + "/sparql", params={"query": SLOW}).status_code
                    except httpx.TransportError:
                        status = 0
                    with lock:
                        heavy_statuses[status] = heavy_statuses.get(status, 0) + 1

        in_flight = args.factor * args.public_workers
        threads = [
            threading.Thread(target=flood, args=(f"127.0.0.{10 + i % args.heavy_clients}",), daemon=True)
            for i in range(in_flight)
        ]
        for thread in threads:
            thread.start()
        time.sleep(2.0)
        busy_ask, ask_statuses = _latencies(probe, base + "/sparql", {"query": "ASK {}"}, args.samples)
        busy_practice, practice_statuses = _latencies(api, base + PRACTICE, None, args.samples)
        stop_flag.set()
        for thread in threads:
            thread.join(timeout=30)

        results.update(
            {
                "idle": {"ask": _summary(idle_ask), "duty_bearers": _summary(idle_practice)},
                "flooded": {
                    "ask": _summary(busy_ask),
                    "duty_bearers": _summary(busy_practice),
                    "ask_statuses": ask_statuses,
                    "duty_bearer_statuses": practice_statuses,
                    "slow_query_statuses": heavy_statuses,
                },
                "ratio_p50": {
                    "ask": round(statistics.median(busy_ask) / statistics.median(idle_ask), 2),
                    "duty_bearers": round(statistics.median(busy_practice) / statistics.median(idle_practice), 2),
                },
            }
        )
    finally:
        stop(server)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
