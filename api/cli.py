"""The solidarity-kg command: serve, load, check, query, export, stats, states.

Exit codes: 0 ok; 1 the data do not conform to the shapes; 2 a load, query or
export error; 64 a usage error. Diagnostics go to stderr, results to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR, EXIT_USAGE = 0, 1, 2, 64


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _settings(args: argparse.Namespace) -> Any:
    from api.settings import Settings

    overrides = {k: v for k, v in {
        "store": args.store, "store_path": args.store_path, "workers": args.workers,
        "data_dir": args.data_dir, "ontology_dir": args.ontology_dir, "queries_dir": args.queries_dir,
        "query_timeout": args.timeout,
    }.items() if v is not None}
    return Settings(**overrides)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the API with uvicorn (h11, with the header deadline and connection limits of ``api.server``)."""
    from api.app import create_app
    from api.server import ServerLimits, run_server

    settings = _settings(args)
    started = run_server(create_app(settings), host=args.host, port=args.port, log_level=args.log_level,
                         limits=ServerLimits.from_settings(settings))
    return EXIT_OK if started else EXIT_ERROR


def cmd_load(args: argparse.Namespace) -> int:
    """Load (or reload) the content files into the store and report counts."""
    from api.runtime import open_runtime

    started = time.perf_counter()
    runtime = open_runtime(_settings(args), reload=args.force)
    try:
        report = runtime.report
        for graph, count in sorted(report.graphs.items()):
            print(f"{count:8d}  {graph}")
        state = "loaded" if report.reloaded else "up to date, nothing loaded"
        print(f"{report.triples} triples in {len(report.graphs)} graphs ({state}, "
              f"{time.perf_counter() - started:.2f} s)", file=sys.stderr)
    finally:
        runtime.close()
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Load every file, validate the data against the shapes, compile every query."""
    from graph.catalogue import Catalogue
    from graph.validation import validate_files

    settings = _settings(args)
    catalogue = Catalogue.load(settings.queries_dir)
    print(f"queries: {len(catalogue)} compiled", file=sys.stderr)
    from graph.backends.oxigraph import OxigraphStore
    from graph.loader import content_sources, load_sources

    counts = load_sources(OxigraphStore(), content_sources(settings.ontology_dir, settings.data_dir))
    print(f"data: {sum(counts.values())} triples in {len(counts)} files parsed and loaded", file=sys.stderr)
    report = validate_files(settings.ontology_dir, settings.data_dir)
    for violation in report.violations:
        print(violation)
    if not report.conforms:
        print(f"shapes: {len(report.violations)} violation(s)", file=sys.stderr)
        return EXIT_NONCONFORMING
    print("shapes: the data conform", file=sys.stderr)
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    """Run a catalogue query (or a SPARQL file) and print the result."""
    from api.runtime import open_runtime
    from graph.catalogue import bind, compile_query
    from graph.formats import ALIASES
    from graph.store import QueryRequest

    settings = _settings(args)
    params = dict(_split_param(p) for p in args.param)
    runtime = open_runtime(settings)
    try:
        if args.name.endswith(".rq") and Path(args.name).is_file():
            named = compile_query(Path(args.name).stem, Path(args.name).read_text(encoding="utf-8"), args.name)
        else:
            named = runtime.catalogue.get(args.name)
        media_type = ALIASES.get(args.format, args.format)
        if named.kind in ("CONSTRUCT", "DESCRIBE") and args.format == "csv":
            media_type = "text/turtle"
        output = runtime.store.query(QueryRequest(named.text, media_type=media_type, substitutions=bind(named, params),
                                                  max_rows=args.max_rows, timeout=settings.query_timeout))
        sys.stdout.buffer.write(output.body)
        if output.truncated:
            print(f"(truncated at {args.max_rows} rows)", file=sys.stderr)
    finally:
        runtime.close()
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write a view of the graph in an export format."""
    from api.runtime import open_runtime
    from graph.export import EXPORTERS, write_export
    from graph.views import build_view

    runtime = open_runtime(_settings(args))
    try:
        options = dict(_split_param(p) for p in args.param)
        graph = build_view(runtime.store, args.view, **options)
        exporter = EXPORTERS[args.format]
        target = Path(args.output) if args.output else Path(f"{args.view}.{exporter.extension}")
        write_export(graph, args.format, target)
        print(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges -> {target}", file=sys.stderr)
    finally:
        runtime.close()
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """Print counts per class and per named graph as JSON."""
    from api.runtime import open_runtime
    from graph.store import select

    runtime = open_runtime(_settings(args))
    try:
        rows = select(runtime.store, """
            SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
              ?s a ?class . FILTER(STRSTARTS(STR(?class), "https://w3id.org/solidarity-kg/ontology#")) }
            GROUP BY ?class ORDER BY ?class""")
        stats = {
            "triples": runtime.report.triples,
            "graphs": runtime.report.graphs,
            "classes": {r["class"]["value"].split("#")[-1]: int(r["n"]["value"]) for r in rows},
        }
        print(json.dumps(stats, indent=2))
    finally:
        runtime.close()
    return EXIT_OK


def cmd_states(args: argparse.Namespace) -> int:
    """Regenerate data/states.ttl from the State IRIs the data files use (via pycountry)."""
    from graph.countries import write_states_file

    settings = _settings(args)
    codes = write_states_file(settings.data_dir)
    print(f"{len(codes)} States written to {settings.data_dir / 'states.ttl'}", file=sys.stderr)
    return EXIT_OK


def _split_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise ValueError(f"--param expects name=value, got {text!r}")
    return name, value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI)."""
    parser = _Parser(prog="solidarity-kg", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", choices=["directory", "memory", "remote"], help="store kind (SKG_STORE)")
    common.add_argument("--store-path", type=Path, help="folder of the on-disk store (SKG_STORE_PATH)")
    common.add_argument("--data-dir", type=Path, help="folder of the data files (SKG_DATA_DIR)")
    common.add_argument("--ontology-dir", type=Path, help="folder of the ontology files (SKG_ONTOLOGY_DIR)")
    common.add_argument("--queries-dir", type=Path, help="folder of the catalogue queries (SKG_QUERIES_DIR)")
    common.add_argument("--workers", type=int, help="query worker processes (SKG_WORKERS)")
    common.add_argument("--timeout", type=float, help="query time limit in seconds (SKG_QUERY_TIMEOUT)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="serve the API (default)")
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--log-level", default="info", help="uvicorn log level (default info)")
    serve.set_defaults(func=cmd_serve)

    load = sub.add_parser("load", parents=[common], help="load the data into the store and print counts")
    load.add_argument("--force", action="store_true", help="reload even if the files did not change")
    load.set_defaults(func=cmd_load)

    check = sub.add_parser("check", parents=[common], help="load, SHACL-validate and compile every query")
    check.set_defaults(func=cmd_check)

    query = sub.add_parser("query", parents=[common], help="run a catalogue query (or a .rq file)")
    query.add_argument("name", help="catalogue query name (file stem) or path to a .rq file")
    query.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a query parameter")
    query.add_argument("--format", default="csv", help="json, xml, csv, tsv, turtle, nt, jsonld (default csv)")
    query.add_argument("--max-rows", type=int, default=None, help="stop after this many rows")
    query.set_defaults(func=cmd_query)

    export = sub.add_parser("export", parents=[common], help="export a view (gexf, graphml, cyjs, node-link, dot, csv, jsonld)")
    export.add_argument("view", help="view name, e.g. whole, ego, duty_bearers")
    export.add_argument("--format", default="graphml", help="export format (default graphml)")
    export.add_argument("-o", "--output", help="file to write (default VIEW.EXT)")
    export.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a view option, e.g. node=IRI")
    export.set_defaults(func=cmd_export)

    stats = sub.add_parser("stats", parents=[common], help="print counts per class and graph (JSON)")
    stats.set_defaults(func=cmd_stats)

    states = sub.add_parser("states", parents=[common], help="regenerate data/states.ttl from ISO 3166 (pycountry)")
    states.set_defaults(func=cmd_states)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m api``."""
    from graph.errors import GraphError

    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command is None:
        args = parser.parse_args(["serve", *(argv or [])])
    try:
        code: int = args.func(args)
        return code
    except ValidationError as error:
        print(f"solidarity-kg: invalid setting: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (GraphError, ValueError, KeyError, OSError) as error:
        print(f"solidarity-kg: {error}", file=sys.stderr)
        return EXIT_ERROR


__all__ = ["build_parser", "main"]
