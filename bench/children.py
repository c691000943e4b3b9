"""The reference systems the benchmark runs in their own processes.

``python bench/children.py MODE ...``:

* ``raw``: pyoxigraph in-process, the floor. Loads the files into a memory
  store, or bulk-loads them into a fresh on-disk store (load time), then
  answers timing commands on stdin with one JSON line each. A disk child then
  queries ``--query-store`` (a read-only copy of the service's store) so that
  every disk system reads the same storage.
* ``thin``: pyoxigraph plus HTTP, nothing else: a FastAPI ``/sparql`` route that
  runs the query on a read-only store in the thread pool and returns pyoxigraph's
  own JSON serialisation. The reference for "within 1.3x of raw pyoxigraph plus HTTP".
* ``rdflib``: the Python peer, rdflib-endpoint's ``SparqlEndpoint`` on an rdflib
  ``Dataset`` (union default graph), one named graph per file as the service.
* ``reopen``: times, after imports, opening an existing on-disk store: raw
  ``pyoxigraph.Store.read_only`` and the service's own ``open_runtime``.

Every mode prints one JSON line on stdout when ready; times are seconds,
memory ``maxrss_kib`` is this process's peak RSS (``getrusage``).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))


def maxrss_kib() -> int:
    """Peak RSS of this process in KiB."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def sources(ontology: Path, data: Path) -> list[tuple[str, str]]:
    """(file, named graph) pairs, as the service's loader names them."""
    from graph.loader import content_sources

    return list(content_sources(ontology, data))


def say(message: dict[str, object]) -> None:
    """One JSON line on stdout."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def run_raw(args: argparse.Namespace) -> None:
    """Load, then answer {"op": "query", "text": ..., "n": k} lines with timings."""
    import pyoxigraph as ox

    started = time.perf_counter()
    if args.mode == "memory":
        store = ox.Store()
        for path, graph in sources(args.ontology, args.data):
            store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    else:
        store = ox.Store(str(args.store))
        for path, graph in sources(args.ontology, args.data):
            store.bulk_load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
        store.flush()
    load_s = time.perf_counter() - started
    triples = len(store)
    load_rss = maxrss_kib()
    if args.mode == "disk" and args.query_store:
        del store
        opened = time.perf_counter()
        store = ox.Store.read_only(str(args.query_store))
        open_s = time.perf_counter() - opened
    else:
        open_s = None
    say({"event": "ready", "load_s": load_s, "open_s": open_s, "triples": triples, "maxrss_kib": load_rss})
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "quit":
            break
        if command["op"] == "rss":
            say({"maxrss_kib": maxrss_kib()})
            continue
        times, rows, error = [], 0, None
        for _ in range(int(command.get("n", 1))):
            t0 = time.perf_counter()
            try:
                result = store.query(command["text"], use_default_graph_as_union=True)
                body = result.serialize(format=ox.QueryResultsFormat.JSON)
            except (SyntaxError, OSError, RuntimeError, ValueError) as problem:
                error = f"{type(problem).__name__}: {problem}"
                break
            times.append(time.perf_counter() - t0)
            rows = len(json.loads(body)["results"]["bindings"]) if command.get("count") else rows
        say({"times": times, "rows": rows, "error": error})


def run_thin(args: argparse.Namespace) -> None:
    """Serve pyoxigraph over HTTP with the least code: the 'raw plus HTTP' reference."""
    import pyoxigraph as ox
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import Response

    store = ox.Store.read_only(str(args.store))
    app = FastAPI()

    def answer(query: str) -> Response:
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            body = result.serialize(format=ox.QueryResultsFormat.JSON)
            return Response(body, media_type="application/sparql-results+json")
        return Response(ox.serialize(result, format=ox.RdfFormat.N_TRIPLES), media_type="application/n-triples")

    @app.get("/sparql")
    def sparql_get(query: str) -> Response:
        return answer(query)

    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


class _TimeoutError(Exception):
    pass


def preflight(dataset: object, queries: dict[str, str], timeout: float) -> dict[str, object]:
    """Run each query once in-process with a time limit; seconds, "timeout" or "error: ...".

    rdflib-endpoint evaluates queries on its event loop and cannot cancel one, so
    a query too slow for the benchmark would block every later request: the
    benchmark sends rdflib only the queries that pass here.
    """
    import signal

    def alarm(_signum: int, _frame: object) -> None:
        raise _TimeoutError

    previous = signal.signal(signal.SIGALRM, alarm)
    outcome: dict[str, object] = {}
    try:
        for name, text in queries.items():
            started = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                list(dataset.query(text))  # type: ignore[attr-defined]
                outcome[name] = time.perf_counter() - started
            except _TimeoutError:
                outcome[name] = "timeout"
            except Exception as error:  # rdflib raises bare Exception for unsupported queries
                outcome[name] = f"error: {type(error).__name__}: {str(error)[:160]}"
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return outcome


def run_rdflib(args: argparse.Namespace) -> None:
    """Load an rdflib Dataset (one graph per file), preflight the queries, serve it with rdflib-endpoint."""
    import uvicorn
    from rdflib import Dataset, URIRef
    from rdflib_endpoint import SparqlEndpoint

    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    for path, graph in sources(args.ontology, args.data):
        dataset.graph(URIRef(graph)).parse(path, format="turtle")
    load_s = time.perf_counter() - started
    app = SparqlEndpoint(graph=dataset, path="/", cors_enabled=False)
    endpoint_s = time.perf_counter() - started - load_s
    checked = preflight(dataset, json.loads(args.preflight.read_text()), args.preflight_timeout) if args.preflight else {}
    args.ready_file.write_text(
        json.dumps(
            {
                "load_s": load_s,
                "endpoint_s": endpoint_s,
                "triples": len(dataset),
                "maxrss_kib": maxrss_kib(),
                "preflight": checked,
            }
        )
    )
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


def run_reopen(args: argparse.Namespace) -> None:
    """Time opening an existing store: raw pyoxigraph, and the service's open_runtime."""
    import pyoxigraph as ox

    from api.runtime import open_runtime
    from api.settings import Settings

    t0 = time.perf_counter()
    store = ox.Store.read_only(str(args.store))
    len(store)
    raw_s = time.perf_counter() - t0
    del store
    settings = Settings(store="directory", store_path=args.store, data_dir=args.data, ontology_dir=args.ontology)
    t0 = time.perf_counter()
    runtime = open_runtime(settings)
    runtime_s = time.perf_counter() - t0
    reloaded = runtime.report.reloaded
    runtime.close()
    say({"raw_read_only_s": raw_s, "open_runtime_s": runtime_s, "reloaded": reloaded})


