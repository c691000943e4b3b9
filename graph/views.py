"""Network views of the graph: ``build_view()`` returns a networkx MultiDiGraph.

A view is either a SELECT in ``queries/views/<name>.rq`` that returns one row per
link in a fixed column contract, or a view derived in Python:

* ``?source ?relation ?target`` (IRIs), and optionally ``?sourceLabel``
  ``?targetLabel``, ``?sourceType`` ``?targetType`` (space-separated class IRIs),
  ``?relationLabel`` and ``?evidence`` (locator labels, ``"; "``-separated);
* ``ego``: the neighbourhood of one node in the whole view (``node``, ``depth``);
* ``duty_bearers``: the explanation paths from a practice to its duty-bearers;
* ``query``: the triples of a CONSTRUCT query (a catalogue query or given text).

Every view takes the filters ``types`` and ``predicates``. Node ids are IRI
strings and the edge key is the relation IRI; every attribute is a str, int or
float (the GraphML and GEXF writers accept nothing else): nodes carry ``iri``,
``label``, ``type`` (local name of the most specific class), ``type_iri``,
``classes`` (local names of every class and superclass), ``color``, ``size``,
``degree``, ``x``, ``y`` and, where the data have them, ``description`` and
``date``; edges carry ``relation``, ``label`` and ``evidence``.

Views are built once per store and options, then cached and frozen (the data do
not change while serving). Layout positions are computed once per query view
(the whole view first) and reused by the views derived from it.
"""

from __future__ import annotations

import importlib
import math
import threading
import weakref
import zlib
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import networkx as nx
import pyoxigraph as ox

from graph.catalogue import Catalogue, bind, expand_iri, parse_header, query_kind
from graph.errors import ParameterError, UnknownResourceError
from graph.namespaces import PREFIXES
from graph.sparql_check import check_depth
from graph.store import QueryRequest, Store, select
from graph.traverse import Step, explain_duty_bearers, local_name

VIEWS_DIR = Path(__file__).resolve().parents[1] / "queries" / "views"
"""Folder of the view queries (one SELECT per view, named by its file stem)."""

QUERIES_DIR = VIEWS_DIR.parent

