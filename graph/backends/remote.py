"""The Store protocol against a remote SPARQL 1.1 server over HTTP.

Tested against ``oxigraph serve`` and Virtuoso 7.2; any conforming server
should do (Fuseki, GraphDB). What this module does so that their answers are
the embedded store's:

* **Dataset.** Users' answers hold the content graphs and nothing else. The
  service keeps nothing of its own on the server (the loader's fingerprint is a
  file beside the service), so on a server whose default graph is the union of
  exactly the content graphs (``oxigraph serve --union-default-graph``) queries
  go as they are. Where the server holds more (Virtuoso's ``virtrdf#`` and other
  system graphs) or its default graph is not that union, a query that names no
  dataset gets ``FROM`` and ``FROM NAMED`` for each content graph written into
  its text (as fast as the default graph, where 250 ``default-graph-uri``
  parameters made a query 25 times slower). A request's own dataset replaces
  the text's ``FROM`` clauses, as SPARQL says (Virtuoso would merge them), and
  a graph the store does not hold is an empty one, as in the embedded store;
  a server that ignores a text's ``FROM`` (Oxigraph 0.5 with
  ``--union-default-graph``) gets that dataset as protocol parameters.
* **Media types.** SELECT and ASK are asked for as SPARQL results JSON,
  CONSTRUCT and DESCRIBE as N-Triples (or Turtle), and re-serialised here in
  the requested type within the request's caps.
* **Blank nodes** come back as blank nodes whatever the server calls them
  (Virtuoso's ``nodeID://b10000``).
* **The server's own row cap** (Virtuoso's ``ResultSetMaxRows``) is learnt
  once by asking for a known number of rows, and read from Virtuoso's
  ``X-SPARQL-MaxRows`` header on every answer; an answer it may have cut is
  refused, or flagged with ``cut_by="server"`` where cut answers are accepted.
* **Errors** name the server and what it said: a parse error it reports is a
  syntax error, an answer cut by its time limit (Virtuoso's ``S1TAT``) or a
  timeout is ``RemoteTimeoutError`` (504), any other failure is
  ``RemoteServerError`` (502).

Variables are bound in the query text (``graph/substitution.py``). Loading
replaces one named graph at a time, by the Graph Store Protocol (PUT, as
N-Triples) or, with only an update endpoint, by ``DROP SILENT GRAPH`` and
``INSERT DATA`` in chunks; only graphs under ``…/graph/`` are ever dropped.
Credentials in a URL (``http://user:secret@host/sparql-auth``) are sent by
HTTP Digest or Basic authentication, as the server asks, and never shown.
HTTP and errors are in ``remote_http.py``, terms and dataset clauses in
``remote_rdf.py``, loading in ``remote_load.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox

from graph.backends.remote_http import endpoint, post, raise_for_failure
from graph.backends.remote_load import GRAPH_PREFIX, LOAD_TIMEOUT, GraphLoading
from graph.backends.remote_rdf import dataset_clauses, json_term, server_triples, with_dataset
from graph.errors import AnswerLimitError, QuerySyntaxError, RemoteServerError, RemoteTimeoutError
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from graph.results import Caps, QueryOutput, serialize_result, take_triples, write_solutions
from graph.sparql_check import QueryShape, analyse, query_form
from graph.store import QueryRequest
from graph.substitution import bind_variables

EMPTY_GRAPH = GRAPH_PREFIX + "empty"
"""Never loaded: stands for the empty default graph or the empty set of named graphs of a dataset."""
PROBE_ROWS = 1_000_000
"""Rows asked for once to learn the server's own row cap (about 0.3 s on Oxigraph and Virtuoso)."""

_RESULTS_ACCEPT = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
}


@dataclass(frozen=True)
class _Server:
    """What the probe learnt: the server's software (its ``Server`` header) and its own row cap, if any."""

    software: str = ""
    row_cap: int | None = None

    @property
    def virtuoso(self) -> bool:
        """Whether the server is Virtuoso (it takes a ``timeout`` parameter and answers partial results past it)."""
        return self.software.lower().startswith("virtuoso")


