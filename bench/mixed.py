"""A bounded mixed load on the service over the bundled data: what a public address would see.

Starts ``python -m api serve`` (on-disk store, bundled data), waits for its
warm-up, then sends ``--requests`` requests from ``--clients`` keep-alive
clients in a closed loop: 70% catalogue questions, traversal and listings, 20%
``/sparql`` SELECTs, 10% view exports, in a fixed shuffled order. Run twice:
``cold`` asks every request with ``Cache-Control: no-cache`` (each computed),
``cached`` without (repeats served from the answer cache, as for real
visitors asking the same pages). Prints and writes requests per second, p50
and p99 latency and failures per run.

    .venv/bin/python bench/mixed.py [--requests 5000] [--clients 16] [--output bench/mixed.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
REPOSITORY = BENCH.parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import procs  # noqa: E402

PRACTICES = ["A-73-206-37-1", "A-73-206-30-3", "A-73-206-10-1", "A-73-206-26-2", "A-73-206-9-1"]
STATES = ["HUN", "ITA", "DEU", "MEX", "GRC"]


def targets() -> list[tuple[str, dict[str, str]]]:
    """The mix: 7 in 10 API reads, 2 SPARQL SELECTs, 1 export."""
    api = [(f"/practices/{p}/duty-bearers", {}) for p in PRACTICES]
    api += [(f"/id/actor/state/{s}", {}) for s in STATES]
    api += [("/practices", {"state": s}) for s in STATES]
    api += [("/queries/a73_good_section_practices", {}), ("/queries/a73_gaps_rights_holders", {}), ("/search", {"q": "rescue"})]
    sparql = [
        ("/sparql", {"query": f"SELECT ?p ?o WHERE {{ <https://w3id.org/solidarity-kg/id/actor/state/{s}> ?p ?o }}"})
        for s in STATES
    ]
    exports = [("/views/whole", {"format": f}) for f in ("gexf", "graphml", "cyjs")]
    exports += [("/views/duty_bearers", {"practice": p, "format": "graphml"}) for p in PRACTICES[:2]]
    mix: list[tuple[str, dict[str, str]]] = []
    for i in range(70):
        mix.append(api[i % len(api)])
    for i in range(20):
        mix.append(sparql[i % len(sparql)])
    for i in range(10):
        mix.append(exports[i % len(exports)])
    random.Random(7).shuffle(mix)
    return mix


async def load(base: str, total: int, clients: int, headers: dict[str, str]) -> dict[str, Any]:
    mix = targets()
    latencies: list[float] = []
    failures: dict[str, int] = {}
    order = iter(range(total))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120, headers=headers) as client:
        started = time.perf_counter()

        async def worker() -> None:
            for i in order:
                path, params = mix[i % len(mix)]
                t0 = time.perf_counter()
                try:
                    response = await client.get(path, params=params)
                    status = str(response.status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                if status == "200":
                    latencies.append(time.perf_counter() - t0)
                else:
                    failures[status] = failures.get(status, 0) + 1

        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "ok": len(latencies),
        "failed": failures,
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--output", type=Path, default=BENCH / "mixed.json")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="skg-mixed-"))
    port = procs.free_port()
    # every request of this benchmark comes from one address: the per-client limits would refuse most of them
    env = procs.service_env(SKG_STORE_PATH=str(root / "store"), SKG_CLIENT_REQUESTS="256", SKG_CLIENT_CONCURRENCY="64")
    base = f"http://127.0.0.1:{port}"
    service, _ = procs.timed_start(
        procs.service_argv(sys.executable, port),
        root / "service.log",
        base + "/health",
        timeout=600,
        env=env,
        cwd=REPOSITORY,
    )
    try:
        procs.wait_quiet(service.pid, min_wait=4.0, timeout=600)
        result: dict[str, Any] = {"requests": args.requests, "clients": args.clients}
        result["cold"] = asyncio.run(load(base, args.requests, args.clients, {"Cache-Control": "no-cache"}))
        result["cached"] = asyncio.run(load(base, args.requests, args.clients, {}))
        result["load_average"] = round(os.getloadavg()[0], 2)
        args.output.write_text(json.dumps(result, indent=1) + "\n")
        print(json.dumps(result, indent=1))
    finally:
        procs.stop(service)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
