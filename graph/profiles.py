"""An actor's profile: what it did, where, to whom, what it owes, what it was asked, where the sources name it.

One bounded query per table, the actor bound as a term; duties and
recommendations addressed to a whole class ("all States") count for each of
its members and say so (``via``). Every row carries the locators of the
statement behind it, labelled (``A/73/206, para. 37``), never bare numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.cache import cache_of
from graph.errors import UnknownResourceError
from graph.iris import local_name
from graph.lookup import hierarchy_of, node_facts
from graph.namespaces import PREFIXES
from graph.store import Store, select

_PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("skg", "rdfs", "skos", "dcterms", "prov"))
_EN = 'FILTER(LANGMATCHES(LANG(?label), "en") || LANG(?label) = "")'

TABLES: dict[str, tuple[str, str]] = {
    "carried_out": ("Practices it carried out or supported", "?item skg:carriedOutBy|skg:supportedBy ?actor ."),
    "located": ("Practices that took place there", "?item skg:location ?actor ."),
    "affected": (
        "Practices aimed at it or involving it",
        "?item skg:targets|skg:involves ?actor . FILTER NOT EXISTS { ?item skg:carriedOutBy|skg:supportedBy ?actor }",
    ),
    "obligations": ("Obligations it bears by name", "?item skg:dutyBearer ?actor ."),
    "recommendations": ("Recommendations addressed to it by name", "?item skg:addressedTo ?actor ."),
    "class_obligations": (
        "Obligations of every actor of its kind (e.g. all States)",
        "?item skg:dutyBearer ?via . FILTER(?via IN (?classes))",
    ),
    "class_recommendations": (
        "Recommendations addressed to every actor of its kind",
        "?item skg:addressedTo ?via . FILTER(?via IN (?classes))",
    ),
    "identifications": ("Where a footnote identifies it", "?item skg:identifiedActor ?actor ."),
}
"""Table name -> (heading, pattern over ?item and ?actor; ?via is the class a duty reaches it through)."""

_ROWS = (
    _PROLOGUE
    + """SELECT ?item (MIN(STR(?label)) AS ?name) (MIN(STR(?kind)) AS ?category) (MIN(STR(?date)) AS ?when)
       (MIN(STR(?mentioned)) AS ?as) (MIN(STR(?via)) AS ?through) WHERE {
  PATTERN
  ?item rdfs:label ?label . EN
  OPTIONAL { ?item a ?kind }
  OPTIONAL { ?item skg:date ?date }
  OPTIONAL { ?item skg:mentionedAs ?mentioned }
} GROUP BY ?item"""
)

_CITED = ("Paragraph", "Heading", "Footnote")
"""The kinds of locator an actor's page lists where the text names or describes it."""
_CLASSES_OF = _PROLOGUE + "SELECT ?type ?cls WHERE { ?type skg:actorClass ?cls . }"

_MENTIONS = (
    _PROLOGUE
    + """SELECT ?locator ?label ?kind ?how WHERE {
  ?actor ?link ?locator . ?locator skg:locatorLabel ?label ; a ?kind .
  VALUES (?link ?how) { (skg:mentionedIn "named") (skg:describedIn "described") }
}"""
)


@dataclass
class ProfileRow:
    """One statement about the actor: the item, its kind, date, how the text names the actor, the evidence."""

    iri: str
    label: str
    category: str
    date: str
    mentioned_as: str
    via: str
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ActorProfile:
    """The actor, where the sources mention it, and one list of rows per table of ``TABLES``."""

    iri: str
    label: str
    types: list[str]
    description: str
    named_in_text: list[dict[str, str]]
    named_in_footnotes: list[dict[str, str]]
    tables: dict[str, list[ProfileRow]]
    described_in: list[dict[str, str]] = field(default_factory=list)
    """Paragraphs, headings and footnotes that speak of it without naming it (``skg:describedIn``)."""


def _classes_reaching(store: Store, types: Iterable[str]) -> list[str]:
    """The actor types (``skgv:actor-type/state``…) whose class the actor belongs to."""
    closure = hierarchy_of(store).closure(types)
    return sorted(r["type"]["value"] for r in select(store, _CLASSES_OF) if r["cls"]["value"] in closure)


def _rows(store: Store, name: str, actor: str, classes: list[str]) -> list[ProfileRow]:
    pattern = TABLES[name][1]
    # the class IRIs come from the store and are re-serialised by pyoxigraph, never taken from a request
    values = ", ".join(str(ox.NamedNode(c)) for c in classes) if classes else "<urn:x-none>"
    text = _ROWS.replace("PATTERN", pattern.replace("?classes", values)).replace("EN", _EN)
    found = select(store, text, substitutions={"actor": ("uri", actor)})
    hierarchy = hierarchy_of(store)
    rows = []
    for r in found:
        item = r["item"]["value"]
        category = r.get("category", {}).get("value", "")
        rows.append(
            ProfileRow(
                item,
                r["name"]["value"],
                local_name(category) if category else "",
                r.get("when", {}).get("value", ""),
                r.get("as", {}).get("value", ""),
                r.get("through", {}).get("value", ""),
            )
        )
    facts = node_facts(store, [row.iri for row in rows], ("type", "locator"))
    for row in rows:
        entry = facts[row.iri]
        if entry.types:
            row.category = hierarchy.classify(entry.types, row.iri)[0]
        row.evidence = [
            {"locator": iri, "label": label} for iri, label in sorted(entry.locators.items(), key=lambda x: (x[1], x[0]))
        ]
    rows.sort(key=lambda row: (row.date or "9999", row.label))
    return rows


