"""The practice explorer: one row per practice, built once per store; filters, facets and sorting in Python.

The filters are the practice listing's (``graph/resources.py``): each row
holds, for every filter, the values its SPARQL fragment gives with ``?value``
free (one UNION query for all of them), so that a filter here keeps exactly
the practices the fragment keeps there. Dates are compared as the listing
compares them, on their common prefix. Facet counts are standard faceted
search: a value's count is the number of practices the other active filters
keep that have the value. Several values of one filter match any of them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.cache import cache_of
from graph.errors import ParameterError
from graph.iris import local_name
from graph.links import local_href
from graph.lookup import node_facts
from graph.namespaces import PREFIXES
from graph.resources import LISTINGS, READINGS, check_concept, coerce_filter, filter_spec
from graph.store import Store, select
from graph.tables import Table, table

SKG, SKGV, SKGD = PREFIXES["skg"], PREFIXES["skgv"], PREFIXES["skgd"]
STATE_NS = SKGD + "actor/state/"
KIND = LISTINGS["practices"]
FACETS = (
    ("category", "Category"),
    ("gap_kind", "Gap kind"),
    ("carried_out_by", "Carried out by (State)"),
    ("place", "Place"),
    ("affected", "State or group affected"),
    ("rights_holder", "Rights-holders helped or harmed"),
    ("document", "Source document"),
    ("section", "Section of the source"),
    ("year", "Year"),
    ("provision", "Provision"),
    ("reading", "Stated by the source or curators' reading"),
)
"""The explorer's facets, in the order shown: filter name and heading."""
READING_LABELS = {
    "source": "linked to a provision or obligation by the source",
    "curators": "linked by the curators (an assessment with a caveat)",
    "caveat": "a caveat: some fact is the curators' reading",
}
SORTS = ("label", "date", "iri", "category", "carried_out_by", "place", "affected", "document")
"""Sort keys of the explorer and of ``/practices``; prefix ``-`` for descending."""
SEPARATOR = " | "
"""Between the values of one cell in a download (labels may hold ``;``)."""
_DATED = ("date", "year")
_NOT_LISTED = ("section", "year", "reading", "provision")
_NUMBER = re.compile(r"(\d+)")
_SCHEMES = {f.name: f"{SKGV}{f.scheme}/" for f in KIND.filters if f.scheme}
_PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("rdfs", "dcterms", "skg", "prov"))
_PRACTICES = _PROLOGUE + "SELECT ?item ?type WHERE { ?item a ?type . ?type rdfs:subClassOf* skg:Practice }"
_DATES = (
    _PROLOGUE + 'SELECT ?item ?d ?k WHERE { { ?item skg:date ?d BIND("date" AS ?k) } UNION '
    '{ ?item skg:startDate ?d BIND("start" AS ?k) } UNION { ?item skg:endDate ?d BIND("end" AS ?k) } }'
)
_LINKS = (
    _PROLOGUE + "SELECT ?item ?p ?rel ?t ?a ?by WHERE { "
    '{ ?item skg:expressesProvision ?p BIND("expresses" AS ?rel) } UNION '
    '{ ?item skg:runsAgainstProvision ?p BIND("runs against" AS ?rel) } UNION '
    "{ ?item skg:relatesToObligation ?o . ?o skg:establishedBy ?p . ?p a skg:Provision . OPTIONAL { "
    "?a skg:assessedPractice ?item ; skg:assessedAgainst ?o ; skg:assessmentType ?t . "
    "OPTIONAL { ?a skg:assessedBy ?by } } } UNION "
    "{ ?a skg:assessedPractice ?item ; skg:assessedAgainst ?p ; skg:assessmentType ?t . ?p a skg:Provision . "
    "OPTIONAL { ?a skg:assessedBy ?by } } }"
)
_NAMES = _PROLOGUE + "SELECT ?n ?s WHERE { { ?n a skg:Document ; skg:documentSymbol|skg:shortName ?s } UNION { ?n a skg:State } }"
_RELATION = {"exemplifies": "expresses", "falls-short-of": "runs against", "abuses": "runs against", "invokes": "invokes"}


def _values_query() -> str:
    """Every (filter, practice, value) the listing's fragments give, in one query: one branch per filter."""
    branches = [f'{{ {{ {f.pattern} }} BIND("{f.name}" AS ?f) }}' for f in KIND.filters if f.pattern and f.type not in _DATED]
    branches += [f'{{ {{ {pattern} }} BIND("reading" AS ?f) BIND("{key}" AS ?value) }}' for key, pattern in READINGS.items()]
    return _PROLOGUE + f"SELECT DISTINCT ?f ?item ?value WHERE {{ {' UNION '.join(branches)} }}"


