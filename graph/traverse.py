"""Traversal: which duty-bearers relate to a practice, and the paths that say why.

Fixed-depth questions run as one bounded SPARQL query in the store (the
catalogue's ``traversal/duty_bearers.rq``, joins inside each UNION branch),
plus one ``node_facts`` look-up for the labels, classes and locators of the
nodes met; class-level duties ("all States") are resolved here against the
actors of the practice. Neighbourhoods and paths are in ``graph/network/``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.catalogue import Catalogue, bundled_catalogue
from graph.errors import GraphError, UnknownResourceError
from graph.iris import local_name
from graph.lookup import FIELDS, NodeFacts, hierarchy_of, node_facts, relation_labels, statement_evidence
from graph.namespaces import PREFIXES
from graph.store import Store, select

SKG = PREFIXES["skg"]

DUTY_BEARER_KINDS: dict[str, str] = {
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
"""Duty-bearer kinds accepted by the ``kind`` filter (name -> class), most specific class first."""

Hop = tuple[str, str, str, bool, str]
"""(source, relation, target, inverse, evidence node) of one hop, in path order."""

_CHAINS: dict[str, tuple[tuple[str, str, str, bool, str], ...]] = {
    "direct": (("practice", "?rel1", "bearer", False, "practice"),),
    "involvement": (("practice", "inPractice", "n1", True, "n1"), ("n1", "agent", "bearer", False, "n1")),
    "identification": (("practice", "identifiesIn", "n1", True, "n1"), ("n1", "identifiedActor", "bearer", False, "n1")),
    "obligation": (("practice", "relatesToObligation", "n1", False, "practice"), ("n1", "dutyBearer", "bearer", False, "n1")),
    "assessment": (
        ("practice", "assessedPractice", "n1", True, "n1"),
        ("n1", "assessedAgainst", "n2", False, "n1"),
        ("n2", "dutyBearer", "bearer", False, "n2"),
    ),
    "provision": (
        ("practice", "?rel1", "n1", False, "practice"),
        ("n1", "establishedBy", "n2", True, "n2"),
        ("n2", "dutyBearer", "bearer", False, "n2"),
    ),
    "enclosing-provision": (
        ("practice", "?rel1", "n1", False, "practice"),
        ("n1", "partOfProvision", "n2", False, "n1"),
        ("n2", "establishedBy", "n3", True, "n3"),
        ("n3", "dutyBearer", "bearer", False, "n3"),
    ),
    "recommendation": (("practice", "respondsTo", "n1", True, "n1"), ("n1", "addressedTo", "bearer", False, "n1")),
    "recommendation-obligation": (
        ("practice", "respondsTo", "n1", True, "n1"),
        ("n1", "establishedBy", "n2", True, "n2"),
        ("n2", "dutyBearer", "bearer", False, "n2"),
    ),
}
"""Each branch of the traversal query as hops over its columns: a column name, or a relation
(``?column`` where the row holds it, else a local name in the ontology), read in path order."""


@dataclass(frozen=True, order=True)
class Locator:
    """A source locator behind a step: its IRI and label (e.g. ``A/73/206, para. 37``)."""

    locator: str
    label: str


@dataclass(frozen=True, order=True)
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
    evidence: tuple[Locator, ...] = ()


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


def kind_of(classes: set[str]) -> str:
    """The most specific duty-bearer kind of an actor's classes.

    >>> kind_of({SKG + "State", SKG + "Actor"})
    'state'
    """
    return next((name for name, iri in DUTY_BEARER_KINDS.items() if iri in classes), "actor")


def chain_of(branch: str, row: Mapping[str, str]) -> list[Hop]:
    """The hops of one result row (column -> IRI), in path order.

    >>> chain_of("involvement", {"practice": "p", "n1": "i", "bearer": "b"})[1]
    ('i', 'https://w3id.org/solidarity-kg/ontology#agent', 'b', False, 'i')
    """
    if branch not in _CHAINS:
        raise GraphError(f"the traversal query returned an unknown branch {branch!r}")
    hops = []
    for source, relation, target, inverse, evidence in _CHAINS[branch]:
        iri = row[relation[1:]] if relation.startswith("?") else SKG + relation
        hops.append((row[source], iri, row[target], inverse, row[evidence]))
    return hops


class _Explainer:
    """Turns the rows of one practice into duty-bearers with their paths."""

    def __init__(self, store: Store, practice: str, chains: list[tuple[str, list[Hop]]]) -> None:
        self.chains = chains
        nodes = {practice} | {n for _b, chain in chains for s, _r, t, _i, e in chain for n in (s, t, e)}
        self.facts: dict[str, NodeFacts] = node_facts(store, nodes, FIELDS)
        self.hierarchy = hierarchy_of(store)
        self.labels = relation_labels(store)

    def classes(self, node: str) -> set[str]:
        return self.hierarchy.closure(self.facts[node].types)

    def step(self, hop: Hop) -> Step:
        source, relation, target, inverse, evidence_node = hop
        other_end = target if evidence_node == source else source
        found = statement_evidence(self.facts[evidence_node].locators, self.facts[other_end].spoken_of)
        locators = sorted(Locator(iri, label) for iri, label in found.items())
        return Step(
            source,
            self.facts[source].label,
            relation,
            self.labels(relation),
            target,
            self.facts[target].label,
            inverse,
            tuple(sorted(locators, key=lambda x: (x.label, x.locator))),
        )

    def involved(self) -> dict[str, tuple[Step, ...]]:
        """Actors of the practice (for class-level duties), each with the shortest, then first, chain naming it."""
        found: dict[str, tuple[Step, ...]] = {}
        for branch, chain in self.chains:
            bearer = chain[-1][2]
            if branch in ("direct", "involvement", "identification") and SKG + "Actor" in self.classes(bearer):
                steps = tuple(self.step(hop) for hop in chain)
                if bearer not in found or (len(steps), steps) < (len(found[bearer]), found[bearer]):
                    found[bearer] = steps
        return found

    def paths(self, class_level: bool) -> dict[str, list[ExplanationPath]]:
        involved = self.involved()
        found: dict[str, list[ExplanationPath]] = defaultdict(list)
        for branch, chain in self.chains:
            bearer = chain[-1][2]
            steps = tuple(self.step(hop) for hop in chain)
            if self.classes(bearer) & {SKG + "Actor", SKG + "ActorType"}:
                found[bearer].append(ExplanationPath(branch, steps))
            actor_class = self.facts[bearer].actor_class
            if not (class_level and actor_class):
                continue
            for actor, via in involved.items():
                if actor_class in self.classes(actor):
                    applies = Step(
                        bearer,
                        self.facts[bearer].label,
                        SKG + "appliesTo",
                        self.labels(SKG + "appliesTo"),
                        actor,
                        self.facts[actor].label,
                        False,
                        via[-1].evidence,
                    )
                    found[actor].append(ExplanationPath(branch + "+class", (*steps, applies)))
        return found


def _wanted(bearer_classes: set[str], kinds: set[str] | None) -> bool:
    if not kinds:
        return True
    return bool(kinds & {k for k, iri in DUTY_BEARER_KINDS.items() if iri in bearer_classes}) or kind_of(bearer_classes) in kinds


def explain_duty_bearers(
    store: Store,
    practice: str,
    *,
    depth: int = 5,
    relations: set[str] | None = None,
    kinds: set[str] | None = None,
    class_level: bool = True,
    catalogue: Catalogue | None = None,
) -> DutyBearerExplanation:
    """Every duty-bearer related to a practice, each with the paths that explain why.

    ``depth`` bounds the number of hops of a path; ``relations`` keeps only
    paths whose every relation (local name, e.g. ``carriedOutBy``) is listed;
    ``kinds`` keeps duty-bearers of those kinds (see ``DUTY_BEARER_KINDS``).
    Class-level duties (a duty-bearer that is an actor type such as all
    States) are kept as such and also extended to every actor of the practice
    of that class. The answer does not depend on the order in which the store
    returns rows: paths, steps and evidence are sorted.
    """
    query = (catalogue or bundled_catalogue()).internal_query("traversal", "duty_bearers")
    rows = select(store, query.text, substitutions={"practice": ("uri", practice)})
    columns = [{**{k: v["value"] for k, v in row.items()}, "practice": practice} for row in rows]
    chains = sorted(((row["branch"], chain_of(row["branch"], row)) for row in columns), key=lambda c: (c[0], c[1]))
    explainer = _Explainer(store, practice, chains)
    if not explainer.facts[practice].types:
        raise UnknownResourceError(f"no practice is identified by {practice}", kind="practice", identifier=practice)
    result = []
    for bearer, paths in explainer.paths(class_level).items():
        bearer_classes = explainer.classes(bearer)
        if not _wanted(bearer_classes, kinds):
            continue
        kept = [p for p in paths if p.length <= depth and (not relations or set(p.relations) <= relations)]
        unique = sorted({(p.branch, p.steps): p for p in kept}.values(), key=lambda p: (p.length, p.branch, p.relations, p.steps))
        if unique:
            kind = kind_of(bearer_classes)
            result.append(
                RelatedDutyBearer(
                    bearer,
                    explainer.facts[bearer].label,
                    kind,
                    sorted(explainer.facts[bearer].types),
                    kind == "actor-type",
                    unique,
                )
            )
    result.sort(key=lambda b: (b.class_level, min(p.length for p in b.paths), b.label, b.iri))
    return DutyBearerExplanation(practice, explainer.facts[practice].label, result)


__all__ = [
    "DUTY_BEARER_KINDS",
    "DutyBearerExplanation",
    "ExplanationPath",
    "Locator",
    "RelatedDutyBearer",
    "Step",
    "chain_of",
    "explain_duty_bearers",
    "kind_of",
]