def main(argv: list[str] | None = None) -> int:
    """Dispatch on the mode."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    raw = sub.add_parser("raw")
    raw.add_argument("--mode", choices=["memory", "disk"], required=True)
    raw.add_argument("--ontology", type=Path, required=True)
    raw.add_argument("--data", type=Path, required=True)
    raw.add_argument("--store", type=Path, help="fresh folder to bulk-load into (disk)")
    raw.add_argument("--query-store", type=Path, help="store to query read-only after loading (disk)")
    thin = sub.add_parser("thin")
    thin.add_argument("--store", type=Path, required=True)
    thin.add_argument("--port", type=int, required=True)
    rdf = sub.add_parser("rdflib")
    rdf.add_argument("--ontology", type=Path, required=True)
    rdf.add_argument("--data", type=Path, required=True)
    rdf.add_argument("--port", type=int, required=True)
    rdf.add_argument("--ready-file", type=Path, required=True)
    rdf.add_argument("--preflight", type=Path, help="JSON {name: query} to try once, in-process, before serving")
    rdf.add_argument("--preflight-timeout", type=float, default=30.0, help="seconds each preflight query may take")
    reopen = sub.add_parser("reopen")
    reopen.add_argument("--store", type=Path, required=True)
    reopen.add_argument("--ontology", type=Path, required=True)
    reopen.add_argument("--data", type=Path, required=True)
    args = parser.parse_args(argv)
    {"raw": run_raw, "thin": run_thin, "rdflib": run_rdflib, "reopen": run_reopen}[args.command](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
