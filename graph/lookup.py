"""What the graph says about nodes: one facts query, one class hierarchy, one relation labeller.

Every module that needs a node's label, classes, description, date, actor
class or locators asks ``node_facts``; every module that needs the most
specific class or the superclasses asks the store's ``ClassHierarchy``; every
relation gets its label from ``relation_labels``. The hierarchy and the
ontology's relation labels are read once per store (``graph/cache.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.cache import cache_of
from graph.inference import INFERRED_GRAPH
from graph.iris import local_name
from graph.namespaces import PREFIXES
from graph.store import Store, select

SKG_NS, VOCAB = PREFIXES["skg"], PREFIXES["skgv"]
SKOS_CONCEPT = PREFIXES["skos"] + "Concept"
FIELDS = ("label", "type", "description", "date", "actorClass", "locator", "mention", "described")
"""What ``node_facts`` can fetch; each is one UNION branch with its own VALUES block."""
_BATCH = 1000
_ENGLISH = 'FILTER(LANGMATCHES(LANG(?value), "en") || LANG(?value) = "")'
_BRANCHES = {
    "label": f"?node rdfs:label|skos:prefLabel ?value . {_ENGLISH}",
    # not isIRI(): Virtuoso fails to compile it inside this UNION (SP031); a class is never blank or literal
    # the stated types: the hierarchy gives their superclasses, and the materialised ones would repeat them
    "type": "?node a ?value . FILTER(!isBlank(?value) && !isLiteral(?value)) "
    f"FILTER NOT EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ ?node a ?value }} }}",
    "description": f"?node dcterms:description ?value . {_ENGLISH}",
    "date": "?node skg:date|dcterms:date ?value .",
    "actorClass": "?node skg:actorClass ?value .",
    "locator": "?node prov:wasDerivedFrom ?value . ?value skg:locatorLabel ?extra .",
    "mention": "?node skg:mentionedIn ?value . ?value skg:locatorLabel ?extra .",
    "described": "?node skg:describedIn ?value . ?value skg:locatorLabel ?extra .",
}
_PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("rdfs", "skos", "dcterms", "skg", "prov"))


@dataclass
class NodeFacts:
    """What the graph says about one node (the smallest value where the data hold several)."""

    label: str = ""
    types: set[str] = field(default_factory=set)
    description: str = ""
    date: str = ""
    actor_class: str = ""
    locators: dict[str, str] = field(default_factory=dict)
    """Locator IRI -> locator label, of the paragraphs the node is derived from."""
    mentions: dict[str, str] = field(default_factory=dict)
    """Locator IRI -> locator label, of the paragraphs and footnotes that name the node (``skg:mentionedIn``)."""
    described: dict[str, str] = field(default_factory=dict)
    """Locator IRI -> locator label, of those that speak of it without naming it (``skg:describedIn``)."""

    @property
    def spoken_of(self) -> dict[str, str]:
        """Locator IRI -> locator label, of every locator that names the node or speaks of it."""
        return {**self.described, **self.mentions}


def statement_evidence(locators: Mapping[str, str], other_end: Mapping[str, str]) -> dict[str, str]:
    """The evidence of one link: those of the node's locators that also name or describe the other end, else all.

    A practice derived from a paragraph and a footnote is carried out by the
    State the footnote names: that link rests on the footnote, not on both.

    >>> statement_evidence({"p": "para. 37", "f": "fn. 89"}, {"f": "fn. 89", "x": "para. 2"})
    {'f': 'fn. 89'}
    >>> statement_evidence({"p": "para. 37"}, {"x": "para. 2"})
    {'p': 'para. 37'}
    """
    shared = {iri: label for iri, label in locators.items() if iri in other_end}
    return shared or dict(locators)


def _facts_query(nodes: list[str], wanted: list[str]) -> str:
    values = " ".join(str(ox.NamedNode(n)) for n in nodes)  # IRIs re-serialised by pyoxigraph, never pasted
    branches = " UNION ".join(f'{{ VALUES ?node {{ {values} }} {_BRANCHES[f]} BIND("{f}" AS ?field) }}' for f in wanted)
    return f"{_PROLOGUE}SELECT ?node ?field ?value ?extra WHERE {{ {branches} }}"


def _record(entry: NodeFacts, name: str, value: str, extra: str) -> None:
    if name == "label":
        entry.label = min(entry.label, value) if entry.label else value
    elif name == "type":
        entry.types.add(value)
    elif name == "locator":
        entry.locators[value] = extra
    elif name == "mention":
        entry.mentions[value] = extra
    elif name == "described":
        entry.described[value] = extra
    else:
        attribute = "actor_class" if name == "actorClass" else name
        current = getattr(entry, attribute)
        setattr(entry, attribute, min(current, value) if current else value)


def node_facts(
    store: Store, nodes: Iterable[str], fields: Iterable[str] = FIELDS, fill_labels: bool = True
) -> dict[str, NodeFacts]:
    """Facts of every node (a few bounded queries for all of them); labels default to the local name."""
    wanted = [f for f in FIELDS if f in set(fields)]
    unique = sorted(set(nodes))
    facts = {node: NodeFacts() for node in unique}
    for start in range(0, len(unique) if wanted else 0, _BATCH):
        for row in select(store, _facts_query(unique[start : start + _BATCH], wanted)):
            extra = row.get("extra", {}).get("value", "")
            _record(facts[row["node"]["value"]], row["field"]["value"], row["value"]["value"], extra)
    if fill_labels:
        for node, entry in facts.items():
            entry.label = entry.label or local_name(node)
    return facts


_SUBCLASSES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?class ?super WHERE { ?class rdfs:subClassOf ?super . FILTER(isIRI(?class) && isIRI(?super)) }"""


