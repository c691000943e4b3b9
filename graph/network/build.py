"""Rows or triples become a networkx MultiDiGraph with the attributes every export writes.

Node ids are IRI strings and the edge key is the relation IRI; every attribute
is a str, int or float (the GraphML and GEXF writers accept nothing else):
nodes carry ``iri``, ``label``, ``type`` (local name of the most specific
class), ``type_iri``, ``classes`` (local names of every class and
superclass), ``color`` and, where the data have them, ``description`` and
``date``; edges carry ``relation``, ``label`` and ``evidence`` (locator
labels, ``"; "``-separated). ``finish`` adds ``degree`` and ``size``.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox

from graph.iris import local_name
from graph.lookup import ClassHierarchy, NodeFacts, RelationLabels, statement_evidence
from graph.namespaces import PREFIXES
from graph.network.styles import type_color

RDF_TYPE = PREFIXES["rdf"] + "type"
LITERAL_FACTS = {
    PREFIXES["rdfs"] + "label": "label",
    PREFIXES["skos"] + "prefLabel": "label",
    PREFIXES["dcterms"] + "description": "description",
    PREFIXES["skg"] + "date": "date",
    PREFIXES["dcterms"] + "date": "date",
}
"""Predicates whose literal objects become node attributes in ``graph_from_triples``."""

Network = nx.MultiDiGraph
"""The graph type of every view (annotated as ``Network[str]``: node ids are IRI strings)."""


def join_evidence(*parts: str) -> str:
    """Locator labels of several sources as one sorted, ``"; "``-separated string.

    >>> join_evidence("A/73/206 para. 2; A/73/206 para. 1", "A/73/206 para. 1")
    'A/73/206 para. 1; A/73/206 para. 2'
    """
    labels = {label.strip() for part in parts if part for label in part.split("; ") if label.strip()}
    return "; ".join(sorted(labels))


def set_class(data: dict[str, Any], classes: Iterable[str], hierarchy: ClassHierarchy, iri: str) -> None:
    """Type, type IRI, class closure and colour of a node from its classes."""
    data["type"], data["type_iri"], data["classes"] = hierarchy.classify(classes, iri)
    data["color"] = type_color(data["type"])


def add_node(graph: Network[str], iri: str, label: str | None, classes: Iterable[str], hierarchy: ClassHierarchy) -> None:
    """Add a node once; a later label replaces a placeholder (the local name)."""
    if iri in graph:
        data = graph.nodes[iri]
        if label and data["label"] == local_name(iri):
            data["label"] = label
        return
    graph.add_node(iri, iri=iri, label=label or local_name(iri))
    set_class(graph.nodes[iri], classes, hierarchy, iri)


def add_link(graph: Network[str], source: str, relation: str, target: str, label: str, evidence: str) -> None:
    """Add a link (one per source, relation and target); evidence of a repeated link is merged."""
    if graph.has_edge(source, target, key=relation):
        data = graph.edges[source, target, relation]
        data["evidence"] = join_evidence(data["evidence"], evidence)
        return
    graph.add_edge(source, target, key=relation, relation=relation, label=label, evidence=join_evidence(evidence))


Cell = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None
"""One value of a solution row (pyoxigraph's term, or None where the variable is unbound)."""


@dataclass
class _RowFacts:
    """What flat or grouped view rows say, gathered before any node is made."""

    links: dict[tuple[str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    link_graphs: dict[tuple[str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    relation_labels: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    literals: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    evidence: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    spoken_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    hidden: set[str] = field(default_factory=set)
    node_rows: bool = False

    def least(self, table: dict[str, str], key: str, value: str) -> None:
        if value and (key not in table or value < table[key]):
            table[key] = value


def _iri(cell: Cell) -> str | None:
    # interned: an IRI or label met in thousands of rows is kept once (200 MB less at 325,000 links)
    return sys.intern(cell.value) if isinstance(cell, ox.NamedNode) else None


def _text(cell: Cell) -> str:
    return sys.intern(cell.value) if isinstance(cell, ox.NamedNode | ox.Literal | ox.BlankNode) else ""


class _Columns:
    """Positions of the contract's columns in a row (-1 where the query does not project one)."""

    def __init__(self, variables: list[str]) -> None:
        where = {name: i for i, name in enumerate(variables)}

        def at(name: str) -> int:
            return where.get(name, -1)

        self.source, self.relation, self.target, self.graph = at("source"), at("relation"), at("target"), at("graph")
        self.relation_label, self.evidence = at("relationLabel"), at("evidence")
        self.ends = ((self.source, at("sourceLabel"), at("sourceType")), (self.target, at("targetLabel"), at("targetType")))
        self.node, self.label, self.type, self.spoken_of, self.hidden = (
            at("node"),
            at("label"),
            at("type"),
            at("spokenOf"),
            at("hidden"),
        )
        self.literals = tuple((fact, at(fact)) for fact in ("description", "date") if at(fact) >= 0)


def _cell(row: tuple[Cell, ...], index: int) -> Cell:
    return row[index] if index >= 0 else None


def _read_link(found: _RowFacts, at: _Columns, row: tuple[Cell, ...], key: tuple[str, str, str]) -> None:
    found.links[key].update(label for label in _text(_cell(row, at.evidence)).split("; ") if label)
    if graph := _iri(_cell(row, at.graph)):
        found.link_graphs[key].add(graph)
    found.least(found.relation_labels, key[1], _text(_cell(row, at.relation_label)))
    for (_, label, kinds), end in zip(at.ends, (key[0], key[2]), strict=True):
        found.least(found.labels, end, _text(_cell(row, label)))
        found.types[end].update(_text(_cell(row, kinds)).split())


def _read_row(found: _RowFacts, at: _Columns, row: tuple[Cell, ...]) -> None:
    source, relation, target = _iri(_cell(row, at.source)), _iri(_cell(row, at.relation)), _iri(_cell(row, at.target))
    if source and relation and target:
        _read_link(found, at, row, (source, relation, target))
        return
    node = _iri(_cell(row, at.node))
    if node is None:
        return
    found.node_rows = True
    found.least(found.labels, node, _text(_cell(row, at.label)))
    if kind := _iri(_cell(row, at.type)):
        found.types[node].add(kind)
    for fact, index in at.literals:
        if value := _text(row[index]):
            found.least(found.literals[node], fact, value)
    if label := _text(_cell(row, at.evidence)):
        found.evidence[(node, _iri(_cell(row, at.graph)) or "")].add(label)
    if label := _text(_cell(row, at.spoken_of)):
        found.spoken_of[node].add(label)
    if _cell(row, at.hidden) is not None:
        found.hidden.add(node)


def _link_evidence(found: _RowFacts, key: tuple[str, str, str]) -> str:
    """The link's own evidence and its source's in each graph stating it, narrowed to what also speaks of the target."""
    labels = set(found.links[key])
    for graph in found.link_graphs.get(key, ()):
        labels |= found.evidence.get((key[0], graph), set())
    named = labels & found.spoken_of.get(key[2], set())
    return join_evidence(*(named or labels))


def graph_from_solutions(
    variables: Iterable[str],
    rows: Iterable[Iterable[Cell]],
    hierarchy: ClassHierarchy | None = None,
    labels: RelationLabels | None = None,
) -> tuple[Network[str], bool]:
    """Turn view-query rows into a MultiDiGraph; say whether the rows carried node facts of their own.

    The column contract. A row with ``?source ?relation ?target`` (IRIs) is a
    link, optionally with ``?graph`` (the named graph stating it), grouped
    facts ``?sourceLabel ?targetLabel``, ``?sourceType ?targetType``
    (space-separated class IRIs), ``?relationLabel`` and ``?evidence``. A row
    with ``?node`` instead is a fact of that node: ``?label``, ``?type`` (one
    class IRI; a relation's ``?label`` names its links), ``?description``, ``?date``; ``?evidence`` with ``?graph``
    (the locator labels its links stated in that graph rest on); ``?spokenOf``
    (a locator label that names or describes it: links to it rest on those of
    their evidence where any); ``?hidden`` (a locator: left out, with its
    links). Rows whose source or target is not an IRI are skipped: literals
    never become nodes. Flat rows let the store answer without grouping, so
    the answer grows with the graph and no more.
    """
    hierarchy = hierarchy or ClassHierarchy(())
    labels = labels or RelationLabels({})
    columns = _Columns(list(variables))
    found = _RowFacts()
    for row in rows:
        _read_row(found, columns, tuple(row))
    graph: Network[str] = nx.MultiDiGraph()
    for key in found.links:
        source, relation, target = key
        if source in found.hidden or target in found.hidden:
            continue
        for end in (source, target):
            if end not in graph:
                graph.add_node(end, iri=end, label=found.labels.get(end) or local_name(end))
                set_class(graph.nodes[end], found.types.get(end, ()), hierarchy, end)
                graph.nodes[end].update(found.literals.get(end, {}))
        label = found.relation_labels.get(relation) or found.labels.get(relation) or labels(relation)
        graph.add_edge(source, target, key=relation, relation=relation, label=label, evidence=_link_evidence(found, key))
    return graph, found.node_rows


def _json_cell(term: Mapping[str, Any] | None) -> Cell:
    if not term:
        return None
    value = str(term["value"])
    kind = term.get("type")
    return ox.NamedNode(value) if kind == "uri" else ox.BlankNode(value) if kind == "bnode" else ox.Literal(value)


def graph_from_rows(
    rows: Iterable[Mapping[str, Any]], hierarchy: ClassHierarchy | None = None, labels: RelationLabels | None = None
) -> Network[str]:
    """``graph_from_solutions`` over rows of SPARQL JSON terms (dicts).

    >>> row = {"source": {"type": "uri", "value": "https://w3id.org/solidarity-kg/id/a"},
    ...        "relation": {"type": "uri", "value": "https://w3id.org/solidarity-kg/ontology#carriedOutBy"},
    ...        "target": {"type": "uri", "value": "https://w3id.org/solidarity-kg/id/b"},
    ...        "targetLabel": {"type": "literal", "value": "B"}}
    >>> g = graph_from_rows([row])
    >>> [label for _node, label in sorted(g.nodes(data="label"))]
    ['a', 'B']
    >>> [(local_name(key), label) for _u, _v, key, label in g.edges(keys=True, data="label")]
    [('carriedOutBy', 'carried out by')]
    """
    listed = list(rows)
    names = sorted({name for row in listed for name in row})
    graph, _facts = graph_from_solutions(names, ([_json_cell(row.get(n)) for n in names] for row in listed), hierarchy, labels)
    return graph


@dataclass
class _TripleFacts:
    classes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    literals: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))


def _read_triple(graph: Network[str], found: _TripleFacts, triple: ox.Triple, labels: RelationLabels) -> None:
    s, p, o = triple.subject, triple.predicate.value, triple.object
    if not isinstance(s, ox.NamedNode):
        return
    if p == RDF_TYPE and isinstance(o, ox.NamedNode):
        found.classes[s.value].append(o.value)
    elif isinstance(o, ox.Literal):
        fact = LITERAL_FACTS.get(p)
        if fact and (fact == "date" or not o.language or o.language.startswith("en")):
            found.literals[s.value][fact].append(o.value)
    elif isinstance(o, ox.NamedNode):
        graph.add_nodes_from((s.value, o.value))
        add_link(graph, s.value, p, o.value, labels(p), "")


def graph_from_triples(
    triples: Iterable[ox.Triple],
    hierarchy: ClassHierarchy | None = None,
    labels: RelationLabels | None = None,
    looked_up: Mapping[str, NodeFacts] | None = None,
) -> Network[str]:
    """IRI-to-IRI triples become links; rdf:type, labels, descriptions and dates become node attributes.

    ``looked_up`` supplies labels and classes of nodes the triples do not describe.
    """
    hierarchy = hierarchy or ClassHierarchy(())
    labels = labels or RelationLabels({})
    graph: Network[str] = nx.MultiDiGraph()
    found = _TripleFacts()
    for triple in triples:
        _read_triple(graph, found, triple, labels)
    graph.add_nodes_from([*found.classes, *found.literals])
    for node, data in graph.nodes(data=True):
        literals = found.literals.get(node, {})
        other = (looked_up or {}).get(node)
        label = min(literals.get("label") or ([other.label] if other and other.label else [local_name(node)]))
        data.update(iri=node, label=label)
        set_class(data, found.classes.get(node) or (other.types if other else ()), hierarchy, node)
        for fact in ("description", "date"):
            if literals.get(fact):
                data[fact] = min(literals[fact])
    return graph


def nodes_missing_facts(graph: Network[str]) -> list[str]:
    """Nodes still labelled by their local name or without a class (to look up in the store)."""
    return [
        n
        for n, data in graph.nodes(data=True)
        if data.get("label") == local_name(n) or data.get("type") in (None, "Resource", "Concept")
    ]


def add_facts(graph: Network[str], facts: Mapping[str, NodeFacts], hierarchy: ClassHierarchy) -> None:
    """Fill node attributes from ``node_facts`` (labels and classes only where missing)."""
    for node, data in graph.nodes(data=True):
        found = facts.get(node)
        if found is None:
            continue
        if found.label and data.get("label", local_name(node)) == local_name(node):
            data["label"] = found.label
        if found.types and data.get("type") in (None, "Resource", "Concept"):
            set_class(data, found.types, hierarchy, node)
        if found.description:
            data["description"] = found.description
        if found.date:
            data["date"] = found.date


def narrow_evidence(graph: Network[str], facts: Mapping[str, NodeFacts]) -> None:
    """Evidence per link, not per node: keep the source's locators that also name the target, where any do.

    The view query gives each link the locators of its source node; a link to
    an actor rests on the paragraph or footnote that names that actor or speaks
    of it without naming it (``lookup.statement_evidence``).
    """
    for _u, v, data in graph.edges(data=True):
        found = facts.get(v)
        if not found or not found.spoken_of or not data.get("evidence"):
            continue
        labels = {label: label for label in str(data["evidence"]).split("; ")}
        named = set(found.spoken_of.values())
        data["evidence"] = join_evidence(*statement_evidence(labels, {k: k for k in named}).values())


def finish(graph: Network[str], name: str) -> None:
    """Degree and size of every node, and the view's name on the graph."""
    graph.graph.clear()
    graph.graph["view"] = name
    for node in graph:
        degree = graph.degree(node)
        graph.nodes[node]["degree"] = degree
        graph.nodes[node]["size"] = round(8.0 + 4.0 * math.sqrt(degree), 1)


__all__ = [
    "LITERAL_FACTS",
    "Cell",
    "Network",
    "add_facts",
    "add_link",
    "add_node",
    "finish",
    "graph_from_rows",
    "graph_from_solutions",
    "graph_from_triples",
    "join_evidence",
    "narrow_evidence",
    "nodes_missing_facts",
    "set_class",
]