@dataclass(frozen=True)
class Link:
    """A provision a practice reaches: how (expresses, runs against, invokes, relates to) and on whose word."""

    provision: str
    relation: str
    basis: str
    """``source`` (the source or its author says so) or ``curators`` (only a curators' assessment does)."""

    def item(self, label: str) -> dict[str, str]:
        """The link as a ``/practices`` item shows it."""
        return {"iri": self.provision, "label": label, "relation": self.relation, "basis": self.basis}


@dataclass(frozen=True)
class Practice:
    """One practice with every value each filter sees in it."""

    iri: str
    label: str
    types: tuple[str, ...]
    description: str
    dates: tuple[str, ...]
    """Its skg:date and skg:startDate values (what ``from``, ``to`` and ``year`` compare)."""
    end: str
    values: Mapping[str, frozenset[str]]
    locators: Mapping[str, str]
    links: tuple[Link, ...]

    def get(self, name: str) -> frozenset[str]:
        """The values of one filter (years for ``year``)."""
        if name == "year":
            return frozenset(d[:4] for d in self.dates)
        return self.values.get(name, frozenset())


@dataclass(frozen=True)
class Explorer:
    """Every practice of a store, with the labels of every value."""

    practices: tuple[Practice, ...]
    labels: Mapping[str, str]
    states: frozenset[str]
    hrefs: Mapping[str, str | None]
    """Where a link to each value and practice points (``graph/links.py``), worked out once."""
    shown: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)
    """Each practice as the page and the download show it, worked out on first use (they never change)."""

    def href(self, iri: str) -> str | None:
        """The link for an IRI (None for one that is not http(s))."""
        return self.hrefs[iri] if iri in self.hrefs else local_href(iri)

    def label(self, name: str, value: str) -> str:
        """What a value is called: a label, a document symbol, a reading in words, or the value itself."""
        if name == "reading":
            return READING_LABELS.get(value, value)
        return self.labels.get(value) or (local_name(value) if ":" in value else value)


def _links(rows: Iterable[Mapping[str, Any]]) -> dict[str, tuple[Link, ...]]:
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for r in rows:
        relations, bases = found[(r["item"]["value"], r["p"]["value"])]
        kind = local_name(r["t"]["value"]) if "t" in r else ""
        relations.add(r["rel"]["value"] if "rel" in r else _RELATION.get(kind, "relates to"))
        bases.add("curators" if "a" in r and "by" not in r else "source")
    links: dict[str, list[Link]] = defaultdict(list)
    for (item, provision), (relations, bases) in sorted(found.items()):
        basis = "source" if "source" in bases else "curators"
        links[item].append(Link(provision, " and ".join(sorted(relations)), basis))
    return {item: tuple(found_links) for item, found_links in links.items()}


def natural(text: str) -> tuple[Any, ...]:
    """A sort key that puts ``para. 9`` before ``para. 10``.

    >>> sorted(["para. 10", "fn. 2", "para. 9"], key=natural)
    ['fn. 2', 'para. 9', 'para. 10']
    """
    return tuple(int(part) if part.isdigit() else part for part in _NUMBER.split(text))


def build(store: Store) -> Explorer:
    """Read every practice with its filter values, dates, locators and provisions (a few bounded queries)."""
    types: dict[str, set[str]] = defaultdict(set)
    for r in select(store, _PRACTICES):
        types[r["item"]["value"]].add(r["type"]["value"])
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in select(store, _values_query()):
        if r["item"]["value"] in types and "value" in r:
            values[r["item"]["value"]][r["f"]["value"]].add(r["value"]["value"])
    dates: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in select(store, _DATES):
        dates[r["item"]["value"]][r["k"]["value"]].append(r["d"]["value"])
    links = _links(r for r in select(store, _LINKS) if r["item"]["value"] in types)
    facts = node_facts(store, types, fields=("label", "description", "locator"))
    names = {r["n"]["value"]: r.get("s", {}).get("value", "") for r in select(store, _NAMES)}
    shown = {v for item in values.values() for vs in item.values() for v in vs if ":" in v}
    shown |= {link.provision for found in links.values() for link in found} | set(names)
    labels = {iri: f.label for iri, f in node_facts(store, shown, fields=("label",)).items()}
    labels.update({iri: label for f in facts.values() for iri, label in f.locators.items()})
    labels.update({iri: symbol for iri, symbol in names.items() if symbol})
    practices = tuple(
        Practice(
            iri=iri,
            label=facts[iri].label,
            types=tuple(sorted(local_name(t) for t in classes if t.startswith(SKG))),
            description=facts[iri].description,
            dates=tuple(sorted(dates[iri]["date"] + dates[iri]["start"])),
            end=min(dates[iri]["end"], default=""),
            values={name: frozenset(found) for name, found in values[iri].items()},
            locators=dict(sorted(facts[iri].locators.items(), key=lambda item: natural(item[1]))),
            links=links.get(iri, ()),
        )
        for iri, classes in sorted(types.items())
    )
    hrefs = {iri: local_href(iri) for iri in {*labels, *types}}
    return Explorer(practices, labels, frozenset(n for n, s in names.items() if not s), hrefs)


