"""The Store protocol every backend satisfies, and what a query request holds.

Backends (``graph/backends/``): the embedded Oxigraph store run in worker
processes with a deadline (the default), the same store in-process (loading,
CLI, tests) and any remote SPARQL 1.1 server over HTTP; ``graph/backends/factory.py``
opens the one a ``StoreConfig`` names, so the API never branches on which one it has.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from graph.results import QueryOutput
from graph.terms import TermSpec

LANES = ("api", "public")
"""Worker lanes: the API's own queries never queue behind public ``/sparql`` ones."""


@dataclass(frozen=True)
class QueryRequest:
    """Everything a backend needs to run one query.

    ``untrusted`` texts (from ``/sparql`` or a user's CONSTRUCT) are parsed
    and checked (``graph/sparql_check.py``) where they run; ``form`` is the
    query form the caller negotiated a media type for, and the parse must
    agree. ``base_iri`` resolves relative IRIs. The caps bound the answer:
    ``cap_error`` answers an error instead of a cut answer.
    """

    text: str
    media_type: str = "application/sparql-results+json"
    substitutions: Mapping[str, TermSpec] = field(default_factory=dict)
    default_graph_uris: Sequence[str] = ()
    named_graph_uris: Sequence[str] = ()
    max_rows: int | None = None
    timeout: float | None = None
    max_bytes: int | None = None
    cap_error: bool = False
    untrusted: bool = False
    form: str | None = None
    base_iri: str | None = None
    lane: str = "api"

    @property
    def names_dataset(self) -> bool:
        """Whether the request itself names the dataset (``default-graph-uri`` / ``named-graph-uri``)."""
        return bool(self.default_graph_uris or self.named_graph_uris)


@runtime_checkable
class Store(Protocol):
    """What the service needs from a triple store."""

    def query(self, request: QueryRequest) -> QueryOutput:
        """Run a read-only query and serialise its answer."""
        ...

    def load_file(self, path: Path, graph_iri: str) -> int:
        """Replace a named graph with the content of a Turtle file; return its triple count."""
        ...

    def clear(self) -> None:
        """Remove every graph."""
        ...

    def close(self) -> None:
        """Release the store's resources."""
        ...


def select(
    store: Store,
    text: str,
    substitutions: Mapping[str, TermSpec] | None = None,
    timeout: float | None = None,
    max_rows: int | None = None,
) -> list[dict[str, Any]]:
    """Run a SELECT and return its rows as dicts of SPARQL-JSON terms."""
    import json

    output = store.query(QueryRequest(text, substitutions=dict(substitutions or {}), timeout=timeout, max_rows=max_rows))
    if output.kind != "solutions":
        raise ValueError("select() needs a SELECT query")
    document = json.loads(output.body)
    return list(document["results"]["bindings"])


def solutions(store: Store, text: str, timeout: float | None = None) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Run a SELECT and return its variables and rows (tuples of pyoxigraph terms or None).

    The answer travels as SPARQL TSV, read back by pyoxigraph's parser: for
    large answers several times smaller and faster than JSON decoded into dicts.
    """
    import pyoxigraph as ox

    output = store.query(QueryRequest(text, media_type="text/tab-separated-values", timeout=timeout))
    if output.kind != "solutions":
        raise ValueError("solutions() needs a SELECT query")
    parsed = ox.parse_query_results(output.body, format=ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)  # noqa: S101 - a SELECT answer, checked above
    return [v.value for v in parsed.variables], (tuple(solution) for solution in parsed)


@dataclass(frozen=True)
class StoreConfig:
    """How to open a store.

    ``kind`` is ``memory`` or ``directory`` (embedded Oxigraph) or ``remote``.
    The embedded kinds load ``sources`` (file, named graph) themselves; a
    directory store reloads only when the sources' fingerprint changed.
    ``workers`` serve the API's own queries and ``public_workers`` the
    public endpoint; at most ``queue_size`` requests wait per lane;
    ``default_timeout`` applies to requests that set none; ``worker_memory``
    is the address space (bytes) a worker may add once its store is open.
    """

    kind: str = "memory"
    path: Path | None = None
    remote_query_url: str | None = None
    remote_update_url: str | None = None
    remote_store_url: str | None = None
    workers: int = 2
    public_workers: int = 2
    sources: tuple[tuple[str, str], ...] = ()
    default_timeout: float | None = None
    queue_size: int = 16
    worker_memory: int | None = None


__all__ = ["LANES", "QueryRequest", "Store", "StoreConfig", "select", "solutions"]
