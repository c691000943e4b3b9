"""The solidarity-kg command: serve, load, check, query, export, stats, states, locator-index, ingest.

Exit codes:
  0   ok
  1   the data do not conform to the shapes, or the locator index is out of date
  2   a load, query or export error: the graph refused the request (unknown
      query, view or node, a bad parameter, a format the query does not offer,
      a file that does not parse or cannot be read)
  64  a usage error: the command line itself is wrong (a missing or unknown
      argument, --param without NAME=VALUE, an unknown --format, an invalid setting)
  70  an internal error: a bug, reported with its traceback

Diagnostics go to stderr (one line for every error but 70), results to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR, EXIT_USAGE, EXIT_SOFTWARE = 0, 1, 2, 64, 70
VIEW_KEYWORDS = frozenset({"catalogue", "timeout", "max_rows", "max_bytes"})
"""Keyword arguments of ``build_view`` that a --param must not reach (it would pass them as strings)."""


class UsageError(Exception):
    """The command line is wrong in a way argparse cannot see (exit 64)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _settings(args: argparse.Namespace) -> Any:
    from api.settings import Settings

    overrides = {
        k: v
        for k, v in {
            "store": args.store,
            "store_path": args.store_path,
            "workers": args.workers,
            "data_dir": args.data_dir,
            "ontology_dir": args.ontology_dir,
            "queries_dir": args.queries_dir,
            "query_timeout": args.timeout,
        }.items()
        if v is not None
    }
    return Settings(**overrides)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the API with uvicorn (h11, with the header deadline and connection limits of ``api.server``)."""
    from api.app import create_app
    from api.server import ServerLimits, run_server

    settings = _settings(args)
    started = run_server(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        limits=ServerLimits.from_settings(settings),
    )
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
        print(
            f"{report.triples} triples in {len(report.graphs)} graphs ({state}, {time.perf_counter() - started:.2f} s)",
            file=sys.stderr,
        )
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


def _query_format_names() -> list[str]:
    from graph.formats import ALIASES, GRAPH_ALIASES, GRAPH_FORMATS, RESULT_FORMATS

    return sorted({*ALIASES, *GRAPH_ALIASES, *RESULT_FORMATS, *GRAPH_FORMATS})


def _query_media_type(form: str, requested: str | None) -> str:
    """The media type of the answer: the default by query form, or the one --format names."""
    from graph.formats import negotiate_query

    graph = form in ("CONSTRUCT", "DESCRIBE")
    if requested is None:
        return "text/turtle" if graph else "text/csv"
    if requested.strip().lower() not in _query_format_names():
        raise UsageError(
            f"unknown --format {requested!r}; the formats are json, xml, csv, tsv (SELECT, ASK) "
            "and turtle, nt, jsonld, rdfxml, trig (CONSTRUCT, DESCRIBE), or a media type"
        )
    return negotiate_query(form, None, requested)  # a known format the form does not offer: UnsupportedFormatError


def cmd_query(args: argparse.Namespace) -> int:
    """Run a catalogue query (or a SPARQL file) and print the result."""
    from api.runtime import open_runtime
    from graph.catalogue import bind, compile_query
    from graph.store import QueryRequest

    settings = _settings(args)
    params = dict(_split_param(p) for p in args.param)
    runtime = open_runtime(settings)
    try:
        if args.name.endswith(".rq") and Path(args.name).is_file():
            named = compile_query(Path(args.name).stem, Path(args.name).read_text(encoding="utf-8"), args.name)
        else:
            named = runtime.catalogue.get(args.name)
        media_type = _query_media_type(named.form, args.format)
        output = runtime.store.query(
            QueryRequest(
                named.text,
                media_type=media_type,
                substitutions=bind(named, params),
                max_rows=args.max_rows,
                timeout=settings.query_timeout,
            )
        )
        sys.stdout.buffer.write(output.body)
        if output.truncated:
            print(f"(truncated at {args.max_rows} rows)", file=sys.stderr)
    finally:
        runtime.close()
    return EXIT_OK


def _view_options(params: Sequence[str]) -> dict[str, Any]:
    """The --param options of a view; ``Any`` because they are spread into ``build_view``'s keywords."""
    from graph.errors import ParameterError

    options: dict[str, Any] = dict(_split_param(p) for p in params)
    for name in sorted(VIEW_KEYWORDS & options.keys()):
        raise ParameterError(f"{name!r} is not a view option", parameter=name)
    return options


def cmd_export(args: argparse.Namespace) -> int:
    """Write a view of the graph in an export format."""
    from api.runtime import open_runtime
    from graph.export import EXPORTERS, write_export
    from graph.network import build_view

    if args.format not in EXPORTERS:
        raise UsageError(f"unknown --format {args.format!r}; the formats are {', '.join(EXPORTERS)}")
    options = _view_options(args.param)
    settings = _settings(args)
    runtime = open_runtime(settings)
    try:
        graph = build_view(
            runtime.store,
            args.view,
            catalogue=runtime.catalogue,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
            max_bytes=settings.max_answer_bytes,
            view_timeout=settings.view_build_timeout,
            **options,
        )
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
        rows = select(
            runtime.store,
            """
            SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
              ?s a ?class . FILTER(STRSTARTS(STR(?class), "https://w3id.org/solidarity-kg/ontology#")) }
            GROUP BY ?class ORDER BY ?class""",
        )
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


