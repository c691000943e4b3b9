"""Benchmark solidarity-kg against raw pyoxigraph, Oxigraph's server and rdflib-endpoint, side by side.

    python bench/run.py --sizes 100k,1M [--rounds 3] [--seed 42]

For each size it generates (or reuses) a synthetic folder (``generate.py``),
then starts and measures, on 127.0.0.1 only:

* ``service``: ``python -m api serve`` with ``SKG_STORE=directory`` on a
  fresh store (load), restarted on the existing store (reopen);
* ``raw-memory`` and ``raw-disk``: pyoxigraph in-process (``children.py raw``);
  raw-disk bulk-loads its own store, then queries a read-only copy of the
  service's store;
* ``thin``: pyoxigraph plus HTTP and nothing else (``children.py thin``), on
  the same read-only copy: the reference of the 1.3x target;
* ``oxigraph``: ``oxigraph serve-read-only --union-default-graph`` on a copy
  of the service's store (the same storage, left unchanged as the service's
  read-only workers leave theirs; ``serve`` would compact its copy on open);
  its own load time comes from ``oxigraph load`` per file into a scratch store;
* ``rdflib``: rdflib-endpoint on an rdflib Dataset (skipped above
  ``--rdflib-max``).

Latency: every query of ``workload.py`` is sent ``--samples`` times per round
to every system, rounds interleaved (the order of systems rotates each
round), after one warm-up call that also records the row count for the
correctness check. Throughput: a bounded asyncio httpx load of
``--requests`` duty-bearer calls at ``--concurrency`` per system and round.
Results go to ``bench/results.json`` and ``bench/RESULTS.md`` (``report.py``).
Every process is stopped by PID at the end, also on errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

BENCH = Path(__file__).resolve().parent
REPOSITORY = BENCH.parent
for entry in (str(REPOSITORY), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import procs  # noqa: E402
from generate import generate, parse_size, size_label  # noqa: E402
from workload import DUTY_BEARERS, Workload, bench_workloads, catalogue_workloads  # noqa: E402

ACCEPT = {"Accept": "application/sparql-results+json", "Cache-Control": "no-cache"}
"""SPARQL JSON, computed afresh: the service keeps repeated answers (``X-Cache``), and these figures are cold ones."""
PYTHON = sys.executable
SERVICE, THIN, OXIGRAPH, RDFLIB, RAW_MEMORY, RAW_DISK = "service", "thin", "oxigraph", "rdflib", "raw-memory", "raw-disk"
SYSTEM_ORDER = [SERVICE, THIN, OXIGRAPH, RAW_MEMORY, RAW_DISK, RDFLIB]


def loadavg() -> float:
    """The 1-minute load average (other tenants of the machine show up here)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0


def log(message: str) -> None:
    """Progress on stderr, with a clock."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- systems
class System:
    """Something that answers SPARQL; ``measure`` returns per-call seconds."""

    name = ""

    def measure(self, text: str, n: int, budget: float, count: bool = False) -> tuple[list[float], int, str | None]:
        """Run a query up to ``n`` times (stop early after ``budget`` seconds); (times, rows, error)."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop the system."""


