"""Practices counted by category and State, by category and other actor, and by year.

The counts follow the filters of the practice listing (``graph/resources.py``,
``/practices`` and the explorer), so that a count's link lists as many
practices as it says:

- a State's practices are those located in it or in a place that is part of it,
  and those it carried out, supported, targeted, was involved in or was addressed in
  (the ``state`` filter);
- another actor's are those it carried out, supported, targeted, was involved in
  or was addressed in (the ``actor`` filter);
- a year's are those whose date or start date falls in it (the ``year`` filter).

Every count is one grouped SPARQL query, joins inside each UNION branch (the
query-shape rule of docs/design-notes.md); the whole summary is computed once
per store (``summary_of``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pycountry

from graph.cache import cache_of
from graph.iris import local_name
from graph.lookup import hierarchy_of, node_facts, words
from graph.namespaces import PREFIXES
from graph.store import Store, select

SKG, SKGV = PREFIXES["skg"], PREFIXES["skgv"]
STATE_CLASS = SKG + "State"
EXPLORER = "/explore"
CATEGORY_ORDER = ("good-practice", "solidarity-gap", "abusive-deployment", "criminalisation", "mandate-activity")
"""Columns in this order; a category the vocabulary adds later comes after them, by label."""

_PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("rdf", "rdfs", "skos", "skg", "skgv"))
_ROLES = "skg:carriedOutBy|skg:supportedBy|skg:targets|skg:involves|skg:addressedTo"
_PRACTICE = "?p a ?pc . ?pc rdfs:subClassOf* skg:Practice ."
_CATEGORY = " ?p skg:practiceType ?category ."
_ENGLISH = 'FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "")'
_STATE_BRANCHES = (
    "?p skg:location ?state . ?state a skg:State .",
    f"?p {_ROLES} ?state . ?state a skg:State .",
    "?p skg:location ?place . ?place skg:partOfState ?state . ?state a skg:State .",
)
_ACTOR = f"?p {_ROLES} ?actor . ?actor a ?ac . ?ac rdfs:subClassOf* skg:Actor . FILTER NOT EXISTS {{ ?actor a skg:State }}"
_YEAR = '?p skg:date|skg:startDate ?d . BIND(SUBSTR(STR(?d), 1, 4) AS ?year) FILTER(REGEX(?year, "^[0-9]{4}$"))'

_CATEGORIES = f"""{_PROLOGUE}SELECT ?c (MIN(STR(?l)) AS ?label) WHERE {{
  ?c skos:inScheme skgv:practice-type . OPTIONAL {{ ?c skos:prefLabel ?l . {_ENGLISH} }}
}} GROUP BY ?c"""
_STATES = f"""{_PROLOGUE}SELECT ?state (MIN(STR(?l)) AS ?label) (MIN(STR(?a3)) AS ?code) WHERE {{
  ?state a skg:State . OPTIONAL {{ ?state rdfs:label ?l . {_ENGLISH} }} OPTIONAL {{ ?state skg:isoAlpha3 ?a3 }}
}} GROUP BY ?state"""
_TOTALS = f"""{_PROLOGUE}SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {_PRACTICE}{{pattern}} }}"""


def _grouped(key: str, branches: Iterable[str], by_category: bool) -> str:
    """A count of distinct practices grouped by ``?key`` (and ``?category``), one UNION branch per pattern."""
    extra = _CATEGORY if by_category else ""
    union = " UNION ".join(f"{{ {branch} {_PRACTICE}{extra} }}" for branch in branches)
    group = f"?{key} ?category" if by_category else f"?{key}"
    return f"{_PROLOGUE}SELECT {group} (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {union} }} GROUP BY {group}"


@dataclass(frozen=True)
class Category:
    """A practice category (a concept of the practice-type scheme): its short name, IRI and label."""

    key: str
    iri: str
    label: str


@dataclass
class Line:
    """A row of a summary: a State, another actor or a year, with its practices per category and in all."""

    axis: str
    """``state``, ``actor`` or ``year``: what the row counts by."""
    iri: str = ""
    label: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    code: str = ""
    """A State's ISO 3166-1 alpha-3 code."""
    numeric: str = ""
    """A State's ISO 3166-1 numeric code (from pycountry), the id of its shape in world-atlas."""
    kind: str = ""
    """An actor's most specific class, in words (``local government``)."""

    def filters(self) -> dict[str, str]:
        """The explorer's parameters that list this row's practices."""
        if self.axis == "state":
            return {"state": self.code}
        if self.axis == "actor":
            return {"actor": self.iri}
        return {"year": self.label}

    def href(self, category: str | None = None) -> str:
        """The explorer listing the practices counted in one cell (or, without a category, in the row)."""
        given = {"category": category} if category else {}
        return EXPLORER + "?" + urlencode({**given, **self.filters()})


@dataclass
class Summary:
    """Practices per category for every State, every other actor and every year that has any."""

    categories: list[Category]
    states: list[Line]
    actors: list[Line]
    years: list[Line]
    practices: int
    """Every practice in the graph."""
    by_category: dict[str, int]
    """Practices per category, whether they involve a State or not."""
    with_state: int
    """Practices that at least one State took part in or that happened in one."""
    undated: int
    """Practices with neither a date nor a start date (not on the timeline)."""


