"""Traversal: which duty-bearers relate to a practice, and the paths that say why.

Fixed-depth questions run as one bounded SPARQL query in the store
(``queries/traversal/duty_bearers.rq``, joins inside each UNION branch) plus
one query for the labels, types and locators of the nodes met; class-level
duties ("all States") are resolved here against the actors of the practice.
Generic graph algorithms (neighbourhoods, paths) run in networkx on a cached
projection of the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import UnknownResourceError
from graph.namespaces import PREFIXES
from graph.store import Store, select

SKG = PREFIXES["skg"]
RDFS = PREFIXES["rdfs"]
QUERIES = Path(__file__).resolve().parents[1] / "queries" / "traversal"

KINDS: dict[str, str] = {
    "state": SKG + "State",
    "local-government": SKG + "LocalGovernment",
    "civil-society": SKG + "CivilSocietyOrganisation",
    "religious-body": SKG + "ReligiousBody",
    "business": SKG + "Business",
    "trade-union": SKG + "TradeUnion",
    "academic": SKG + "AcademicInstitution",
    "regional-organisation": SKG + "RegionalOrganisation",
    "international-organisation": SKG + "InternationalOrganisation",
    "non-state-actor": SKG + "NonStateActor",
    "person": SKG + "Person",
    "actor-type": SKG + "ActorType",
}
"""Duty-bearer kinds accepted by the ``kind`` filter, most specific class first."""

RELATION_LABELS: dict[str, str] = {
    "carriedOutBy": "carried out by", "supportedBy": "supported by", "targets": "targets",
    "involves": "involves", "addressedTo": "addressed to", "location": "took place in",
    "inPractice": "is an involvement in", "agent": "agent", "identifiesIn": "identifies an actor of",
    "identifiedActor": "identified actor", "relatesToObligation": "relates to obligation",
    "dutyBearer": "duty-bearer", "assessedPractice": "assesses", "assessedAgainst": "assessed against",
    "expressesProvision": "expresses provision", "runsAgainstProvision": "runs against provision",
    "establishedBy": "established by", "partOfProvision": "part of provision", "respondsTo": "responds to",
    "appliesTo": "applies to (class-level duty)",
}


@dataclass(frozen=True)
class Evidence:
    """A source locator behind a step."""

    locator: str
    label: str


@dataclass(frozen=True)
class Step:
    """One hop of an explanation: source --relation--> target, read in path order.

    ``inverse`` is true when the RDF triple points from target to source
    (e.g. an obligation *established by* the provision the path arrived at).
    """

    source: str
    source_label: str
    relation: str
    relation_label: str
    target: str
    target_label: str
    inverse: bool = False
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ExplanationPath:
    """An ordered chain of steps from the practice to a duty-bearer."""

    branch: str
    steps: tuple[Step, ...]

    @property
    def length(self) -> int:
        """Number of hops."""
        return len(self.steps)

    @property
    def relations(self) -> tuple[str, ...]:
        """Local names of the relations used."""
        return tuple(local_name(s.relation) for s in self.steps)


@dataclass
class RelatedDutyBearer:
    """A duty-bearer related to the practice, with every path that explains it."""

    iri: str
    label: str
    kind: str
    types: list[str]
    class_level: bool
    paths: list[ExplanationPath] = field(default_factory=list)


@dataclass
class DutyBearerExplanation:
    """The answer for one practice."""

    practice: str
    practice_label: str
    duty_bearers: list[RelatedDutyBearer]

    @property
    def paths(self) -> list[ExplanationPath]:
        """All paths, for views that draw them."""
        return [p for bearer in self.duty_bearers for p in bearer.paths]


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/solidarity-kg/ontology#carriedOutBy")
    'carriedOutBy'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


_FACTS = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?node ?field ?value ?extra WHERE {
  { VALUES ?node { NODES } ?node rdfs:label ?value . BIND("label" AS ?field) }
  UNION { VALUES ?node { NODES } ?node skos:prefLabel ?value . BIND("label" AS ?field) }
  UNION { VALUES ?node { NODES } ?node a ?value . BIND("type" AS ?field) }
  UNION { VALUES ?node { NODES } ?node skg:actorClass ?value . BIND("actorClass" AS ?field) }
  UNION { VALUES ?node { NODES } ?node prov:wasDerivedFrom ?value . ?value skg:locatorLabel ?extra .
          BIND("locator" AS ?field) }
}"""

