"""Serialise query results with a row cap.

pyoxigraph's own result serialisers consume the whole iterator; a capped
response must stop after ``max_rows`` rows and say that it did. So SELECT rows
are written here in the four SPARQL result formats (W3C SPARQL 1.1 Query
Results JSON, XML, CSV and TSV), while ASK answers and CONSTRUCT/DESCRIBE
triples go through pyoxigraph's serialisers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from graph.namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class QueryOutput:
    """A serialised query answer.

    ``kind`` is ``solutions`` (SELECT), ``boolean`` (ASK) or ``graph``
    (CONSTRUCT, DESCRIBE); ``rows`` counts solutions or triples written and
    ``truncated`` says whether the row cap cut the answer.
    """

    kind: str
    media_type: str
    body: bytes
    rows: int = 0
    truncated: bool = False


def term_json(term: Any) -> dict[str, Any]:
    """Encode one RDF term as in the SPARQL JSON results format.

    >>> term_json(ox.Literal("hi", language="en"))
    {'type': 'literal', 'value': 'hi', 'xml:lang': 'en'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        encoded: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            encoded["datatype"] = term.datatype.value
        return encoded
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _term_xml(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
        return "<triple>" + "".join(f"<{n}>{_term_xml(t)}</{n}>" for n, t in parts) + "</triple>"
    raise TypeError(f"not an RDF term: {term!r}")


def _term_csv(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return str(term.value)


def _term_tsv(term: Any) -> str:
    return "" if term is None else str(term)


def write_solutions(variables: list[str], rows: list[tuple[Any, ...]], media_type: str, truncated: bool) -> bytes:
    """Write solution rows (tuples of terms or None, in ``variables`` order) in a SPARQL results format.

    Rows are tuples because reading a pyoxigraph solution by position is several
    times faster than by variable name.
    """
    if media_type == "application/sparql-results+json":
        bindings = [{name: term_json(value) for name, value in zip(variables, row, strict=True) if value is not None}
                    for row in rows]
        document: dict[str, Any] = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated:
            document["truncated"] = True
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    if media_type == "application/sparql-results+xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(name)}/>" for name in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(name)}>{_term_xml(value)}</binding>"
                    for name, value in zip(variables, row, strict=True) if value is not None]
            out.append("</result>")
        out.append("</results></sparql>")
        return "".join(out).encode()
    if media_type == "text/csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_term_csv(value) for value in row] for row in rows)
        return buffer.getvalue().encode()
    if media_type == "text/tab-separated-values":
        lines = ["\t".join("?" + name for name in variables)]
        lines += ["\t".join(_term_tsv(value) for value in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unsupported result media type {media_type}")


def take(iterator: Iterable[Any], max_rows: int | None) -> tuple[list[Any], bool]:
    """Take at most ``max_rows`` items, and tell whether more were left.

    >>> take(iter(range(5)), 3)
    ([0, 1, 2], True)
    >>> take(range(2), None)
    ([0, 1], False)
    """
    if max_rows is None:
        return list(iterator), False
    items = list(islice(iterator, max_rows + 1))
    return items[:max_rows], len(items) > max_rows


def serialize_result(result: Any, media_type: str, max_rows: int | None) -> QueryOutput:
    """Serialise a pyoxigraph query result (solutions, boolean or triples)."""
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated = take(map(tuple, result), max_rows)
        body = write_solutions(variables, rows, media_type, truncated)
        return QueryOutput("solutions", media_type, body, len(rows), truncated)
    if isinstance(result, ox.QueryBoolean):
        body = result.serialize(format=RESULT_FORMATS[media_type]) or b""
        return QueryOutput("boolean", media_type, body, 1, False)
    triples, truncated = take(result, max_rows)
    body = ox.serialize(triples, format=GRAPH_FORMATS[media_type], prefixes=_prefixes_for(triples)) or b""
    return QueryOutput("graph", media_type, body, len(triples), truncated)


def _prefixes_for(triples: list[Any]) -> dict[str, str]:
    """The prefixes of our map that the triples use (so Turtle declares no unused ones)."""
    used = {t.predicate.value for t in triples} | {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    used |= {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in used)}


__all__ = ["QueryOutput", "serialize_result", "take", "term_json", "write_solutions"]
