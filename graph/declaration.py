"""The draft declaration side by side: its versions article by article, who owes what to whom under each
provision, the practices that express it or run against it, and the flags on unknown or disputed numbers.

Built on ``instrument_provisions`` (versions, provisions, mapping) with two
more bounded queries; labels and locators come from ``node_facts``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph.cache import cache_of
from graph.instruments import instrument_provisions
from graph.iris import local_name
from graph.lookup import node_facts
from graph.namespaces import PREFIXES
from graph.store import Store, select

DECLARATION = PREFIXES["skgd"] + "instrument/declaration-international-solidarity"
"""The work whose 2017 draft and 2023 revised draft the page compares."""

_PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("skg", "rdfs"))
_OBLIGATIONS = (
    _PROLOGUE
    + """SELECT ?provision ?obligation ?field ?value WHERE {
  ?provision skg:inVersion/skg:versionOf ?instrument . ?obligation skg:establishedBy ?provision .
  { ?obligation skg:dutyBearer ?value . BIND("bearer" AS ?field) }
  UNION { ?obligation skg:owedTo ?value . BIND("owed_to" AS ?field) }
  UNION { ?obligation skg:dutyType ?value . BIND("duty" AS ?field) }
  UNION { ?obligation rdfs:label ?value . BIND("label" AS ?field) }
}"""
)
_PRACTICES = (
    _PROLOGUE
    + """SELECT ?provision ?practice ?relation WHERE {
  ?provision skg:inVersion/skg:versionOf ?instrument .
  VALUES ?relation { skg:expressesProvision skg:runsAgainstProvision }
  ?practice ?relation ?provision .
}"""
)
FLAGGED = ("unknown", "disputed")
"""Number statuses a reader must see: the number is not given by the sources, or the sources disagree."""


@dataclass
class Duty:
    """An obligation under a provision: who owes what (duty types) to whom, and the paragraphs that say so."""

    iri: str
    label: str
    bearers: list[dict[str, str]] = field(default_factory=list)
    owed_to: list[dict[str, str]] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ProvisionView:
    """One provision with its duties, the practices bearing on it and its evidence."""

    iri: str
    label: str
    number: str | None
    number_status: str
    description: str | None
    duties: list[Duty] = field(default_factory=list)
    expressed_by: list[dict[str, str]] = field(default_factory=list)
    run_against_by: list[dict[str, str]] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """Whether the number is unknown or disputed."""
        return self.number_status in FLAGGED

    def owed_by(self, bearer: str) -> bool:
        """Whether an obligation under it falls on ``bearer`` (an actor-type local name such as ``non-state-actor``)."""
        return any(local_name(b["iri"]) == bearer for duty in self.duties for b in duty.bearers)


@dataclass
class Row:
    """One line of the side-by-side table: provisions of the earlier and the later version that correspond."""

    earlier: list[ProvisionView]
    later: list[ProvisionView]
    correspondence: list[dict[str, Any]]


@dataclass
class DeclarationView:
    """The versions, the rows that put them side by side, and every provision by IRI."""

    versions: list[dict[str, Any]]
    rows: list[Row]
    provisions: dict[str, ProvisionView]


def _labelled(store: Store, iris: set[str]) -> dict[str, dict[str, str]]:
    facts = node_facts(store, iris, ("label", "locator"))
    return {iri: {"iri": iri, "label": f.label} for iri, f in facts.items()}


def _duties(store: Store, instrument: str) -> dict[str, list[Duty]]:
    rows = select(store, _OBLIGATIONS, substitutions={"instrument": ("uri", instrument)})
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    under: dict[str, str] = {}
    for r in rows:
        obligation = r["obligation"]["value"]
        under[obligation] = r["provision"]["value"]
        values[obligation][r["field"]["value"]].add(r["value"]["value"])
    mentioned = {v for fields in values.values() for name in ("bearer", "owed_to") for v in fields[name]}
    names = _labelled(store, mentioned)
    located = node_facts(store, under, ("locator",))
    found: dict[str, list[Duty]] = defaultdict(list)
    for obligation, fields in sorted(values.items()):
        duty = Duty(
            obligation,
            min(fields["label"]) if fields["label"] else local_name(obligation),
            [names[b] for b in sorted(fields["bearer"])],
            [names[o] for o in sorted(fields["owed_to"])],
            sorted(local_name(d) for d in fields["duty"]),
            _evidence(located[obligation].locators),
        )
        found[under[obligation]].append(duty)
    return found


def _evidence(locators: dict[str, str]) -> list[dict[str, str]]:
    return [{"locator": iri, "label": label} for iri, label in sorted(locators.items(), key=lambda x: (x[1], x[0]))]


def _practices(store: Store, instrument: str) -> dict[str, dict[str, list[dict[str, str]]]]:
    rows = select(store, _PRACTICES, substitutions={"instrument": ("uri", instrument)})
    names = _labelled(store, {r["practice"]["value"] for r in rows})
    found: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for r in sorted(rows, key=lambda r: names[r["practice"]["value"]]["label"]):
        found[r["provision"]["value"]][local_name(r["relation"]["value"])].append(names[r["practice"]["value"]])
    return found


def _side_by_side(
    versions: list[dict[str, Any]], mapping: list[dict[str, Any]], provisions: dict[str, ProvisionView]
) -> list[Row]:
    """Rows in the order of the earlier version; later provisions without a counterpart at the end."""
    if len(versions) < 2:
        return [Row([provisions[p["iri"]]], [], []) for v in versions for p in v["provisions"]]
    earlier, later = versions[0], versions[-1]
    rows: list[Row] = []
    placed: set[str] = set()
    for provision in earlier["provisions"]:
        links = [m for m in mapping if m["from"] == provision["iri"]]
        counterparts = [provisions[m["to"]] for m in links if m["to"] in provisions]
        placed.update(p.iri for p in counterparts)
        rows.append(Row([provisions[provision["iri"]]], counterparts, links))
    rows.extend(Row([], [provisions[p["iri"]]], []) for p in later["provisions"] if p["iri"] not in placed)
    return rows


def declaration_view(store: Store, instrument: str = DECLARATION) -> DeclarationView:
    """The versions of the declaration side by side, each provision with its duties, practices and flags."""
    base = instrument_provisions(store, instrument)
    duties, practices = _duties(store, instrument), _practices(store, instrument)
    located = node_facts(store, [p["iri"] for v in base["versions"] for p in v["provisions"]], ("locator",))
    provisions = {
        p["iri"]: ProvisionView(
            p["iri"],
            p["label"],
            p["number"],
            p["number_status"],
            p["description"],
            duties.get(p["iri"], []),
            practices.get(p["iri"], {}).get("expressesProvision", []),
            practices.get(p["iri"], {}).get("runsAgainstProvision", []),
            _evidence(located[p["iri"]].locators),
        )
        for v in base["versions"]
        for p in v["provisions"]
    }
    return DeclarationView(base["versions"], _side_by_side(base["versions"], base["mapping"], provisions), provisions)


def declaration_of(store: Store) -> DeclarationView:
    """The declaration view of a store, computed once (``graph/cache.py``)."""
    return cache_of(store).fixed("declaration", lambda: declaration_view(store))


__all__ = ["DECLARATION", "FLAGGED", "DeclarationView", "Duty", "ProvisionView", "Row", "declaration_of", "declaration_view"]
