"""What the search index holds of each node: one query for every text, read into the index's columns.

``FIELDS_QUERY`` returns (node, field, text, other, link) rows; ``read_rows``
sorts them into the columns of ``COLUMNS``:

- ``label``: ``rdfs:label``, ``skos:prefLabel``;
- ``alt``: ``skos:altLabel``, ``foaf:name``, titles, document symbols, short
  names, resolution numbers, ISO codes, and for a State the names and demonyms
  of ``graph/names.py`` (Turkey, Hungarian);
- ``description``: descriptions, definitions, comments, heading texts, and the
  text (``rdf:value``) of the locators of an ingested draft;
- ``locator``: the node's own locator, and those of the paragraphs it comes from;
- ``context``: what the node is directly about: the labels of its actors,
  places, themes, rights-holders, instruments, provisions, obligations… (and,
  for a State, its names and demonyms), the actors a footnote identifies in
  it, its caveats and the words the source uses for it;
- ``related``: its episode: the labels of the practices the curators link to it
  with ``skg:sameEpisodeAs`` (either way). The sources tell one event in two
  places (the Aquarius: Spain's welcome in para. 27 of A/73/206 names the
  boat, the refusal in para. 37 does not), so "Aquarius" finds both.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.inference import INFERRED_GRAPH
from graph.iris import local_name
from graph.names import aliases_of

COLUMNS = ("label", "alt", "description", "locator", "context", "related")
"""The index's columns, in order."""
SEPARATOR = " \ue000 "
"""Between two values of one column: a private-use character, which FTS5 reads as a word that no query can
hold (query words are letters and digits), so that no phrase spans two values."""
WORDS = re.compile(r"[^\W_]+")
"""A word, as the query reader and the exact-name rule see it (letters and digits)."""

_NAMESPACE = "https://w3id.org/solidarity-kg/"
_LINKS = (
    "carriedOutBy involves location affects benefits theme concernsRight addressedTo invokesInstrument "
    "concernsInstrument dutyBearer owedTo identifiedActor targets agent holder adoptedBy votedAgainstBy "
    "abstentionBy supportedBy basedIn partOfState subOrganisationOf inInstrument establishedBy "
    "expressesProvision runsAgainstProvision requests inPractice respondsTo relatesToObligation practiceType gapKind"
).split()
"""The links whose targets' labels a node is indexed under: what it is about, who did it, where, for whom."""
_VOCABULARY_TYPES = ("skos:Concept", "skos:ConceptScheme", "owl:Class", "owl:ObjectProperty", "owl:DatatypeProperty")
"""Types outside our ontology that a hit may have (the vocabularies' concepts, the ontology's terms)."""
_IN = f'FILTER(STRSTARTS(STR(?node), "{_NAMESPACE}"))'
_BRANCHES = {
    "label": "?node rdfs:label ?text .",
    "prefLabel": "?node skos:prefLabel ?text .",
    "alt": "?node skos:altLabel|foaf:name|dcterms:title|skg:documentSymbol|skg:shortName|skg:resolutionNumber"
    "|skg:isoAlpha3 ?text .",
    "locator": "?node skg:locatorLabel ?text .",
    "source": "?node prov:wasDerivedFrom ?other . ?other skg:locatorLabel ?text .",
    "description": "?node dcterms:description|skos:definition|rdfs:comment|skg:headingText ?text .",
    "value": "?node rdf:value ?text . FILTER(isLiteral(?text))",
    "note": "?node skg:caveat|skg:mentionedAs ?text .",
    "link": "VALUES ?link { " + " ".join("skg:" + name for name in _LINKS) + " } "
    "?node ?link ?other . ?other rdfs:label|skos:prefLabel ?text .",
    "identified": "?identification skg:identifiesIn ?node ; skg:identifiedActor ?other . ?other rdfs:label ?text .",
    "episode": "?node skg:sameEpisodeAs|^skg:sameEpisodeAs ?other . ?other rdfs:label ?text .",
    "date": "?node skg:date ?text .",
    # the stated types: a hit's facets name what it is, not every superclass (graph/inference.py)
    "type": f'?node a ?other . FILTER(STRSTARTS(STR(?other), "{_NAMESPACE}ontology#")'
    f" || ?other IN ({', '.join(_VOCABULARY_TYPES)})) "
    f"FILTER NOT EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ ?node a ?other }} }} BIND(STR(?other) AS ?text)",
}
_PROLOGUE = "".join(
    f"PREFIX {prefix}: <{iri}>\n"
    for prefix, iri in (
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"),
        ("dcterms", "http://purl.org/dc/terms/"),
        ("foaf", "http://xmlns.com/foaf/0.1/"),
        ("owl", "http://www.w3.org/2002/07/owl#"),
        ("prov", "http://www.w3.org/ns/prov#"),
        ("skg", _NAMESPACE + "ontology#"),
    )
)
FIELDS_QUERY = (
    _PROLOGUE
    + "SELECT ?node ?field ?text ?other ?link WHERE {\n  "
    + "\n  UNION ".join(f'{{ {body} {_IN} BIND("{name}" AS ?field) }}' for name, body in _BRANCHES.items())
    + "\n}"
)
"""Every text of every node in one query; each branch does its own joins and label look-ups (the query-shape rule)."""
_COLUMN_OF = {
    "label": "label",
    "prefLabel": "label",
    "alt": "alt",
    "locator": "locator",
    "source": "locator",
    "description": "description",
    "value": "description",
    "note": "context",
    "link": "context",
    "identified": "context",
    "episode": "related",
}
"""The column of each field of ``FIELDS_QUERY`` (a column's own name is accepted as a field too)."""