def _categories(store: Store) -> list[Category]:
    found = [
        Category(local_name(r["c"]["value"]), r["c"]["value"], r.get("label", {}).get("value") or local_name(r["c"]["value"]))
        for r in select(store, _CATEGORIES)
    ]

    def position(category: Category) -> tuple[int, str]:
        known = category.key in CATEGORY_ORDER
        return (CATEGORY_ORDER.index(category.key) if known else len(CATEGORY_ORDER), category.label)

    return sorted(found, key=position)


def _fill(store: Store, lines: Mapping[str, Line], key: str, branches: Iterable[str], categories: list[Category]) -> None:
    """Read the per-category and total counts of every row into ``lines`` (creating rows as they are met)."""
    keys = {c.iri: c.key for c in categories}
    branches = tuple(branches)
    for row in select(store, _grouped(key, branches, by_category=True)):
        category = keys.get(row["category"]["value"])
        if category is not None:
            lines[row[key]["value"]].counts[category] = int(row["n"]["value"])
    for row in select(store, _grouped(key, branches, by_category=False)):
        lines[row[key]["value"]].total = int(row["n"]["value"])


def _ordered(lines: Iterable[Line], categories: list[Category]) -> list[Line]:
    """Rows with every category filled in (zero where none), most practices first, then by label."""
    result = list(lines)
    for line in result:
        line.counts = {c.key: line.counts.get(c.key, 0) for c in categories}
    return sorted(result, key=lambda line: (-line.total, line.label.casefold(), line.iri))


def numeric_code(alpha3: str) -> str:
    """The ISO 3166-1 numeric code of an alpha-3 code (``""`` if ISO 3166 has no such code).

    >>> numeric_code("ITA"), numeric_code("XYZ")
    ('380', '')
    """
    country = pycountry.countries.get(alpha_3=alpha3) if len(alpha3) == 3 else None
    return str(country.numeric) if country is not None else ""


def _states(store: Store, categories: list[Category]) -> list[Line]:
    lines: defaultdict[str, Line] = defaultdict(lambda: Line("state"))
    _fill(store, lines, "state", _STATE_BRANCHES, categories)
    for row in select(store, _STATES):
        iri = row["state"]["value"]
        if iri in lines:
            code = row.get("code", {}).get("value") or local_name(iri)
            lines[iri].iri, lines[iri].code, lines[iri].numeric = iri, code, numeric_code(code)
            lines[iri].label = row.get("label", {}).get("value") or code
    return _ordered((line for line in lines.values() if line.iri), categories)


def _actors(store: Store, categories: list[Category]) -> list[Line]:
    lines: defaultdict[str, Line] = defaultdict(lambda: Line("actor"))
    _fill(store, lines, "actor", (_ACTOR,), categories)
    hierarchy = hierarchy_of(store)
    for iri, facts in node_facts(store, lines, fields=("label", "type")).items():
        lines[iri].iri, lines[iri].label = iri, facts.label
        lines[iri].kind = words(hierarchy.classify(facts.types, iri)[0])
    return _ordered(lines.values(), categories)


def _years(store: Store, categories: list[Category]) -> list[Line]:
    lines: defaultdict[str, Line] = defaultdict(lambda: Line("year"))
    _fill(store, lines, "year", (_YEAR,), categories)
    for year, line in lines.items():
        line.iri = line.label = year
    ordered = _ordered(lines.values(), categories)
    return sorted(ordered, key=lambda line: line.label)


def _count(store: Store, pattern: str) -> int:
    return int(select(store, _TOTALS.replace("{pattern}", pattern))[0]["n"]["value"])


def summarise(store: Store) -> Summary:
    """Count the practices by category and State, other actor and year (a dozen bounded queries)."""
    categories = _categories(store)
    by_category = {c.key: 0 for c in categories}
    keys = {c.iri: c.key for c in categories}
    text = f"{_PROLOGUE}SELECT ?category (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {_PRACTICE}{_CATEGORY} }} GROUP BY ?category"
    for row in select(store, text):
        if row["category"]["value"] in keys:
            by_category[keys[row["category"]["value"]]] = int(row["n"]["value"])
    with_state = " UNION ".join(f"{{ {branch} {_PRACTICE} }}" for branch in _STATE_BRANCHES)
    return Summary(
        categories=categories,
        states=_states(store, categories),
        actors=_actors(store, categories),
        years=_years(store, categories),
        practices=_count(store, ""),
        by_category=by_category,
        with_state=int(select(store, f"{_PROLOGUE}SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {with_state} }}")[0]["n"]["value"]),
        undated=_count(store, " FILTER NOT EXISTS { ?p skg:date|skg:startDate ?d }"),
    )


def summary_of(store: Store) -> Summary:
    """The summary of a store, computed once (``graph/cache.py``)."""
    return cache_of(store).fixed("summaries", lambda: summarise(store))


__all__ = ["CATEGORY_ORDER", "EXPLORER", "Category", "Line", "Summary", "numeric_code", "summarise", "summary_of"]
