"""The Store protocol against a remote SPARQL 1.1 server over HTTP.

Queries use the SPARQL 1.1 Protocol, loading uses the Graph Store Protocol
(PUT per named graph) and clearing uses SPARQL Update. Any conforming server
works (Oxigraph server, Fuseki, Virtuoso, GraphDB); configure it so that the
default graph is the union of the named graphs (``oxigraph serve
--union-default-graph``, Fuseki ``tdb2:unionDefaultGraph``). Variables are bound in the
query text (``graph/substitution.py``). Answers are fetched in a rich format
and re-serialised here, so the row cap and the
media types behave as with the embedded store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from graph.errors import BackendUnavailableError, QueryLimitError, QuerySyntaxError, ReadOnlyError
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from graph.results import Caps, QueryOutput, serialize_result, take_triples, write_solutions
from graph.sparql_check import analyse
from graph.store import QueryRequest
from graph.substitution import bind_variables

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


def _json_term(term: dict[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = term["type"]
    if kind == "uri":
        return ox.NamedNode(term["value"])
    if kind == "bnode":
        return ox.BlankNode(term["value"])
    if "xml:lang" in term:
        return ox.Literal(term["value"], language=term["xml:lang"])
    if "datatype" in term:
        return ox.Literal(term["value"], datatype=ox.NamedNode(term["datatype"]))
    return ox.Literal(term["value"])


class RemoteStore:
    """A remote SPARQL 1.1 endpoint behind the Store protocol."""

    def __init__(
        self, query_url: str, update_url: str | None = None, store_url: str | None = None, client: httpx.Client | None = None
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self._client = client or httpx.Client()

    def _post(self, url: str, timeout: float | None, **kwargs: Any) -> httpx.Response:
        try:
            return self._client.post(url, timeout=timeout, **kwargs)
        except httpx.TimeoutException:
            raise QueryLimitError(
                f"the remote query ran longer than the time limit of {timeout} s", limit="timeout", seconds=timeout
            ) from None
        except httpx.TransportError as error:
            raise BackendUnavailableError(f"the remote SPARQL endpoint is unreachable: {error}", endpoint=url) from None

    def query(self, request: QueryRequest) -> QueryOutput:
        """Run a query remotely; an untrusted text is parsed and checked here first."""
        if request.untrusted:
            shape = analyse(request.text)
            if request.form and shape.form != request.form:
                raise QuerySyntaxError(f"the query is a {shape.form} query, not {request.form}")
        response = self._post(self.query_url, request.timeout, data=_protocol_form(request), headers={"Accept": _ACCEPT})
        if response.status_code == 400:
            raise QuerySyntaxError(f"SPARQL syntax error reported by the remote endpoint: {response.text.strip()}")
        if response.status_code >= 400:
            raise BackendUnavailableError(
                f"the remote endpoint answered {response.status_code}: {response.text[:200]}", endpoint=self.query_url
            )
        return _read_answer(response, request)

    def load_bytes(self, data: bytes, graph_iri: str, source_name: str) -> int:
        """PUT Turtle into a named graph through the Graph Store Protocol."""
        if not self.store_url:
            raise ReadOnlyError("no Graph Store Protocol URL is configured for the remote store")
        try:
            response = self._client.put(
                self.store_url, params={"graph": graph_iri}, content=data, headers={"Content-Type": "text/turtle"}, timeout=120
            )
        except httpx.TransportError as error:
            raise BackendUnavailableError(f"the remote store is unreachable: {error}", endpoint=self.store_url) from None
        if response.status_code >= 400:
            raise BackendUnavailableError(
                f"loading {source_name} failed with {response.status_code}: {response.text[:200]}", endpoint=self.store_url
            )
        return len(set(ox.parse(data, format=ox.RdfFormat.TURTLE)))

    def load_file(self, path: Path, graph_iri: str) -> int:
        """Replace a named graph with a Turtle file's content."""
        return self.load_bytes(path.read_bytes(), graph_iri, path.name)

    def clear(self) -> None:
        """Drop every graph with SPARQL Update."""
        if not self.update_url:
            raise ReadOnlyError("no SPARQL Update URL is configured for the remote store")
        response = self._post(self.update_url, 120, data={"update": "CLEAR ALL"})
        if response.status_code >= 400:
            raise BackendUnavailableError(f"CLEAR ALL failed with {response.status_code}", endpoint=self.update_url)

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()


def _protocol_form(request: QueryRequest) -> dict[str, str | list[str]]:
    """The SPARQL protocol form of a request: the text with its bindings and base, and the dataset."""
    text = bind_variables(request.text, request.substitutions)
    if request.base_iri and not text.lstrip().upper().startswith("BASE"):
        text = f"BASE <{request.base_iri}>\n{text}"
    form: dict[str, str | list[str]] = {"query": text}
    if request.default_graph_uris:
        form["default-graph-uri"] = list(request.default_graph_uris)
    if request.named_graph_uris:
        form["named-graph-uri"] = list(request.named_graph_uris)
    return form


def _read_answer(response: httpx.Response, request: QueryRequest) -> QueryOutput:
    """The server's answer re-serialised in the requested media type, within the request's caps."""
    caps = Caps(request.max_rows, request.max_bytes, request.cap_error)
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if content_type == "application/sparql-results+json":
        document = json.loads(response.content)
        if "boolean" in document:
            answer = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
            return serialize_result(answer, request.media_type, caps)
        if request.media_type not in RESULT_FORMATS:
            raise QuerySyntaxError("a SELECT query cannot be answered in an RDF graph format")
        variables = list(document["head"]["vars"])
        rows = (tuple(_json_term(b[v]) if v in b else None for v in variables) for b in document["results"]["bindings"])
        body, count, cut = write_solutions(variables, rows, request.media_type, caps)
        return QueryOutput("solutions", request.media_type, body, count, cut is not None, cut)
    triples, cut = take_triples(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES), caps)
    media_type = request.media_type if request.media_type in GRAPH_FORMATS else "text/turtle"
    body = ox.serialize(triples, format=GRAPH_FORMATS[media_type]) or b""
    return QueryOutput("graph", media_type, body, len(triples), cut is not None, cut)


__all__ = ["RemoteStore"]