def explorer_of(store: Store) -> Explorer:
    """The store's explorer, built on first use and kept with the store."""
    return cache_of(store).fixed("explorer", lambda: build(store))


Pairs = Iterable[tuple[str, str]]
Selection = Mapping[str, tuple[str, ...]]
"""Active filters: name -> the values any of which a practice must have (IRIs, keywords, dates)."""


def read_selection(store: Store, pairs: Pairs) -> dict[str, tuple[str, ...]]:
    """The filters of a request (name, raw value pairs); an unknown name or a bad value is a 422 naming it."""
    chosen: dict[str, list[str]] = defaultdict(list)
    for name, raw in pairs:
        term = coerce_filter(KIND, name, raw)
        check_concept(store, filter_spec(KIND, name), term)
        if term[1] not in chosen[name]:
            chosen[name].append(term[1])
    return {name: tuple(found) for name, found in chosen.items()}


def matches(practice: Practice, name: str, wanted: Sequence[str]) -> bool:
    """Whether a practice has one of the wanted values of a filter."""
    if name == "from":
        return any(d[: len(w)] >= w for d in practice.dates for w in wanted)
    if name == "to":
        return any(d[: len(w)] <= w for d in practice.dates for w in wanted)
    return not practice.get(name).isdisjoint(wanted)


def keep(practices: Iterable[Practice], selection: Selection, *, but: str = "") -> list[Practice]:
    """The practices every active filter keeps (``but`` one)."""
    active = [(name, wanted) for name, wanted in selection.items() if name != but]
    return [p for p in practices if all(matches(p, name, wanted) for name, wanted in active)]


def facet_counts(explorer: Explorer, selection: Selection) -> dict[str, Counter[str]]:
    """For every facet, how many practices each value would keep, given the other active filters."""
    return {name: Counter(v for p in keep(explorer.practices, selection, but=name) for v in p.get(name)) for name, _ in FACETS}


def short_value(name: str, value: str) -> str:
    """The shortest parameter value that reads back as ``value`` (``ITA``, ``good-practice``, ``A-73-206``, …).

    >>> short_value("place", STATE_NS + "ITA"), short_value("category", SKGV + "practice-type/good-practice")
    ('ITA', 'good-practice')
    >>> short_value("document", SKGD + "doc/A-73-206"), short_value("provision", SKGD + "instrument/x/art/1")
    ('A-73-206', 'instrument/x/art/1')
    """
    spec = filter_spec(KIND, name)
    local = value[len(SKGD) :] if value.startswith(SKGD) else ""
    if spec.type in ("state", "place", "affected") and local.startswith("actor/state/") and len(local) == 15:
        return local[-3:]
    prefix = _SCHEMES.get(name) or (SKGV + "rights-holder/" if spec.type == "affected" else "")
    if prefix and value.startswith(prefix) and "/" not in value[len(prefix) :]:
        return value[len(prefix) :]
    for kind, bare in (("place", "place/"), ("document", "doc/")):
        if spec.type == kind and local.startswith(bare) and "/" not in local[len(bare) :]:
            return local[len(bare) :]
    return local if local and ":" not in local else value


def canonical(selection: Selection) -> list[tuple[str, str]]:
    """The selection as query parameters, in short forms, in the facets' order."""
    order = [f.name for f in KIND.filters]
    return [(name, short_value(name, v)) for name in sorted(selection, key=order.index) for v in selection[name]]


def toggled(selection: Selection, name: str, value: str) -> dict[str, tuple[str, ...]]:
    """The selection with one value of one filter added, or removed if it was there."""
    result = dict(selection)
    current = result.get(name, ())
    result[name] = tuple(v for v in current if v != value) if value in current else (*current, value)
    return {k: v for k, v in result.items() if v}


def _names(explorer: Explorer, practice: Practice, name: str) -> list[tuple[str, str]]:
    """(value, label) of one filter's values in a practice, sorted by label."""
    return sorted(((v, explorer.label(name, v)) for v in practice.get(name)), key=lambda pair: (pair[1], pair[0]))


_PLAIN = {"label": lambda p: p.label, "date": lambda p: p.dates[0] if p.dates else "", "iri": lambda p: p.iri}


def _sort_key(explorer: Explorer, key: str) -> Any:
    return _PLAIN.get(key) or (lambda p: SEPARATOR.join(label for _, label in _names(explorer, p, key)))


