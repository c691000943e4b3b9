"""The two filters every network answer takes: relations (``predicates``) and classes (``types``).

One predicate matcher (local names, CURIEs and IRIs alike) and one type filter
that knows superclasses (``Practice`` keeps good practices, gaps and abuses),
so that a view, a neighbourhood and a path search read a filter the same way;
a name that means nothing in the graph is a ``ParameterError``, not an empty answer.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.errors import ParameterError
from graph.iris import expand_iri, is_curie_or_iri, local_name
from graph.network.build import Network


def _ontology_terms() -> set[str]:
    from graph.namespaces import SKG  # rdflib is imported on first use, not at start-up

    return set(SKG.__annotations__)


def expand_predicates(predicates: Iterable[str] | None) -> tuple[str, ...]:
    """Relations as given: CURIEs expanded to IRIs, local names kept."""
    return tuple(expand_iri(p, "predicates") if is_curie_or_iri(p) else p for p in predicates or ())


def matches_relation(relation: str, wanted: tuple[str, ...]) -> bool:
    """Whether a relation IRI is one of ``wanted`` (IRIs, or local names)."""
    return any(relation == item or (not is_curie_or_iri(item) and local_name(relation) == item) for item in wanted)


def filter_predicates(graph: Network[str], predicates: Iterable[str] | None, protect: Iterable[str] = ()) -> Network[str]:
    """Keep only links with those relations, and the nodes they join (plus ``protect``)."""
    wanted = expand_predicates(predicates)
    if not wanted:
        return graph
    edges = [(u, v, k) for u, v, k in graph.edges(keys=True) if matches_relation(k, wanted)]
    nodes = {n for u, v, _k in edges for n in (u, v)} | {n for n in protect if n in graph}
    kept: Network[str] = nx.MultiDiGraph(graph.subgraph(nodes))
    kept.remove_edges_from([(u, v, k) for u, v, k in list(kept.edges(keys=True)) if not matches_relation(k, wanted)])
    return kept


def filter_types(
    graph: Network[str], types: Iterable[str] | None, protect: Iterable[str] = (), drop_isolated: bool = True
) -> Network[str]:
    """Keep nodes of those classes or their subclasses (plus ``protect``); nodes left without links go,
    unless ``drop_isolated`` is false."""
    wanted = set(types or ())
    if not wanted:
        return graph
    keep = set(protect)
    nodes = [n for n, classes in graph.nodes(data="classes") if n in keep or wanted & set(str(classes).split())]
    kept: Network[str] = nx.MultiDiGraph(graph.subgraph(nodes))
    if drop_isolated:
        kept.remove_nodes_from([n for n in list(kept) if kept.degree(n) == 0 and n not in keep])
    return kept


def check_filters(graph: Network[str], types: Iterable[str] | None, predicates: Iterable[str] | None) -> None:
    """Class and relation names that mean nothing in the graph or the ontology are a ``ParameterError``."""
    terms = _ontology_terms()
    known_types = (
        {n for n in terms if n[:1].isupper()}
        | {"Concept", "Resource"}
        | {c for _n, classes in graph.nodes(data="classes") for c in str(classes).split()}
    )
    unknown = [t for t in types or () if t not in known_types]
    if unknown:
        raise ParameterError(
            f"parameter 'types': unknown class {unknown[0]!r}; use local names of the ontology's "
            "classes, e.g. State, GoodPractice, Practice, Actor",
            parameter="types",
            expected="class local names",
        )
    known_relations = {n for n in terms if n[:1].islower()} | {local_name(k) for *_e, k in graph.edges(keys=True)}
    for item in predicates or ():
        if is_curie_or_iri(item):
            expand_iri(item, "predicates")
        elif item not in known_relations:
            raise ParameterError(
                f"parameter 'predicates': unknown relation {item!r}; use local names such as carriedOutBy, CURIEs or IRIs",
                parameter="predicates",
                expected="relations",
            )


__all__ = ["check_filters", "expand_predicates", "filter_predicates", "filter_types", "matches_relation"]
