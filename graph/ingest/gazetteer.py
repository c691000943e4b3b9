"""The names of what the graph already holds, to link mentions to: one query of the store, plus ISO 3166.

Each name is a surface form with the node(s) it names, the kind of node (from
the IRI patterns of the data guide) and how strong a match on that form is:
a label or a document symbol is near-certain, an acronym or a former name a
little less, a demonym ("Hungarian") or a surname alone weaker. States come
from pycountry and ``graph.names`` (names, former names, common names and
demonyms) for every State of ISO 3166, so a State the graph does not hold yet
can be proposed under its ISO code without inventing it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pycountry

from graph.countries import STATE_PREFIX
from graph.ingest.forms import (
    designations,
    main_title,
    quoted_titles,
    title_key,
    url_key,
    variants,
    without_first_word,
    year_and_kind,
)
from graph.names import DEMONYMS, state_names
from graph.namespaces import BASE
from graph.store import Store, select

ID = BASE + "id/"
KINDS = ("state", "organisation", "instrument", "provision", "person", "actor", "place", "mandate")
"""Kinds of linked node, from the IRI patterns of the data guide."""
_KIND_OF_PATH = (
    ("actor/state/", "state"),
    ("actor/io/", "organisation"),
    ("actor/", "actor"),
    ("person/", "person"),
    ("place/", "place"),
    ("mandate/", "mandate"),
    ("doc/", "instrument"),
    ("instrument/", "instrument"),
)
STRENGTH = {
    "symbol": 0.98,
    "label": 0.95,
    "title": 0.9,
    "name": 0.95,
    "alt": 0.9,
    "short": 0.9,
    "former": 0.9,
    "variant": 0.85,
    "dropped": 0.8,
    "demonym": 0.75,
    "surname": 0.7,
}
"""Confidence of a match by how the surface form names the node."""
MAX_WORDS = 24
"""The longest name read (the full title of a treaty runs to 15 words)."""

NAMES_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
SELECT ?node ?how ?text WHERE {
  { ?node rdfs:label ?text BIND("label" AS ?how) } UNION { ?node foaf:name ?text BIND("name" AS ?how) }
  UNION { ?node skos:altLabel ?text BIND("alt" AS ?how) } UNION { ?node skg:documentSymbol ?text BIND("symbol" AS ?how) }
  UNION { ?node skg:shortName ?text BIND("short" AS ?how) }
  UNION { ?node dcterms:title ?text BIND("title" AS ?how) } UNION { ?node skg:resolutionNumber ?text BIND("resolution" AS ?how) }
  UNION { ?node rdfs:seeAlso|schema:url|foaf:page|foaf:homepage ?page FILTER(isIRI(?page)) BIND(STR(?page) AS ?text)
          FILTER(!STRSTARTS(?text, "https://w3id.org/solidarity-kg/")) BIND("url" AS ?how) }
  UNION { ?node skg:publishedBy|dcterms:creator|dcterms:publisher ?by ; skg:date ?date
          FILTER(DATATYPE(?date) = <http://www.w3.org/2001/XMLSchema#date>) BIND(CONCAT(STR(?by), " ", STR(?date)) AS ?text)
          BIND("published" AS ?how) }
  UNION { ?node skg:date ?day FILTER(DATATYPE(?day) = <http://www.w3.org/2001/XMLSchema#date>) BIND(STR(?day) AS ?text)
          BIND("dated" AS ?how) }
  FILTER(STRSTARTS(STR(?node), "https://w3id.org/solidarity-kg/id/"))
} ORDER BY ?node ?how ?text"""


def kind_of(iri: str) -> str | None:
    """The kind of an entity node from its IRI, or ``None`` for what mentions do not link to.

    >>> kind_of("https://w3id.org/solidarity-kg/id/instrument/declaration-international-solidarity/2023/art/6/1")
    'provision'
    >>> kind_of("https://w3id.org/solidarity-kg/id/doc/A-73-206/para/4") is None
    True
    """
    path = iri.removeprefix(ID)
    if path == iri:
        return None
    if path.startswith("instrument/") and "/art/" in path:
        return "provision"
    if path.startswith("doc/") and path.count("/") > 1:
        return None  # a locator, not a document
    return next((kind for prefix, kind in _KIND_OF_PATH if path.startswith(prefix)), None)