def actor_profile(store: Store, actor: str) -> ActorProfile:
    """The profile of one actor (``UnknownResourceError`` when the IRI is not an actor)."""
    facts = node_facts(store, [actor], ("label", "type", "description"))[actor]
    closure = hierarchy_of(store).closure(facts.types)
    if PREFIXES["skg"] + "Actor" not in closure:
        raise UnknownResourceError(f"{actor} is not an actor of the graph", kind="actor", identifier=actor)
    classes = _classes_reaching(store, facts.types)
    mentions = select(store, _MENTIONS, substitutions={"actor": ("uri", actor)})
    located = sorted(
        {(r["label"]["value"], r["locator"]["value"], local_name(r["kind"]["value"]), r["how"]["value"]) for r in mentions}
    )
    named = [(label, iri, kind) for label, iri, kind, how in located if how == "named"]
    in_text = [{"locator": iri, "label": label} for label, iri, kind in named if kind in ("Paragraph", "Heading")]
    in_notes = [{"locator": iri, "label": label} for label, iri, kind in named if kind == "Footnote"]
    described = sorted({(label, iri) for label, iri, kind, how in located if how == "described" and kind in _CITED})
    tables = {name: _rows(store, name, actor, classes) for name in TABLES}
    types = sorted(local_name(t) for t in facts.types)
    spoken = [{"locator": iri, "label": label} for label, iri in described]
    return ActorProfile(actor, facts.label, types, facts.description, in_text, in_notes, tables, spoken)


_ACTORS = _PROLOGUE + """SELECT ?actor ?type WHERE { VALUES ?type { TYPES } ?actor a ?type . }"""

_COUNTS = (
    _PROLOGUE
    + """SELECT ?actor ?table (COUNT(DISTINCT ?item) AS ?n) WHERE {
  BRANCHES
} GROUP BY ?actor ?table"""
)

COUNTED = ("carried_out", "located", "affected", "obligations", "recommendations", "identifications")
"""The tables counted per actor on the list of actors."""


@dataclass
class ActorSummary:
    """An actor on the list: its class, ISO code for a State, and how many rows each profile table has."""

    iri: str
    label: str
    type: str
    counts: dict[str, int]


def actor_summaries(store: Store) -> list[ActorSummary]:
    """Every actor with its profile's table sizes (two queries and one look-up of labels and classes)."""
    hierarchy = hierarchy_of(store)
    types = " ".join(str(ox.NamedNode(c)) for c in sorted(hierarchy.subclasses(PREFIXES["skg"] + "Actor")))
    actors = {r["actor"]["value"] for r in select(store, _ACTORS.replace("TYPES", types))}
    branches = " UNION ".join(f'{{ {TABLES[name][1]} BIND("{name}" AS ?table) }}' for name in COUNTED)
    counts: dict[str, dict[str, int]] = {actor: dict.fromkeys(COUNTED, 0) for actor in actors}
    for r in select(store, _COUNTS.replace("BRANCHES", branches)):
        if r["actor"]["value"] in counts:
            counts[r["actor"]["value"]][r["table"]["value"]] = int(r["n"]["value"])
    facts = node_facts(store, actors, ("label", "type"))
    found = [ActorSummary(a, facts[a].label, hierarchy.classify(facts[a].types, a)[0], counts[a]) for a in actors]
    return sorted(found, key=lambda s: (s.type != "State", s.type, s.label))


def actor_summaries_of(store: Store) -> list[ActorSummary]:
    """The list of actors of a store, computed once (``graph/cache.py``)."""
    return cache_of(store).fixed("actor-summaries", lambda: actor_summaries(store))


def profile_rows(profile: ActorProfile, name: str) -> list[dict[str, Any]]:
    """One table of a profile as plain rows (for JSON, CSV and XLSX)."""
    return [
        {
            "iri": r.iri,
            "label": r.label,
            "category": r.category,
            "date": r.date,
            "mentioned_as": r.mentioned_as,
            "via": r.via,
            "evidence": "; ".join(e["label"] for e in r.evidence),
        }
        for r in profile.tables[name]
    ]


__all__ = [
    "COUNTED",
    "TABLES",
    "ActorProfile",
    "ActorSummary",
    "ProfileRow",
    "actor_profile",
    "actor_summaries",
    "actor_summaries_of",
    "profile_rows",
]