class HttpSparql(System):
    """A SPARQL endpoint over HTTP GET (``?query=``), asked for SPARQL JSON results."""

    def __init__(self, name: str, url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
        self.name, self.url, self.process = name, url, process
        self.client = httpx.Client(timeout=timeout, headers=ACCEPT)

    def measure(self, text: str, n: int, budget: float, count: bool = False) -> tuple[list[float], int, str | None]:
        """GET the query; time send to last body byte."""
        times: list[float] = []
        rows = 0
        started = time.perf_counter()
        for _ in range(n):
            t0 = time.perf_counter()
            try:
                response = self.client.get(self.url, params={"query": text})
            except httpx.HTTPError as error:
                return times, rows, f"{type(error).__name__}: {error}"
            elapsed = time.perf_counter() - t0
            if response.status_code != 200:
                return times, rows, f"HTTP {response.status_code}: {response.text[:200]}"
            times.append(elapsed)
            if count:
                rows = len(response.json()["results"]["bindings"])
            if time.perf_counter() - started > budget:
                break
        return times, rows, None

    def memory(self) -> dict[str, int]:
        """Peak and current RSS of the server's process tree."""
        return procs.tree_memory_kib(self.process.pid)

    def close(self) -> None:
        """Close the client and stop the server by PID."""
        self.client.close()
        procs.stop(self.process)


class RawChild(System):
    """pyoxigraph in a child process, timed inside it (query + JSON serialisation)."""

    def __init__(self, name: str, process: subprocess.Popen[bytes], ready: dict[str, Any]) -> None:
        self.name, self.process, self.ready = name, process, ready

    def _call(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.name} child exited")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def measure(self, text: str, n: int, budget: float, count: bool = False) -> tuple[list[float], int, str | None]:
        """Ask the child to run the query; it stops early only on errors (it is fast)."""
        times: list[float] = []
        rows = 0
        started = time.perf_counter()
        for _ in range(n):
            answer = self._call({"op": "query", "text": text, "n": 1, "count": count})
            if answer["error"]:
                return times, rows, answer["error"]
            times += answer["times"]
            rows = answer["rows"]
            if time.perf_counter() - started > budget:
                break
        return times, rows, None

    def memory(self) -> dict[str, int]:
        """Peak RSS reported by the child."""
        return {"peak_kib": int(self._call({"op": "rss"})["maxrss_kib"])}

    def close(self) -> None:
        """Ask the child to quit, then stop it by PID."""
        try:
            self._call({"op": "quit"})
        except (RuntimeError, OSError, ValueError):
            pass
        procs.stop(self.process)


def start_raw(name: str, args: list[str], log_path: Path, timeout: float) -> RawChild:
    """Start a raw child and wait for its ready line."""
    process = procs.start(
        [PYTHON, str(BENCH / "children.py"), "raw", *args],
        log_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPOSITORY,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    while time.monotonic() < deadline and not line:
        line = process.stdout.readline()
        if process.poll() is not None and not line:
            break
    if not line:
        procs.stop(process)
        raise RuntimeError(f"{name} did not start; see {log_path}")
    return RawChild(name, process, json.loads(line))


# ---------------------------------------------------------------------------- statistics
def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (p99 of fewer than 100 samples is their maximum)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 100)))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(samples: list[float], round_medians: list[float]) -> dict[str, Any]:
    """p50, p99 and the spread of round medians, in milliseconds."""

    def ms(x: float | None) -> float | None:
        return None if x is None else round(x * 1000, 3)

    return {
        "n": len(samples),
        "p50_ms": ms(statistics.median(samples)) if samples else None,
        "p99_ms": ms(percentile(samples, 99)),
        "mean_ms": ms(statistics.fmean(samples)) if samples else None,
        "round_p50_ms": [ms(m) for m in round_medians],
    }


# ---------------------------------------------------------------------------- phases
@dataclass
class SizeRun:
    """Everything about one size: folders, systems, results."""

    label: str
    target: int
    seed: int
    root: Path
    args: argparse.Namespace
    result: dict[str, Any] = field(default_factory=dict)
    systems: dict[str, System] = field(default_factory=dict)
    rdflib_skip: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        """The generated folder (named ``data`` so graph IRIs read …/graph/data/<file>)."""
        return self.root / "data"

    @property
    def logs(self) -> Path:
        """Log folder of the children."""
        return self.root / "logs"

    def store(self, name: str) -> Path:
        """A store folder of this run."""
        return self.root / "stores" / name


def prepare_data(run: SizeRun) -> dict[str, Any]:
    """Generate the folder unless a manifest of the same size, seed and generator exists."""
    from generate import GENERATOR_VERSION

    manifest_path = run.data / "manifest.json"
    if manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        if (manifest.get("target"), manifest.get("seed"), manifest.get("generator_version")) == (
            run.target,
            run.seed,
            GENERATOR_VERSION,
        ) and all((run.data / f).exists() for f in manifest["files"]):
            log(f"{run.label}: reusing {manifest['triples']} triples in {run.data}")
            return manifest
    log(f"{run.label}: generating {run.target} triples into {run.data}")
    return generate(run.target, run.seed, run.data)


def service_env(run: SizeRun, store: Path) -> dict[str, str]:
    """The environment of our service: directory store, the generated data, a generous time limit."""
    env = procs.service_env()
    env.update(
        {
            "SKG_STORE": "directory",
            "SKG_STORE_PATH": str(store),
            "SKG_DATA_DIR": str(run.data),
            "SKG_ONTOLOGY_DIR": str(REPOSITORY / "ontology"),
            "SKG_QUERIES_DIR": str(REPOSITORY / "queries"),
            "SKG_QUERY_TIMEOUT": str(run.args.timeout),
        }
    )
    return env


def start_service(run: SizeRun, store: Path, log_name: str) -> tuple[HttpSparql, float]:
    """Start ``python -m api serve``; time spawn to first answer."""
    port = procs.free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    process, seconds = procs.timed_start(
        procs.service_argv(PYTHON, port),
        run.logs / log_name,
        url,
        timeout=run.args.start_timeout,
        env=service_env(run, store),
        cwd=REPOSITORY,
        params={"query": "ASK {}"},
        headers=ACCEPT,
    )
    return HttpSparql(SERVICE, url, process, run.args.timeout), seconds


