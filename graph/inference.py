"""The superclass types the ontology implies, materialised at load into a graph of their own.

A node typed ``skg:GoodPractice`` is also a ``skg:Practice`` and a ``prov:Activity`` by the ontology's
``rdfs:subClassOf``; writing ``?x a skg:Practice`` should find it without a property path. The types no
file states are computed once from the loaded files (RDFS rule rdfs9, named superclasses only, the
project's graphs only: never a server's own) and kept in ``INFERRED_GRAPH``, so that a query can still
tell them apart from the curated ones: ``GRAPH <…/graph/inferred/types> { ?x a ?t }`` are the inferred,
``FILTER NOT EXISTS`` on it the stated.
"""

from __future__ import annotations

from typing import Protocol

from graph.namespaces import BASE
from graph.store import QueryRequest, Store

INFERRED_GRAPH = BASE + "graph/inferred/types"

_SUPERCLASS_TYPES = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ ?node a ?super }} WHERE {{
  {{ SELECT DISTINCT ?node ?super WHERE {{
    GRAPH ?g {{ ?node a ?class }}
    FILTER(STRSTARTS(STR(?g), "{BASE}graph/") && ?g != <{INFERRED_GRAPH}>)
    ?class rdfs:subClassOf+ ?super .
    FILTER(isIRI(?super) && ?super != ?class)
    FILTER NOT EXISTS {{ GRAPH ?h {{ ?node a ?super }} FILTER(STRSTARTS(STR(?h), "{BASE}graph/") && ?h != <{INFERRED_GRAPH}>) }}
  }} }}
}}"""


class _Writable(Protocol):
    def load_bytes(self, data: bytes, graph_iri: str, source_name: str) -> int: ...


def superclass_types(store: Store, timeout: float | None = None) -> bytes:
    """The implied ``rdf:type`` triples the loaded graphs do not state, as N-Triples."""
    return store.query(QueryRequest(_SUPERCLASS_TYPES, media_type="application/n-triples", timeout=timeout)).body


def materialise_types(store: Store, timeout: float | None = None) -> int:
    """Replace ``INFERRED_GRAPH`` with the implied types of what is loaded; return how many there are."""
    writable: _Writable = store  # type: ignore[assignment]
    return writable.load_bytes(superclass_types(store, timeout), INFERRED_GRAPH, "inferred superclass types")


__all__ = ["INFERRED_GRAPH", "materialise_types", "superclass_types"]