def cmd_locator_index(args: argparse.Namespace) -> int:
    """Write the locator index of the source texts, or with --check compare it with the file."""
    from graph import locator_index as li

    settings = _settings(args)
    target: Path = args.output or settings.data_dir / li.INDEX_FILE
    cited = li.cited_headings(settings.data_dir)
    index = li.build_index(args.sources, cited)
    for heading in li.missing_headings(index, cited):
        print(f"warning: a heading the data cite is not in its source: {heading}", file=sys.stderr)
    if not args.check:
        target.write_text(li.dumps(index), encoding="utf-8")
        counts = {kind: sum(len(entry[kind]) for entry in index["documents"].values()) for kind in li.KINDS}
        print(", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" -> {target}", file=sys.stderr)
        return EXIT_OK
    if not target.is_file():
        print(f"{target}: missing; write it with: solidarity-kg locator-index --sources DIR", file=sys.stderr)
        return EXIT_NONCONFORMING
    labels = {li.heading_key(text): text for texts in cited.values() for text in texts}
    changes = li.differences(li.load_index(target), index, labels)
    if not changes and target.read_text(encoding="utf-8") != li.dumps(index):
        changes = ["the file is not in its canonical layout (sorted keys, two-space indent)"]
    for change in changes:
        print(change)
    if changes:
        print(
            f"{target}: out of date ({len(changes)} difference(s)); regenerate it with: "
            "solidarity-kg locator-index --sources DIR",
            file=sys.stderr,
        )
        return EXIT_NONCONFORMING
    print(f"{target}: up to date", file=sys.stderr)
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    """Extract a new document into a draft and its review report (``graph/ingest``); nothing enters data/."""
    from api.runtime import open_runtime
    from graph.ingest import DocumentInfo, gazetteer_of, ingest

    settings = _settings(args)
    info, data = DocumentInfo(args.symbol, args.title, args.date, args.kind), args.file.read_bytes()
    runtime = open_runtime(settings)
    try:
        draft, paths = ingest(data, info, gazetteer_of(runtime.store), args.output or settings.drafts_dir, name=str(args.file))
    finally:
        runtime.close()
    print("\n".join(str(path) for path in paths))
    print(f"locators {draft.report['locators']}, mentions {draft.report['mentions']}", file=sys.stderr)
    return EXIT_OK


def _split_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise UsageError(f"--param expects NAME=VALUE, got {text!r}")
    return name, value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI)."""
    parser = _Parser(prog="solidarity-kg", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common = _Parser(add_help=False)
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
    query.add_argument(
        "--format",
        help="json, xml, csv, tsv (SELECT, ASK); turtle, nt, jsonld, rdfxml, trig "
        "(CONSTRUCT, DESCRIBE); or a media type (default csv, or turtle for a graph)",
    )
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

    locators = sub.add_parser(
        "locator-index",
        parents=[common],
        help="index the locators of the source texts (ids and hashes, no text)",
        description="Read the source texts and write data/locator-index.json: for every document the data cite, "
        "the numbers of its paragraphs and footnotes and the keys of its headings, each with the SHA-256 "
        "of its whitespace-normalised text, and no text. The tests check every locator of the data "
        "against this file, so they run without the sources. With --check, write nothing: exit 1 "
        "naming the differences when the file is out of date, 0 when it is current.",
    )
    locators.add_argument(
        "--sources",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder of the source texts (the shared sources folder, e.g. ../shared/sources)",
    )
    locators.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="index file to write or check (default: locator-index.json in the data folder)",
    )
    locators.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    locators.set_defaults(func=cmd_locator_index)

    ingest = sub.add_parser("ingest", parents=[common], help="extract a new document into a draft for review (docs/ingest.md)")
    ingest.add_argument("file", type=Path, help="the document: plain text, HTML or PDF")
    ingest.add_argument("--symbol", required=True, help="its document symbol, e.g. A/74/185")
    ingest.add_argument("--title", help="its title")
    ingest.add_argument("--date", help="its date: YYYY, YYYY-MM or YYYY-MM-DD")
    ingest.add_argument(
        "--kind", default="report", choices=["report", "submission", "web-page", "article"], help="default report"
    )
    ingest.add_argument("--output", type=Path, metavar="DIR", help="folder of the draft (default SKG_DRAFTS_DIR, var/drafts)")
    ingest.set_defaults(func=cmd_ingest)
    return parser


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _settings_problem(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(part) for part in e['loc']) or 'settings'}: {e['msg']}" for e in error.errors())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m api``.

    The project's own errors (``graph.errors.GraphError``), unreadable files and
    bad command lines are the user's to fix: one line on stderr. Anything else
    is a bug: its traceback is printed and the exit code is 70, never 1 or 2.
    """
    from graph.errors import GraphError

    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command is None:
        args = parser.parse_args(["serve", *(argv or [])])
    try:
        code: int = args.func(args)
        return code
    except UsageError as error:
        print(f"solidarity-kg {args.command}: error: {_one_line(error)}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as error:
        print(f"solidarity-kg: invalid setting: {_settings_problem(error)}", file=sys.stderr)
        return EXIT_USAGE
    except (GraphError, OSError) as error:
        print(f"solidarity-kg: {_one_line(error)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception:
        traceback.print_exc()
        print(
            f"solidarity-kg: internal error (exit {EXIT_SOFTWARE}); this is a bug, please report the traceback above",
            file=sys.stderr,
        )
        return EXIT_SOFTWARE


__all__ = ["build_parser", "main"]