def start_oxigraph(run: SizeRun, store: Path, log_name: str) -> tuple[HttpSparql, float]:
    """Start ``oxigraph serve`` on a store; time spawn to first answer."""
    port = procs.free_port()
    url = f"http://127.0.0.1:{port}/query"
    process, seconds = procs.timed_start(
        [run.args.oxigraph, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        run.logs / log_name,
        url,
        timeout=run.args.start_timeout,
        params={"query": "ASK {}"},
        headers=ACCEPT,
    )
    return HttpSparql(OXIGRAPH, url, process, run.args.timeout), seconds


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def phase_service(run: SizeRun) -> None:
    """Load into a fresh store, measure reopening, keep the last instance running."""
    rounds = max(3, run.args.rounds)
    store = run.store("service")
    shutil.rmtree(store, ignore_errors=True)
    log(f"{run.label}: service: loading into a fresh store")
    service, load_s = start_service(run, store, "service-load.log")
    load_memory = service.memory()
    service.close()
    run.result["load"][SERVICE] = {
        "load_s": load_s,
        "peak_kib": load_memory["peak_kib"],
        "what": "spawn of `python -m api serve` on an empty store to first answer",
    }
    run.result["store_bytes_after_load"] = _folder_bytes(store)
    log(f"{run.label}: service loaded in {load_s:.2f} s")
    reopen_parts = []
    for _ in range(rounds):
        out = subprocess.run(  # bounded: a child that opens and closes the store
            [
                PYTHON,
                str(BENCH / "children.py"),
                "reopen",
                "--store",
                str(store),
                "--data",
                str(run.data),
                "--ontology",
                str(REPOSITORY / "ontology"),
            ],
            capture_output=True,
            cwd=REPOSITORY,
            timeout=run.args.start_timeout,
            check=True,
        )
        reopen_parts.append(json.loads(out.stdout.decode().strip().splitlines()[-1]))
    starts = []
    for i in range(rounds):
        service, seconds = start_service(run, store, "service.log")
        starts.append(seconds)
        if i < rounds - 1:
            service.close()
    run.systems[SERVICE] = service
    # Copy the store only now. Each start opens it read-write (to check the fingerprint), which lets
    # RocksDB drop the loader's write-ahead log and compact a little; query times differ by ~20%
    # between layouts. After the last start the service only reads, so every disk system (the
    # oxigraph server read-only) reads byte-identical files.
    for copy in ("oxigraph", "read-only"):
        shutil.rmtree(run.store(copy), ignore_errors=True)
        shutil.copytree(store, run.store(copy))
    run.result["store_bytes"] = _folder_bytes(store)
    log(f"{run.label}: service: waiting for its background warm-up to go quiet")
    warm_up = procs.wait_quiet(service.process.pid, min_wait=4.0, timeout=run.args.warm_up_timeout)
    run.result["warm_up"] = {
        "seconds": warm_up,
        "memory": service.memory(),
        "what": "after the last start: until the service's process tree used under 0.1 CPU s in 2 s",
    }
    run.result["reopen"][SERVICE] = {
        "start_s": starts,
        "start_p50_s": statistics.median(starts),
        "open_runtime_s": [p["open_runtime_s"] for p in reopen_parts],
        "open_runtime_p50_s": statistics.median(p["open_runtime_s"] for p in reopen_parts),
        "reloaded": any(p["reloaded"] for p in reopen_parts),
        "what": "spawn of `python -m api serve` on the existing store to first answer; open_runtime: the "
        "fingerprint check, store open and query-worker start after imports",
    }
    run.result["reopen"][RAW_DISK] = {
        "start_s": [p["raw_read_only_s"] for p in reopen_parts],
        "start_p50_s": statistics.median(p["raw_read_only_s"] for p in reopen_parts),
        "what": "pyoxigraph.Store.read_only(path) + len(), after imports",
    }
    log(f"{run.label}: service start on existing store p50 {statistics.median(starts):.2f} s")


def phase_oxigraph(run: SizeRun) -> None:
    """Time ``oxigraph load`` per file into a scratch store; serve a copy of the service's store."""
    from graph.loader import content_sources

    scratch = run.store("oxigraph-load")
    shutil.rmtree(scratch, ignore_errors=True)
    total, peak = 0.0, 0
    for path, graph in content_sources(REPOSITORY / "ontology", run.data):
        seconds, rss = procs.run_timed(
            [run.args.oxigraph, "load", "--location", str(scratch), "--file", path, "--graph", graph],
            run.logs / "oxigraph-load.log",
        )
        total, peak = total + seconds, max(peak, rss)
    shutil.rmtree(scratch, ignore_errors=True)
    run.result["load"][OXIGRAPH] = {
        "load_s": total,
        "peak_kib": peak,
        "what": "`oxigraph load --file F --graph G` once per file, summed",
    }
    starts = []
    rounds = max(3, run.args.rounds)
    for i in range(rounds):
        server, seconds = start_oxigraph(run, run.store("oxigraph"), "oxigraph.log")
        starts.append(seconds)
        if i < rounds - 1:
            server.close()
    run.systems[OXIGRAPH] = server
    run.result["reopen"][OXIGRAPH] = {
        "start_s": starts,
        "start_p50_s": statistics.median(starts),
        "what": "spawn of `oxigraph serve-read-only` on the existing store to first answer",
    }
    log(f"{run.label}: oxigraph load {total:.2f} s, start p50 {statistics.median(starts):.3f} s")


def phase_thin_and_raw(run: SizeRun) -> None:
    """Start the thin proxy and the two raw children."""
    port = procs.free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    process, seconds = procs.timed_start(
        [PYTHON, str(BENCH / "children.py"), "thin", "--store", str(run.store("read-only")), "--port", str(port)],
        run.logs / "thin.log",
        url,
        timeout=run.args.start_timeout,
        cwd=REPOSITORY,
        params={"query": "ASK {}"},
    )
    run.systems[THIN] = HttpSparql(THIN, url, process, run.args.timeout)
    run.result["reopen"][THIN] = {
        "start_s": [seconds],
        "start_p50_s": seconds,
        "what": "spawn of the thin proxy on the existing store to first answer",
    }
    common = ["--ontology", str(REPOSITORY / "ontology"), "--data", str(run.data)]
    memory = start_raw(RAW_MEMORY, ["--mode", "memory", *common], run.logs / "raw-memory.log", run.args.start_timeout)
    run.systems[RAW_MEMORY] = memory
    run.result["load"][RAW_MEMORY] = {
        "load_s": memory.ready["load_s"],
        "peak_kib": memory.ready["maxrss_kib"],
        "triples": memory.ready["triples"],
        "what": "Store() + store.load(path, to_graph) per file",
    }
    scratch = run.store("raw-bulk")
    shutil.rmtree(scratch, ignore_errors=True)
    disk = start_raw(
        RAW_DISK,
        ["--mode", "disk", *common, "--store", str(scratch), "--query-store", str(run.store("read-only"))],
        run.logs / "raw-disk.log",
        run.args.start_timeout,
    )
    run.systems[RAW_DISK] = disk
    shutil.rmtree(scratch, ignore_errors=True)
    run.result["load"][RAW_DISK] = {
        "load_s": disk.ready["load_s"],
        "peak_kib": disk.ready["maxrss_kib"],
        "triples": disk.ready["triples"],
        "what": "Store(path) + store.bulk_load(path, to_graph) per file + flush",
    }
    log(f"{run.label}: raw loads memory {memory.ready['load_s']:.2f} s, disk {disk.ready['load_s']:.2f} s")


def phase_rdflib(run: SizeRun, workloads: list[Workload]) -> None:
    """Start rdflib-endpoint (load time from the child, start = spawn to first answer)."""
    if run.args.no_rdflib or run.target > parse_size(run.args.rdflib_max):
        run.result["load"][RDFLIB] = {
            "skipped": f"size above --rdflib-max {run.args.rdflib_max}" if not run.args.no_rdflib else "--no-rdflib"
        }
        return
    port = procs.free_port()
    ready_file = run.root / "rdflib-ready.json"
    ready_file.unlink(missing_ok=True)
    preflight = run.root / "rdflib-preflight.json"
    chosen = [w for w in workloads if run.args.rdflib_catalogue or w.source != "queries"]
    preflight.write_text(json.dumps({w.name: w.text(0) for w in chosen}))
    log(
        f"{run.label}: rdflib-endpoint: parsing into an rdflib Dataset (slow), then a preflight of "
        f"{len(chosen)} queries ({run.args.rdflib_preflight_timeout:g} s limit each)"
    )
    process, seconds = procs.timed_start(
        [
            PYTHON,
            str(BENCH / "children.py"),
            "rdflib",
            "--ontology",
            str(REPOSITORY / "ontology"),
            "--data",
            str(run.data),
            "--port",
            str(port),
            "--ready-file",
            str(ready_file),
            "--preflight",
            str(preflight),
            "--preflight-timeout",
            str(run.args.rdflib_preflight_timeout),
        ],
        run.logs / "rdflib.log",
        f"http://127.0.0.1:{port}/",
        timeout=run.args.rdflib_timeout,
        cwd=REPOSITORY,
        params={"query": "ASK {}"},
        headers=ACCEPT,
    )
    ready = json.loads(ready_file.read_text())
    run.systems[RDFLIB] = HttpSparql(RDFLIB, f"http://127.0.0.1:{port}/", process, run.args.rdflib_request_timeout)
    run.rdflib_skip = {w.name: "not sent: catalogue query (--rdflib-catalogue sends them)" for w in workloads if w not in chosen}
    for name, outcome in ready["preflight"].items():
        if not isinstance(outcome, float | int):
            run.rdflib_skip[name] = f"not sent: preflight {outcome}" + (
                f" (> {run.args.rdflib_preflight_timeout:g} s)" if outcome == "timeout" else ""
            )
    run.result["rdflib_preflight"] = ready["preflight"]
    run.result["load"][RDFLIB] = {
        "load_s": ready["load_s"],
        "peak_kib": ready["maxrss_kib"],
        "triples": ready["triples"],
        "start_s": seconds,
        "what": "Dataset(default_union=True).graph(g).parse(file) per file",
    }
    run.result["reopen"][RDFLIB] = {
        "what": f"no on-disk store: a restart parses the files again (spawn to first "
        f"answer was {seconds:.1f} s, with the preflight)"
    }
    log(f"{run.label}: rdflib loaded in {ready['load_s']:.1f} s")


# ---------------------------------------------------------------------------- service routes
def discover_routes(service: HttpSparql) -> dict[str, str | None]:
    """Paths of the duty-bearer route and the views route in the service's OpenAPI, if any."""
    base = service.url.rsplit("/", 1)[0]
    found: dict[str, str | None] = {"duty_bearers": None, "views": None, "view": None}
    try:
        paths = service.client.get(f"{base}/openapi.json").json().get("paths", {})
    except (httpx.HTTPError, ValueError):
        return found
    for path, operations in paths.items():
        if "get" not in operations:
            continue
        if "duty-bearers" in path and "{" in path:
            found["duty_bearers"] = path
        elif path.rstrip("/") == "/views":
            found["views"] = path
        elif path.startswith("/views/{"):
            found["view"] = path
    return found


def _fill(template: str, value: str) -> str:
    start, end = template.index("{"), template.index("}")
    return template[:start] + value + template[end + 1 :]


class Route(System):
    """A GET route of the service, timed like the SPARQL calls."""

    def __init__(
        self, name: str, base: str, paths: list[str], params: list[dict[str, str]], client: httpx.Client, timeout: float
    ) -> None:
        self.name, self.base, self.paths, self.params, self.client, self.timeout = name, base, paths, params, client, timeout
        self.bytes = 0
        self.calls = 0

    def run(self, i: int, n: int, budget: float) -> tuple[list[float], str | None]:
        """Call variants i, i+1, … up to n times or until the budget is spent."""
        times: list[float] = []
        started = time.perf_counter()
        for k in range(n):
            path = self.paths[(i + k) % len(self.paths)]
            params = self.params[(i + k) % len(self.params)] if self.params else None
            t0 = time.perf_counter()
            try:
                response = self.client.get(self.base + path, params=params, timeout=self.timeout)
            except httpx.HTTPError as error:
                return times, f"{type(error).__name__}: {error}"
            elapsed = time.perf_counter() - t0
            if response.status_code != 200:
                return times, f"HTTP {response.status_code}: {response.text[:200]}"
            times.append(elapsed)
            self.bytes, self.calls = self.bytes + len(response.content), self.calls + 1
            if time.perf_counter() - started > budget:
                break
        return times, None


def build_routes(run: SizeRun, catalogue: list[Workload], samples: dict[str, list[str]]) -> dict[str, Route | str]:
    """The service routes to time, or why each is not available."""
    service = run.systems[SERVICE]
    assert isinstance(service, HttpSparql)
    base = service.url.rsplit("/", 1)[0]
    found = discover_routes(service)
    routes: dict[str, Route | str] = {}
    template = found["duty_bearers"] or "/practices/{id}/duty-bearers"
    slugs = [p.rsplit("/", 1)[-1] for p in samples["practices"]]
    available = None
    for style in (slugs, [quote(p, safe="") for p in samples["practices"]]):
        probe = [service.client.get(base + _fill(template, s)).status_code for s in style[:3]]
        if any(code == 200 for code in probe):
            available = style
            break
    name = f"GET {template}"
    if available:
        routes["duty_bearers_route"] = Route(
            name, base, [_fill(template, s) for s in available], [], service.client, run.args.timeout
        )
    else:
        routes["duty_bearers_route"] = (
            f"not available (404 for every sample practice at {template})"
            if found["duty_bearers"] is None
            else f"not available ({template} answered no sample with 200)"
        )
    view_names: list[str] = []
    formats: list[str] = []
    if found["views"]:
        try:
            listing = service.client.get(base + found["views"]).json()
            items = listing if isinstance(listing, list) else listing.get("views", [])
            view_names = [v["name"] if isinstance(v, dict) else str(v) for v in items]
            if isinstance(listing, dict):
                formats = [f["name"] if isinstance(f, dict) else str(f) for f in listing.get("formats", [])]
        except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError):
            view_names = []
    if not view_names:
        routes["view_export"] = "not available (no GET /views listing views in the OpenAPI)"
    else:
        view = "whole" if "whole" in view_names else view_names[0]
        path = _fill(found["view"] or "/views/{name}", view)
        # an export of the whole graph is large: one call per round, and a long time limit
        for fmt in [f for f in ("graphml", "cyjs") if f in formats] or formats[:1] or ["graphml"]:
            routes[f"view_export_{fmt}"] = Route(
                f"GET {path}?format={fmt}", base, [path], [{"format": fmt}], service.client, run.args.view_timeout
            )
    for workload in catalogue:
        routes[f"queries:{workload.name}"] = Route(
            f"GET {workload.route}", base, [workload.route or ""], workload.route_params, service.client, run.args.timeout
        )
    return routes