def symbol_key(symbol: str) -> str:
    """A document symbol compared without spaces and case: ``A/HRC/ 38/40`` is ``a/hrc/38/40``."""
    return re.sub(r"\s+", "", symbol).casefold()


@dataclass(frozen=True)
class Name:
    """One node a surface form names, with the node's kind and how strongly the form names it."""

    node: str
    kind: str
    how: str

    @property
    def confidence(self) -> float:
        """How sure a match on this form is."""
        return STRENGTH[self.how]


@dataclass
class Gazetteer:
    """Surface forms, symbols, resolution numbers, titles, web addresses and (publisher, date) pairs with their nodes."""

    names: dict[str, set[Name]] = field(default_factory=lambda: defaultdict(set))
    symbols: dict[str, str] = field(default_factory=dict)
    resolutions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    known: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    titles: dict[str, set[Name]] = field(default_factory=lambda: defaultdict(set))
    """Forms of works (three words or more) read without case or punctuation, by their surface form."""
    quoted: dict[str, set[Name]] = field(default_factory=lambda: defaultdict(set))
    """Titles of works and their main titles, by ``title_key``: what a quotation in a citation may name."""
    urls: dict[str, str] = field(default_factory=dict)
    published: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    """(publisher or author, ISO date) -> the works they issued that day."""
    dated: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """ISO date -> the instruments of that day (an agreement, an order)."""
    by_year: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    """(year, kind) -> the instruments whose names give both (``1951 Refugee Convention``)."""
    designations: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    """(kind, number) of a numbered designation (``forms.designations``) -> the instruments it designates."""

    def add(self, text: str, name: Name) -> None:
        """Add a surface form; forms without a capital letter or digit are not names."""
        form = " ".join(text.split())
        if len(form) >= 2 and re.search(r"[A-Z0-9]", form) and len(form.split()) <= MAX_WORDS:
            self.names[form].add(name)

    def add_title(self, text: str, name: Name) -> None:
        """Add a work's form to the titles read without case, and it and its main title to the quoted ones."""
        form = " ".join(text.split())
        if 3 <= len(form.split()) <= MAX_WORDS:
            self.titles[form].add(name)
        for title in (form, main_title(form)):
            if title and re.search(r"[A-Za-z]{4,}", title):
                self.quoted[title_key(title)].add(name)


def _state_names(gazetteer: Gazetteer) -> None:
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        node = STATE_PREFIX + country.alpha_3
        gazetteer.labels.setdefault(node, country.name)
        for position, form in enumerate(state_names(country.alpha_3)):
            gazetteer.add(form, Name(node, "state", "name" if position < 4 else "former"))
            if form.startswith("the "):
                gazetteer.add(form[4:], Name(node, "state", "former"))
        for demonym in DEMONYMS.get(country.alpha_3, ()):
            gazetteer.add(demonym, Name(node, "state", "demonym"))


def _person_forms(gazetteer: Gazetteer, node: str, text: str) -> None:
    words = text.replace(".", ". ").split()
    if len(words) >= 2 and len(words[-1]) >= 4 and all(word[:1].isupper() for word in words):
        for title in ("", "Mr. ", "Ms. ", "Mrs. "):
            gazetteer.add(title + words[-1], Name(node, "person", "surname"))
        gazetteer.add(f"{words[0]} {words[-1]}", Name(node, "person", "alt"))


def _work_forms(how: str, text: str) -> list[str]:
    """A work's forms: the form itself and, for a short name "Author, Title", each tail that begins with a word
    (the title is read in any case from the tails only, so that the author's name stays a mention of its own)."""
    forms = [text]
    if how == "short":
        parts = text.split(", ")
        forms += [", ".join(parts[n:]) for n in range(1, len(parts)) if parts[n][:1].isalpha()]
    return forms


