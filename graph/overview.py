"""What the graph holds, for the home page: counts by class and by source document."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.cache import cache_of
from graph.iris import local_name
from graph.namespaces import PREFIXES
from graph.store import Store, select

OFFICIAL_DOCUMENTS = "https://undocs.org/"
"""The UN's official document system: ``https://undocs.org/<symbol>`` opens a document by its symbol."""

_CLASSES = f"""PREFIX skg: <{PREFIXES["skg"]}>
SELECT ?class (COUNT(DISTINCT ?node) AS ?n) WHERE {{
  ?node a ?class . FILTER(STRSTARTS(STR(?class), STR(skg:)))
}} GROUP BY ?class"""

_DOCUMENTS = f"""PREFIX skg: <{PREFIXES["skg"]}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
PREFIX prov: <{PREFIXES["prov"]}>
PREFIX dcterms: <{PREFIXES["dcterms"]}>
SELECT ?doc (MIN(STR(?label)) AS ?title) (MIN(STR(?symbol)) AS ?code) (MIN(STR(?date)) AS ?year)
       (COUNT(DISTINCT ?fact) AS ?facts) WHERE {{
  ?doc a skg:Document ; rdfs:label ?label .
  OPTIONAL {{ ?doc skg:documentSymbol ?symbol }}
  OPTIONAL {{ ?doc skg:date ?date }}
  OPTIONAL {{ ?locator dcterms:isPartOf ?doc . ?fact prov:wasDerivedFrom ?locator }}
}} GROUP BY ?doc"""


@dataclass(frozen=True)
class SourceDocument:
    """A document the graph cites: its label, symbol, year, how many facts cite it, and where to read it."""

    iri: str
    label: str
    symbol: str
    year: str
    facts: int

    @property
    def official_url(self) -> str | None:
        """The official text, where the document has a UN symbol (``A/73/206``)."""
        return OFFICIAL_DOCUMENTS + self.symbol if "/" in self.symbol else None


@dataclass
class Overview:
    """Counts by class (local name) and the source documents, most cited first."""

    classes: dict[str, int] = field(default_factory=dict)
    documents: list[SourceDocument] = field(default_factory=list)

    def count(self, *names: str) -> int:
        """The number of nodes of these classes (direct types, summed)."""
        return sum(self.classes.get(name, 0) for name in names)


def overview(store: Store) -> Overview:
    """Count the graph's nodes by class and the facts each source document supports (two queries)."""
    classes = {local_name(r["class"]["value"]): int(r["n"]["value"]) for r in select(store, _CLASSES)}
    documents = [
        SourceDocument(
            r["doc"]["value"],
            r["title"]["value"],
            r.get("code", {}).get("value", ""),
            r.get("year", {}).get("value", ""),
            int(r["facts"]["value"]),
        )
        for r in select(store, _DOCUMENTS)
    ]
    documents.sort(key=lambda d: (-d.facts, d.label))
    return Overview(dict(sorted(classes.items(), key=lambda item: (-item[1], item[0]))), documents)


def overview_of(store: Store) -> Overview:
    """The overview of a store, computed once (``graph/cache.py``)."""
    return cache_of(store).fixed("overview", lambda: overview(store))


__all__ = ["OFFICIAL_DOCUMENTS", "Overview", "SourceDocument", "overview", "overview_of"]