_CLASSES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?super WHERE { ?class rdfs:subClassOf ?super . FILTER(isIRI(?super)) }"""


@dataclass
class NodeFacts:
    """Labels, types and locators of one node."""

    label: str = ""
    types: set[str] = field(default_factory=set)
    actor_class: str | None = None
    locators: dict[str, str] = field(default_factory=dict)


def node_facts(store: Store, nodes: Iterable[str]) -> dict[str, NodeFacts]:
    """Fetch labels, types, actor classes and locators of nodes in one query."""
    unique = sorted(set(nodes))
    facts: dict[str, NodeFacts] = {n: NodeFacts() for n in unique}
    if not unique:
        return facts
    values = " ".join(str(ox.NamedNode(n)) for n in unique)  # IRIs from the store, re-serialised safely
    for row in select(store, _FACTS.replace("NODES", values)):
        entry = facts[row["node"]["value"]]
        kind, value = row["field"]["value"], row["value"]["value"]
        if kind == "label":
            lang = row["value"].get("xml:lang", "")
            if not entry.label or lang in ("en", ""):
                entry.label = value
        elif kind == "type":
            entry.types.add(value)
        elif kind == "actorClass":
            entry.actor_class = value
        else:
            entry.locators[value] = row["extra"]["value"]
    for node, entry in facts.items():
        entry.label = entry.label or local_name(node)
    return facts


class ClassHierarchy:
    """The ontology's rdfs:subClassOf closure, read once per store."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._parents: dict[str, set[str]] = defaultdict(set)
        for cls, parent in pairs:
            self._parents[cls].add(parent)

    @classmethod
    def from_store(cls, store: Store) -> ClassHierarchy:
        """Read the hierarchy from a store."""
        return cls((r["class"]["value"], r["super"]["value"]) for r in select(store, _CLASSES))

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

    def closure(self, types: Iterable[str]) -> set[str]:
        """All classes an instance of ``types`` belongs to."""
        result: set[str] = set()
        for t in types:
            result |= self.ancestors(t)
        return result


_HIERARCHIES: dict[int, ClassHierarchy] = {}


def hierarchy_for(store: Store) -> ClassHierarchy:
    """The cached class hierarchy of a store (the data do not change while serving)."""
    key = id(store)
    if key not in _HIERARCHIES:
        _HIERARCHIES[key] = ClassHierarchy.from_store(store)
    return _HIERARCHIES[key]


def kind_of(classes: set[str]) -> str:
    """The most specific kind name of an actor's classes.

    >>> kind_of({SKG + "State", SKG + "Actor"})
    'state'
    """
    for name, iri in KINDS.items():
        if iri in classes:
            return name
    return "actor"


def _rel(name: str) -> str:
    return SKG + name


def _chains(branch: str, row: dict[str, Any]) -> list[tuple[str, str, str, bool, str]]:
    """(source, relation, target, inverse, evidence-node) triples of one result row, in path order."""
    v = {k: row[k]["value"] for k in row}
    practice, bearer = v["practice"], v["bearer"]
    n1, n2, n3 = v.get("n1"), v.get("n2"), v.get("n3")
    if branch == "direct":
        return [(practice, v["rel1"], bearer, False, practice)]
    if branch == "involvement":
        return [(practice, _rel("inPractice"), n1, True, n1), (n1, _rel("agent"), bearer, False, n1)]  # type: ignore[list-item]
    if branch == "identification":
        return [(practice, _rel("identifiesIn"), n1, True, n1), (n1, _rel("identifiedActor"), bearer, False, n1)]  # type: ignore[list-item]
    if branch == "obligation":
        return [(practice, _rel("relatesToObligation"), n1, False, practice), (n1, _rel("dutyBearer"), bearer, False, n1)]  # type: ignore[list-item]
    if branch == "assessment":
        return [(practice, _rel("assessedPractice"), n1, True, n1), (n1, _rel("assessedAgainst"), n2, False, n1),  # type: ignore[list-item]
                (n2, _rel("dutyBearer"), bearer, False, n2)]  # type: ignore[list-item]
    if branch == "provision":
        return [(practice, v["rel1"], n1, False, practice), (n1, _rel("establishedBy"), n2, True, n2),  # type: ignore[list-item]
                (n2, _rel("dutyBearer"), bearer, False, n2)]  # type: ignore[list-item]
    if branch == "enclosing-provision":
        return [(practice, v["rel1"], n1, False, practice), (n1, _rel("partOfProvision"), n2, False, n1),  # type: ignore[list-item]
                (n2, _rel("establishedBy"), n3, True, n3), (n3, _rel("dutyBearer"), bearer, False, n3)]  # type: ignore[list-item]
    if branch == "recommendation":
        return [(practice, _rel("respondsTo"), n1, True, n1), (n1, _rel("addressedTo"), bearer, False, n1)]  # type: ignore[list-item]
    if branch == "recommendation-obligation":
        return [(practice, _rel("respondsTo"), n1, True, n1), (n1, _rel("establishedBy"), n2, True, n2),  # type: ignore[list-item]
                (n2, _rel("dutyBearer"), bearer, False, n2)]  # type: ignore[list-item]
    raise ValueError(f"unknown branch {branch}")


