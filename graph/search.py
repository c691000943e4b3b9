"""Full-text search: an SQLite FTS5 index of every node's names, descriptions, locators and links.

One in-memory SQLite database per store, built once from one query (the data
do not change while serving; ``graph/cache.py`` keeps it). Each node is one
row, with the columns of ``graph/search_text.py`` (its label, other names,
descriptions, locators, what it is about, its episode), tokenised
``porter unicode61 remove_diacritics 2``: English stems and folded accents,
so "criminalising" finds "criminalisation" and "Cedric" finds "Cédric".

A hit matches every word of the query in some column (the last word also as
a prefix); ``graph/search_query.py`` turns what was typed into FTS5 syntax,
every word a quoted string. Its score is the sum over the columns of
``WEIGHTS[column]`` times the column's BM25 for the words (and, for several
words, the phrase). Each column is scored in a table of its own, because
FTS5's ``bm25`` measures a match against the length of the whole row, so a
long description would weaken a label match; in its own table, a label is
measured against the average label. A node named exactly what was typed
(label, other name or locator, ignoring case, accents and punctuation)
comes first.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.cache import cache_of
from graph.errors import ParameterError
from graph.iris import local_name
from graph.search_query import FtsQuery, compile_query
from graph.search_text import COLUMNS, FIELDS_QUERY, SEPARATOR, WORDS, Row, name_key, read_rows
from graph.store import Store, select

WEIGHTS = {"label": 10.0, "alt": 6.0, "description": 2.0, "locator": 2.0, "context": 1.0, "related": 0.5}
"""The weight of each column: the label counts most, what a node is about and its episode least."""
TOKENIZER = "porter unicode61 remove_diacritics 2"
_MARK, _END = "\x02", "\x03"
_FILL = SEPARATOR.strip()
_OPTIONS = f"tokenize='{TOKENIZER}', prefix='2 3'"
# the SQL texts are built from this module's constants only; every value is bound
_CREATE = [
    f"CREATE VIRTUAL TABLE search USING fts5({', '.join(COLUMNS)}, {_OPTIONS})",
    *(f"CREATE VIRTUAL TABLE score_{c} USING fts5(text, content='', {_OPTIONS})" for c in COLUMNS),
]
_INSERT = f"INSERT INTO search(rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})"  # noqa: S608
_INSERT_SCORED = {c: f"INSERT INTO score_{c}(rowid, text) VALUES (?, ?)" for c in COLUMNS}  # noqa: S608
_OPTIMIZE = [f"INSERT INTO {t}({t}) VALUES ('optimize')" for t in ("search", *(f"score_{c}" for c in COLUMNS))]  # noqa: S608
_MATCH = "SELECT rowid FROM search WHERE search MATCH ?"
_SCORE = {c: f"SELECT rowid, bm25(score_{c}) FROM score_{c} WHERE score_{c} MATCH ?" for c in COLUMNS}  # noqa: S608
_MARKED = (
    f"SELECT rowid, highlight(search, 0, '{_MARK}', '{_END}'), "  # noqa: S608
    + ", ".join(f"snippet(search, {i}, '{_MARK}', '{_END}', '…', 24)" for i in range(1, len(COLUMNS)))
    + " FROM search WHERE search MATCH ? AND rowid IN (SELECT value FROM json_each(?))"
)

Segments = tuple[tuple[str, bool], ...]
"""Text in pieces, each flagged when it is a matched word."""
Excerpts = tuple[tuple[str, Segments], ...]
"""(column, excerpt) pairs."""


@dataclass(frozen=True)
class Hit:
    """One search result: ``matched`` names the columns a query word was found in."""

    iri: str
    label: str
    types: tuple[str, ...]
    score: float
    matched: tuple[str, ...]
    excerpts: Excerpts = ()
    """(column, text with the matched words flagged) for the description and the other matched columns."""
    marked_label: Segments = ()
    """The label with the matched words flagged."""


@dataclass
class SearchResult:
    """Ranked hits with type facets, counted over all hits (of the type filter) before paging.

    ``all_facets`` counts the types of every hit of the words, before the type
    filter too, so that a page can offer the other types.
    """

    total: int
    hits: list[Hit]
    facets: dict[str, int] = field(default_factory=dict)
    all_facets: dict[str, int] = field(default_factory=dict)


def _segments(marked: str) -> Segments:
    """Split FTS5 ``highlight``/``snippet`` output at the markers.

    >>> _segments("a \\x02b\\x03 c")
    (('a ', False), ('b', True), (' c', False))
    """
    pieces: list[tuple[str, bool]] = []
    for part in marked.split(_MARK):
        word, end, rest = part.partition(_END)
        if end:
            pieces.append((word, True))
        if rest or not end:
            pieces.append((rest if end else part, False))
    return tuple((text, hit) for text, hit in pieces if text)


def _filler(texts: list[str]) -> str:
    """What a score table holds for a node with no text in its column: as many words as the nodes with text
    have on average, of a word no query can hold. BM25 then measures a text against the texts of its column
    (most nodes have no other name, say), while a word's rarity is still counted over every node."""
    lengths = [len(WORDS.findall(text)) + text.count(_FILL) for text in texts if text]
    return " ".join([_FILL] * max(1, round(sum(lengths) / len(lengths)))) if lengths else _FILL


