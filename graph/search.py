"""Full-text search over labels, alternative names, descriptions and locators.

An in-memory inverted index, built once per store from one query (the data
do not change while serving). Scores weigh where a word matched: the label
counts most, then alternative names and symbols, then locators, then
descriptions; a whole-phrase match in the label adds a bonus.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from graph.cache import cache_of
from graph.iris import local_name
from graph.store import Store, select

_FIELDS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
SELECT ?node ?field ?text WHERE {
  { ?node rdfs:label ?text . BIND("label" AS ?field) }
  UNION { ?node skos:prefLabel ?text . BIND("label" AS ?field) }
  UNION { ?node skos:altLabel ?text . BIND("alt" AS ?field) }
  UNION { ?node skg:documentSymbol|skg:shortName|skg:resolutionNumber|skg:isoAlpha3 ?text . BIND("alt" AS ?field) }
  UNION { ?node skg:locatorLabel ?text . BIND("locator" AS ?field) }
  UNION { ?node dcterms:description|skos:definition ?text . BIND("description" AS ?field) }
  UNION { ?node a ?class . FILTER(STRSTARTS(STR(?class), "https://w3id.org/solidarity-kg/ontology#"))
          BIND(STR(?class) AS ?text) BIND("type" AS ?field) }
  FILTER(STRSTARTS(STR(?node), "https://w3id.org/solidarity-kg/"))
}"""

WEIGHTS = {"label": 5.0, "alt": 3.0, "locator": 2.0, "description": 1.0}


def words(text: str) -> list[str]:
    """Lower-case, accent-free word tokens.

    >>> words("Otros Dreams en Acción, para. 10")
    ['otros', 'dreams', 'en', 'accion', 'para', '10']
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", plain.lower())


@dataclass(frozen=True)
class Hit:
    """One search result."""

    iri: str
    label: str
    types: tuple[str, ...]
    score: float
    matched: tuple[str, ...]


@dataclass
class SearchResult:
    """Ranked hits with type facets (counted over all hits, before paging)."""

    total: int
    hits: list[Hit]
    facets: dict[str, int] = field(default_factory=dict)


class SearchIndex:
    """An inverted index of the graph's texts."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.labels: dict[str, str] = {}
        self.types: dict[str, set[str]] = defaultdict(set)
        self.phrases: dict[str, str] = {}
        self.postings: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
        for node, kind, text in rows:
            if kind == "type":
                self.types[node].add(local_name(text))
                continue
            if kind == "label" and node not in self.labels:
                self.labels[node] = text
                # padded, so that the phrase bonus matches whole words only
                self.phrases[node] = " " + " ".join(words(text)) + " "
            weight = WEIGHTS[kind]
            for word in set(words(text)):
                best = self.postings[word].get(node)
                if best is None or best[0] < weight:
                    self.postings[word][node] = (weight, kind)

    @classmethod
    def from_store(cls, store: Store) -> SearchIndex:
        """Build the index with one query."""
        return cls([(r["node"]["value"], r["field"]["value"], r["text"]["value"]) for r in select(store, _FIELDS)])

    def search(self, query: str, types: set[str] | None = None, limit: int = 20, offset: int = 0) -> SearchResult:
        """Nodes matching every word of the query (prefix match on the last word), best first."""
        terms = words(query)
        if not terms:
            return SearchResult(0, [], {})
        scores: defaultdict[str, float] = defaultdict(float)
        matched: dict[str, set[str]] = defaultdict(set)
        candidates: set[str] | None = None
        for position, term in enumerate(terms):
            last = position == len(terms) - 1
            keys = [k for k in self.postings if k.startswith(term)] if last and len(term) >= 2 else [term]
            found: set[str] = set()
            for key in keys:
                exact = 1.0 if key == term else 0.6
                for node, (weight, kind) in self.postings.get(key, {}).items():
                    scores[node] += weight * exact
                    matched[node].add(kind)
                    found.add(node)
            candidates = found if candidates is None else candidates & found
        # whole words, but the last one may be a prefix, as in the word match above
        phrase = " " + " ".join(terms) + ("" if len(terms[-1]) >= 2 else " ")
        for node in candidates or set():
            if phrase in self.phrases.get(node, ""):
                scores[node] += 4.0
        ranked = sorted(candidates or set(), key=lambda n: (-scores[n], self.labels.get(n, n)))
        if types:
            ranked = [n for n in ranked if self.types.get(n, set()) & types]
        facets: Counter[str] = Counter(t for n in ranked for t in self.types.get(n, {"(untyped)"}))
        hits = [
            Hit(
                n,
                self.labels.get(n, local_name(n)),
                tuple(sorted(self.types.get(n, set()))),
                round(scores[n], 2),
                tuple(sorted(matched[n])),
            )
            for n in ranked[offset : offset + limit]
        ]
        return SearchResult(len(ranked), hits, dict(facets.most_common()))


def search_index(store: Store) -> SearchIndex:
    """The search index of a store, built once (``graph/cache.py``)."""
    return cache_of(store).fixed("search-index", lambda: SearchIndex.from_store(store))


__all__ = ["Hit", "SearchIndex", "SearchResult", "search_index", "words"]