# ---------------------------------------------------------------------------- measurement
def rotate(items: list[str], k: int) -> list[str]:
    """The list rotated by k (to interleave the order of systems across rounds)."""
    k %= max(1, len(items))
    return items[k:] + items[:k]


def warm_up_queries(
    run: SizeRun, workloads: list[Workload], names: list[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, str]]]:
    """One call of every query on every system, counting its rows; (rows, errors) by query and system.

    A query rdflib is not to be sent is recorded as an error of rdflib (its reason), so no round sends it.
    """
    rows: dict[str, dict[str, Any]] = {w.name: {} for w in workloads}
    errors: dict[str, dict[str, str]] = {w.name: {} for w in workloads}
    for workload in workloads:
        for name in names:
            if name == RDFLIB and workload.name in run.rdflib_skip:
                errors[workload.name][name] = run.rdflib_skip[workload.name]
                continue
            budget = run.args.budget
            _times, count, error = run.systems[name].measure(workload.text(0), 1, budget, count=True)
            rows[workload.name][name] = count if error is None else None
            if error:
                errors[workload.name][name] = error
    return rows, errors


def warm_up_routes(run: SizeRun, routes: dict[str, Route]) -> tuple[dict[str, float | None], dict[str, str]]:
    """One call of every route; (seconds of that first call, errors) by route."""
    cold: dict[str, float | None] = {}
    errors: dict[str, str] = {}
    for key, route in routes.items():
        times, error = route.run(0, 1, run.args.budget)
        cold[key] = times[0] if times else None
        if error:
            errors[key] = error
    return cold, errors