def explain_duty_bearers(store: Store, practice: str, *, depth: int = 5, relations: set[str] | None = None,
                         kinds: set[str] | None = None, class_level: bool = True) -> DutyBearerExplanation:
    """Every duty-bearer related to a practice, each with the paths that explain why.

    ``depth`` bounds the number of hops of a path; ``relations`` keeps only
    paths whose every relation (local name, e.g. ``carriedOutBy``) is listed;
    ``kinds`` keeps duty-bearers of those kinds (see ``KINDS``). Class-level
    duties (a duty-bearer that is an actor type such as all States) are kept
    as such and also extended to every actor of the practice of that class.
    """
    text = (QUERIES / "duty_bearers.rq").read_text(encoding="utf-8")
    rows = select(store, text, substitutions={"practice": ("uri", practice)})
    for row in rows:
        row["practice"] = {"type": "uri", "value": practice}
    chains = [(row["branch"]["value"], _chains(row["branch"]["value"], row)) for row in rows]
    nodes = {practice} | {n for _b, chain in chains for s, _r, t, _i, e in chain for n in (s, t, e)}
    facts = node_facts(store, nodes)
    if not facts[practice].types:
        raise UnknownResourceError(f"no practice is identified by {practice}", kind="practice", identifier=practice)
    hierarchy = hierarchy_for(store)

    def classes(node: str) -> set[str]:
        return hierarchy.closure(facts[node].types) if node in facts else set()

    def step(source: str, relation: str, target: str, inverse: bool, evidence_node: str) -> Step:
        locators = facts[evidence_node].locators if evidence_node in facts else {}
        return Step(source, facts[source].label, relation, RELATION_LABELS.get(local_name(relation), local_name(relation)),
                    target, facts[target].label, inverse,
                    tuple(Evidence(loc, label) for loc, label in sorted(locators.items(), key=lambda x: x[1])))

    # actors of the practice, for class-level duties
    involved: dict[str, list[Step]] = {}
    for branch, chain in chains:
        if branch in ("direct", "involvement", "identification"):
            bearer = chain[-1][2]
            if SKG + "Actor" in classes(bearer):
                involved.setdefault(bearer, [step(*hop) for hop in chain])

    found: dict[str, list[ExplanationPath]] = defaultdict(list)
    for branch, chain in chains:
        bearer = chain[-1][2]
        bearer_classes = classes(bearer)
        steps = tuple(step(*hop) for hop in chain)
        if SKG + "Actor" in bearer_classes or SKG + "ActorType" in bearer_classes:
            found[bearer].append(ExplanationPath(branch, steps))
        actor_class = facts[bearer].actor_class if bearer in facts else None
        if class_level and actor_class:
            for actor, via in involved.items():
                if actor_class in classes(actor):
                    applies = Step(bearer, facts[bearer].label, _rel("appliesTo"), RELATION_LABELS["appliesTo"],
                                   actor, facts[actor].label, False, via[-1].evidence)
                    found[actor].append(ExplanationPath(branch + "+class", (*steps, applies)))

    result = []
    for bearer, paths in found.items():
        bearer_classes = classes(bearer)
        kind = kind_of(bearer_classes)
        if kinds and kind not in kinds and not (kinds & {k for k, iri in KINDS.items() if iri in bearer_classes}):
            continue
        kept = [p for p in paths if p.length <= depth and (not relations or set(p.relations) <= relations)]
        unique = list({(p.branch, p.steps): p for p in kept}.values())
        if unique:
            unique.sort(key=lambda p: (p.length, p.branch, p.relations))
            result.append(RelatedDutyBearer(bearer, facts[bearer].label, kind, sorted(facts[bearer].types),
                                            kind == "actor-type", unique))
    result.sort(key=lambda b: (b.class_level, min(p.length for p in b.paths), b.label))
    return DutyBearerExplanation(practice, facts[practice].label, result)


__all__ = [
    "KINDS",
    "ClassHierarchy",
    "DutyBearerExplanation",
    "Evidence",
    "ExplanationPath",
    "RelatedDutyBearer",
    "Step",
    "explain_duty_bearers",
    "hierarchy_for",
    "kind_of",
    "local_name",
    "node_facts",
]
