"""Loading a remote store: replace one graph at a time, count what the server holds, drop only the service's graphs.

A graph is replaced by one Graph Store Protocol ``PUT`` (as N-Triples) or, with
only an update endpoint, by ``DROP SILENT GRAPH`` and ``INSERT DATA`` in chunks
whose blank nodes stay together; a refusal is a ``DataLoadError`` naming the
graph and the server. Only graphs under ``GRAPH_PREFIX`` are ever written or
dropped (never ``CLEAR ALL``: on Virtuoso it would hit the server's own graphs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from graph.backends.remote_http import Endpoint, message, send
from graph.backends.remote_rdf import chunks
from graph.errors import DataLoadError, ReadOnlyError
from graph.namespaces import BASE

GRAPH_PREFIX = BASE + "graph/"
"""Every graph this service loads is named under this prefix; no other graph is ever dropped."""
CHUNK_TRIPLES = 10_000
"""Triples per ``INSERT DATA`` when loading through the update endpoint."""
LOAD_TIMEOUT = 600.0


class GraphLoading:
    """The loading half of ``RemoteStore``: its endpoints and client, and ``raw_select`` for the counts."""

    _store: Endpoint | None
    _update: Endpoint | None
    _client: httpx.Client
    _graphs: tuple[str, ...] | None

    def raw_select(self, text: str, timeout: float | None = 60.0) -> list[dict[str, Any]]:
        """Run a SELECT as written (``RemoteStore`` implements it)."""
        raise NotImplementedError

    def load_bytes(self, data: bytes, graph_iri: str, source_name: str) -> int:
        """Replace a named graph with Turtle data; return the file's distinct triples."""
        try:
            triples = list(dict.fromkeys(ox.parse(data, format=ox.RdfFormat.TURTLE)))
        except SyntaxError as error:
            args = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], tuple) else (None, None, None)
            raise DataLoadError(
                f"cannot parse {source_name}: {error.args[0]}", file=source_name, line=args[1], column=args[2]
            ) from None
        self.replace_graph(graph_iri, triples, source_name)
        return len(triples)

    def load_file(self, path: Path, graph_iri: str) -> int:
        """Replace a named graph with a Turtle file's content."""
        return self.load_bytes(path.read_bytes(), graph_iri, path.name)

    def replace_graph(self, graph_iri: str, triples: list[ox.Triple], source_name: str) -> None:
        """Put these triples in place of a graph's content: a GSP PUT, or DROP SILENT GRAPH and INSERT DATA in chunks."""
        _check_ours(graph_iri)
        if self._store is not None:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            response = send(
                self._client,
                self._store,
                "PUT",
                LOAD_TIMEOUT,
                params={"graph": graph_iri},
                content=body,
                headers={"Content-Type": "application/n-triples"},
            )
            self._loaded(response, graph_iri, source_name, "PUT")
            return
        self._run_update(f"DROP SILENT GRAPH <{graph_iri}>", graph_iri, source_name)
        for chunk in chunks(triples, CHUNK_TRIPLES):
            lines = (ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
            self._run_update(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{lines}}} }}", graph_iri, source_name)

    def drop_graph(self, graph_iri: str) -> None:
        """Remove one of the service's graphs (never any other: the server's own graphs stay)."""
        _check_ours(graph_iri)
        if self._update is not None:
            self._run_update(f"DROP SILENT GRAPH <{graph_iri}>", graph_iri, graph_iri)
            return
        if self._store is None:
            raise ReadOnlyError("neither an update nor a Graph Store Protocol URL is configured for the remote store")
        response = send(self._client, self._store, "DELETE", LOAD_TIMEOUT, params={"graph": graph_iri})
        if response.status_code != 404:
            self._loaded(response, graph_iri, graph_iri, "DELETE")

    def graph_sizes(self) -> dict[str, int]:
        """Triples in each of the service's graphs on the server (those under ``GRAPH_PREFIX``)."""
        rows = self.raw_select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", LOAD_TIMEOUT)
        return {r["g"]["value"]: int(r["n"]["value"]) for r in rows if r["g"]["value"].startswith(GRAPH_PREFIX)}

    def clear(self) -> None:
        """Drop every graph of the service, one by one (``CLEAR ALL`` would also hit the server's own graphs)."""
        for graph in self.graph_sizes():
            self.drop_graph(graph)
        self._graphs = None

    def _run_update(self, text: str, graph_iri: str, source_name: str) -> None:
        if self._update is None:
            raise ReadOnlyError("no SPARQL Update URL is configured for the remote store")
        response = send(self._client, self._update, "POST", LOAD_TIMEOUT, data={"update": text})
        self._loaded(response, graph_iri, source_name, "update")

    def _loaded(self, response: httpx.Response, graph_iri: str, source_name: str, action: str) -> None:
        if response.status_code >= 400:
            raise DataLoadError(
                f"the SPARQL server at {response.request.url.copy_with(query=None)} refused the {action} of graph "
                f"{graph_iri} ({source_name}): {response.status_code} {message(response)}",
                graph=graph_iri,
                file=source_name,
                status=response.status_code,
            )


def _check_ours(graph_iri: str) -> None:
    if not graph_iri.startswith(GRAPH_PREFIX):
        raise ReadOnlyError(f"only the service's own graphs (under {GRAPH_PREFIX}) are written or dropped", graph=graph_iri)


__all__ = ["CHUNK_TRIPLES", "GRAPH_PREFIX", "LOAD_TIMEOUT", "GraphLoading"]
