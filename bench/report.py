"""Render bench/results.json as bench/RESULTS.md: machine, versions, targets with PASS/MISS, tables."""

from __future__ import annotations

import importlib.metadata
import json
import math
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
PACKAGES = ["pyoxigraph", "rdflib", "rdflib-endpoint", "fastapi", "uvicorn", "starlette", "httpx", "networkx"]
SYSTEMS = ["service", "thin", "oxigraph", "raw-memory", "raw-disk", "rdflib"]
SYSTEM_NOTES = {
    "service": "our service: `python -m api serve`, SKG_STORE=directory, 2 query workers",
    "thin": "pyoxigraph + FastAPI/uvicorn, one `/sparql` route, read-only copy of the same store",
    "oxigraph": "`oxigraph serve-read-only --union-default-graph` on a copy of the same store",
    "raw-memory": "pyoxigraph in-process, in-memory store (query + JSON serialisation, no HTTP)",
    "raw-disk": "pyoxigraph in-process, read-only copy of the same on-disk store (no HTTP)",
    "rdflib": "rdflib-endpoint (SparqlEndpoint) on an rdflib Dataset in memory",
}
DESIGN_BASELINE = (
    "raw pyoxigraph 16.9 ms (memory) / 38.9 ms (disk), oxigraph server 26.9 / 58.6 ms, "
    "a thin FastAPI proxy 22.2 ms, rdflib-endpoint 157 ms (DESIGN.md, 1M, duty-bearer query)"
)


