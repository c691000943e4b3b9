"""The embedded store on pyoxigraph, in-process: open, load, query.

Used directly for loading and by each query worker (``workers.py``), which
adds the time limit pyoxigraph lacks.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import DataLoadError, GraphError, QueryEvaluationError, QuerySyntaxError
from graph.results import Caps, QueryOutput, native_solutions, serialize_result
from graph.sparql_check import analyse, projected_variables, query_syntax_error
from graph.store import QueryRequest
from graph.substitution import bind_variables
from graph.terms import to_term


def engine_binds(text: str, names: Iterable[str]) -> bool:
    """Whether pyoxigraph can bind these variables itself: it binds only variables the SELECT projects."""
    projected = projected_variables(text)
    return projected is None or set(names) <= projected


def _answer(store: ox.Store, text: str, options: dict[str, Any], media_type: str, caps: Caps) -> QueryOutput:
    """Run and serialise a query, turning the engine's errors into ours.

    pyoxigraph's result may only be dropped by the thread that made it, so no exception raised here may keep
    it alive through a traceback or an exception's context: it is deleted first, and a new error is raised
    outside the handler.
    """
    try:
        result = store.query(text, **options)
    except SyntaxError as error:
        raise query_syntax_error(error) from None
    except OSError as error:  # evaluation errors (e.g. a SERVICE the sandbox refused) surface as OSError
        raise QueryEvaluationError(f"the query could not be evaluated: {error}") from None
    failure: GraphError
    try:
        if isinstance(result, ox.QuerySolutions):
            written = native_solutions(result, media_type, caps)
            if written is not None:
                return written
            del result  # a cap cuts the answer: once more, written row by row so that the cut is exact and flagged
            result = store.query(text, **options)
        return serialize_result(result, media_type, caps)
    except GraphError as error:
        failure = error.with_traceback(None)
    except SyntaxError as error:
        failure = query_syntax_error(error)
    except OSError as error:
        failure = QueryEvaluationError(f"the query could not be evaluated: {error}")
    del result
    raise failure


class OxigraphStore:
    """A pyoxigraph store used in this process (no time limit)."""

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        if path is None:
            self._store = ox.Store()
        elif read_only:
            self._store = ox.Store.read_only(str(path))
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path))

    def query(self, request: QueryRequest) -> QueryOutput:
        """Run a query and serialise it within the request's caps.

        An untrusted text is parsed and checked first (``analyse``). The
        dataset follows SPARQL 1.1: the request's ``default-graph-uri`` /
        ``named-graph-uri`` replace the text's FROM / FROM NAMED; a text
        with FROM / FROM NAMED keeps its own; only where neither names a
        dataset is the default graph the union of all graphs.
        """
        names_dataset = False
        if request.untrusted:
            shape = analyse(request.text)
            if request.form and shape.form != request.form:
                raise QuerySyntaxError(f"the query is a {shape.form} query, not {request.form}")
            names_dataset = shape.names_dataset
        text: str = request.text
        options: dict[str, Any] = {}
        # the binding strategy follows from the query's projection, decided once per text (cached)
        if engine_binds(text, request.substitutions):
            options["substitutions"] = {ox.Variable(k): to_term(v) for k, v in request.substitutions.items()}
        else:
            text = bind_variables(text, request.substitutions)
        if request.base_iri:
            options["base_iri"] = request.base_iri
        if request.names_dataset:
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graph_uris]
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graph_uris]
        elif not names_dataset:
            options["use_default_graph_as_union"] = True
        caps = Caps(request.max_rows, request.max_bytes, request.cap_error)
        return _answer(self._store, text, options, request.media_type, caps)

    def load_bytes(self, data: bytes, graph_iri: str, source_name: str) -> int:
        """Replace a named graph with Turtle data; return its triple count."""
        graph = ox.NamedNode(graph_iri)
        try:
            parsed = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
        except SyntaxError as error:
            args = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], tuple) else (None, None, None)
            raise DataLoadError(
                f"cannot parse {source_name}: {error.args[0]}", file=source_name, line=args[1], column=args[2]
            ) from None
        self._store.remove_graph(graph) if self._store.contains_named_graph(graph) else None
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in parsed)
        return len(set(parsed))  # distinct triples, as the store counts them

    def load_file(self, path: Path, graph_iri: str) -> int:
        """Replace a named graph with the content of a Turtle file."""
        return self.load_bytes(path.read_bytes(), graph_iri, path.name)

    def clear(self) -> None:
        """Remove every graph."""
        self._store.clear()

    def flush(self) -> None:
        """Write buffered changes to disk (no-op in memory)."""
        self._store.flush()

    def close(self) -> None:
        """Drop the handle so that the on-disk lock is released."""
        self._store = None  # type: ignore[assignment]


__all__ = ["OxigraphStore", "engine_binds"]