class SearchIndex:
    """An FTS5 index of the graph's texts, in an in-memory SQLite database."""

    def __init__(self, rows: Iterable[Row | tuple[str, str, str]]) -> None:
        nodes = read_rows((*row, "", "")[:5] for row in rows)
        self.iris: list[str] = sorted(nodes)
        self.labels = [nodes[iri].shown_label or local_name(iri) for iri in self.iris]
        self.types = [frozenset(nodes[iri].types) for iri in self.iris]
        self._named: defaultdict[str, set[int]] = defaultdict(set)
        for rowid, iri in enumerate(self.iris):
            for name in nodes[iri].names:
                self._named[name_key(name)].add(rowid)
        records = [(rowid, *(SEPARATOR.join(nodes[iri].columns[c]) for c in COLUMNS)) for rowid, iri in enumerate(self.iris)]
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        with self._db:
            for statement in _CREATE:
                self._db.execute(statement)
            self._db.executemany(_INSERT, records)
            for i, column in enumerate(COLUMNS, start=1):
                filler = _filler([str(r[i]) for r in records])
                self._db.executemany(_INSERT_SCORED[column], ((r[0], r[i] or filler) for r in records))
            for statement in _OPTIMIZE:
                self._db.execute(statement)

    @classmethod
    def from_store(cls, store: Store) -> SearchIndex:
        """Build the index with one query."""
        keys = ("node", "field", "text", "other", "link")
        return cls(tuple(r[k]["value"] if k in r else "" for k in keys) for r in select(store, FIELDS_QUERY))  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self.iris)

    def _run(self, sql: str, parameters: Sequence[object]) -> list[Any]:
        try:
            with self._lock:
                return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:  # compile_query writes only well-formed expressions; this is the safety net
            raise ParameterError("the search words could not be read", parameter="q", reason=str(error)) from error

    def search(self, query: str, types: set[str] | None = None, limit: int = 20, offset: int = 0) -> SearchResult:
        """Nodes matching every word of the query (the last one also as a prefix), best first; ties by label."""
        expression = compile_query(query)
        if expression is None:
            return SearchResult(0, [], {}, {})
        matched = [rowid for (rowid,) in self._run(_MATCH, (expression.match,))]
        scores = self._scores(expression)
        # a node named exactly what was typed comes first: the best score of the hits is added to its own
        named = self._named.get(name_key(query), set()).intersection(matched)
        bonus = max((scores[rowid] for rowid in matched), default=0.0) if named else 0.0
        ranked = sorted(
            ((rowid, scores[rowid] + (bonus if rowid in named else 0.0)) for rowid in matched),
            key=lambda hit: (-hit[1], self.labels[hit[0]], self.iris[hit[0]]),
        )
        all_facets = self._facets(rowid for rowid, _ in ranked)
        if types:
            ranked = [(rowid, score) for rowid, score in ranked if self.types[rowid] & types]
        page = ranked[offset : offset + limit] if limit > 0 else []
        marks = self._marks(expression.match, [rowid for rowid, _ in page])
        hits = [
            Hit(
                self.iris[rowid],
                self.labels[rowid],
                tuple(sorted(self.types[rowid])),
                round(score, 3),
                *marks.get(rowid, ((), (), ((self.labels[rowid], False),))),
            )
            for rowid, score in page
        ]
        return SearchResult(len(ranked), hits, self._facets(rowid for rowid, _ in ranked), all_facets)

    def _scores(self, expression: FtsQuery) -> defaultdict[int, float]:
        """Rowid -> the sum over columns of the column's weight times its BM25 for any of the words (and the phrase)."""
        total: defaultdict[int, float] = defaultdict(float)
        for column in COLUMNS:
            for rowid, rank in self._run(_SCORE[column], (expression.score,)):
                total[rowid] -= WEIGHTS[column] * rank  # FTS5's bm25 is negative, lower for better matches
        return total

    def _facets(self, rowids: Iterable[int]) -> dict[str, int]:
        counts: Counter[str] = Counter(t for rowid in rowids for t in (self.types[rowid] or {"(untyped)"}))
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def _marks(self, expression: str, rowids: list[int]) -> dict[int, tuple[tuple[str, ...], Excerpts, Segments]]:
        """For the hits shown: the columns that matched, the excerpts, and the label with its matches flagged."""
        marks = {}
        for rowid, *texts in self._run(_MARKED, (expression, json.dumps(rowids))) if rowids else ():
            found = {column: text for column, text in zip(COLUMNS, texts, strict=True) if text}
            matched = tuple(column for column, text in found.items() if _MARK in text)
            excerpts = tuple(
                (column, _segments(text.replace(SEPARATOR, " · ").replace(_FILL, "·")))
                for column, text in found.items()
                if column != "label" and (column in matched or column == "description")
            )
            shown = self.labels[rowid]
            labels = (_segments(value) for value in found.get("label", "").split(SEPARATOR))
            label = next((s for s in labels if "".join(text for text, _ in s) == shown), ((shown, False),))
            marks[rowid] = (matched, excerpts, label)
        return marks


def search_index(store: Store) -> SearchIndex:
    """The search index of a store, built once (``graph/cache.py``)."""
    return cache_of(store).fixed("search-index", lambda: SearchIndex.from_store(store))


__all__ = ["TOKENIZER", "WEIGHTS", "Hit", "SearchIndex", "SearchResult", "search_index"]
