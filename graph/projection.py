"""Neighbourhoods and paths: graph algorithms that SPARQL does badly, in networkx.

They run on the ``whole`` view (``queries/views/whole.rq``): nodes are our data
IRIs and the concepts that name participants, edges the IRI-to-IRI links
between them, each carrying the locators of its source paragraph as evidence.
"""

from __future__ import annotations

from itertools import islice, pairwise
from typing import Any

import networkx as nx

from graph.errors import UnknownResourceError
from graph.store import Store
from graph.traverse import local_name


def projection_for(store: Store) -> nx.MultiDiGraph:
    """The whole graph as a networkx MultiDiGraph: the ``whole`` view, built once per store and cached."""
    from graph.views import build_view

    return build_view(store, "whole")


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


__all__ = ["neighbourhood", "paths_between", "projection_for"]