Row = tuple[str, str, str, str, str]
"""(node, field, text, other, link): a row of ``FIELDS_QUERY``; ``other`` and ``link`` may be empty."""


@dataclass
class NodeText:
    """The texts of one node by column, and what the index needs besides: labels and types."""

    columns: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in COLUMNS})
    labels: list[str] = field(default_factory=list)
    pref_labels: list[str] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)

    @property
    def shown_label(self) -> str:
        """The label a hit shows: the smallest label, else preferred label, else its own locator ("" if none)."""
        return min(self.labels or self.pref_labels or self.locators or [""])

    @property
    def names(self) -> list[str]:
        """What the node is called: labels, other names, its own locators (for the exact-name rule)."""
        return [*self.columns["label"], *self.columns["alt"], *self.locators]

    def add(self, column: str, text: str) -> None:
        """Add a text to a column once (NFKC, without the separator character)."""
        text = unicodedata.normalize("NFKC", text).replace(SEPARATOR.strip(), " ")
        if text and text not in self.columns[column]:
            self.columns[column].append(text)

    def record(self, node: str, kind: str, text: str, other: str, link: str) -> None:
        """Take in one row of ``FIELDS_QUERY``."""
        if kind == "type":
            self.types.add(local_name(text))
            return
        if kind == "date":
            return
        if kind not in _COLUMN_OF and kind not in COLUMNS:
            return
        self.add(_COLUMN_OF.get(kind, kind), text)
        kept = {"label": self.labels, "prefLabel": self.pref_labels, "locator": self.locators}.get(kind)
        if kept is not None:
            kept.append(text)
        self._add_aliases(node, kind, other)

    def _add_aliases(self, node: str, kind: str, other: str) -> None:
        """A State's other names and demonyms: its own among its names, a linked one's among what a node is about."""
        if kind == "label":
            for alias in aliases_of(node):
                if alias not in self.columns["label"]:
                    self.add("alt", alias)
        elif kind in ("link", "identified"):
            for alias in aliases_of(other):
                self.add("context", alias)


def read_rows(rows: Iterable[Row]) -> dict[str, NodeText]:
    """The text of every node of the rows."""
    nodes: defaultdict[str, NodeText] = defaultdict(NodeText)
    for node, kind, text, other, link in rows:
        nodes[node].record(node, kind, text, other, link)
    return dict(nodes)


def name_key(text: str) -> str:
    """A name as the exact-name rule compares it: words only, lower case, accents folded.

    >>> name_key("Türkiye"), name_key("  A/73/206, para. 50 "), name_key('"Otros Dreams en Acción"')
    ('turkiye', 'a 73 206 para 50', 'otros dreams en accion')
    """
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(WORDS.findall(folded.casefold()))


__all__ = ["COLUMNS", "FIELDS_QUERY", "SEPARATOR", "WORDS", "NodeText", "Row", "name_key", "read_rows"]
