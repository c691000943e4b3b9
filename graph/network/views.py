"""``build_view()``: a network view of the graph as a frozen networkx MultiDiGraph.

Query views are built once per store with their layout (and kept on disk beside
a store that has a folder, for the next process); derived views (ego,
filtered, duty-bearers, query) are kept in the store's bounded cache
(``graph/cache.py``): the data do not change while serving.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pyoxigraph as ox

from graph.cache import cache_of
from graph.catalogue import Catalogue, bind, bundled_catalogue
from graph.errors import ParameterError
from graph.lookup import hierarchy_of, node_facts, relation_labels
from graph.network.algorithms import neighbourhood, require_node
from graph.network.build import (
    Network,
    add_facts,
    add_link,
    add_node,
    finish,
    graph_from_solutions,
    graph_from_triples,
    narrow_evidence,
    nodes_missing_facts,
)
from graph.network.filters import check_filters, filter_predicates, filter_types
from graph.network.layout import place
from graph.network.registry import View, get_view
from graph.params import parse
from graph.sparql_check import check_depth, query_form
from graph.store import QueryRequest, Store, solutions
from graph.traverse import explain_duty_bearers

CENTRES = ("node", "practice")
"""Options that name the centre of a view; the graph carries it for viewers."""


@dataclass(frozen=True)
class _Context:
    store: Store
    catalogue: Catalogue
    timeout: float | None
    max_rows: int | None
    max_bytes: int | None = None
    view_timeout: float | None = None


def base_view(store: Store, view: View, timeout: float | None = None) -> Network[str]:
    """A query view with its facts and layout, built once per store.

    ``timeout`` bounds the view's query (the store's default where None): longer
    than a request's own, since every later request reuses what it builds.
    """

    def build() -> Network[str]:
        assert view.query is not None  # noqa: S101 - only query views have a base
        hierarchy = hierarchy_of(store)
        rows = solutions(store, view.query.text, timeout=timeout)
        graph, facts_given = graph_from_solutions(*rows, hierarchy, relation_labels(store))
        if not facts_given:  # grouped rows: descriptions, dates and what names each target come from the store
            facts = node_facts(store, graph.nodes, ("description", "date", "mention", "described"))
            add_facts(graph, facts, hierarchy)
            narrow_evidence(graph, facts)
        finish(graph, view.name)
        place(graph)
        frozen: Network[str] = nx.freeze(graph)
        return frozen

    kept = f"view {view.name} {hashlib.sha256(view.query.text.encode()).hexdigest()}" if view.query else None
    return cache_of(store).fixed(("view", view.query), build, keep_as=kept)


def whole_view(store: Store, catalogue: Catalogue | None = None, timeout: float | None = None) -> Network[str]:
    """The ``whole`` view: every link between two data nodes, the graph neighbourhoods and paths run on."""
    return base_view(store, get_view(catalogue or bundled_catalogue(), "whole"), timeout)


def _whole(context: _Context) -> Network[str]:
    return whole_view(context.store, context.catalogue, context.view_timeout)


def _ego(context: _Context, options: Mapping[str, Any]) -> Network[str]:
    whole = _whole(context)
    require_node(whole, options["node"], "node")
    around, _distances = neighbourhood(whole, options["node"], options["depth"], options.get("types"), options.get("predicates"))
    return around


def _duty_bearers(context: _Context, options: Mapping[str, Any]) -> Network[str]:
    practice = options["practice"]
    explanation = explain_duty_bearers(context.store, practice, catalogue=context.catalogue)
    hierarchy = hierarchy_of(context.store)
    graph: Network[str] = nx.MultiDiGraph()
    add_node(graph, practice, explanation.practice_label, (), hierarchy)
    for step in (step for path in explanation.paths for step in path.steps):
        add_node(graph, step.source, step.source_label, (), hierarchy)
        add_node(graph, step.target, step.target_label, (), hierarchy)
        u, v = (step.target, step.source) if step.inverse else (step.source, step.target)
        add_link(graph, u, step.relation, v, step.relation_label, "; ".join(item.label for item in step.evidence))
    add_facts(graph, node_facts(context.store, graph.nodes), hierarchy)
    place(graph)
    return graph


def _query_text(context: _Context, options: Mapping[str, Any]) -> tuple[str, dict[str, Any], bool]:
    """The CONSTRUCT to run, its bindings, and whether the text came from the user."""
    name, text, params = options.get("name"), options.get("construct"), dict(options.get("params") or ())
    if bool(name) == bool(text):
        raise ParameterError(
            "the query view needs exactly one of 'name' (a catalogue CONSTRUCT query) and 'construct' (the text of one)",
            parameter="name" if not text else "construct",
        )
    if name:
        named = context.catalogue.get(name)
        if named.form not in ("CONSTRUCT", "DESCRIBE"):
            raise ParameterError(
                f"catalogue query {name!r} is a {named.form}; the query view needs a CONSTRUCT or DESCRIBE query",
                parameter="name",
                expected="CONSTRUCT",
            )
        return named.text, dict(bind(named, params)), False
    if params:
        raise ParameterError(
            f"option {sorted(params)[0]!r} is not known: a 'construct' text takes no parameters", parameter=sorted(params)[0]
        )
    if query_form(str(text)) not in ("CONSTRUCT", "DESCRIBE"):
        raise ParameterError(
            "parameter 'construct' must be a CONSTRUCT or DESCRIBE query", parameter="construct", expected="CONSTRUCT"
        )
    check_depth(str(text))
    return str(text), {}, True


def _query(context: _Context, options: Mapping[str, Any]) -> Network[str]:
    text, bindings, untrusted = _query_text(context, options)
    # a user's text runs like a /sparql query: parsed and checked in a public-lane worker
    output = context.store.query(
        QueryRequest(
            text,
            media_type="application/n-triples",
            substitutions=bindings,
            timeout=context.timeout,
            max_rows=context.max_rows,
            max_bytes=context.max_bytes,
            untrusted=untrusted,
            form=query_form(text) if untrusted else None,
            lane="public" if untrusted else "api",
        )
    )
    triples = list(ox.parse(output.body, format=ox.RdfFormat.N_TRIPLES)) if output.body else []
    store = context.store
    graph = graph_from_triples(triples, hierarchy_of(store), relation_labels(store))
    add_facts(graph, node_facts(store, nodes_missing_facts(graph), ("label", "type")), hierarchy_of(store))
    graph.graph["truncated"] = int(output.truncated)
    place(graph)
    return graph


_BUILDERS = {"ego": _ego, "duty_bearers": _duty_bearers, "query": _query}


def _build(context: _Context, view: View, options: Mapping[str, Any]) -> Network[str]:
    types, predicates = options.get("types"), options.get("predicates")
    if view.query is not None:
        graph = base_view(context.store, view, context.view_timeout)
        if not types and not predicates:
            return graph
        check_filters(graph, types, predicates)
    elif view.name == "ego":
        check_filters(_whole(context), types, predicates)
        graph = _ego(context, options)  # already filtered: its type filter keeps unlinked nodes in reach
        types = predicates = None
    else:
        graph = _BUILDERS[view.name](context, options)
        check_filters(graph, types, predicates)
    protect = {options[c] for c in CENTRES if options.get(c)}
    graph = nx.MultiDiGraph(filter_types(filter_predicates(graph, predicates, protect), types, protect))
    finish(graph, view.name)
    for centre in CENTRES:
        if options.get(centre):
            graph.graph[centre] = options[centre]
    frozen: Network[str] = nx.freeze(graph)
    return frozen


def build_view(
    store: Store,
    name: str,
    /,
    *,
    catalogue: Catalogue | None = None,
    timeout: float | None = None,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    view_timeout: float | None = None,
    **options: object,
) -> Network[str]:
    """Build (or fetch from the store's cache) a view as a frozen MultiDiGraph.

    ``options`` are the view's options (strings as they come from a URL or the
    CLI, or typed values); ``catalogue`` holds the view queries and serves the
    ``query`` view (default: the repository's ``queries/``); ``timeout``,
    ``max_rows`` and ``max_bytes`` limit the user-supplied CONSTRUCT of the
    ``query`` view; ``view_timeout`` the query of a view of the whole graph.
    Raises ``UnknownResourceError`` for an unknown view or node and
    ``ParameterError`` naming a bad option.
    """
    catalogue = catalogue or bundled_catalogue()
    view = get_view(catalogue, name)
    parsed, extra = parse(
        view.all_options, {k: v for k, v in options.items() if v is not None}, f"view {name!r}", extra=view.extra_options
    )
    if extra:
        parsed["params"] = tuple(sorted(extra.items()))
    context = _Context(store, catalogue, timeout, max_rows, max_bytes, view_timeout)
    key = (catalogue, name, tuple(sorted((k, v) for k, v in parsed.items() if v is not None)))
    return cache_of(store).derived(key, lambda: _build(context, view, parsed))


__all__ = ["base_view", "build_view", "whole_view"]
