"""One node, described for people and machines: labels, types, links, evidence.

``describe_node`` answers with one bounded query (labels of linked nodes are
looked up inside each UNION branch); ``node_triples`` returns the node's
concise description as RDF for the Linked Data views.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.errors import UnknownResourceError
from graph.formats import GRAPH_FORMATS
from graph.iris import local_name
from graph.store import QueryRequest, Store, select

# Term tests are negated (``!isBlank && !isLiteral`` for "an IRI"): Virtuoso 7.2.5 fails to compile a UNION
# whose branches filter with a positive isIRI or isLiteral; the negated forms mean the same on every engine.
_DESCRIBE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?dir ?p ?o ?oLabel ?doc WHERE {
  {
    ?node ?p ?o . FILTER(!isIRI(?o) && !isBlank(?o)) BIND("literal" AS ?dir)
  } UNION {
    ?node ?p ?o . FILTER(!isBlank(?o) && !isLiteral(?o) && ?p != prov:wasDerivedFrom)
    OPTIONAL { ?o rdfs:label|skos:prefLabel|skg:locatorLabel ?oLabel }
    BIND("out" AS ?dir)
  } UNION {
    ?o ?p ?node . FILTER(!isBlank(?o))
    OPTIONAL { ?o rdfs:label|skos:prefLabel|skg:locatorLabel ?oLabel }
    BIND("in" AS ?dir)
  } UNION {
    ?node ?p ?o .
    OPTIONAL { ?o skg:locatorLabel ?oLabel }
    OPTIONAL { ?o dcterms:isPartOf ?doc }
    VALUES ?p { prov:wasDerivedFrom skg:mentionedIn skg:describedIn }
    BIND("evidence" AS ?dir)
  }
}"""

_LABEL_PROPERTIES = {"http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel"}
_LOCATOR_LABEL = "https://w3id.org/solidarity-kg/ontology#locatorLabel"
"""A locator (paragraph, footnote, heading) is named by its locator label, e.g. ``A/73/206, para. 37``."""
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_EVIDENCE = {
    "http://www.w3.org/ns/prov#wasDerivedFrom": "derived from",
    "https://w3id.org/solidarity-kg/ontology#mentionedIn": "named in",
    "https://w3id.org/solidarity-kg/ontology#describedIn": "described in",
}
"""How a locator is evidence of the node: the node rests on it, the locator names it, or speaks of it unnamed."""


@dataclass(frozen=True)
class Link:
    """A link to or from the node, with the other end's label."""

    property: str
    property_label: str
    node: str
    label: str


@dataclass(frozen=True)
class Value:
    """A literal value of the node."""

    property: str
    property_label: str
    value: str
    language: str = ""
    datatype: str = ""


@dataclass(frozen=True)
class Locator:
    """A source locator behind the node, and how (``derived from``, ``named in``, ``described in``)."""

    locator: str
    label: str
    document: str = ""
    how: str = "derived from"


@dataclass
class NodeDescription:
    """Everything the graph says directly about a node."""

    iri: str
    label: str
    types: list[Link] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    outgoing: list[Link] = field(default_factory=list)
    incoming: list[Link] = field(default_factory=list)
    evidence: list[Locator] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        """Warnings a reader should see: unknown or disputed numbers, caveats."""
        found = [
            f"number {local_name(link.node)}"
            for link in self.outgoing
            if link.property.endswith("#numberStatus") and not link.node.endswith("/known")
        ]
        found += [v.value for v in self.values if v.property.endswith("#caveat")]
        return found


def _property_label(iri: str) -> str:
    name = local_name(iri)
    out = "".join(" " + c.lower() if c.isupper() else c for c in name).strip()
    return {"type": "type", "label": "label", "pref label": "preferred label"}.get(out, out)


def describe_node(store: Store, iri: str) -> NodeDescription:
    """Describe a node, or raise ``UnknownResourceError`` if the graph does not mention it."""
    rows = select(store, _DESCRIBE, substitutions={"node": ("uri", iri)})
    if not rows:
        raise UnknownResourceError(f"nothing in the graph is identified by {iri}", kind="resource", identifier=iri)
    description = NodeDescription(iri=iri, label="")
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        direction, prop, obj = row["dir"]["value"], row["p"]["value"], row["o"]
        label = row.get("oLabel", {}).get("value") or local_name(obj["value"])
        key = (direction, prop, obj["value"])
        if key in seen:
            continue
        seen.add(key)
        if direction == "literal":
            if prop in _LABEL_PROPERTIES and (not description.label or obj.get("xml:lang") == "en"):
                description.label = obj["value"]
            elif prop == _LOCATOR_LABEL and not description.label:
                description.label = obj["value"]
            description.values.append(
                Value(prop, _property_label(prop), obj["value"], obj.get("xml:lang", ""), obj.get("datatype", ""))
            )
        elif direction == "evidence":
            document = row.get("doc", {}).get("value", "")
            description.evidence.append(Locator(obj["value"], label, document, _EVIDENCE.get(prop, "derived from")))
        else:
            link = Link(prop, _property_label(prop), obj["value"], label)
            if prop == _TYPE and direction == "out":
                description.types.append(link)
            else:
                (description.outgoing if direction == "out" else description.incoming).append(link)
    description.label = description.label or local_name(iri)
    for items in (description.values, description.outgoing, description.incoming, description.types, description.evidence):
        items.sort(key=lambda x: tuple(str(v) for v in vars(x).values()))
    return description


def node_triples(store: Store, iri: str, media_type: str) -> bytes:
    """The node's outgoing and incoming triples plus labels of its neighbours, serialised (or ``UnknownResourceError``)."""
    if media_type not in GRAPH_FORMATS:
        raise ValueError(media_type)
    text = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?node ?p ?o . ?s ?q ?node . ?n rdfs:label ?l } WHERE {
  { ?node ?p ?o }
  UNION { ?s ?q ?node }
  UNION { ?node ?p2 ?n . ?n rdfs:label ?l }
  UNION { ?n ?q2 ?node . ?n rdfs:label ?l }
}"""
    output = store.query(QueryRequest(text, media_type=media_type, substitutions={"node": ("uri", iri)}))
    if not output.rows:
        raise UnknownResourceError(f"nothing in the graph is identified by {iri}", kind="resource", identifier=iri)
    return output.body


__all__ = ["Link", "Locator", "NodeDescription", "Value", "describe_node", "node_triples"]