def sample_cell(run: SizeRun, name: str, workload: Workload, r: int, errors: dict[str, str]) -> list[float]:
    """Round r's ``--samples`` calls of one query on one system, each on the next variant.

    The cell stops early once its calls add up to the budget (``--budget`` for rdflib, 4x that for the
    others) or at the first error, which goes into ``errors`` under the system's name.
    """
    budget = run.args.budget if name in (RDFLIB,) else run.args.budget * 4
    cell: list[float] = []
    for k in range(run.args.samples):
        times, _rows, error = run.systems[name].measure(workload.text(r * run.args.samples + k + 1), 1, budget)
        if error:
            errors[name] = error
            break
        cell += times
        if sum(cell) > budget:
            break
    return cell


def time_queries_round(
    run: SizeRun,
    workloads: list[Workload],
    names: list[str],
    r: int,
    samples: dict[str, dict[str, list[float]]],
    medians: dict[str, dict[str, list[float]]],
    errors: dict[str, dict[str, str]],
) -> None:
    """Round r: every query on every system that has not failed it, systems in the round's rotated order."""
    for workload in workloads:
        for name in rotate(names, r):
            if name in errors[workload.name]:
                continue
            run.result["loadavg"].setdefault(f"round {r + 1}", loadavg())
            cell = sample_cell(run, name, workload, r, errors[workload.name])
            samples[workload.name][name] += cell
            if cell:
                medians[workload.name][name].append(statistics.median(cell))