class ClassHierarchy:
    """The rdfs:subClassOf closure: superclasses, and the most specific of a node's classes."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._parents: dict[str, set[str]] = defaultdict(set)
        for cls, parent in pairs:
            if cls != parent:
                self._parents[cls].add(parent)

    def ancestors(self, cls: str) -> set[str]:
        """The class and every superclass.

        >>> sorted(ClassHierarchy([("a", "b"), ("b", "c")]).ancestors("a"))
        ['a', 'b', 'c']
        """
        seen, todo = {cls}, [cls]
        while todo:
            for parent in self._parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def subclasses(self, cls: str) -> set[str]:
        """The class and every class below it.

        >>> sorted(ClassHierarchy([("a", "b"), ("b", "c"), ("d", "e")]).subclasses("c"))
        ['a', 'b', 'c']
        """
        return {cls} | {c for c in self._parents if cls in self.ancestors(c)}

    def closure(self, types: Iterable[str]) -> set[str]:
        """Every class an instance of ``types`` belongs to."""
        result: set[str] = set()
        for cls in types:
            result |= self.ancestors(cls)
        return result

    def classify(self, classes: Iterable[str], iri: str) -> tuple[str, str, str]:
        """(type, type IRI, classes) of a node: the most specific class, and every class and superclass.

        Ties go to the ontology's own classes, then to the first name; a node
        without a class is a ``Concept`` under ``vocab/`` and a ``Resource`` elsewhere.

        >>> h = ClassHierarchy([(SKG_NS + "GoodPractice", SKG_NS + "Practice")])
        >>> h.classify([SKG_NS + "Practice", SKG_NS + "GoodPractice"], "x")[0]
        'GoodPractice'
        >>> h.classify([], VOCAB + "right/x")[:2]
        ('Concept', 'http://www.w3.org/2004/02/skos/core#Concept')
        """
        given = {c for c in classes if c}
        if not given:
            if iri.startswith(VOCAB):
                return "Concept", SKOS_CONCEPT, "Concept"
            return "Resource", "", "Resource"
        implied = {parent for cls in given for parent in self.ancestors(cls) if parent != cls}
        specific = sorted(given - implied) or sorted(given)
        specific.sort(key=lambda c: (not c.startswith(SKG_NS), local_name(c)))
        chosen = specific[0]
        return local_name(chosen), chosen, " ".join(sorted({local_name(c) for c in given | implied}))


def hierarchy_of(store: Store) -> ClassHierarchy:
    """The class hierarchy of a store, read once."""
    return cache_of(store).fixed(
        "hierarchy", lambda: ClassHierarchy((r["class"]["value"], r["super"]["value"]) for r in select(store, _SUBCLASSES))
    )


def words(name: str) -> str:
    """A camelCase local name in words.

    >>> words("carriedOutBy")
    'carried out by'
    """
    return "".join(" " + c.lower() if c.isupper() else c for c in name).strip()


_RELATION_LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?relation (MIN(STR(?label)) AS ?text) WHERE {
  ?relation a ?kind ; rdfs:label ?label .
  VALUES ?kind { <http://www.w3.org/2002/07/owl#ObjectProperty> <http://www.w3.org/2002/07/owl#DatatypeProperty>
                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#Property> }
  FILTER(LANGMATCHES(LANG(?label), "en") || LANG(?label) = "")
} GROUP BY ?relation"""


class RelationLabels:
    """Labels of relations: the ontology's English label, else the local name in words."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self._labels = dict(labels)

    def __call__(self, iri: str) -> str:
        """The label of one relation.

        >>> RelationLabels({})("https://w3id.org/solidarity-kg/ontology#carriedOutBy")
        'carried out by'
        """
        return self._labels.get(iri) or words(local_name(iri)) or iri


def relation_labels(store: Store | None) -> RelationLabels:
    """The relation labeller of a store (its ontology's labels, read once); without a store, words only."""
    if store is None:
        return RelationLabels({})
    return cache_of(store).fixed(
        "relation-labels",
        lambda: RelationLabels({r["relation"]["value"]: r["text"]["value"] for r in select(store, _RELATION_LABELS)}),
    )


__all__ = [
    "FIELDS",
    "ClassHierarchy",
    "NodeFacts",
    "RelationLabels",
    "hierarchy_of",
    "node_facts",
    "relation_labels",
    "statement_evidence",
    "words",
]