def _run(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(oxigraph_cli: str) -> dict[str, Any]:
    """CPU, cores, RAM, kernel and the versions of everything measured."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = next(
            int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
        )
    except (OSError, StopIteration):
        mem_kib = 0
    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "not installed"
    versions["oxigraph (CLI)"] = _run([oxigraph_cli, "--version"]).replace("oxigraph ", "") or "not found"
    commit = _run(["git", "-C", str(REPOSITORY), "rev-parse", "--short", "HEAD"])
    dirty = bool(_run(["git", "-C", str(REPOSITORY), "status", "--porcelain"]))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": platform.platform(terse=True),
        "versions": versions,
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _mib(kib: int | None) -> str:
    return "–" if not kib else f"{kib / 1024:.0f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if not a or not b else a / b


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def _p50(size: dict[str, Any], query: str, system: str) -> float | None:
    value: float | None = size.get("latency", {}).get(query, {}).get("systems", {}).get(system, {}).get("p50_ms")
    return value


def targets(size: dict[str, Any]) -> list[dict[str, Any]]:
    """The DESIGN.md targets, measured on one size."""
    duty = "duty_bearers"
    service, thin, oxi, rdf = (_p50(size, duty, s) for s in ("service", "thin", "oxigraph", "rdflib"))
    paths, paths_oxi = (_p50(size, "duty_bearers_paths", s) for s in ("service", "oxigraph"))
    ratios = []
    for query in size.get("latency", {}):
        r = _ratio(_p50(size, query, "service"), _p50(size, query, "thin"))
        if r:
            ratios.append(r)
    geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else None
    worst = max(ratios) if ratios else None
    route = size.get("routes", {}).get("duty_bearers_route", {})
    start = size.get("reopen", {}).get("service", {}).get("start_p50_s")
    open_runtime = size.get("reopen", {}).get("service", {}).get("open_runtime_p50_s")

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("PASS" if ok else "MISS")

    rows = [
        {
            "target": "/sparql p50 within 1.3x of raw pyoxigraph + HTTP (duty-bearer query; reference: thin)",
            "measured": f"{_ms(service)} ms vs {_ms(thin)} ms",
            "ratio": _x(_ratio(service, thin)),
            "verdict": verdict(None if _ratio(service, thin) is None else _ratio(service, thin) <= 1.3),  # type: ignore[operator]
        },
        {
            "target": "/sparql p50 within 1.3x of raw pyoxigraph + HTTP (geometric mean over all queries; worst)",
            "measured": f"{len(ratios)} queries, worst {_x(worst)}",
            "ratio": _x(geo),
            "verdict": verdict(None if geo is None else geo <= 1.3),
        },
        {
            "target": "(for reference) /sparql p50 vs oxigraph server, duty-bearer query",
            "measured": f"{_ms(service)} ms vs {_ms(oxi)} ms",
            "ratio": _x(_ratio(service, oxi)),
            "verdict": "info",
        },
        {
            "target": "(for reference) the same with the duty-bearer query's alternatives as property paths "
            "(duty_bearers_paths): service vs oxigraph server",
            "measured": f"{_ms(paths)} ms vs {_ms(paths_oxi)} ms",
            "ratio": _x(_ratio(paths, paths_oxi)),
            "verdict": "info",
        },
        {
            "target": "duty-bearer query no slower than `oxigraph serve(-read-only)` on the same storage",
            "measured": f"{_ms(service)} ms vs {_ms(oxi)} ms",
            "ratio": _x(_ratio(service, oxi)),
            "verdict": verdict(None if _ratio(service, oxi) is None else _ratio(service, oxi) <= 1.0),  # type: ignore[operator]
        },
        {
            "target": "duty-bearer query at least 10x faster than rdflib-endpoint",
            "measured": f"{_ms(rdf)} ms vs {_ms(service)} ms",
            "ratio": _x(_ratio(rdf, service)),
            "verdict": verdict(None if _ratio(rdf, service) is None else _ratio(rdf, service) >= 10),  # type: ignore[operator]
        },
    ]
    if route.get("available"):
        rows.append(
            {
                "target": "/practices/{id}/duty-bearers p50 under 50 ms on disk",
                "measured": f"{_ms(route.get('p50_ms'))} ms (p99 {_ms(route.get('p99_ms'))})",
                "ratio": _x(_ratio(route.get("p50_ms"), 50.0)),
                "verdict": verdict(None if route.get("p50_ms") is None else route["p50_ms"] < 50),
            }
        )
    else:
        rows.append(
            {
                "target": "/practices/{id}/duty-bearers p50 under 50 ms on disk",
                "measured": route.get("note", "not measured"),
                "ratio": "–",
                "verdict": "not available",
            }
        )
    rows.append(
        {
            "target": "startup on an existing store under 1 s (spawn of `python -m api serve` to first answer)",
            "measured": f"{start:.2f} s (open_runtime alone {open_runtime:.2f} s)" if start and open_runtime else "–",
            "ratio": _x(_ratio(start, 1.0)),
            "verdict": verdict(None if start is None else start < 1.0),
        }
    )
    return rows


def _size_heading(size: dict[str, Any]) -> list[str]:
    """The size's title line and how long the run took, with the store's size on disk."""
    return [
        f"## {size['size']}: {size.get('triples_generated', 0):,} generated triples in {size.get('files', 0)} files "
        f"(+ ontology), seed {size['seed']}",
        "",
        f"Run took {size.get('seconds', '?')} s; on-disk store {size.get('store_bytes', 0) / 1024 / 1024:.0f} MiB "
        f"({size.get('store_bytes_after_load', 0) / 1024 / 1024:.0f} MiB right after loading, most of it the "
        "write-ahead log, until the first read-write reopen).",
        "",
    ]


def _targets_table(size: dict[str, Any]) -> list[str]:
    out = ["### Targets", "", "| target | measured | ratio | verdict |", "|---|---|---|---|"]
    return out + [f"| {t['target']} | {t['measured']} | {t['ratio']} | **{t['verdict']}** |" for t in targets(size)]


def _load_row(size: dict[str, Any], system: str) -> str | None:
    """One system's row of the load, start and memory table (None: the system was not run)."""
    load = size.get("load", {}).get(system, {})
    reopen = size.get("reopen", {}).get(system, {})
    memory = size.get("memory", {}).get(system, {})
    if load.get("skipped"):
        return f"| {system} | skipped: {load['skipped']} | | | | |"
    if not load and not reopen:
        return None
    load_s = f"{load['load_s']:.2f}" if "load_s" in load else "(copy)"
    start = f"{reopen['start_p50_s']:.3f}" if "start_p50_s" in reopen else "–"
    how = "; ".join(x for x in (load.get("what"), reopen.get("what")) if x)
    return f"| {system} | {load_s} | {_mib(load.get('peak_kib'))} | {start} | {_mib(memory.get('peak_kib'))} | {how} |"


def _load_table(size: dict[str, Any]) -> list[str]:
    out = [
        "",
        "### Load, start and memory",
        "",
        "| system | load (s) | peak RSS while loading (MiB) | start on existing store, p50 (s) | "
        "peak RSS after the queries (MiB) | how |",
        "|---|---|---|---|---|---|",
    ]
    return out + [row for row in (_load_row(size, system) for system in SYSTEMS) if row is not None]


def _service_start_notes(size: dict[str, Any]) -> list[str]:
    """Each round's service start on the existing store, and how long its background warm-up took."""
    out: list[str] = []
    service_reopen = size.get("reopen", {}).get("service", {})
    if service_reopen:
        starts = ", ".join(f"{s:.2f}" for s in service_reopen.get("start_s", []))
        opens = ", ".join(f"{s:.2f}" for s in service_reopen.get("open_runtime_s", []))
        out += [
            "",
            f"Service start on the existing store, each round: {starts} s; of which `open_runtime` "
            f"(fingerprint, open, worker start): {opens} s"
            f"{' (it RELOADED: fingerprint mismatch)' if service_reopen.get('reloaded') else ''}.",
        ]
    warm = size.get("warm_up")
    if warm:
        out += [
            "",
            f"After its last start the service warmed its caches in the background (whole view with layout, "
            f"search index) for {warm['seconds']:.1f} s before its process tree went quiet (RSS then "
            f"{_mib(warm.get('memory', {}).get('rss_kib'))} MiB); the measurements start after that.",
        ]
    return out


def _latency_cell(query: dict[str, Any], system: str) -> str:
    """p50 (p99) of one query on one system, or why there is none."""
    stats = query["systems"].get(system, {})
    if str(query.get("errors", {}).get(system, "")).startswith("not sent"):
        return "n/s"
    if system in query.get("errors", {}):
        return "error"
    return f"{_ms(stats.get('p50_ms'))} ({_ms(stats.get('p99_ms'))})" if stats.get("n") else "–"


def _rows_agreement(query: dict[str, Any]) -> str:
    """The row count the systems agree on, or every system's count when they differ."""
    counts = {v for v in query.get("rows", {}).values() if v is not None}
    if len(counts) == 1:
        return str(next(iter(counts)))
    return "DIFFER " + ", ".join(f"{k}={v}" for k, v in query.get("rows", {}).items())


def _latency_table(size: dict[str, Any], present: list[str]) -> list[str]:
    out = [
        "",
        "### Latency per query (ms): p50 (p99), pooled over rounds",
        "",
        "| query | rows | " + " | ".join(present) + " | service/thin | service/oxigraph | rdflib/service |",
        "|---|---|" + "---|" * len(present) + "---|---|---|",
    ]
    for name, query in size.get("latency", {}).items():
        cells = [_latency_cell(query, system) for system in present]
        p = {s: _p50(size, name, s) for s in ("service", "thin", "oxigraph", "rdflib")}
        label = f"{name}" + (" (catalogue)" if query.get("source") == "queries" else "")
        out.append(
            f"| {label} | {_rows_agreement(query)} | " + " | ".join(cells) + f" | {_x(_ratio(p['service'], p['thin']))} | "
            f"{_x(_ratio(p['service'], p['oxigraph']))} | {_x(_ratio(p['rdflib'], p['service']))} |"
        )
    return out


def _samples_note(size: dict[str, Any], present: list[str]) -> list[str]:
    """The range of samples per cell, for each system."""
    samples = {s: sorted({q["systems"].get(s, {}).get("n", 0) for q in size.get("latency", {}).values()}) for s in present}
    return [
        "",
        "Samples per cell (pooled over rounds): "
        + "; ".join(f"{s} {v[0]}–{v[-1]}" if v and v[0] != v[-1] else f"{s} {v[0] if v else 0}" for s, v in samples.items())
        + ".",
    ]


def _errors_note(size: dict[str, Any]) -> list[str]:
    """Errors of the latency phase (queries not sent to rdflib are not errors)."""
    problems = [
        (name, system, error)
        for name, q in size.get("latency", {}).items()
        for system, error in q.get("errors", {}).items()
        if not str(error).startswith("not sent")
    ]
    if not problems:
        return []
    return ["", "Errors:"] + [f"- {name} on {system}: {error}" for name, system, error in problems]


def _not_sent_note(size: dict[str, Any]) -> list[str]:
    """How many queries were not sent to rdflib-endpoint, and why."""
    unsent = sorted(
        {
            str(error)
            for q in size.get("latency", {}).values()
            for system, error in q.get("errors", {}).items()
            if str(error).startswith("not sent")
        }
    )
    if not unsent:
        return []

    def how_many(reason: str) -> int:
        return sum(1 for q in size["latency"].values() if str(q.get("errors", {}).get("rdflib")) == reason)

    reasons = [f"{how_many(u)} x {u.removeprefix('not sent: ')}" for u in unsent]
    return [
        "",
        "n/s = not sent to rdflib-endpoint, which cannot cancel a running query (it would block every "
        "later request): " + "; ".join(reasons) + ".",
    ]


def _machine_notes(size: dict[str, Any]) -> list[str]:
    """rdflib's preflight times and the machine's load average during the run."""
    out: list[str] = []
    preflight = size.get("rdflib_preflight")
    if preflight:
        out += [
            "",
            "rdflib preflight, first call in-process (s): "
            + ", ".join(f"{k} {v:.2f}" if isinstance(v, float | int) else f"{k} {v}" for k, v in preflight.items())
            + ".",
        ]
    if size.get("loadavg"):
        out += [
            "",
            "Machine load average (1 min) during the run: "
            + ", ".join(f"{k} {v:.2f}" for k, v in size["loadavg"].items())
            + " (2 cores; above ~1 the servers compete with "
            "other work for the CPU).",
        ]
    return out


def _routes_table(size: dict[str, Any]) -> list[str]:
    out = [
        "",
        "### Service routes (ms)",
        "",
        "| route | p50 | p99 | first call | samples | bytes per call | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, route in size.get("routes", {}).items():
        if not route.get("available"):
            out.append(f"| {key} | – | – | – | – | – | {route.get('note')} |")
            continue
        out.append(
            f"| {route['name']} | {_ms(route.get('p50_ms'))} | {_ms(route.get('p99_ms'))} | "
            f"{_ms(route.get('cold_ms'))} | {route.get('n')} | {route.get('bytes_per_call', 0):,} | "
            f"{route.get('error') or ''} |"
        )
    return out


def _throughput_table(size: dict[str, Any]) -> list[str]:
    if not size.get("throughput"):
        return []
    setup = size.get("throughput_setup", {})
    out = [
        "",
        f"### Throughput: duty-bearer query, {setup.get('concurrency')} concurrent clients, "
        f"{setup.get('requests')} requests per round ({setup.get('rdflib_requests')} for rdflib)",
        "",
        "| system | requests/s, p50 of rounds | latency p50 under load (ms) | failed | per round (req/s) |",
        "|---|---|---|---|---|",
    ]
    for name, t in size["throughput"].items():
        per_round = ", ".join(f"{r['rps']:.0f}" for r in t["rounds"])
        out.append(f"| {name} | {t['rps_p50']:.1f} | {_ms(t.get('p50_ms'))} | {t['failed']} | {per_round} |")
    return out


def _generated_notes(size: dict[str, Any]) -> list[str]:
    """The catalogue queries left out, and the generated nodes by class."""
    out: list[str] = []
    if size.get("catalogue_skipped"):
        out += ["", "Catalogue queries not measured: " + "; ".join(size["catalogue_skipped"])]
    nodes = size.get("nodes", {})
    if nodes:
        out += ["", "Generated nodes: " + ", ".join(f"{k} {v:,}" for k, v in nodes.items()) + "."]
    return out


def _size_tables(size: dict[str, Any]) -> list[str]:
    present = [s for s in SYSTEMS if any(s in q.get("systems", {}) for q in size.get("latency", {}).values())]
    return [
        *_size_heading(size),
        *_targets_table(size),
        *_load_table(size),
        *_service_start_notes(size),
        *_latency_table(size, present),
        *_samples_note(size, present),
        *_errors_note(size),
        *_not_sent_note(size),
        *_machine_notes(size),
        *_routes_table(size),
        *_throughput_table(size),
        *_generated_notes(size),
        "",
    ]


def render(results: dict[str, Any]) -> str:
    """The whole report."""
    m = results["machine"]
    versions = m["versions"]
    sizes = results["sizes"]
    out = [
        "# Benchmark results",
        "",
        f"Written by `{results['command']}` (commit {m['commit']}). Regenerate with the same command, "
        "or rewrite this file from the JSON files alone with `python bench/report.py`; "
        "bench/README.md says what each number means. Raw numbers: bench/results.json.",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gib']} GiB; {m['os']}",
        "- " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
        "All traffic is on 127.0.0.1; the load generator shares the CPU with the servers.",
        "",
        "Systems:",
        "",
    ]
    out += [f"- **{name}**: {note}" for name, note in SYSTEM_NOTES.items()]
    out += [
        "",
        "The 1.3x target uses **thin** (pyoxigraph plus HTTP, same store, same Python web stack) as "
        '"raw pyoxigraph plus HTTP"; the ratio to the Oxigraph server is shown beside it.',
        "",
        f"DESIGN.md baseline for comparison: {DESIGN_BASELINE}.",
        "",
    ]
    if sizes:
        out += [
            "## Targets by size",
            "",
            "| target | " + " | ".join(s["size"] for s in sizes) + " |",
            "|---|" + "---|" * len(sizes),
        ]
        per_size = [targets(s) for s in sizes]
        for i, row in enumerate(per_size[0]):
            out.append(
                f"| {row['target']} | "
                + " | ".join(
                    f"{t[i]['ratio']} **{t[i]['verdict']}**" if t[i]["ratio"] != "–" else f"**{t[i]['verdict']}**"
                    for t in per_size
                )
                + " |"
            )
        out.append("")
    for size in sizes:
        out += _size_tables(size)
    out += other_benchmarks(Path(__file__).resolve().parent)
    return "\n".join(out)


def _views_tables(runs: dict[str, Any]) -> list[str]:
    out = ["### Views of a big graph (`views.py`, `views.json`)", ""]
    for label, run in runs.items():
        settings = ", ".join(f"{k}={v}" for k, v in run.get("settings", {}).items() if k not in ("SKG_STORE", "SKG_DATA_DIR"))
        out += [
            f"{label}: {run.get('triples') or 0:,} triples; first start (load) {run.get('first_start_s', 0):.0f} s, "
            f"restart {run.get('restart_s', 0):.1f} s; {settings or 'default settings'}.",
            "",
            "| request | status | first byte (s) | total (s) | MiB | peak RSS of the service's processes (MiB) |",
            "|---|---|---|---|---|---|",
        ]
        for name, r in run.get("requests", {}).items():
            status = f"{r['status']}" + (f" `{r['error']['error']}`" if r.get("error") else "")
            cache = f" ({r['x_cache']})" if r.get("x_cache") else ""
            out.append(f"| {name}{cache} | {status} | {r['first_byte_s']} | {r['total_s']} | {r['mib']} | {r['peak_rss_mib']} |")
        out.append("")
    return out


def _fps_table(fps: dict[str, Any]) -> list[str]:
    out: list[str] = []
    out += [
        "### Viewer frames per second (`viewer_fps.py`, `viewer_fps.json`), headless Chromium, software WebGL",
        "",
        "| run | nodes | links | while moving, frame reuse (trace fps) | every frame drawn (trace fps) |",
        "|---|---|---|---|---|",
    ]
    for name, run in fps.items():
        if "canvas" in run:  # the Cytoscape canvas renderer draws every frame
            moving = live = run["canvas"].get("trace", {}).get("fps", "–")
        else:
            moving, live = run["picture"]["trace"]["fps"], run["live"]["trace"]["fps"]
        out.append(f"| {name} | {run['nodes']:,} | {run['links']:,} | {moving} | {live} |")
    out.append("")
    return out


def other_benchmarks(folder: Path) -> list[str]:
    """The figures of the benchmarks with their own command and JSON file, as last written."""

    def read(name: str) -> Any:
        path = folder / name
        return json.loads(path.read_text()) if path.exists() else None

    out = ["## Other benchmarks", "", "Each has its own command (bench/README.md); these are the figures it last wrote.", ""]
    if views := read("views.json"):
        out += _views_tables(views)
    caches = [(name, cache) for name in ("cache.json", "cache-1M.json") if (cache := read(name))]
    if caches:
        out += [
            "### Cold and warm `/sparql`: the duty-bearer query, p50 (`cache.py`)",
            "",
            "| file | data | oxigraph serve | service, computed | service, answer cache | service, 304 |",
            "|---|---|---|---|---|---|",
        ]
        for name, cache in caches:
            p50 = cache["p50_ms"]
            data = "bundled" if cache["data"] == "data" and name == "cache.json" else name.removeprefix("cache-")[:-5]
            out.append(
                f"| `{name}` | {data} | {p50['oxigraph']} ms | {p50['cold']} ms | {p50['warm']} ms | {p50['revalidated']} ms |"
            )
        out.append("")
    if mixed := read("mixed.json"):
        out += [
            f"### Mixed load (`mixed.py`, `mixed.json`): {mixed['requests']:,} requests, {mixed['clients']} clients",
            "",
            "| | req/s | p50 (ms) | p99 (ms) | failed |",
            "|---|---|---|---|---|",
        ]
        for phase in ("cold", "cached"):
            r = mixed[phase]
            out.append(f"| {phase} | {r['rps']} | {r['p50_ms']} | {r['p99_ms']} | {sum(r['failed'].values()) or 0} |")
        out.append("")
    if fairness := read("fairness.json"):
        idle, flooded = fairness["idle"], fairness["flooded"]
        out += [
            "### Fairness (`fairness.py`, `fairness.json`): cheap requests while one client floods `/sparql`",
            "",
            "| request | idle p50 / p90 (ms) | flooded p50 / p90 (ms) |",
            "|---|---|---|",
        ]
        for name in ("ask", "duty_bearers"):
            calm, busy = idle[name], flooded[name]
            out.append(f"| {name} | {calm['p50_ms']} / {calm['p90_ms']} | {busy['p50_ms']} / {busy['p90_ms']} |")
        out.append("")
    if fps := read("viewer_fps.json"):
        out += _fps_table(fps)
    return out


def main(argv: list[str] | None = None) -> int:
    """Write RESULTS.md again from results.json and the other benchmarks' files, without running anything."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--results", type=Path, default=Path(__file__).resolve().parent / "results.json")
    parser.add_argument("--output", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    args = parser.parse_args(argv)
    args.output.write_text(render(json.loads(args.results.read_text())))
    return 0


__all__ = ["machine", "main", "other_benchmarks", "render", "targets"]


if __name__ == "__main__":
    raise SystemExit(main())
