"""What people type into the search box, read safely and written as an FTS5 expression.

The text is never given to FTS5 as it is (its own syntax would turn a stray
quote, parenthesis, ``NEAR(``, ``:`` or ``*`` into a syntax error). It is read
here into words, phrases and three operators, and every word goes to FTS5 as
a quoted string, so any text gives a well-formed expression or none:

- words must all match (in any column); ``"a b"`` is a phrase;
- ``word*`` (or ``"a b"*``) matches as a prefix, and so does the last word of
  the query (``Hungar`` finds Hungary), which also still counts as a whole word;
- ``OR`` (in capitals) between two words or phrases accepts either; ``AND``
  is what words do anyway; ``NOT word`` or ``-word`` excludes;
- of several plain words, the whole sequence also counts as a phrase in the
  score: nodes that hold the words in that order rank higher;
- anything else (punctuation, brackets, ``NEAR``, control characters) is a
  word separator or an ordinary word. At most ``MAX_WORDS`` words are read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_WORDS = 32
"""Words read from one query; the rest is ignored (a query is a few words, not a document)."""
MAX_WORD = 64
"""Characters kept of one word."""
_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(?P<neg>(?<![^\s(])-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\W_]+))(?P<star>\*)?')


@dataclass(frozen=True)
class Item:
    """A word or a phrase of the query."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False
    quoted: bool = False

    def fts(self) -> str:
        """As an FTS5 string: quoted (quotes doubled, though words never hold any), ``*`` for a prefix."""
        text = '"' + " ".join(self.words).replace('"', '""') + '"'
        return text + " *" if self.prefix else text


def read_query(text: str) -> list[Item | str]:
    """The query's items and ``"OR"`` operators, in order (``NOT`` and ``-`` already applied).

    >>> [item if isinstance(item, str) else (" ".join(item.words), item.prefix, item.negated)
    ...  for item in read_query('Italy -France "rescued migrants" OR boat*')]
    [('Italy', False, False), ('France', False, True), ('rescued migrants', False, False), 'OR', ('boat', True, False)]
    """
    text = unicodedata.normalize("NFKC", text)
    found: list[Item | str] = []
    negate, budget = False, MAX_WORDS
    for match in _TOKEN.finditer(text):
        word, phrase = match["word"], match["phrase"]
        if word in ("OR", "AND", "NOT"):
            if word == "OR":
                found.append("OR")
            negate = word == "NOT"
            continue
        words = tuple(w[:MAX_WORD] for w in ([word] if word else _WORD.findall(phrase or "")))[:budget]
        if not words:
            continue
        budget -= len(words)
        found.append(Item(words, bool(match["star"]), negate or bool(match["neg"]), phrase is not None))
        negate = False
        if budget <= 0:
            break
    return found


def _groups(items: list[Item | str]) -> tuple[list[list[Item]], list[Item]]:
    """Positive items grouped by ``OR`` (a dangling ``OR`` is dropped), and the negated ones."""
    groups: list[list[Item]] = []
    negated: list[Item] = []
    join = False
    for item in items:
        if isinstance(item, str):
            join = bool(groups)
        elif item.negated:
            negated.append(item)
            join = False
        else:
            if join:
                groups[-1].append(item)
            else:
                groups.append([item])
            join = False
    return groups, negated


@dataclass(frozen=True)
class FtsQuery:
    """A query in FTS5 syntax: ``match`` selects the hits, ``score`` (any of the words, and the phrase) ranks them."""

    match: str
    score: str


def compile_query(text: str) -> FtsQuery | None:
    """The FTS5 expressions for a query, or ``None`` when it asks for nothing (no words, or only exclusions).

    >>> compile_query("Hungar")
    FtsQuery(match='("Hungar" OR "Hungar" *)', score='"Hungar" OR "Hungar" *')
    >>> compile_query('refusal "disembark" NEAR( (a OR -x').match
    '("refusal") AND ("disembark") AND ("NEAR") AND ("a") NOT "x"'
    >>> compile_query('rescued migr').score
    '"rescued" OR "migr" OR "migr" * OR "rescued migr" *'
    >>> compile_query('( * :'), compile_query("-x"), compile_query("")
    (None, None, None)
    """
    groups, negated = _groups(read_query(text))
    if not groups:
        return None
    last = groups[-1][-1]
    implicit = len(groups[-1]) == 1 and not last.prefix and not last.quoted and len(last.words[0]) >= 2
    alternatives = [[item.fts() for item in group] for group in groups]
    if implicit:
        alternatives[-1].append(Item(last.words, prefix=True).fts())
    match = " AND ".join("(" + " OR ".join(group) + ")" for group in alternatives)
    if negated:
        match += "".join(f" NOT {Item(item.words, item.prefix).fts()}" for item in negated)
    score = [text for group in alternatives for text in group]
    plain = [g[0] for g in groups if len(g) == 1 and not g[0].prefix]
    if len(groups) > 1 and len(plain) == len(groups):
        # the words as one phrase, which adds to the score of the nodes that hold them in that order
        score.append(Item(tuple(w for item in plain for w in item.words), prefix=implicit).fts())
    return FtsQuery(match, " OR ".join(score))


__all__ = ["MAX_WORD", "MAX_WORDS", "FtsQuery", "Item", "compile_query", "read_query"]