def time_routes_round(
    run: SizeRun,
    routes: dict[str, Route],
    r: int,
    samples: dict[str, list[float]],
    medians: dict[str, list[float]],
    errors: dict[str, str],
) -> None:
    """Round r: ``--samples`` calls of every route that has not failed (one call of a view export)."""
    for key in rotate(list(routes), r):
        if key in errors:
            continue
        route = routes[key]
        n = 1 if key.startswith("view_export") else run.args.samples
        times, error = route.run(r * run.args.samples + 1, n, run.args.budget * 4)
        if error:
            errors[key] = error
        samples[key] += times
        if times:
            medians[key].append(statistics.median(times))


def route_results(
    routes: dict[str, Route | str],
    cold: dict[str, float | None],
    errors: dict[str, str],
    samples: dict[str, list[float]],
    medians: dict[str, list[float]],
) -> dict[str, Any]:
    """Each route's statistics, or why it is not available."""
    results: dict[str, Any] = {}
    for key, route in routes.items():
        if isinstance(route, str):
            results[key] = {"available": False, "note": route}
            continue
        results[key] = {
            "available": True,
            "name": route.name,
            "cold_ms": None if cold.get(key) is None else round(cold[key] * 1000, 3),  # type: ignore[operator]
            "error": errors.get(key),
            "bytes_per_call": route.bytes // max(1, route.calls),
            **summarise(samples[key], medians[key]),
        }
    return results