class RemoteStore(GraphLoading):
    """A remote SPARQL 1.1 endpoint behind the Store protocol."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        client: httpx.Client | None = None,
        default_timeout: float | None = None,
    ) -> None:
        query = endpoint(query_url)
        assert query is not None  # noqa: S101 - a query URL is required
        self._query = query
        self._update = endpoint(update_url)
        self._store = endpoint(store_url)
        self.query_url = query.url
        self.update_url = self._update.url if self._update else None
        self.store_url = self._store.url if self._store else None
        self.default_timeout = default_timeout
        self._client = client or httpx.Client()
        self._server: _Server | None = None
        self._graphs: tuple[str, ...] | None = None
        self._explicit = False
        self._from_in_text = True

    # -- the dataset --------------------------------------------------------

    def use_graphs(self, graphs: Iterable[str]) -> None:
        """The content graphs (set by the loader); decides whether queries must name their dataset on this server."""
        self._graphs = tuple(sorted(graphs))
        self._explicit = self._needs_dataset(self._graphs)
        self._from_in_text = not self._graphs or not self._ignores_from()

    def _ignores_from(self) -> bool:
        """Whether the server ignores a query's FROM clauses (``oxigraph serve --union-default-graph`` 0.5 does).

        Such a server gets the dataset as ``default-graph-uri`` and ``named-graph-uri`` parameters instead.
        """
        response = self._ask(f"ASK FROM <{EMPTY_GRAPH}> FROM NAMED <{EMPTY_GRAPH}> {{ ?s ?p ?o }}", "ASK", 60.0)
        return self._json(response).get("boolean") is True

    def content_graphs(self) -> tuple[str, ...]:
        """The content graphs: the service's graphs on the server, if the loader did not name them."""
        if self._graphs is None:
            self.use_graphs(self.graph_sizes())
        assert self._graphs is not None  # noqa: S101 - set just above
        return self._graphs

    def _needs_dataset(self, graphs: tuple[str, ...]) -> bool:
        """Whether the server's own dataset differs from the union of the content graphs.

        It does where the server holds any other graph (Virtuoso's system graphs, another
        application's data) or where its default graph is not the union of its named
        graphs (``oxigraph serve`` without ``--union-default-graph``): then every query
        names its dataset. Otherwise queries go as they are, which keeps ``GRAPH ?g``
        patterns fast (a FROM NAMED list makes Oxigraph evaluate them once per graph).
        """
        if not graphs:
            return False
        rows = self.raw_select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", LOAD_TIMEOUT)
        if any(row["g"]["value"] not in graphs for row in rows if "g" in row):
            return True
        sample = self.raw_select(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graphs[0]}> {{ ?s ?p ?o FILTER(isIRI(?s) && !isBlank(?o)) }} }} LIMIT 1"
        )
        if not sample:
            return True
        triple = " ".join(str(json_term(sample[0][v])) for v in ("s", "p", "o"))
        response = self._ask(f"ASK {{ {triple} }}", "ASK", 60.0)
        return self._json(response).get("boolean") is not True

    def _dataset(self, text: str, request: QueryRequest, shape: QueryShape | None) -> tuple[str, dict[str, list[str]]]:
        """The text to send and the protocol parameters that name its dataset (see the module docstring)."""
        graphs = self.content_graphs()
        if request.names_dataset:
            default, named = list(request.default_graph_uris), list(request.named_graph_uris)
        elif dataset_clauses(text).spans:
            if shape is None:
                return text, {}  # the service's own query names its graphs
            base = request.base_iri or ""
            default = [urljoin(base, g) for g in shape.from_graphs]
            named = [urljoin(base, g) for g in shape.from_named]
        elif self._explicit and graphs:
            default, named = list(graphs), list(graphs)
        else:
            return text, {}
        if request.untrusted and graphs:  # as in the embedded store, a graph it does not hold is empty
            default = [g for g in default if g in graphs]
            named = [g for g in named if g in graphs]
        # an empty part of the dataset is named as such: Virtuoso reads a missing FROM NAMED as "every graph"
        default, named = default or [EMPTY_GRAPH], named or [EMPTY_GRAPH]
        if self._from_in_text:
            return with_dataset(text, default, named), {}
        return with_dataset(text, [], []), {
            "default-graph-uri": default,
            "named-graph-uri": named,
        }

    # -- queries ------------------------------------------------------------

    def query(self, request: QueryRequest) -> QueryOutput:
        """Run a query remotely; an untrusted text is parsed and checked here first."""
        shape: QueryShape | None = None
        if request.untrusted:
            shape = analyse(request.text)
            if request.form and shape.form != request.form:
                raise QuerySyntaxError(f"the query is a {shape.form} query, not {request.form}")
        form = shape.form if shape else query_form(request.text)
        text, dataset = self._dataset(bind_variables(request.text, request.substitutions), request, shape)
        if request.base_iri and not text.lstrip().upper().startswith("BASE"):
            text = f"BASE <{request.base_iri}>\n{text}"
        timeout = request.timeout if request.timeout is not None else self.default_timeout
        response = self._ask(text, form, timeout, dataset)
        return self._read(response, request, form)

    def _ask(self, text: str, form: str, timeout: float | None, dataset: dict[str, list[str]] | None = None) -> httpx.Response:
        """Send a query; raise for anything but a complete answer."""
        server = self.server()
        data: dict[str, str | list[str]] = {"query": text, **(dataset or {})}
        if server.virtuoso and timeout:
            data["timeout"] = str(int(timeout * 1000))  # Virtuoso stops the query itself (and says so: S1TAT)
        accept = _GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS_ACCEPT
        response = post(self._client, self._query, timeout, data=data, headers={"Accept": accept})
        raise_for_failure(response, self.query_url, timeout)
        return response

    def raw_select(self, text: str, timeout: float | None = 60.0) -> list[dict[str, Any]]:
        """Run the service's own SELECT as written (no dataset added) and return its rows as SPARQL-JSON terms."""
        response = self._ask(text, "SELECT", timeout)
        document = self._json(response)
        rows = document.get("results", {}).get("bindings", [])
        cap = self._server_cut(response, len(rows))
        if cap is not None:
            raise self._cut_error(cap)
        return list(rows)

    # -- the server's row cap -------------------------------------------------

    def server(self) -> _Server:
        """What the server is and the row cap it applies of its own accord (asked once)."""
        if self._server is None:
            self._server = self._probe()
        return self._server

    def _probe(self) -> _Server:
        digits = " ".join(str(i) for i in range(10))
        text = (
            "SELECT ?a WHERE { "
            + " ".join(f"VALUES ?{name} {{ {digits} }}" for name in "abcdef")
            + f" VALUES ?g {{ 0 1 }} }} LIMIT {PROBE_ROWS + 1}"
        )
        try:
            response = post(self._client, self._query, 60.0, data={"query": text}, headers={"Accept": "text/csv"})
        except RemoteTimeoutError:
            return _Server()
        software = response.headers.get("server", "")
        if response.status_code >= 400:
            return _Server(software)
        header = response.headers.get("x-sparql-maxrows")
        if header and header.isdigit():
            return _Server(software, int(header))
        rows = sum(1 for line in response.content.splitlines() if line) - 1
        return _Server(software, rows if 0 <= rows <= PROBE_ROWS else None)

    def _server_cut(self, response: httpx.Response, count: int) -> int | None:
        """The server's row cap if it may have cut this answer of ``count`` rows, else None."""
        header = response.headers.get("x-sparql-maxrows")
        if header and header.isdigit():
            return int(header)
        cap = self.server().row_cap
        return cap if cap is not None and count >= cap else None

    def _cut_error(self, cap: int) -> RemoteServerError:
        return RemoteServerError(
            f"the SPARQL server at {self.query_url} cut the answer at {cap} rows, its own result limit "
            "(Virtuoso: ResultSetMaxRows in virtuoso.ini); raise it above SKG_MAX_ROWS",
            server=self.query_url,
            limit="server_rows",
            maximum=cap,
        )

    def _server_truncation(self, request: QueryRequest, cap: int) -> str:
        """What to do with an answer the server cut: refuse it, or flag it where cut answers are accepted."""
        if request.max_rows is None:
            raise self._cut_error(cap)
        if request.cap_error:
            raise AnswerLimitError(
                f"the SPARQL server at {self.query_url} has more than {cap} rows for this query and sends no more "
                "(its own result limit); ask for less (LIMIT and OFFSET page through it)",
                limit="server_rows",
                maximum=cap,
                server=self.query_url,
            )
        return "server"

    # -- answers -------------------------------------------------------------

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        try:
            document = json.loads(response.content)
        except ValueError as error:
            raise RemoteServerError(
                f"the SPARQL server at {self.query_url} sent results that are not JSON: {error}", server=self.query_url
            ) from None
        if not isinstance(document, dict):
            raise RemoteServerError(f"the SPARQL server at {self.query_url} sent unreadable results", server=self.query_url)
        return document

    def _read(self, response: httpx.Response, request: QueryRequest, form: str) -> QueryOutput:
        """The server's answer re-serialised in the requested media type, within the request's caps."""
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if form in ("CONSTRUCT", "DESCRIBE") and content_type in _GRAPH_TYPES:
            return self._read_graph(response, request, _GRAPH_TYPES[content_type])
        if form in ("SELECT", "ASK") and content_type in ("application/sparql-results+json", "application/json"):
            return self._read_results(response, request)
        raise RemoteServerError(
            f"the SPARQL server at {self.query_url} answered a {form} query with {content_type or 'no media type'}",
            server=self.query_url,
        )

    def _read_results(self, response: httpx.Response, request: QueryRequest) -> QueryOutput:
        document = self._json(response)
        caps = Caps(request.max_rows, request.max_bytes, request.cap_error)
        if "boolean" in document:
            answer = ox.parse_query_results(
                json.dumps({"head": {}, "boolean": document["boolean"] is True}), format=ox.QueryResultsFormat.JSON
            )
            return serialize_result(answer, request.media_type, caps)
        if request.media_type not in RESULT_FORMATS:
            raise QuerySyntaxError("a SELECT query cannot be answered in an RDF graph format")
        try:
            variables = [str(v) for v in document["head"]["vars"]]
            bindings = document["results"]["bindings"]
            rows = [tuple(json_term(b[v]) if v in b else None for v in variables) for b in bindings]
        except (KeyError, TypeError, ValueError) as error:
            raise RemoteServerError(
                f"the SPARQL server at {self.query_url} sent results that cannot be read: {error!r}", server=self.query_url
            ) from None
        cap = self._server_cut(response, len(rows))
        cut_by_server = None
        if cap is not None and (request.max_rows is None or len(rows) <= request.max_rows):
            cut_by_server = self._server_truncation(request, cap)
        body, count, cut = write_solutions(variables, rows, request.media_type, caps)
        cut = cut or cut_by_server
        return QueryOutput("solutions", request.media_type, body, count, cut is not None, cut)

    def _read_graph(self, response: httpx.Response, request: QueryRequest, syntax: ox.RdfFormat) -> QueryOutput:
        caps = Caps(request.max_rows, request.max_bytes, request.cap_error)
        try:
            parsed = list(server_triples(ox.parse(response.content, format=syntax)))
        except (SyntaxError, ValueError) as error:
            raise RemoteServerError(
                f"the SPARQL server at {self.query_url} sent triples that cannot be read: {error}", server=self.query_url
            ) from None
        cap = self._server_cut(response, len(parsed))
        cut_by_server = None
        if cap is not None and (request.max_rows is None or len(parsed) <= request.max_rows):
            cut_by_server = self._server_truncation(request, cap)
        triples, cut = take_triples(parsed, caps)
        cut = cut or cut_by_server
        media_type = request.media_type if request.media_type in GRAPH_FORMATS else "text/turtle"
        body = ox.serialize(triples, format=GRAPH_FORMATS[media_type]) or b""
        return QueryOutput("graph", media_type, body, len(triples), cut is not None, cut)

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()


__all__ = ["EMPTY_GRAPH", "GRAPH_PREFIX", "RemoteStore", "with_dataset"]
