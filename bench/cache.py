"""Cold and warm answers side by side: the duty-bearer query through the service and through ``oxigraph serve``.

Starts the service (``python -m api serve``, on-disk store) over a data folder
(the bundled data by default, or a folder ``generate.py`` wrote), copies its
store once loaded and starts ``oxigraph serve-read-only`` on the copy, then
times, per sample practice and interleaved, the benchmark's duty-bearer query
(``bench/queries/duty_bearers.rq``) by GET:

* **oxigraph**: the Oxigraph server on the same storage;
* **cold**: the service, asked with ``Cache-Control: no-cache`` (computed);
* **warm**: the service, the same request again (from its answer cache);
* **revalidated**: the service, with ``If-None-Match`` (a 304, no body).

    .venv/bin/python bench/cache.py [--data DIR] [--samples 40] [--output bench/cache.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

BENCH = Path(__file__).resolve().parent
REPOSITORY = BENCH.parent
for entry in (str(REPOSITORY), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import procs  # noqa: E402

from graph.catalogue import Catalogue, bind  # noqa: E402
from graph.substitution import bind_variables  # noqa: E402

JSON = {"Accept": "application/sparql-results+json"}
PRACTICE = "https://w3id.org/solidarity-kg/id/practice/"


def practices_of(data: Path) -> list[str]:
    """Sample practices: from a generated folder's manifest, else five of the bundled data."""
    manifest = data / "manifest.json"
    if manifest.exists():
        return list(json.loads(manifest.read_text())["samples"]["practices"])[:16]
    return [PRACTICE + p for p in ("A-73-206-37-1", "A-73-206-30-3", "A-73-206-10-1", "A-73-206-26-2", "A-73-206-9-1")]


def p50(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPOSITORY / "data", help="data folder (default: the bundled data)")
    parser.add_argument("--samples", type=int, default=40, help="calls per system and practice")
    parser.add_argument("--output", type=Path, default=BENCH / "cache.json")
    parser.add_argument("--oxigraph", default=shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph"))
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="skg-cache-"))
    port, oxi_port = procs.free_port(), procs.free_port()
    env = procs.service_env(SKG_STORE="directory", SKG_STORE_PATH=str(root / "store"), SKG_DATA_DIR=str(args.data))
    base = f"http://127.0.0.1:{port}"
    service, _ = procs.timed_start(
        procs.service_argv(sys.executable, port),
        root / "service.log",
        base + "/sparql",
        timeout=1800,
        env=env,
        cwd=REPOSITORY,
        params={"query": "ASK {}"},
        headers=JSON,
    )
    oxigraph = None
    try:
        procs.wait_quiet(service.pid, min_wait=4.0, timeout=900)
        shutil.copytree(root / "store", root / "copy", ignore=shutil.ignore_patterns("LOCK"))
        oxigraph, _ = procs.timed_start(
            [
                args.oxigraph,
                "serve-read-only",
                "--location",
                str(root / "copy"),
                "--bind",
                f"127.0.0.1:{oxi_port}",
                "--union-default-graph",
            ],
            root / "oxigraph.log",
            f"http://127.0.0.1:{oxi_port}/query",
            timeout=300,
            params={"query": "ASK {}"},
            headers=JSON,
        )
        query = Catalogue.load(BENCH / "queries").get("duty_bearers")
        texts = [bind_variables(query.text, bind(query, {"practice": p})) for p in practices_of(args.data)]
        times: dict[str, list[float]] = {"oxigraph": [], "cold": [], "warm": [], "revalidated": []}
        with httpx.Client(timeout=120, headers=JSON) as http:
            for _ in range(args.samples):
                for text in texts:
                    calls = {
                        "oxigraph": (f"http://127.0.0.1:{oxi_port}/query", {}),
                        "cold": (base + "/sparql", {"Cache-Control": "no-cache"}),
                        "warm": (base + "/sparql", {}),
                    }
                    for name, (url, headers) in calls.items():
                        started = time.perf_counter()
                        response = http.get(url, params={"query": text}, headers=headers)
                        times[name].append(time.perf_counter() - started)
                        if response.status_code != 200:
                            raise RuntimeError(f"{name}: HTTP {response.status_code}: {response.text[:300]}")
                    etag = response.headers["etag"]
                    started = time.perf_counter()
                    response = http.get(base + "/sparql", params={"query": text}, headers={"If-None-Match": etag})
                    times["revalidated"].append(time.perf_counter() - started)
                    if response.status_code != 304:
                        raise RuntimeError(f"revalidation: HTTP {response.status_code}")
        result = {
            "data": str(args.data.name),
            "practices": len(texts),
            "samples": args.samples,
            "load_average": round(os.getloadavg()[0], 2),
            "p50_ms": {name: p50(values) for name, values in times.items()},
        }
        result["ratios_to_oxigraph"] = {
            name: round(result["p50_ms"][name] / result["p50_ms"]["oxigraph"], 3) for name in ("cold", "warm", "revalidated")
        }
        args.output.write_text(json.dumps(result, indent=1) + "\n")
        print(json.dumps(result, indent=1))
    finally:
        for process in (oxigraph, service):
            if process is not None:
                procs.stop(process)
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