def sort_practices(explorer: Explorer, practices: Sequence[Practice], sort: str) -> list[Practice]:
    """Sorted by a key (``-key`` descending), ties by IRI; an unknown key is a 422 listing the keys."""
    key = sort.removeprefix("-")
    if key not in SORTS:
        raise ParameterError(
            f"sort must be one of {', '.join(SORTS)} (prefix - for descending), got {sort!r}",
            parameter="sort",
            expected=list(SORTS),
        )
    by_iri = sorted(practices, key=lambda p: p.iri)
    return sorted(by_iri, key=_sort_key(explorer, key), reverse=sort.startswith("-"))


def _memo(explorer: Explorer, practice: Practice, build: Any) -> dict[str, Any]:
    key = (build.__name__, practice.iri)
    if key not in explorer.shown:
        explorer.shown[key] = build(explorer, practice)
    return explorer.shown[key]


def cells(explorer: Explorer, practice: Practice) -> dict[str, Any]:
    """One practice as the page and the downloads show it: (value, label, link) lists, and its provisions."""
    return _memo(explorer, practice, _cells)


def _cells(explorer: Explorer, practice: Practice) -> dict[str, Any]:
    links = [(link, explorer.label("provision", link.provision), explorer.href(link.provision)) for link in practice.links]
    named = {
        name: [(v, label, explorer.href(v)) for v, label in _names(explorer, practice, name)]
        for name, _ in FACETS
        if name not in _NOT_LISTED
    }
    start = practice.dates[0] if practice.dates else ""  # a period as start–end
    return {
        "iri": practice.iri,
        "label": practice.label,
        "date": f"{start}–{practice.end}" if practice.end and practice.end != start else start,
        "lists": named,
        "href": explorer.href(practice.iri),
        "locators": [(iri, label, explorer.href(iri)) for iri, label in practice.locators.items()],
        "provisions": links,
        "readings": sorted(practice.get("reading")),
    }


COLUMNS = (
    ("iri", "IRI"),
    ("label", "Practice"),
    ("category", "Category"),
    ("gap_kind", "Gap kind"),
    ("carried_out_by", "Carried out by"),
    ("place", "Place"),
    ("affected", "Affected"),
    ("rights_holder", "Rights-holders helped or harmed"),
    ("document", "Document"),
    ("locators", "Where in the document"),
    ("date", "Date"),
    ("provisions_source", "Provisions (stated by the source)"),
    ("provisions_curators", "Provisions (curators' reading)"),
    ("reading", "Basis"),
)
"""The download's columns: key and heading."""


def download_row(explorer: Explorer, practice: Practice) -> dict[str, Any]:
    """One practice as a spreadsheet row: every list joined with `` | ``."""
    return _memo(explorer, practice, _download_row)


def _download_row(explorer: Explorer, practice: Practice) -> dict[str, Any]:
    shown = cells(explorer, practice)
    row: dict[str, Any] = {name: SEPARATOR.join(label for _, label, _ in values) for name, values in shown["lists"].items()}
    for basis in ("source", "curators"):
        row[f"provisions_{basis}"] = SEPARATOR.join(
            f"{label} ({link.relation})" for link, label, _ in shown["provisions"] if link.basis == basis
        )
    row.update(iri=practice.iri, label=practice.label, date=shown["date"] or None)
    row["locators"] = SEPARATOR.join(label for _, label, _ in shown["locators"])
    row["reading"] = SEPARATOR.join(READING_LABELS[r] for r in shown["readings"])
    return row


def download(explorer: Explorer, practices: Sequence[Practice]) -> Table:
    """The practices as the ``practices`` table (CSV, XLSX or JSON through the page framework)."""
    return table("practices", COLUMNS, [download_row(explorer, p) for p in practices])


def listing_item(explorer: Explorer, practice: Practice) -> dict[str, Any]:
    """A ``/practices`` item: the listing's fields, with category, gap kind and provisions."""
    return {
        "iri": practice.iri,
        "label": practice.label,
        "date": practice.dates[0] if practice.dates else None,
        "types": list(practice.types),
        "category": min(practice.get("category"), default=None),
        "gap_kind": min(practice.get("gap_kind"), default=None),
        "provisions": [link.item(explorer.label("provision", link.provision)) for link in practice.links],
    }


def list_practices(store: Store, pairs: Pairs, *, sort: str = "label", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """A page of ``/practices``: the same filters, values and sorting as the explorer."""
    explorer = explorer_of(store)
    selected = sort_practices(explorer, keep(explorer.practices, read_selection(store, pairs)), sort)
    items = [listing_item(explorer, p) for p in selected[offset : offset + limit]]
    return {"total": len(selected), "limit": limit, "offset": offset, "items": items}


__all__ = [
    "FACETS",
    "SORTS",
    "Explorer",
    "Selection",
    "canonical",
    "cells",
    "download",
    "explorer_of",
    "facet_counts",
    "keep",
    "list_practices",
    "read_selection",
    "short_value",
    "sort_practices",
    "toggled",
]
