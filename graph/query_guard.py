"""Classify a SPARQL text before running it, and refuse what is never run.

The service is read-only and makes no outbound requests: SPARQL Update
operations (INSERT, DELETE, LOAD, CLEAR, …) and SERVICE clauses are refused
before the text reaches a store. Strings, IRIs and comments are blanked first
so that a keyword inside a literal (``"service"``) is not mistaken for one.
"""

from __future__ import annotations

import re

from graph.errors import ReadOnlyError

_STRINGS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|' r"'''(?:[^'\\]|\\.|'(?!''))*'''|" r'"(?:[^"\\\n]|\\.)*"|' r"'(?:[^'\\\n]|\\.)*'"
)
_IRIS = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_COMMENTS = re.compile(r"#[^\n]*")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*<[^>]*>\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"^(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_SERVICE = re.compile(r"(?<![:\w?$])SERVICE\b", re.IGNORECASE)


def _spaces(match: re.Match[str]) -> str:
    token = match.group(0)
    return token[0] + " " * (len(token) - 2) + token[-1] if len(token) > 1 else " "


def blank_literals(text: str) -> str:
    """Blank out strings, IRIs and comments, keeping keywords and every offset.

    >>> blank_literals('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    'SELECT * { ?s ?p "       " }          '
    """
    text = _STRINGS.sub(_spaces, text)
    text = _IRIS.sub(_spaces, text)
    return _COMMENTS.sub(lambda m: " " * len(m.group(0)), text)


def is_update(text: str) -> bool:
    """Tell whether a SPARQL text is an update request.

    >>> is_update("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    body = _PROLOGUE.sub("", blank_literals(text), count=1)
    return bool(_UPDATE.match(body))


def check_read_only_query(text: str) -> None:
    """Raise ``ReadOnlyError`` for updates and for queries with a SERVICE clause.

    >>> check_read_only_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.errors.ReadOnlyError: SERVICE clauses are refused: this endpoint makes no outbound requests
    """
    if is_update(text):
        raise ReadOnlyError("this SPARQL endpoint is read-only: update operations (INSERT, DELETE, LOAD, …) are refused")
    if _SERVICE.search(blank_literals(text)):
        raise ReadOnlyError("SERVICE clauses are refused: this endpoint makes no outbound requests")


__all__ = ["blank_literals", "check_read_only_query", "is_update"]