def _add_work_forms(gazetteer: Gazetteer, node: str, how: str, text: str) -> None:
    """The forms of an instrument or document: its designations, the titles its label quotes, its names."""
    for _start, _end, key in designations(text):
        gazetteer.designations[key].add(node)
    for key in year_and_kind(text):
        gazetteer.by_year[key].add(node)
    for quoted in quoted_titles(text):
        gazetteer.add(quoted, Name(node, "instrument", "title"))
        gazetteer.add_title(quoted, Name(node, "instrument", "title"))
    if node.startswith(ID + "doc/") and how == "label":
        return  # a document's label describes it; the text cites its symbol or title
    for form in _work_forms(how, text):
        gazetteer.add(form, Name(node, "instrument", how))
        if not (how == "short" and form == text and ", " in text):  # "Author, Title, …" is read from its title on
            gazetteer.add_title(form, Name(node, "instrument", how))


def _add_node_forms(gazetteer: Gazetteer, node: str, kind: str, how: str, text: str) -> None:
    if how == "url":
        gazetteer.urls[url_key(text)] = node
    elif how == "published":
        by, _space, date = text.rpartition(" ")
        gazetteer.published[(by, date)].add(node)
    elif how == "dated":
        if kind == "instrument" and not node.startswith(ID + "doc/"):
            gazetteer.dated[text].add(node)
    elif how == "symbol":
        gazetteer.symbols[symbol_key(text)] = node
    elif how == "resolution":
        gazetteer.resolutions[text.strip()].add(node)
    elif kind == "instrument":
        _add_work_forms(gazetteer, node, how, text)
    elif kind != "state":  # States are named from ISO 3166
        gazetteer.add(text, Name(node, kind, how))
        if kind == "person":
            _person_forms(gazetteer, node, text)


def _acronyms(gazetteer: Gazetteer) -> dict[str, str]:
    """Acronym -> full name of the organisations whose alternative label is an acronym of capitals."""
    found: dict[str, set[str]] = defaultdict(set)
    for form, names in gazetteer.names.items():
        for name in names:
            if name.kind == "organisation" and name.how == "alt" and re.fullmatch(r"[A-Z]{2,6}", form):
                found[form].add(gazetteer.labels.get(name.node, ""))
    return {acronym: next(iter(full)) for acronym, full in found.items() if len(full) == 1 and next(iter(full))}


def _add_variants(gazetteer: Gazetteer) -> None:
    """The variant forms of works (``forms.variants``) and their titles without the first word
    (``forms.without_first_word``, read as written or in another case only, never with other function words nor
    inside another title), where no node has that form already."""
    acronyms = _acronyms(gazetteer)
    taken = {title_key(form) for form in [*gazetteer.names, *gazetteer.titles]}
    for form, names in sorted(gazetteer.titles.items()):
        found = [(variant, "variant") for variant in variants(form, acronyms)]
        if without_first_word(form):
            found.append((without_first_word(form), "dropped"))
        for variant, how in found:
            if title_key(variant) in taken:
                continue
            for name in sorted(names, key=lambda n: (n.node, n.how)):
                weaker = Name(name.node, name.kind, how)
                gazetteer.add(variant, weaker)
                gazetteer.add_title(variant, weaker)


def build_gazetteer(rows: list[tuple[str, str, str]]) -> Gazetteer:
    """A gazetteer from (node, how, text) rows (``NAMES_QUERY``) and ISO 3166."""
    gazetteer = Gazetteer()
    _state_names(gazetteer)
    for node, how, text in sorted(rows):
        kind = kind_of(node)
        if kind is None:
            continue
        gazetteer.known.add(node)
        if how == "label":
            gazetteer.labels[node] = text
        _add_node_forms(gazetteer, node, kind, how, text)
    _add_variants(gazetteer)
    return gazetteer


def gazetteer_of(store: Store, timeout: float | None = None) -> Gazetteer:
    """The gazetteer of what a store holds."""
    rows = select(store, NAMES_QUERY, timeout=timeout)
    return build_gazetteer([(r["node"]["value"], r["how"]["value"], r["text"]["value"]) for r in rows])


__all__ = [
    "ID",
    "KINDS",
    "MAX_WORDS",
    "NAMES_QUERY",
    "STRENGTH",
    "Gazetteer",
    "Name",
    "build_gazetteer",
    "gazetteer_of",
    "kind_of",
    "symbol_key",
]
