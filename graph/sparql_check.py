"""Decide what a SPARQL text is before any store runs it.

Two passes, both over the real grammar rather than patterns over the text:

* ``tokens`` is a one-pass lexer (comments, the four string forms, IRI
  references, brackets): cheap enough to run in the web process, it finds the
  query form for content negotiation and refuses nesting deeper than
  ``MAX_DEPTH`` before any parser or engine recurses on it.
* ``analyse`` parses the text with rdflib's SPARQL 1.1 grammar and walks the
  parse tree: an update (``INSERT``, ``LOAD``, …) or a ``SERVICE`` pattern
  anywhere is refused, undeclared prefixes are named, and the query form and
  its ``FROM`` / ``FROM NAMED`` dataset are returned. It runs inside the
  sandboxed query workers, whose deadline bounds the parser's time too.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.errors import QuerySyntaxError, QueryTooDeepError, ReadOnlyError, UnknownPrefixError

MAX_DEPTH = 64
"""Deepest nesting of ``{}``, ``()`` and ``[]`` accepted (the engine's own recursion is far deeper)."""

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\r\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\r\n]|\\.)*"
                  |'(?:[^'\\\r\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<word>(?:[^\s#"'<>{}()\[\]\\]|\\.)+)
      | (?P<other>\S)
      | \s+""",
    re.VERBOSE | re.DOTALL,
)
_FORM_WORD = re.compile(r"(?i)(?:SELECT|ASK|CONSTRUCT|DESCRIBE)")
_POSITION = re.compile(r"at (\d+):(\d+)")


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (comment, string, iri, open, close, word, other) and offset."""

    kind: str
    text: str
    offset: int


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


def tokens(text: str) -> Iterator[Token]:
    """The lexical tokens of a SPARQL text, whitespace left out.

    >>> [t.kind for t in tokens('SELECT * { ?s ?p "}" } # {')]
    ['word', 'word', 'open', 'word', 'word', 'string', 'close', 'comment']
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is not None:
            yield Token(kind, match.group(0), match.start())


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


_ENGINE_PARSE = {"allowed": False}


def allow_engine_parse() -> None:
    """Let ``analyse`` ask Oxigraph's parser for the error position: only where no query can reach the network.

    Called by a query worker once its seccomp filter is loaded. Oxigraph pinpoints errors better than
    rdflib, but pyoxigraph cannot parse without evaluating, and an ASK is evaluated at once.
    """
    _ENGINE_PARSE["allowed"] = True


def _parse_error(text: str, error: Exception) -> QuerySyntaxError:
    """The most precise report of a parse failure: Oxigraph's where it is safe to ask, else rdflib's."""
    if _ENGINE_PARSE["allowed"]:
        import pyoxigraph as ox

        try:
            ox.Store().query(text)  # an empty store, and the network is closed to this process
        except SyntaxError as engine_error:
            return query_syntax_error(engine_error)
        except Exception:  # noqa: S110 - any other failure: rdflib's report below
            pass
    line = getattr(error, "lineno", None)
    column = getattr(error, "col", None)
    detail = getattr(error, "msg", None) or str(error)
    return QuerySyntaxError(f"SPARQL syntax error: {detail}", line=line, column=column)


def _walk(node: Any) -> Iterator[Any]:
    """Every CompValue of an rdflib parse tree, depth first, without recursion."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)


def _undeclared_prefix(text: str, tree: Any) -> None:
    declared = {str(node["prefix"]) if "prefix" in node else "" for node in _walk(tree) if node.name == "PrefixDecl"}
    for node in _walk(tree):
        prefix = str(node["prefix"]) if "prefix" in node else ""
        if node.name == "pname" and prefix not in declared:
            where: dict[str, Any] = {"prefix": prefix}
            for token in tokens(text):
                if token.kind == "word" and token.text.startswith(prefix + ":"):
                    where["line"], where["column"] = position(text, token.offset)
                    break
            raise UnknownPrefixError(f"the prefix {prefix!r} is not declared: add PREFIX {prefix}: <…> before the query", **where)


@lru_cache(maxsize=512)
def analyse(text: str) -> QueryShape:
    """Parse a query with rdflib's SPARQL 1.1 grammar and refuse what is never run.

    >>> analyse("SELECT * FROM <http://g/> { ?s ?p ?o }")
    QueryShape(form='SELECT', from_graphs=('http://g/',), from_named=())
    >>> analyse("SELECT * { # \\"\\"\\"\\n SERVICE <http://127.0.0.1/x> { ?s ?p ?o } # \\"\\"\\"\\n}")
    Traceback (most recent call last):
    ...
    graph.errors.ReadOnlyError: SERVICE clauses are refused: this endpoint makes no outbound requests (operation=SERVICE)
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    check_depth(text)
    # rdflib's parser recurses about 25 frames per nesting level; MAX_DEPTH levels must fit
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 40 * MAX_DEPTH + 2000))
    try:
        tree = parseQuery(text)
    except ParseBaseException as error:
        try:
            parseUpdate(text)
        except (ParseBaseException, RecursionError, ValueError):
            raise _parse_error(text, error) from None
        raise ReadOnlyError(
            "this SPARQL endpoint is read-only: update operations (INSERT, DELETE, LOAD, …) are refused", operation="update"
        ) from None
    except RecursionError:
        raise QueryTooDeepError("the query nests too deeply to be parsed", limit=MAX_DEPTH) from None
    except ValueError as error:  # rdflib rejects some malformed terms (e.g. bad IRIs) with ValueError
        raise _parse_error(text, error) from None
    nodes = list(_walk(tree))
    if any(node.name == "ServiceGraphPattern" for node in nodes):
        raise ReadOnlyError("SERVICE clauses are refused: this endpoint makes no outbound requests", operation="SERVICE")
    _undeclared_prefix(text, tree)
    query = tree[1]
    form = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}.get(
        query.name, "SELECT"
    )
    clauses = [node for node in _walk(query.get("datasetClause") or []) if node.name == "DatasetClause"]
    return QueryShape(
        form=form,
        from_graphs=tuple(str(c["default"]) for c in clauses if "default" in c),
        from_named=tuple(str(c["named"]) for c in clauses if "named" in c),
    )


__all__ = [
    "FORMS",
    "MAX_DEPTH",
    "QueryShape",
    "Token",
    "allow_engine_parse",
    "analyse",
    "blank_literals",
    "check_depth",
    "position",
    "projected_variables",
    "query_form",
    "query_syntax_error",
    "tokens",
]
