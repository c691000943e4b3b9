"""RDF text for the remote store: servers' terms as ours, the dataset clauses of a query, INSERT DATA chunks.

Virtuoso names blank nodes ``nodeID://b10000`` (as IRIs in some answers) and
writes ``"1"^^xsd:boolean``; both become what the embedded store gives. The
dataset of a query is rewritten token by token (``graph/sparql_check.py``), so
strings, IRIs and comments are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from graph.sparql_check import tokens

_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_BLANK_IRI = "nodeID://"
_DATASET_END = frozenset({"WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"})


def _blank(label: str) -> ox.BlankNode:
    """A blank node for a server's label, valid whatever the server wrote (``nodeID://b1`` → ``nodeID_b1_…``)."""
    if label.startswith(_BLANK_IRI):
        label = label[len(_BLANK_IRI) :]
    if _BLANK_LABEL.fullmatch(label):
        return ox.BlankNode(label)
    return ox.BlankNode("x" + label.encode().hex())


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEAN_FORMS = {"1": "true", "0": "false"}
"""Virtuoso stores booleans as numbers and writes ``"1"^^xsd:boolean``: the files' (canonical) form is ``true``."""


def _literal(value: str, datatype: str) -> ox.Literal:
    if datatype == _XSD_BOOLEAN:
        value = _BOOLEAN_FORMS.get(value, value)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def json_term(term: dict[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = term["type"]
    value = term["value"]
    if kind == "bnode" or (kind == "uri" and value.startswith(_BLANK_IRI)):
        return _blank(value)
    if kind == "uri":
        return ox.NamedNode(value)
    if "xml:lang" in term:
        return ox.Literal(value, language=term["xml:lang"])
    if "datatype" in term:
        return _literal(value, term["datatype"])
    return ox.Literal(value)


def _node(term: Any) -> Any:
    """A subject or object with the server's blank-node IRIs turned into blank nodes."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(_BLANK_IRI):
        return _blank(term.value)
    if isinstance(term, ox.BlankNode):
        return _blank(term.value)
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD_BOOLEAN:
        return _literal(term.value, _XSD_BOOLEAN)
    return term


def server_triples(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    for triple in triples:
        yield ox.Triple(_node(triple.subject), triple.predicate, _node(triple.object))


@dataclass(frozen=True)
class _Dataset:
    """Where a query's dataset clauses are: the spans of its top-level FROM clauses and where new ones go."""

    insert_at: int
    spans: tuple[tuple[int, int], ...]


def dataset_clauses(text: str) -> _Dataset:
    """Find the top-level ``FROM [NAMED] <iri>`` clauses of a query and the offset before its WHERE clause."""
    stream = [t for t in tokens(text) if t.kind != "comment"]
    index = next((i for i, t in enumerate(stream) if t.kind == "word" and t.text.upper() in _FORMS), len(stream))
    if index < len(stream) and stream[index].text.upper() == "CONSTRUCT":
        index = _skip_group(stream, index + 1)  # the template, if any
    spans: list[tuple[int, int]] = []
    depth, position = 0, index + 1
    while position < len(stream):
        token = stream[position]
        word = token.text.upper() if token.kind == "word" else ""
        if depth == 0 and (token.text == "{" or word in _DATASET_END):
            return _Dataset(token.offset, tuple(spans))
        if depth == 0 and word == "FROM":
            position += 2 if position + 1 < len(stream) and stream[position + 1].text.upper() == "NAMED" else 1
            if position < len(stream):
                spans.append((token.offset, stream[position].offset + len(stream[position].text)))
        depth += {"open": 1, "close": -1}.get(token.kind, 0)
        position += 1
    return _Dataset(len(text), tuple(spans))


_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


def _skip_group(stream: list[Any], index: int) -> int:
    """The index of the last token of the ``{ … }`` group starting at ``index`` (or ``index - 1`` if none starts there)."""
    if index >= len(stream) or stream[index].text != "{":
        return index - 1
    depth = 0
    for position in range(index, len(stream)):
        depth += {"open": 1, "close": -1}.get(stream[position].kind, 0)
        if depth == 0:
            return position
    return len(stream) - 1


def with_dataset(text: str, default: Iterable[str], named: Iterable[str]) -> str:
    """The query with its own FROM clauses replaced by ``FROM`` each default and ``FROM NAMED`` each named graph.

    >>> with_dataset("SELECT * FROM <http://x> WHERE { ?s ?p ?o }", ["http://a"], ["http://b"])
    'SELECT *  FROM <http://a> FROM NAMED <http://b> \\nWHERE { ?s ?p ?o }'
    >>> with_dataset("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://a"], [])
    'CONSTRUCT { ?s ?p ?o } FROM <http://a> \\nWHERE { ?s ?p ?o }'
    """
    found = dataset_clauses(text)
    clauses = "".join(f"FROM <{g}> " for g in default) + "".join(f"FROM NAMED <{g}> " for g in named)
    out, last = [], 0
    for start, end in found.spans:
        out.append(text[last:start])
        last = end
    out.append(text[last : found.insert_at])
    return "".join(out) + clauses + "\n" + text[found.insert_at :]


def blank_groups(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """The triples in groups inserted together: one per set of blank nodes linked by triples, one per other triple."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    def blanks(triple: ox.Triple) -> list[ox.BlankNode]:
        return [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]

    for triple in triples:
        linked = blanks(triple)
        if len(linked) == 2 and root(linked[0]) != root(linked[1]):
            parent[root(linked[1])] = root(linked[0])
    groups: dict[ox.BlankNode, list[ox.Triple]] = {}
    plain: list[list[ox.Triple]] = []
    for triple in triples:
        linked = blanks(triple)
        if linked:
            groups.setdefault(root(linked[0]), []).append(triple)
        else:
            plain.append([triple])
    return [*groups.values(), *plain]


def chunks(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Chunks of about ``size`` triples; the triples that share a blank node stay in one chunk (one INSERT DATA)."""
    chunk: list[ox.Triple] = []
    for group in blank_groups(triples):
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


__all__ = ["blank_groups", "chunks", "dataset_clauses", "json_term", "server_triples", "with_dataset"]