ID, VOCAB, SKG_NS = PREFIXES["skgd"], PREFIXES["skgv"], PREFIXES["skg"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_CONCEPT = PREFIXES["skos"] + "Concept"
LABEL_PREDICATES = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel")
DESCRIPTION_PREDICATES = (PREFIXES["dcterms"] + "description",)
DATE_PREDICATES = (SKG_NS + "date", PREFIXES["dcterms"] + "date")

MAX_DEPTH = 3
FORCE_LAYOUT_LIMIT = 2000
"""Views with more nodes than this get the cheap grouped layout instead of a force layout."""
CACHE_SIZE = 64
"""Derived views (ego, filtered, duty-bearers, query) kept per store; query views are always kept."""
_FACT_BATCH = 1000

TYPE_COLORS: dict[str, str] = {
    "State": "#1f5fa8", "LocalGovernment": "#4f9fd8", "InternationalOrganisation": "#0f8b8d",
    "RegionalOrganisation": "#46b3b5", "CivilSocietyOrganisation": "#2e7d32", "ReligiousBody": "#66a35e",
    "AcademicInstitution": "#7cb342", "Business": "#8d6e63", "TradeUnion": "#a1887f", "NonStateActor": "#5c8f6b",
    "Person": "#3949ab", "GoodPractice": "#43a047", "SolidarityGap": "#fb8c00", "AbusiveDeployment": "#e53935",
    "Criminalisation": "#8e1b1b", "MandateActivity": "#00897b", "Obligation": "#8e24aa", "Provision": "#ba68c8",
    "Instrument": "#795548", "Treaty": "#6d4c41", "Declaration": "#a1665e", "DraftDeclaration": "#bc8f7a",
    "Resolution": "#8d6e63", "Decision": "#9c7b6b", "Agreement": "#7b5e57", "NationalMeasure": "#b08b7f",
    "Report": "#90a4ae", "InstrumentVersion": "#c9a99b", "ProvisionCorrespondence": "#ce93d8",
    "Recommendation": "#d81b60", "Assessment": "#9e9e9e", "Identification": "#bdbdbd", "Involvement": "#b0bec5",
    "Citation": "#cfd8dc", "Document": "#616161", "Mandate": "#26a69a", "MandateTerm": "#80cbc4",
    "ThematicPriority": "#4db6ac", "Place": "#90caf9", "ActorType": "#fbc02d", "RightsHolderCategory": "#fdd835",
    "Right": "#f9a825", "Concept": "#c0ca33", "Resource": "#78909c",
}
"""Node colour per type (``#rrggbb``); other types get a stable colour from ``PALETTE``."""
PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class ViewOption:
    """One option of a view: a typed, validated request parameter."""

    name: str
    kind: str
    """``iri``, ``integer``, ``list`` (comma-separated) or ``string``."""
    description: str
    required: bool = False
    default: int | str | None = None
    minimum: int | None = None
    maximum: int | None = None


FILTERS: tuple[ViewOption, ...] = (
    ViewOption("types", "list", "Keep nodes of these classes (comma list of local names, e.g. State,GoodPractice; "
                                "a superclass such as Practice or Actor selects its subclasses)."),
    ViewOption("predicates", "list", "Keep links with these relations (comma list of local names such as "
                                     "carriedOutBy, CURIEs or IRIs)."),
)
"""Filters every view accepts; nodes left without links are dropped (the ego centre is kept)."""


@dataclass(frozen=True)
class View:
    """A registered view: its name (URL segment, file stem), what it shows and its options."""

    name: str
    summary: str
    description: str = ""
    options: tuple[ViewOption, ...] = ()
    query: Path | None = None
    """The view query, for views defined in ``queries/views/``."""
    extra_options: bool = False
    """Whether other options pass through (the ``query`` view binds them as query parameters)."""

    @property
    def all_options(self) -> tuple[ViewOption, ...]:
        """The view's own options followed by the filters."""
        return self.options + FILTERS


def _query_views(folder: Path) -> dict[str, View]:
    views = {}
    paths = sorted(folder.glob("*.rq"), key=lambda p: (p.stem != "whole", p.stem))
    for path in paths:
        header = parse_header(path.read_text(encoding="utf-8"), path.name)
        views[path.stem] = View(path.stem, str(header["summary"]), str(header.get("description", "")).strip(),
                                query=path)
    return views


VIEWS: dict[str, View] = {
    **_query_views(VIEWS_DIR),
    "ego": View("ego", "The neighbourhood of one node: everything within a few links of it in the whole view",
                "Nodes within `depth` links of `node`, following links in either direction, with every link "
                "among them. `predicates` restricts the links followed.", (
                    ViewOption("node", "iri", "The centre node (IRI or CURIE).", required=True),
                    ViewOption("depth", "integer", "Links from the centre.", default=1, minimum=1, maximum=MAX_DEPTH),
                )),
    "duty_bearers": View("duty_bearers", "Which duty-bearers relate to a practice, and the paths that say why",
                         "The union of the explanation paths from the practice to each related duty-bearer "
                         "(actors and actor types), each link with the locators behind it.", (
                             ViewOption("practice", "iri", "The practice (IRI or CURIE).", required=True),
                         )),
    "query": View("query", "The triples of a CONSTRUCT query as a network",
                  "Give `name`, a CONSTRUCT query of the catalogue (its parameters as further options), or "
                  "`construct`, the text of a read-only CONSTRUCT query. IRI-to-IRI triples become links; "
                  "labels, types, descriptions and dates become node attributes.", (
                      ViewOption("name", "string", "A CONSTRUCT query of the catalogue."),
                      ViewOption("construct", "string", "The text of a CONSTRUCT query."),
                  ), extra_options=True),
}
"""Every view, by name: the query views of ``queries/views/`` (``whole`` first), then ``ego``,
``duty_bearers`` and ``query``."""


def get_view(name: str) -> View:
    """The view of that name, or ``UnknownResourceError`` naming the views there are."""
    try:
        return VIEWS[name]
    except KeyError:
        raise UnknownResourceError(f"no view is named {name!r}; the views are {', '.join(VIEWS)}",
                                   kind="view", identifier=name) from None


# --------------------------------------------------------------------------- options


def _coerce(view: View, option: ViewOption, raw: object) -> Any:
    name = option.name
    if option.kind == "integer":
        try:
            value = int(str(raw))
        except ValueError:
            raise ParameterError(f"parameter {name!r} expects an integer, got {raw!r}", parameter=name,
                                 expected="integer") from None
        low = option.minimum if option.minimum is not None else -math.inf
        high = option.maximum if option.maximum is not None else math.inf
        if not low <= value <= high:
            raise ParameterError(f"parameter {name!r} must be between {option.minimum} and {option.maximum}, "
                                 f"got {value}", parameter=name, expected=f"{option.minimum}..{option.maximum}")
        return value
    if option.kind == "iri":
        return expand_iri(str(raw), name)
    if option.kind == "list":
        items = raw.split(",") if isinstance(raw, str) else [str(item) for item in cast(Iterable[object], raw)]
        cleaned = tuple(sorted({item.strip() for item in items if item.strip()}))
        return cleaned or None
    return str(raw)


def parse_options(view: View, options: Mapping[str, object]) -> dict[str, Any]:
    """Check and coerce a view's options (defaults applied); unknown options raise ``ParameterError``."""
    known = {option.name: option for option in view.all_options}
    parsed: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for name, raw in options.items():
        if name not in known:
            if not view.extra_options:
                raise ParameterError(f"view {view.name!r} has no option {name!r}; it takes: "
                                     f"{', '.join(known)}", parameter=name, expected=list(known))
            extra[name] = str(raw)
    for name, option in known.items():
        raw = options.get(name)
        if raw is None or raw == "":
            if option.required:
                raise ParameterError(f"view {view.name!r} needs option {name!r} ({option.description})",
                                     parameter=name, expected=option.kind)
            parsed[name] = option.default
        else:
            parsed[name] = _coerce(view, option, raw)
    if extra:
        parsed["params"] = tuple(sorted(extra.items()))
    return parsed


# --------------------------------------------------------------------------- cache


@dataclass
class _StoreCache:
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: dict[str, nx.MultiDiGraph] = field(default_factory=dict)
    derived: OrderedDict[tuple[Any, ...], nx.MultiDiGraph] = field(default_factory=OrderedDict)
    hierarchy: nx.DiGraph | None = None


_CACHES: weakref.WeakKeyDictionary[Any, _StoreCache] = weakref.WeakKeyDictionary()
_CACHES_BY_ID: dict[int, tuple[Any, _StoreCache]] = {}
_CACHES_LOCK = threading.Lock()


def _cache_for(store: Store) -> _StoreCache:
    with _CACHES_LOCK:
        try:
            cache = _CACHES.get(store)
            if cache is None:
                cache = _CACHES[store] = _StoreCache()
            return cache
        except TypeError:  # not weak-referenceable: keep the store alive with its cache
            entry = _CACHES_BY_ID.get(id(store))
            if entry is None or entry[0] is not store:
                entry = _CACHES_BY_ID[id(store)] = (store, _StoreCache())
            return entry[1]


def clear_cache(store: Store | None = None) -> None:
    """Forget cached views (of one store, or of every store)."""
    with _CACHES_LOCK:
        if store is None:
            _CACHES.clear()
            _CACHES_BY_ID.clear()
            return
        try:
            _CACHES.pop(store, None)
        except TypeError:
            _CACHES_BY_ID.pop(id(store), None)


# --------------------------------------------------------------------------- classes, colours, labels


def relation_label(iri: str) -> str:
    """A readable label for a relation without one: its local name in words.

    >>> relation_label("https://w3id.org/solidarity-kg/ontology#carriedOutBy")
    'carried out by'
    """
    name = local_name(iri)
    return "".join(" " + c.lower() if c.isupper() else c for c in name).strip() or iri


def type_color(type_name: str) -> str:
    """The colour of a node type (``#rrggbb``), stable across runs.

    >>> type_color("State")
    '#1f5fa8'
    >>> type_color("SomethingNew") == type_color("SomethingNew")
    True
    """
    return TYPE_COLORS.get(type_name) or PALETTE[zlib.crc32(type_name.encode()) % len(PALETTE)]


_SUBCLASSES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?class ?super WHERE { ?class rdfs:subClassOf ?super . FILTER(isIRI(?class) && isIRI(?super)) }"""


def _hierarchy(store: Store, cache: _StoreCache) -> nx.DiGraph:
    if cache.hierarchy is None:
        cache.hierarchy = nx.DiGraph((r["class"]["value"], r["super"]["value"]) for r in select(store, _SUBCLASSES))
    return cache.hierarchy


def classify(classes: Iterable[str], hierarchy: nx.DiGraph, iri: str) -> tuple[str, str, str]:
    """(type, type IRI, classes) of a node: the most specific class, and every class and superclass.

    Ties go to our ontology's classes, then to the first name; a node without a
    class is a ``Concept`` under ``vocab/`` and a ``Resource`` elsewhere.

    >>> h = nx.DiGraph([(SKG_NS + "GoodPractice", SKG_NS + "Practice")])
    >>> classify([SKG_NS + "Practice", SKG_NS + "GoodPractice"], h, "x")[0]
    'GoodPractice'
    >>> classify([], h, VOCAB + "right/x")[:2]
    ('Concept', 'http://www.w3.org/2004/02/skos/core#Concept')
    """
    given = {c for c in classes if c}
    if not given:
        if iri.startswith(VOCAB):
            return "Concept", SKOS_CONCEPT, "Concept"
        return "Resource", "", "Resource"
    implied: set[str] = set()
    for cls in given:
        if cls in hierarchy:
            implied |= nx.descendants(hierarchy, cls)
    closure = given | implied
    specific = sorted(given - implied) or sorted(given)
    specific.sort(key=lambda c: (not c.startswith(SKG_NS), local_name(c)))
    chosen = specific[0]
    return local_name(chosen), chosen, " ".join(sorted({local_name(c) for c in closure}))


_FACT_BRANCHES = {
    "label": '?node rdfs:label|skos:prefLabel ?value . FILTER(LANGMATCHES(LANG(?value), "en") || LANG(?value) = "")',
    "type": "?node a ?value .",
    "description": '?node dcterms:description ?value . FILTER(LANGMATCHES(LANG(?value), "en") || LANG(?value) = "")',
    "date": "?node skg:date|dcterms:date ?value .",
}


def node_facts(store: Store, nodes: Iterable[str], fields: Iterable[str] = ("label", "type", "description", "date")
               ) -> dict[str, dict[str, list[str]]]:
    """Labels, classes, descriptions and dates of nodes, a few bounded queries for all of them.

    Each requested field is one UNION branch with its own VALUES block, so every
    look-up stays inside its branch.
    """
    wanted = [f for f in fields if f in _FACT_BRANCHES]
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    unique = sorted(set(nodes))
    if not unique or not wanted:
        return facts
    for start in range(0, len(unique), _FACT_BATCH):
        values = " ".join(str(ox.NamedNode(n)) for n in unique[start:start + _FACT_BATCH])
        branches = " UNION ".join(f'{{ VALUES ?node {{ {values} }} {_FACT_BRANCHES[f]} BIND("{f}" AS ?field) }}'
                                  for f in wanted)
        text = f"""PREFIX rdfs: <{PREFIXES["rdfs"]}>
PREFIX skos: <{PREFIXES["skos"]}>
PREFIX dcterms: <{PREFIXES["dcterms"]}>
PREFIX skg: <{SKG_NS}>
SELECT ?node ?field ?value WHERE {{ {branches} }}"""
        for row in select(store, text):
            facts[row["node"]["value"]][row["field"]["value"]].append(row["value"]["value"])
    return facts


# --------------------------------------------------------------------------- rows -> graph


def _add_node(graph: nx.MultiDiGraph, iri: str, label: str | None, classes: Iterable[str],
              hierarchy: nx.DiGraph) -> None:
    if iri in graph:
        data = graph.nodes[iri]
        if label and data["label"] == local_name(iri):
            data["label"] = label
        return
    type_name, type_iri, closure = classify(classes, hierarchy, iri)
    graph.add_node(iri, iri=iri, label=label or local_name(iri), type=type_name, type_iri=type_iri,
                   classes=closure, color=type_color(type_name))


def _join_evidence(*parts: str) -> str:
    labels = {label.strip() for part in parts if part for label in part.split("; ") if label.strip()}
    return "; ".join(sorted(labels))


def graph_from_rows(rows: Iterable[Mapping[str, Any]], hierarchy: nx.DiGraph | None = None) -> nx.MultiDiGraph:
    """Turn view-query rows (SPARQL JSON bindings in the column contract) into a MultiDiGraph.

    Rows whose source or target is not an IRI are skipped: literals never become nodes.

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
    hierarchy = hierarchy if hierarchy is not None else nx.DiGraph()
    graph = nx.MultiDiGraph()

    def value(row: Mapping[str, Any], name: str) -> str:
        term = row.get(name)
        return str(term["value"]) if term else ""

    for row in rows:
        if row.get("source", {}).get("type") != "uri" or row.get("target", {}).get("type") != "uri":
            continue
        source, relation, target = value(row, "source"), value(row, "relation"), value(row, "target")
        _add_node(graph, source, value(row, "sourceLabel"), value(row, "sourceType").split(), hierarchy)
        _add_node(graph, target, value(row, "targetLabel"), value(row, "targetType").split(), hierarchy)
        evidence = _join_evidence(value(row, "evidence"))
        if graph.has_edge(source, target, key=relation):
            data = graph.edges[source, target, relation]
            data["evidence"] = _join_evidence(data["evidence"], evidence)
            continue
        graph.add_edge(source, target, key=relation, relation=relation,
                       label=value(row, "relationLabel") or relation_label(relation), evidence=evidence)
    return graph


def _add_facts(graph: nx.MultiDiGraph, facts: Mapping[str, Mapping[str, list[str]]], hierarchy: nx.DiGraph) -> None:
    """Fill node attributes from ``node_facts`` (labels and classes only where missing)."""
    for node, data in graph.nodes(data=True):
        found = facts.get(node, {})
        if found.get("label") and data.get("label", local_name(node)) == local_name(node):
            data["label"] = min(found["label"])
        if found.get("type") and data.get("type") in (None, "Resource", "Concept"):
            data["type"], data["type_iri"], data["classes"] = classify(found["type"], hierarchy, node)
            data["color"] = type_color(data["type"])
        if found.get("description"):
            data["description"] = min(found["description"])
        if found.get("date"):
            data["date"] = min(found["date"])


# --------------------------------------------------------------------------- layout


def _force_layout(nodes: list[str], edges: list[tuple[int, int]], seed: int, iterations: int = 50
                  ) -> list[tuple[float, float]]:
    """Fruchterman-Reingold (the algorithm of networkx's spring_layout) on dense float32 numpy arrays.

    The displacement sum over all pairs is written as two matrix products, so
    no n x n x 2 array is built: about 1 s for 1,100 nodes, 3 s for 2,000.
    """
    import numpy as np

    n = len(nodes)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    adjacency = np.zeros((n, n), dtype=np.float32)
    for a, b in edges:
        if a != b:
            adjacency[a, b] = adjacency[b, a] = 1.0
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = pos[:, 0, np.newaxis] - pos[np.newaxis, :, 0]
        dy = pos[:, 1, np.newaxis] - pos[np.newaxis, :, 1]
        squared = dx * dx + dy * dy
        np.maximum(squared, 1e-4, out=squared)
        force = (k * k) / squared - adjacency * np.sqrt(squared) / k
        displacement = pos * force.sum(axis=1)[:, np.newaxis] - force @ pos
        length = np.sqrt((displacement * displacement).sum(axis=1))
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (temperature / length)[:, np.newaxis]
        temperature -= cooling
    return [(float(x), float(y)) for x, y in pos]


def _grouped_layout(nodes: list[str], groups: list[str]) -> list[tuple[float, float]]:
    """A cheap O(n) layout: each type on its own sunflower disc, the discs around a circle."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        members[group].append(index)
    order = sorted(members, key=lambda g: (-len(members[g]), g))
    radii = {g: math.sqrt(len(members[g])) for g in order}
    ring = max(1.0, sum(2 * r + 1 for r in radii.values()) / (2 * math.pi))
    golden = math.pi * (3 - math.sqrt(5))
    pos: list[tuple[float, float]] = [(0.0, 0.0)] * len(nodes)
    angle = 0.0
    for group in order:
        share = (2 * radii[group] + 1) / max(1e-9, ring)
        angle += share / 2
        cx, cy = (0.0, 0.0) if len(order) == 1 else (ring * math.cos(angle), ring * math.sin(angle))
        angle += share / 2
        for i, index in enumerate(sorted(members[group], key=lambda m: nodes[m])):
            r = math.sqrt(i + 0.5)
            pos[index] = (cx + r * math.cos(i * golden), cy + r * math.sin(i * golden))
    return pos


def layout_positions(graph: nx.MultiDiGraph, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Positions for every node, deterministic for a given graph and seed.

    A force layout (numpy) up to ``FORCE_LAYOUT_LIMIT`` nodes, otherwise (or
    without numpy) the grouped layout; scaled so that nodes sit about 50 units
    apart, rounded to 0.1.
    """
    nodes = sorted(graph.nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    try:
        if len(nodes) > FORCE_LAYOUT_LIMIT:
            raise ImportError("too many nodes for the force layout")
        importlib.import_module("numpy")
        raw = _force_layout(nodes, [(index[u], index[v]) for u, v in graph.edges()], seed)
    except ImportError:
        raw = _grouped_layout(nodes, [graph.nodes[n].get("type", "") for n in nodes])
    xs, ys = [p[0] for p in raw], [p[1] for p in raw]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 50.0 * math.sqrt(len(nodes)) * 2 / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {node: (round((x - cx) * scale, 1), round((y - cy) * scale, 1)) for node, (x, y) in zip(nodes, raw, strict=True)}


def _place(graph: nx.MultiDiGraph) -> None:
    for node, (x, y) in layout_positions(graph).items():
        graph.nodes[node]["x"], graph.nodes[node]["y"] = x, y


# --------------------------------------------------------------------------- builders


@dataclass(frozen=True)
class _Context:
    store: Store
    cache: _StoreCache
    catalogue: Catalogue | None
    timeout: float | None
    max_rows: int | None
    max_bytes: int | None = None


def _base(context: _Context, name: str) -> nx.MultiDiGraph:
    """A query view, built once per store with its layout (under the store's lock)."""
    cache = context.cache
    with cache.lock:
        if name not in cache.base:
            view = VIEWS[name]
            assert view.query is not None  # noqa: S101 - only query views reach here
            hierarchy = _hierarchy(context.store, cache)
            graph = graph_from_rows(select(context.store, view.query.read_text(encoding="utf-8")), hierarchy)
            _add_facts(graph, node_facts(context.store, graph.nodes, ("description", "date")), hierarchy)
            _finish(graph, name)
            _place(graph)
            cache.base[name] = nx.freeze(graph)
        return cache.base[name]


def _ego(context: _Context, options: Mapping[str, Any]) -> nx.MultiDiGraph:
    whole = _base(context, "whole")
    node, depth = options["node"], options["depth"]
    if node not in whole:
        raise UnknownResourceError(f"{node} is not linked to anything in the whole view", kind="node",
                                   identifier=node, parameter="node")
    followed = _filter_predicates(whole, options.get("predicates"), protect={node})
    around = nx.ego_graph(followed.to_undirected(as_view=True), node, radius=depth)
    return nx.MultiDiGraph(followed.subgraph(around.nodes))


def _step_evidence(step: Step) -> str:
    return _join_evidence(*(item.label for item in step.evidence))


def _duty_bearers(context: _Context, options: Mapping[str, Any]) -> nx.MultiDiGraph:
    practice = options["practice"]
    steps = [step for path in explain_duty_bearers(context.store, practice).paths for step in path.steps]
    hierarchy = _hierarchy(context.store, context.cache)
    graph = nx.MultiDiGraph()
    graph.add_node(practice, iri=practice, label=local_name(practice))
    for step in steps:
        for node, label in ((step.source, step.source_label), (step.target, step.target_label)):
            if node not in graph:
                graph.add_node(node, iri=node, label=label or local_name(node))
            elif label and graph.nodes[node]["label"] == local_name(node):
                graph.nodes[node]["label"] = label
        u, v = (step.target, step.source) if step.inverse else (step.source, step.target)
        evidence = _step_evidence(step)
        if graph.has_edge(u, v, key=step.relation):
            data = graph.edges[u, v, step.relation]
            data["evidence"] = _join_evidence(data["evidence"], evidence)
        else:
            graph.add_edge(u, v, key=step.relation, relation=step.relation,
                           label=step.relation_label or relation_label(step.relation), evidence=evidence)
    for _node, data in graph.nodes(data=True):
        data.setdefault("type", "Resource")
    _add_facts(graph, node_facts(context.store, graph.nodes), hierarchy)
    for node, data in graph.nodes(data=True):
        if "type_iri" not in data:
            data["type"], data["type_iri"], data["classes"] = classify([], hierarchy, node)
            data["color"] = type_color(data["type"])
    _place(graph)
    return graph


def _query(context: _Context, options: Mapping[str, Any]) -> nx.MultiDiGraph:
    name, text, params = options.get("name"), options.get("construct"), dict(options.get("params") or ())
    if bool(name) == bool(text):
        raise ParameterError("the query view needs exactly one of 'name' (a catalogue CONSTRUCT query) and "
                             "'construct' (the text of one)", parameter="name" if not text else "construct")
    if name:
        catalogue = context.catalogue or Catalogue.load(QUERIES_DIR)
        named = catalogue.get(name)
        if named.kind not in ("CONSTRUCT", "DESCRIBE"):
            raise ParameterError(f"catalogue query {name!r} is a {named.kind}; the query view needs a CONSTRUCT "
                                 "or DESCRIBE query", parameter="name", expected="CONSTRUCT")
        text, bindings = named.text, bind(named, params)
    else:
        if params:
            raise ParameterError(f"option {sorted(params)[0]!r} is not known: a 'construct' text takes no "
                                 "parameters", parameter=sorted(params)[0])
        form = query_kind(str(text))
        if form not in ("CONSTRUCT", "DESCRIBE"):
            raise ParameterError("parameter 'construct' must be a CONSTRUCT or DESCRIBE query",
                                 parameter="construct", expected="CONSTRUCT")
        check_depth(str(text))
        bindings = {}
    # a user's text runs like a /sparql query: parsed and checked in a public-lane worker
    untrusted = not name
    output = context.store.query(QueryRequest(str(text), media_type="application/n-triples", substitutions=bindings,
                                              timeout=context.timeout, max_rows=context.max_rows,
                                              max_bytes=context.max_bytes, untrusted=untrusted,
                                              form=query_kind(str(text)) if untrusted else None,
                                              lane="public" if untrusted else "api"))
    triples = list(ox.parse(output.body, format=ox.RdfFormat.N_TRIPLES)) if output.body else []
    graph = graph_from_triples(triples, _hierarchy(context.store, context.cache), store=context.store)
    graph.graph["truncated"] = int(output.truncated)
    _place(graph)
    return graph


def graph_from_triples(triples: Iterable[Any], hierarchy: nx.DiGraph | None = None, store: Store | None = None
                       ) -> nx.MultiDiGraph:
    """IRI-to-IRI triples become links; rdf:type, labels, descriptions and dates become node attributes.

    With a store, nodes without a label or class get them from the store.
    """
    hierarchy = hierarchy if hierarchy is not None else nx.DiGraph()
    graph = nx.MultiDiGraph()
    classes: dict[str, list[str]] = defaultdict(list)
    literals: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for triple in triples:
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            classes[s.value].append(o.value)
        elif isinstance(o, ox.Literal):
            fact = ("label" if p in LABEL_PREDICATES else "description" if p in DESCRIPTION_PREDICATES
                    else "date" if p in DATE_PREDICATES else None)
            if fact and (fact == "date" or not o.language or o.language.startswith("en")):
                literals[s.value][fact].append(o.value)
        elif isinstance(o, ox.NamedNode):
            for node in (s.value, o.value):
                if node not in graph:
                    graph.add_node(node)
            if not graph.has_edge(s.value, o.value, key=p):
                graph.add_edge(s.value, o.value, key=p, relation=p, label=relation_label(p), evidence="")
    for node in list(classes) + list(literals):
        if node not in graph:
            graph.add_node(node)
    missing = [n for n in graph if not literals[n].get("label") or not classes.get(n)]
    looked_up = node_facts(store, missing, ("label", "type")) if store is not None and missing else {}
    for node, data in graph.nodes(data=True):
        found = literals.get(node, {})
        label = min(found.get("label") or looked_up.get(node, {}).get("label") or [local_name(node)])
        type_name, type_iri, closure = classify(classes.get(node) or looked_up.get(node, {}).get("type") or [],
                                                hierarchy, node)
        data.update(iri=node, label=label, type=type_name, type_iri=type_iri, classes=closure,
                    color=type_color(type_name))
        for fact in ("description", "date"):
            if found.get(fact):
                data[fact] = min(found[fact])
    if store is not None:
        relations = {k for _u, _v, k in graph.edges(keys=True)}
        labels = {r: ls["label"][0] for r, ls in node_facts(store, relations, ("label",)).items() if ls.get("label")}
        for _u, _v, k, data in graph.edges(keys=True, data=True):
            data["label"] = labels.get(k, data["label"])
    return graph


# --------------------------------------------------------------------------- filters, finishing


def _matches_relation(relation: str, wanted: tuple[str, ...]) -> bool:
    return any(relation == item or (":" not in item and local_name(relation) == item) for item in wanted)


def _expand_predicates(predicates: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if not predicates:
        return None
    return tuple(expand_iri(p, "predicates") if ":" in p else p for p in predicates)


def _filter_predicates(graph: nx.MultiDiGraph, predicates: tuple[str, ...] | None,
                       protect: set[str] | None = None) -> nx.MultiDiGraph:
    wanted = _expand_predicates(predicates)
    if not wanted:
        return graph
    edges = [(u, v, k) for u, v, k in graph.edges(keys=True) if _matches_relation(k, wanted)]
    nodes = {n for u, v, _k in edges for n in (u, v)} | {n for n in protect or () if n in graph}
    kept = nx.MultiDiGraph(graph.subgraph(nodes))
    kept.remove_edges_from([(u, v, k) for u, v, k in list(kept.edges(keys=True)) if not _matches_relation(k, wanted)])
    return kept


def _filter_types(graph: nx.MultiDiGraph, types: tuple[str, ...] | None, protect: set[str]) -> nx.MultiDiGraph:
    if not types:
        return graph
    wanted = set(types)
    nodes = [n for n, classes in graph.nodes(data="classes") if n in protect or wanted & set(str(classes).split())]
    kept = nx.MultiDiGraph(graph.subgraph(nodes))
    kept.remove_nodes_from([n for n in list(kept) if kept.degree(n) == 0 and n not in protect])
    return kept


def _check_filters(graph: nx.MultiDiGraph, options: Mapping[str, Any]) -> None:
    """Names that mean nothing here are a ``ParameterError``, not an empty view."""
    from graph.namespaces import SKG

    known_types = ({n for n in SKG.__annotations__ if n[:1].isupper()} | {"Concept", "Resource"}
                   | {c for _n, classes in graph.nodes(data="classes") for c in str(classes).split()})
    unknown = [t for t in options.get("types") or () if t not in known_types]
    if unknown:
        raise ParameterError(f"parameter 'types': unknown class {unknown[0]!r}; use local names of the ontology's "
                             "classes, e.g. State, GoodPractice, Practice, Actor", parameter="types",
                             expected="class local names")
    known_relations = {n for n in SKG.__annotations__ if n[:1].islower()} | {local_name(k) for *_e, k in
                                                                            graph.edges(keys=True)}
    for item in options.get("predicates") or ():
        if ":" in item:
            expand_iri(item, "predicates")
        elif item not in known_relations:
            raise ParameterError(f"parameter 'predicates': unknown relation {item!r}; use local names such as "
                                 "carriedOutBy, CURIEs or IRIs", parameter="predicates", expected="relations")


def _finish(graph: nx.MultiDiGraph, name: str) -> None:
    """Degree and size of every node, and the view's name on the graph."""
    graph.graph.clear()
    graph.graph["view"] = name
    for node in graph:
        degree = graph.degree(node)
        graph.nodes[node]["degree"] = degree
        graph.nodes[node]["size"] = round(8.0 + 4.0 * math.sqrt(degree), 1)


_BUILDERS: dict[str, Callable[[_Context, Mapping[str, Any]], nx.MultiDiGraph]] = {
    "duty_bearers": _duty_bearers,
    "query": _query,
}


def build_view(store: Store, name: str, /, *, catalogue: Catalogue | None = None, timeout: float | None = None,
               max_rows: int | None = None, max_bytes: int | None = None, **options: object) -> nx.MultiDiGraph:
    """Build (or fetch from the cache) a view as a frozen MultiDiGraph.

    ``options`` are the view's options (strings as they come from a URL or the
    CLI, or typed values); ``catalogue`` serves the ``query`` view (default: the
    repository's ``queries/``); ``timeout``, ``max_rows`` and ``max_bytes``
    limit the user-supplied CONSTRUCT of the ``query`` view. Raises
    ``UnknownResourceError`` for an unknown view or node and ``ParameterError``
    naming a bad option.
    """
    view = get_view(name)
    parsed = parse_options(view, {k: v for k, v in options.items() if v is not None})
    context = _Context(store, _cache_for(store), catalogue, timeout, max_rows, max_bytes)
    key = (name, tuple(sorted((k, v) for k, v in parsed.items() if v is not None)))
    with _CACHES_LOCK:
        cached = context.cache.derived.get(key)
        if cached is not None:
            context.cache.derived.move_to_end(key)
            return cached
    types, predicates = parsed.get("types"), parsed.get("predicates")
    if view.query is not None:
        graph = _base(context, name)
        if not types and not predicates:
            return graph
        _check_filters(graph, parsed)
    elif name == "ego":
        _check_filters(_base(context, "whole"), parsed)
        graph = _ego(context, parsed)
    else:
        graph = _BUILDERS[name](context, parsed)
        _check_filters(graph, parsed)
    protect = {parsed["node"]} if name == "ego" else set()
    graph = _filter_types(_filter_predicates(graph, predicates, protect), types, protect)
    if nx.is_frozen(graph):
        graph = nx.MultiDiGraph(graph)
    _finish(graph, name)
    for option in ("node", "practice"):  # the centre of the view, for viewers
        if parsed.get(option):
            graph.graph[option] = parsed[option]
    frozen = nx.freeze(graph)
    with _CACHES_LOCK:
        context.cache.derived[key] = frozen
        while len(context.cache.derived) > CACHE_SIZE:
            context.cache.derived.popitem(last=False)
    return frozen


def view_summaries() -> list[dict[str, Any]]:
    """Every view with its options (for ``GET /views``)."""
    return [{
        "name": view.name, "summary": view.summary, "description": view.description,
        "options": [{"name": o.name, "type": o.kind, "required": o.required, "default": o.default,
                     "minimum": o.minimum, "maximum": o.maximum, "description": o.description}
                    for o in view.all_options],
        "extra_options": view.extra_options,
    } for view in VIEWS.values()]


__all__ = [
    "FILTERS",
    "FORCE_LAYOUT_LIMIT",
    "TYPE_COLORS",
    "VIEWS",
    "View",
    "ViewOption",
    "build_view",
    "classify",
    "clear_cache",
    "get_view",
    "graph_from_rows",
    "graph_from_triples",
    "layout_positions",
    "local_name",
    "node_facts",
    "parse_options",
    "relation_label",
    "type_color",
    "view_summaries",
]
