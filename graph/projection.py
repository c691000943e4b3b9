"""A networkx projection of the graph, for algorithms that SPARQL does badly.

Nodes are our data IRIs and vocabulary concepts, edges the IRI-to-IRI triples
between them (rdf:type, provenance and locator links become attributes, not
edges). Each edge carries the locators of its subject in the same named
graph as evidence. Built with three queries, once per store, and cached.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from graph.errors import UnknownResourceError
from graph.namespaces import PREFIXES
from graph.store import Store, select
from graph.traverse import RELATION_LABELS, local_name

SKGD, SKGV, SKG = PREFIXES["skgd"], PREFIXES["skgv"], PREFIXES["skg"]
_SKIPPED = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/prov#wasDerivedFrom",
            SKG + "mentionedIn", "http://purl.org/dc/terms/isPartOf")

_EDGES = f"""SELECT ?s ?p ?o ?g WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?o) && STRSTARTS(STR(?s), "{SKGD}") && (STRSTARTS(STR(?o), "{SKGD}") || STRSTARTS(STR(?o), "{SKGV}")))
  FILTER(?p NOT IN ({", ".join(f"<{p}>" for p in _SKIPPED)}))
}}"""
_NODES = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?n ?field ?v WHERE {{
  {{ ?n rdfs:label ?v . BIND("label" AS ?field) }}
  UNION {{ ?n skos:prefLabel ?v . BIND("label" AS ?field) }}
  UNION {{ ?n a ?v . FILTER(STRSTARTS(STR(?v), "{SKG}")) BIND("type" AS ?field) }}
  FILTER(STRSTARTS(STR(?n), "{SKGD}") || STRSTARTS(STR(?n), "{SKGV}"))
}}"""
_EVIDENCE = f"""PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?s ?g ?label WHERE {{
  GRAPH ?g {{ ?s prov:wasDerivedFrom ?loc }}
  ?loc <{SKG}locatorLabel> ?label
}}"""

_CACHE: dict[int, nx.MultiDiGraph] = {}


def relation_label(iri: str) -> str:
    """A readable label for a relation IRI."""
    name = local_name(iri)
    return RELATION_LABELS.get(name) or "".join(" " + c.lower() if c.isupper() else c for c in name).strip()


def build_projection(store: Store) -> nx.MultiDiGraph:
    """Read the projection from the store (three queries)."""
    labels: dict[str, str] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for row in select(store, _NODES):
        node, value = row["n"]["value"], row["v"]["value"]
        if row["field"]["value"] == "label":
            if node not in labels or row["v"].get("xml:lang") == "en":
                labels[node] = value
        else:
            types[node].add(local_name(value))
    evidence: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in select(store, _EVIDENCE):
        evidence[(row["s"]["value"], row["g"]["value"])].add(row["label"]["value"])
    graph = nx.MultiDiGraph()
    for row in select(store, _EDGES):
        s, p, o, g = (row[k]["value"] for k in ("s", "p", "o", "g"))
        for node in (s, o):
            if node not in graph:
                graph.add_node(node, iri=node, label=labels.get(node, local_name(node)),
                               type=primary_type(types.get(node, set()), node))
        graph.add_edge(s, o, key=p, relation=p, label=relation_label(p),
                       evidence="; ".join(sorted(evidence.get((s, g), set()))), graph=g)
    return graph


def primary_type(types: set[str], node: str) -> str:
    """One type name for display: the most specific of ours, or the concept scheme.

    >>> primary_type({"Actor", "State"}, "x")
    'State'
    >>> primary_type(set(), "https://w3id.org/solidarity-kg/vocab/duty-type/respect")
    'Concept'
    """
    generic = {"Actor", "Practice", "Instrument", "Locator", "NonStateActor", "InternationalOrganisation"}
    specific = sorted(types - generic) or sorted(types)
    if specific:
        return specific[0]
    return "Concept" if node.startswith(SKGV) else "Resource"


def projection_for(store: Store) -> nx.MultiDiGraph:
    """The cached projection of a store."""
    key = id(store)
    if key not in _CACHE:
        _CACHE[key] = build_projection(store)
    return _CACHE[key]


def _filtered(graph: nx.MultiDiGraph, predicates: set[str] | None) -> nx.MultiDiGraph:
    if not predicates:
        return graph
    keep = [(u, v, k) for u, v, k in graph.edges(keys=True) if local_name(k) in predicates or k in predicates]
    return graph.edge_subgraph(keep)


def _require(graph: nx.MultiDiGraph, iri: str, parameter: str) -> None:
    if iri not in graph:
        raise UnknownResourceError(f"{iri} is not linked to anything in the graph", kind="node", identifier=iri,
                                   parameter=parameter)


def _node(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    return {"iri": node, "label": graph.nodes[node]["label"], "type": graph.nodes[node]["type"]}


def _edge(u: str, v: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"source": u, "target": v, "relation": data["relation"], "label": data["label"],
            "evidence": data["evidence"]}


def neighbourhood(store: Store, iri: str, *, depth: int = 1, types: set[str] | None = None,
                  predicates: set[str] | None = None, limit: int = 500) -> dict[str, Any]:
    """Nodes within ``depth`` hops of a node (either direction), with the edges among them."""
    graph = _filtered(projection_for(store), predicates)
    _require(projection_for(store), iri, "node_id")
    if iri not in graph:
        return {"center": _node(projection_for(store), iri), "nodes": [], "edges": [], "truncated": False}
    lengths = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), iri, cutoff=depth)
    nodes = [n for n, _d in sorted(lengths.items(), key=lambda x: (x[1], x[0]))
             if n == iri or not types or graph.nodes[n]["type"] in types]
    truncated = len(nodes) > limit
    chosen = set(nodes[:limit])
    edges = [_edge(u, v, d) for u, v, d in graph.edges(data=True) if u in chosen and v in chosen]
    return {"center": _node(graph, iri), "depth": depth,
            "nodes": [{**_node(graph, n), "distance": lengths[n]} for n in nodes[:limit]],
            "edges": edges, "truncated": truncated}


def _steps(graph: nx.MultiDiGraph, path: list[str]) -> list[dict[str, Any]]:
    steps = []
    for a, b in pairwise(path):
        if graph.has_edge(a, b):
            data, inverse = next(iter(graph.get_edge_data(a, b).values())), False
        else:
            data, inverse = next(iter(graph.get_edge_data(b, a).values())), True
        steps.append({"source": a, "source_label": graph.nodes[a]["label"], "relation": data["relation"],
                      "relation_label": data["label"], "target": b, "target_label": graph.nodes[b]["label"],
                      "inverse": inverse, "evidence": data["evidence"]})
    return steps


def paths_between(store: Store, source: str, target: str, *, max_length: int = 4, limit: int = 20,
                  predicates: set[str] | None = None) -> dict[str, Any]:
    """The shortest path and the simple paths up to ``max_length`` hops between two nodes."""
    full = projection_for(store)
    _require(full, source, "from")
    _require(full, target, "to")
    graph = _filtered(full, predicates)
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    if source not in undirected or target not in undirected or not nx.has_path(undirected, source, target):
        return {"from": source, "to": target, "shortest": None, "paths": []}
    shortest = nx.shortest_path(undirected, source, target)
    simple = list(islice(nx.all_simple_paths(undirected, source, target, cutoff=max_length), limit))
    simple.sort(key=lambda p: (len(p), p))
    return {"from": source, "to": target, "shortest": _steps(graph, shortest),
            "paths": [_steps(graph, p) for p in simple]}


__all__ = ["build_projection", "neighbourhood", "paths_between", "primary_type", "projection_for", "relation_label"]
