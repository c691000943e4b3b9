"""Decide what a SPARQL text is before any store runs it.

Two passes, both over the real grammar rather than patterns over the text:

* ``tokens`` (``graph/sparql_terminals.py``) is a one-pass lexer (comments, the four string forms, IRI
  references, brackets): cheap enough to run in the web process, it finds the
  query form for content negotiation and refuses nesting deeper than
  ``MAX_DEPTH`` before any parser or engine recurses on it.
* ``analyse`` reads the grammar's terminals (``graph/sparql_terminals.py``,
  after the codepoint escapes): an update (``INSERT``, ``LOAD``, …) or a
  ``SERVICE`` keyword anywhere is refused, undeclared prefixes are named, and
  the query form and its ``FROM`` / ``FROM NAMED`` dataset are returned. The
  syntax is left to the engine that runs the query (its errors keep their
  position). It takes about 3 ms where rdflib's parser took about 66 ms for
  the duty-bearer query, so it runs for every query, in the web process for a
  remote store and in the sandboxed workers for the embedded one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.errors import QuerySyntaxError, QueryTooDeepError, ReadOnlyError, UnknownPrefixError
from graph.sparql_terminals import Terminal, terminals, tokens, unescape_codepoints

MAX_DEPTH = 64
"""Deepest nesting of ``{}``, ``()`` and ``[]`` accepted (the engine's own recursion is far deeper)."""

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_FORM_WORD = re.compile(r"(?i)(?:SELECT|ASK|CONSTRUCT|DESCRIBE)")
_POSITION = re.compile(r"at (\d+):(\d+)")


@dataclass(frozen=True)
class QueryShape:
    """What the parser found: the query form and the dataset the text names."""

    form: str
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()

    @property
    def names_dataset(self) -> bool:
        """Whether the text has FROM or FROM NAMED clauses."""
        return bool(self.from_graphs or self.from_named)


def blank_literals(text: str) -> str:
    """Blank out strings, IRIs and comments, keeping their delimiters and every offset.

    >>> blank_literals('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    'SELECT * { ?s ?p "       " }          '
    """
    out = []
    last = 0
    for token in tokens(text):
        if token.kind in ("string", "iri", "comment"):
            out.append(text[last : token.offset])
            body = token.text
            out.append(" " * len(body) if token.kind == "comment" else body[0] + " " * (len(body) - 2) + body[-1])
            last = token.offset + len(body)
    out.append(text[last:])
    return "".join(out)


def position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (both from 1) of an offset.

    >>> position("a\\nbc", 3)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse nesting deeper than ``limit``, naming where it goes too deep.

    >>> check_depth("SELECT * " + "{" * 3 + "}" * 3, limit=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.QueryTooDeepError: the query nests groups or expressions 3 deep; at most 2 are accepted (line=1, ...)
    """
    depth = 0
    for token in tokens(text):
        if token.kind == "open":
            depth += 1
            if depth > limit:
                line, column = position(text, token.offset)
                raise QueryTooDeepError(
                    f"the query nests groups or expressions {depth} deep; at most {limit} are accepted",
                    line=line,
                    column=column,
                    limit=limit,
                )
        elif token.kind == "close":
            depth = max(0, depth - 1)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings, IRIs and comments.

    >>> query_form('# SELECT\\nPREFIX a: <http://x/ASK> CONSTRUCT WHERE { ?s a:select "ASK" }')
    'CONSTRUCT'
    """
    for token in tokens(text):
        if token.kind == "word" and _FORM_WORD.fullmatch(token.text):
            return token.text.upper()
    return "SELECT"


_PROJECTION_END = frozenset({"WHERE", "FROM"})


@lru_cache(maxsize=512)
def projected_variables(text: str) -> frozenset[str] | None:
    """The variables the outer SELECT projects; None where every variable stays in scope (``SELECT *``, other forms).

    Read from the tokens of the SELECT clause: bare variables at the top, and
    the ``AS ?name`` of each expression.

    >>> sorted(projected_variables("SELECT DISTINCT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?b }"))
    ['a', 'n']
    >>> projected_variables("PREFIX x: <http://x/> CONSTRUCT WHERE { ?s ?p ?o }") is None
    True
    """
    stream = (token for token in tokens(text) if token.kind != "comment")
    form = next((t.text.upper() for t in stream if t.kind == "word" and _FORM_WORD.fullmatch(t.text)), None)
    if form != "SELECT":
        return None
    names: set[str] = set()
    depth, after_as = 0, False
    for token in stream:
        if token.kind == "open" and token.text == "{":
            break
        depth += {"open": 1, "close": -1}.get(token.kind, 0)
        word = token.text if token.kind == "word" else ""
        if depth == 0 and word.upper() in _PROJECTION_END:
            break
        if depth == 0 and word == "*":
            return None
        if word[:1] in ("?", "$") and (depth == 0 or after_as):
            names.add(word[1:])
        after_as = word.upper() == "AS"
    return frozenset(names)


def query_syntax_error(error: SyntaxError) -> QuerySyntaxError:
    """Turn pyoxigraph's query SyntaxError into ours, with line and column."""
    message = str(error)
    match = _POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    return QuerySyntaxError(f"SPARQL syntax error: {message}", line=line, column=column)


UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
"""Keywords that begin an update operation: never in a query."""


def _prefixes(text: str, terms: list[Terminal]) -> dict[str, str]:
    """The declared prefixes; an undeclared one used in the text is an ``UnknownPrefixError`` naming it."""
    declared: dict[str, str] = {}
    for index, term in enumerate(terms[:-2]):
        if term.kind == "keyword" and term.text.upper() == "PREFIX" and terms[index + 1].kind == "pname":
            declared[terms[index + 1].text.split(":", 1)[0]] = terms[index + 2].text[1:-1]
    for term in terms:
        prefix = term.text.split(":", 1)[0]
        if term.kind == "pname" and prefix not in declared:
            line, column = position(text, term.offset)
            raise UnknownPrefixError(
                f"the prefix {prefix!r} is not declared: add PREFIX {prefix}: <…> before the query",
                prefix=prefix,
                line=line,
                column=column,
            )
    return declared


def _dataset(terms: list[Terminal], declared: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The IRIs of the text's FROM and FROM NAMED clauses (prefixed names expanded)."""
    default: list[str] = []
    named: list[str] = []
    for index, term in enumerate(terms):
        if term.kind != "keyword" or term.text.upper() != "FROM":
            continue
        is_named = index + 1 < len(terms) and terms[index + 1].kind == "keyword" and terms[index + 1].text.upper() == "NAMED"
        target = terms[index + 2] if is_named else terms[index + 1] if index + 1 < len(terms) else None
        if target is None or target.kind not in ("iri", "pname"):
            continue  # a syntax error, which the parser reports
        prefix, _, local = target.text.partition(":")
        iri = target.text[1:-1] if target.kind == "iri" else declared.get(prefix, "") + re.sub(r"\\(.)", r"\1", local)
        (named if is_named else default).append(iri)
    return tuple(default), tuple(named)


@lru_cache(maxsize=512)
def analyse(text: str) -> QueryShape:
    """Read a query's terminals and refuse what is never run: updates, SERVICE, undeclared prefixes.

    >>> analyse("SELECT * FROM <http://g/> { ?s ?p ?o }")
    QueryShape(form='SELECT', from_graphs=('http://g/',), from_named=())
    >>> analyse("SELECT * { # \\"\\"\\"\\n SERVICE <http://127.0.0.1/x> { ?s ?p ?o } # \\"\\"\\"\\n}")
    Traceback (most recent call last):
    ...
    graph.errors.ReadOnlyError: SERVICE clauses are refused: this endpoint makes no outbound requests (operation=SERVICE)

    The checks read the grammar's terminals (``graph/sparql_terminals.py``) after the codepoint escapes,
    as a SPARQL parser does. The syntax is the engine's to judge, when it runs the query: pyoxigraph
    cannot parse without evaluating up to the first answer (an aggregate or ORDER BY evaluates all),
    so no text is run here, not even on an empty store.
    """
    check_depth(text)
    terms = list(terminals(unescape_codepoints(text)))
    words = [t.text.upper() for t in terms if t.kind == "keyword"]
    if "SERVICE" in words:
        raise ReadOnlyError("SERVICE clauses are refused: this endpoint makes no outbound requests", operation="SERVICE")
    first = next((w for w in words if w in UPDATES or w in FORMS), None)
    if first in UPDATES:
        raise ReadOnlyError(
            "this SPARQL endpoint is read-only: update operations (INSERT, DELETE, LOAD, …) are refused", operation="update"
        )
    declared = _prefixes(text, terms)
    from_graphs, from_named = _dataset(terms, declared)
    return QueryShape(form=first or "SELECT", from_graphs=from_graphs, from_named=from_named)


__all__ = [
    "FORMS",
    "MAX_DEPTH",
    "QueryShape",
    "analyse",
    "blank_literals",
    "check_depth",
    "position",
    "projected_variables",
    "query_form",
    "query_syntax_error",
]