def phase_latency(run: SizeRun, workloads: list[Workload], routes: dict[str, Route | str]) -> None:
    """Warm up (and count rows), then rounds of interleaved, bounded samples."""
    names = [s for s in SYSTEM_ORDER if s in run.systems]
    samples: dict[str, dict[str, list[float]]] = {w.name: {s: [] for s in names} for w in workloads}
    medians: dict[str, dict[str, list[float]]] = {w.name: {s: [] for s in names} for w in workloads}
    log(f"{run.label}: warm-up and row counts")
    rows, errors = warm_up_queries(run, workloads, names)
    timed = {k: v for k, v in routes.items() if isinstance(v, Route)}
    route_samples: dict[str, list[float]] = {k: [] for k in timed}
    route_medians: dict[str, list[float]] = {k: [] for k in timed}
    route_cold, route_errors = warm_up_routes(run, timed)
    for r in range(run.args.rounds):
        log(f"{run.label}: latency round {r + 1}/{run.args.rounds}")
        time_queries_round(run, workloads, names, r, samples, medians, errors)
        time_routes_round(run, timed, r, route_samples, route_medians, route_errors)
    run.result["latency"] = {
        w.name: {
            "source": w.source,
            "variants": len(w.variants),
            "rows": rows[w.name],
            "errors": errors[w.name],
            "systems": {s: summarise(samples[w.name][s], medians[w.name][s]) for s in names},
        }
        for w in workloads
    }
    run.result["routes"] = route_results(routes, route_cold, route_errors, route_samples, route_medians)


async def _load(
    targets: list[tuple[str, dict[str, str] | None]], total: int, concurrency: int, timeout: float, wall: float
) -> dict[str, Any]:
    """A bounded closed-loop load: ``concurrency`` clients share ``total`` requests (stop after ``wall`` s)."""
    latencies: list[float] = []
    failures = 0
    next_index = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=timeout, headers=ACCEPT) as client:
        started = time.perf_counter()

        async def worker() -> None:
            nonlocal failures
            for i in next_index:
                if time.perf_counter() - started > wall:
                    return
                url, params = targets[i % len(targets)]
                t0 = time.perf_counter()
                try:
                    response = await client.get(url, params=params)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    failures += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "ok": len(latencies),
        "failed": failures,
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0,
        "p50_ms": round(statistics.median(latencies) * 1000, 3) if latencies else None,
        "p99_ms": round((percentile(latencies, 99) or 0) * 1000, 3) if latencies else None,
    }


def phase_throughput(run: SizeRun, duty: Workload, routes: dict[str, Route | str]) -> None:
    """Duty-bearer requests at fixed concurrency against each HTTP system, rounds interleaved."""
    targets: dict[str, list[tuple[str, dict[str, str] | None]]] = {}
    for name in (SERVICE, THIN, OXIGRAPH, RDFLIB):
        system = run.systems.get(name)
        if isinstance(system, HttpSparql):
            targets[name] = [(system.url, {"query": duty.text(i)}) for i in range(len(duty.variants))]
    route = routes.get("duty_bearers_route")
    if isinstance(route, Route):
        targets["service route"] = [(route.base + p, None) for p in route.paths]
    results: dict[str, list[dict[str, Any]]] = {k: [] for k in targets}
    for r in range(run.args.rounds):
        log(f"{run.label}: throughput round {r + 1}/{run.args.rounds}")
        for name in rotate(list(targets), r):
            total = run.args.requests // 5 if name == RDFLIB else run.args.requests
            results[name].append(
                asyncio.run(
                    _load(targets[name], total, run.args.concurrency, run.args.rdflib_request_timeout, run.args.budget * 5)
                )
            )
    run.result["throughput"] = {
        name: {
            "rounds": rounds,
            "rps_p50": statistics.median(x["rps"] for x in rounds),
            "p50_ms": statistics.median(x["p50_ms"] for x in rounds if x["p50_ms"] is not None)
            if any(x["p50_ms"] is not None for x in rounds)
            else None,
            "failed": sum(x["failed"] for x in rounds),
        }
        for name, rounds in results.items()
    }
    run.result["throughput_setup"] = {
        "concurrency": run.args.concurrency,
        "requests": run.args.requests,
        "rdflib_requests": run.args.requests // 5,
        "query": DUTY_BEARERS,
    }


