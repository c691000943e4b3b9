"""Graph algorithms that SPARQL does badly: neighbourhoods and paths, in networkx, on a view.

``neighbourhood`` is the one definition behind ``/views/ego`` and
``/graph/neighbourhood``: nodes within ``depth`` links of the centre (either
direction) along the allowed relations, then the type filter (superclasses
count; the centre always stays). A node of a wanted type stays even where the
nodes that link it to the centre are filtered out: it is in the neighbourhood.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from graph.errors import UnknownResourceError
from graph.network.build import Network
from graph.network.filters import filter_predicates, filter_types


def require_node(graph: Network[str], iri: str, parameter: str) -> None:
    """An ``UnknownResourceError`` naming the parameter when the node is not in the graph."""
    if iri not in graph:
        raise UnknownResourceError(
            f"{iri} is not linked to anything in the whole view", kind="node", identifier=iri, parameter=parameter
        )


def neighbourhood(
    graph: Network[str], centre: str, depth: int, types: Iterable[str] | None = None, predicates: Iterable[str] | None = None
) -> tuple[Network[str], dict[str, int]]:
    """The neighbourhood subgraph of ``centre`` and each node's distance (links) from it."""
    followed = filter_predicates(graph, predicates, protect={centre})
    distances: dict[str, int] = nx.single_source_shortest_path_length(followed.to_undirected(as_view=True), centre, cutoff=depth)
    around: Network[str] = nx.MultiDiGraph(followed.subgraph(distances))
    kept = filter_types(around, types, protect={centre}, drop_isolated=False)
    return kept, {n: distances[n] for n in kept}


def _node(graph: Network[str], node: str) -> dict[str, Any]:
    return {"iri": node, "label": graph.nodes[node]["label"], "type": graph.nodes[node]["type"]}


def neighbourhood_listing(
    graph: Network[str], centre: str, depth: int, types: Iterable[str] | None, predicates: Iterable[str] | None, limit: int
) -> dict[str, Any]:
    """The neighbourhood as JSON: nodes nearest first (then by IRI), at most ``limit``, with the links among them."""
    require_node(graph, centre, "node_id")
    around, distances = neighbourhood(graph, centre, depth, types, predicates)
    ordered = sorted(distances, key=lambda n: (distances[n], n))
    chosen = set(ordered[:limit])
    edges = [
        {"source": u, "target": v, "relation": k, "label": d["label"], "evidence": d["evidence"]}
        for u, v, k, d in sorted(around.edges(keys=True, data=True), key=lambda e: e[:3])
        if u in chosen and v in chosen
    ]
    return {
        "center": _node(graph, centre),
        "depth": depth,
        "nodes": [{**_node(graph, n), "distance": distances[n]} for n in ordered[:limit]],
        "edges": edges,
        "truncated": len(ordered) > limit,
    }


def _steps(graph: Network[str], path: list[str]) -> list[dict[str, Any]]:
    """A node path as explanation steps; between two nodes the first relation (by IRI) is the one shown."""
    steps = []
    for a, b in pairwise(path):
        inverse = not graph.has_edge(a, b)
        u, v = (b, a) if inverse else (a, b)
        key = min(str(k) for k in graph.get_edge_data(u, v))
        data = graph.edges[u, v, key]
        steps.append(
            {
                "source": a,
                "source_label": graph.nodes[a]["label"],
                "relation": key,
                "relation_label": data["label"],
                "target": b,
                "target_label": graph.nodes[b]["label"],
                "inverse": inverse,
                "evidence": data["evidence"],
            }
        )
    return steps


def _ordered_undirected(graph: Network[str]) -> nx.Graph[str]:
    """The graph without directions, nodes and links added in IRI order.

    networkx searches in the order links were added, and a view's order follows
    the store's rows (and, within the service, hash order); built in sorted order,
    the shortest path chosen among equals and the simple paths found first are
    the same on every store and in every process.
    """
    undirected: nx.Graph[str] = nx.Graph()
    undirected.add_nodes_from(sorted(graph.nodes))
    undirected.add_edges_from(sorted({(min(u, v), max(u, v)) for u, v in graph.edges()}))
    return undirected


def paths_between(
    graph: Network[str],
    source: str,
    target: str,
    *,
    max_length: int = 4,
    limit: int = 20,
    predicates: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The shortest path and the simple paths up to ``max_length`` links between two nodes (either direction)."""
    require_node(graph, source, "from")
    require_node(graph, target, "to")
    followed = filter_predicates(graph, predicates)
    undirected = _ordered_undirected(followed)
    if source not in undirected or target not in undirected or not nx.has_path(undirected, source, target):
        return {"from": source, "to": target, "shortest": None, "paths": []}
    shortest = nx.shortest_path(undirected, source, target)
    simple = sorted(islice(nx.all_simple_paths(undirected, source, target, cutoff=max_length), limit), key=lambda p: (len(p), p))
    return {"from": source, "to": target, "shortest": _steps(followed, shortest), "paths": [_steps(followed, p) for p in simple]}


__all__ = ["neighbourhood", "neighbourhood_listing", "paths_between", "require_node"]