def phase_memory(run: SizeRun) -> None:
    """Peak RSS of every system after the measurements."""
    for name, system in run.systems.items():
        if isinstance(system, HttpSparql | RawChild):
            try:
                run.result["memory"][name] = system.memory()
            except (RuntimeError, OSError, ValueError) as error:
                run.result["memory"][name] = {"error": str(error)}


def run_size(label: str, args: argparse.Namespace) -> dict[str, Any]:
    """Every phase for one size; systems are stopped whatever happens."""
    target = parse_size(label)
    run = SizeRun(size_label(target), target, args.seed, args.workdir / f"{size_label(target)}-s{args.seed}", args)
    run.result = {
        "size": run.label,
        "target": target,
        "seed": args.seed,
        "load": {},
        "reopen": {},
        "memory": {},
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    run.logs.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    manifest = prepare_data(run)
    run.result["triples_generated"] = manifest["triples"]
    run.result["files"] = len(manifest["files"])
    run.result["nodes"] = manifest["nodes"]
    samples = manifest["samples"]
    workloads = bench_workloads(samples, REPOSITORY / "queries")
    catalogue, skipped = catalogue_workloads(REPOSITORY / "queries", samples)
    run.result["catalogue_skipped"] = skipped
    try:
        run.result["loadavg"] = {"start": loadavg()}
        phase_service(run)
        phase_oxigraph(run)
        phase_thin_and_raw(run)
        phase_rdflib(run, workloads + catalogue)
        routes = build_routes(run, catalogue, samples)
        run.result["loadavg"]["before latency"] = loadavg()
        phase_latency(run, workloads + catalogue, routes)
        run.result["loadavg"]["after latency"] = loadavg()
        phase_throughput(run, next(w for w in workloads if w.name == DUTY_BEARERS), routes)
        run.result["loadavg"]["after throughput"] = loadavg()
        phase_memory(run)
    finally:
        for system in list(run.systems.values()):
            system.close()
        run.systems.clear()
        if not args.keep:
            shutil.rmtree(run.root / "stores", ignore_errors=True)
    run.result["seconds"] = round(time.perf_counter() - started, 1)
    log(f"{run.label}: done in {run.result['seconds']} s")
    return run.result


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run each size, write results.json and RESULTS.md."""
    import report

    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    parser.add_argument("--sizes", default="100k", help="comma-separated sizes: 100k, 1M, 5M (default 100k)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    parser.add_argument("--samples", type=int, default=8, help="calls per query, system and round (default 8)")
    parser.add_argument(
        "--budget",
        type=float,
        default=3.0,
        help="seconds after which a slow system's cell stops early (rdflib; others get 4x) (default 3)",
    )
    parser.add_argument("--requests", type=int, default=200, help="throughput requests per system and round (default 200)")
    parser.add_argument("--concurrency", type=int, default=8, help="throughput concurrency (default 8)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request timeout and SKG_QUERY_TIMEOUT (default 60)")
    parser.add_argument(
        "--view-timeout", type=float, default=600.0, help="per-request timeout of the view exports (the whole graph; default 600)"
    )
    parser.add_argument(
        "--warm-up-timeout",
        type=float,
        default=900.0,
        help="seconds to wait for the service's background warm-up to go quiet (default 900)",
    )
    parser.add_argument("--rdflib-max", default="1M", help="largest size rdflib-endpoint is run at (default 1M)")
    parser.add_argument("--rdflib-timeout", type=float, default=3600.0, help="seconds rdflib may take to load")
    parser.add_argument("--rdflib-request-timeout", type=float, default=120.0, help="per-request timeout for rdflib")
    parser.add_argument("--no-rdflib", action="store_true", help="skip rdflib-endpoint")
    parser.add_argument(
        "--rdflib-catalogue",
        action="store_true",
        help="also send rdflib the catalogue queries (most take more than 30 s there even at 100k)",
    )
    parser.add_argument(
        "--rdflib-preflight-timeout",
        type=float,
        default=30.0,
        help="seconds a query may take in rdflib's preflight before it is left out for rdflib (default 30)",
    )
    parser.add_argument("--start-timeout", type=float, default=3600.0, help="seconds a server may take to start")
    parser.add_argument(
        "--oxigraph", default=shutil.which("oxigraph") or str(Path(PYTHON).parent / "oxigraph"), help="the oxigraph CLI"
    )
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "skg-bench", help="data, stores and logs")
    parser.add_argument("--keep", action="store_true", help="keep the stores after the run")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md", help="report to write")
    args = parser.parse_args(argv)
    procs.install_signal_handlers()
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results = {"command": command, "machine": report.machine(args.oxigraph), "sizes": []}
    try:
        for label in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            results["sizes"].append(run_size(label, args))
            (BENCH / "results.json").write_text(json.dumps(results, indent=1) + "\n")
            args.output.write_text(report.render(results))
    finally:
        procs.stop_all()
    log(f"wrote {args.output} and {BENCH / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
